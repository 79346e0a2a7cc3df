# Values come from the generated environments/<env>/environment.tfvars.json and
# environments/<env>/endpoints.tfvars.json; edit environment.yaml and catalog/ instead.

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

variable "tags" {
  description = "Tags of the environment, added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 50 && alltrue([for k, v in var.tags : can(regex("^[A-Za-z0-9 _.:/=+@-]{1,128}$", k)) && can(regex("^[A-Za-z0-9 _.:/=+@-]{0,256}$", v)) && !startswith(lower(k), "aws:")])
    error_message = "At most 50 tags; keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @; no key starting with aws:."
  }
}

variable "endpoints" {
  description = "Endpoints of this environment keyed by name, fully resolved by the generator."
  type = map(object({
    image    = string
    registry = string
    variants = map(object({
      instance_type          = string
      initial_instance_count = number
      initial_variant_weight = number
      autoscaling = optional(object({
        min_capacity                    = number
        max_capacity                    = number
        target_invocations_per_instance = number
        scale_in_cooldown_seconds       = number
        scale_out_cooldown_seconds      = number
      }))
    }))
    container_environment    = map(string)
    model_data_url           = optional(string)
    enable_network_isolation = bool
    tags                     = map(string)
    data_capture = optional(object({
      destination_s3_uri  = string
      sampling_percentage = number
      capture_modes       = list(string)
      kms_key_arn         = optional(string)
      json_content_types  = list(string)
      csv_content_types   = list(string)
    }))
    deployment = optional(object({
      traffic_routing                   = string
      step_percent                      = optional(number)
      wait_interval_seconds             = number
      termination_wait_seconds          = number
      maximum_execution_timeout_seconds = optional(number)
      rollback_alarm_names              = list(string)
      rollback_on_5xx_errors_per_minute = optional(number)
    }))
  }))

  validation {
    condition     = alltrue([for name in keys(var.endpoints) : length(name) <= 48 && can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", name))])
    error_message = "Endpoint names must match SageMaker's name pattern and be at most 48 characters."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : can(regex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*@sha256:[0-9a-f]{64}$", e.image))])
    error_message = "Every endpoint image must be pinned by digest: <registry-host>/<repository>@sha256:<64 lowercase hex>."
  }

  validation {
    condition     = alltrue(flatten([for e in values(var.endpoints) : [for name, v in e.variants : can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", name)) && can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", v.instance_type))]]))
    error_message = "Variant names must match SageMaker's name pattern and instance types look like ml.m5.large."
  }

  validation {
    condition = alltrue([for e in values(var.endpoints) : (e.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.'()/=+-]+$", e.model_data_url)))
      && (e.data_capture == null || try(can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[A-Za-z0-9!_.'()/=+-]*)?$", e.data_capture.destination_s3_uri)), false))
    && (e.data_capture == null || try(e.data_capture.kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", e.data_capture.kms_key_arn)), false))])
    error_message = "model_data_url must be s3://<bucket>/<key> and data_capture.destination_s3_uri s3://<bucket>[/<prefix>] of safe characters (no wildcard); data_capture.kms_key_arn one KMS key ARN."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : length(e.tags) <= 50 && alltrue([for k, v in e.tags : can(regex("^[A-Za-z0-9 _.:/=+@-]{1,128}$", k)) && can(regex("^[A-Za-z0-9 _.:/=+@-]{0,256}$", v)) && !startswith(lower(k), "aws:")])])
    error_message = "At most 50 tags per endpoint; keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @; no key starting with aws:."
  }
}

variable "credentials_lambda_package" {
  description = "Path of the registry-credentials Lambda zip, built by `python -m generator package-lambda`."
  type        = string
  default     = "../build/lambda/registry_credentials.zip"
}
