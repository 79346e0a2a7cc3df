# The environment's settings, shared by its base state and every group state (this file is linked
# into terraform/base and terraform/group). Values come from the generated
# environments/<env>/environment.tfvars.json; edit environment.yaml instead.

variable "environment" {
  description = "Environment name (the folder under environments/), e.g. local, dev, prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be lower-case letters, digits and hyphens, at most 16 characters."
  }
}

variable "aws_region" {
  description = "AWS region of the environment, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region code such as eu-west-1."
  }
}

variable "aws_account_id" {
  description = "The only AWS account ID this environment may be applied to."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "network" {
  description = "VPC and subnets where models run and the registry is reachable; private DNS switch of the Lambda endpoint; route tables that get an S3 gateway endpoint for model artifacts (empty for none)."
  type = object({
    vpc_id                      = string
    subnet_ids                  = list(string)
    lambda_endpoint_private_dns = optional(bool, true)
    s3_gateway_route_table_ids  = optional(list(string), [])
  })

  validation {
    condition = (can(regex("^vpc-[0-9a-f]{8,17}$", var.network.vpc_id)) && length(var.network.subnet_ids) > 0
      && alltrue([for s in var.network.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    && alltrue([for t in var.network.s3_gateway_route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", t))]))
    error_message = "network needs a VPC ID, at least one subnet ID and route table IDs such as vpc-…, subnet-… and rtb-…."
  }
}

variable "registries" {
  description = "Private registries keyed by logical name: host, auth (none, basic or bearer), credentials secret and security group."
  type = map(object({
    host                    = string
    auth                    = string
    credentials_secret_arn  = optional(string)
    credentials_kms_key_arn = optional(string)
    security_group_id       = string
  }))

  validation {
    condition     = alltrue([for r in values(var.registries) : contains(["none", "basic", "bearer"], r.auth)])
    error_message = "Each registry's auth must be none, basic or bearer."
  }

  validation {
    condition     = alltrue([for r in values(var.registries) : r.auth == "none" || r.credentials_secret_arn != null])
    error_message = "A registry with auth basic or bearer needs credentials_secret_arn."
  }

  validation {
    condition     = alltrue([for r in values(var.registries) : length(r.host) <= 259 && can(regex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$", r.host))])
    error_message = "Each registry host must be a lower-case DNS name, optionally with :port."
  }

  validation {
    condition = alltrue([for r in values(var.registries) : (r.credentials_secret_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:secretsmanager:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$", r.credentials_secret_arn)))
    && (r.credentials_kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", r.credentials_kms_key_arn)))])
    error_message = "credentials_secret_arn must be one Secrets Manager secret ARN and credentials_kms_key_arn one KMS key ARN, without wildcards."
  }

  validation {
    condition     = alltrue([for r in values(var.registries) : can(regex("^sg-[0-9a-f]{8,17}$", r.security_group_id))])
    error_message = "Each registry's security_group_id must look like sg-0123456789abcdef0."
  }
}

variable "aws_max_retries" {
  description = "Maximum attempts of each AWS API call, or null for the provider's default (25); the local emulator harness sets 2."
  type        = number
  default     = null

  validation {
    condition     = var.aws_max_retries == null ? true : var.aws_max_retries >= 1
    error_message = "aws_max_retries must be at least 1 or null."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts endpoint storage, or null for the AWS-managed key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", var.kms_key_arn))
    error_message = "kms_key_arn must be one KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "s3" {
  description = "The environment's allow-lists: buckets for model artifacts (artifact_buckets) and data capture (capture_buckets), and KMS keys data capture may use besides kms_key_arn (capture_kms_key_arns); empty lists allow nothing."
  type = object({
    artifact_buckets     = optional(list(string), [])
    capture_buckets      = optional(list(string), [])
    capture_kms_key_arns = optional(list(string), [])
  })
  default = {}

  validation {
    condition     = alltrue([for b in concat(var.s3.artifact_buckets, var.s3.capture_buckets) : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "s3.artifact_buckets and s3.capture_buckets must be S3 bucket names such as example-artifacts; wildcards are not allowed."
  }

  validation {
    condition     = alltrue([for arn in var.s3.capture_kms_key_arns : can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", arn))])
    error_message = "s3.capture_kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>) without wildcards."
  }
}

variable "tags" {
  description = "Tags of the environment, added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 50 && alltrue([for k, v in var.tags : can(regex("^[A-Za-z0-9 _.:/=+@-]{1,128}$", k)) && can(regex("^[A-Za-z0-9 _.:/=+@-]{0,256}$", v)) && !startswith(lower(k), "aws:")])
    error_message = "At most 50 tags; keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @; no key starting with aws:."
  }
}
