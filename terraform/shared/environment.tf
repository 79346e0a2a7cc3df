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
}

variable "tags" {
  description = "Tags of the environment, added to every resource."
  type        = map(string)
  default     = {}
}
