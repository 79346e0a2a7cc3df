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
    condition     = alltrue([for e in values(var.endpoints) : can(regex("@sha256:[0-9a-f]{64}$", e.image))])
    error_message = "Every endpoint image must be pinned by digest."
  }
}

variable "credentials_lambda_package" {
  description = "Path of the registry-credentials Lambda zip, built by `python -m generator package-lambda`."
  type        = string
  default     = "../build/lambda/registry_credentials.zip"
}
