variable "name" {
  description = "Endpoint name (the catalog entry's name); model and configuration names add a content hash."
  type        = string

  validation {
    condition     = length(var.name) <= 48 && can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must match SageMaker's name pattern and be at most 48 characters."
  }
}

variable "image" {
  description = "Container image pinned by digest: <registry-host>/<repository>@sha256:<64 lowercase hex>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest (…@sha256:<64 lowercase hex>); tags such as :latest can change silently."
  }
}

variable "execution_role_arn" {
  description = "ARN of the SageMaker execution role (allowed to invoke the credentials Lambda)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(?:-[a-z]+){0,2}:iam::[0-9]{12}:role/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "registry_auth" {
  description = "How the registry authenticates pulls: none, basic or bearer (the latter two need credentials_lambda_arn)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "basic", "bearer"], var.registry_auth)
    error_message = "registry_auth must be none, basic or bearer."
  }
}

variable "credentials_lambda_arn" {
  description = "ARN of the Lambda that returns the registry login, or null when the registry needs no authentication."
  type        = string
  default     = null

  validation {
    condition     = var.credentials_lambda_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", var.credentials_lambda_arn))
    error_message = "credentials_lambda_arn must be an unqualified Lambda function ARN or null."
  }
}

variable "subnet_ids" {
  description = "Subnets the model containers run in."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be a non-empty list of subnet IDs."
  }
}

variable "security_group_ids" {
  description = "Security groups of the model containers: the registry-clients group of the endpoint's group (modules/registry_clients), which the registry and the Lambda endpoint admit."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) > 0 && length(var.security_group_ids) <= 5 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "security_group_ids must list one to five security group IDs."
  }
}

variable "variants" {
  description = "Production variants keyed by variant name: instance type (ml.*), initial instance count (>= 1), relative weight and optional target-tracking autoscaling on invocations per instance."
  type = map(object({
    instance_type          = string
    initial_instance_count = number
    initial_variant_weight = optional(number, 1)
    autoscaling = optional(object({
      min_capacity                    = number
      max_capacity                    = number
      target_invocations_per_instance = number
      scale_in_cooldown_seconds       = optional(number, 300)
      scale_out_cooldown_seconds      = optional(number, 60)
    }))
  }))

  validation {
    condition     = length(var.variants) >= 1 && length(var.variants) <= 10
    error_message = "variants must hold 1 to 10 production variants."
  }

  validation {
    condition     = alltrue([for v in values(var.variants) : can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", v.instance_type))])
    error_message = "Each variant's instance_type must be a SageMaker ML instance type such as ml.m5.large."
  }

  validation {
    condition     = alltrue([for v in values(var.variants) : v.initial_instance_count >= 1 && floor(v.initial_instance_count) == v.initial_instance_count])
    error_message = "Each variant's initial_instance_count must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for name in keys(var.variants) : can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", name))])
    error_message = "Variant names must match SageMaker's name pattern (letters, digits and hyphens)."
  }

  validation {
    condition = alltrue([for v in values(var.variants) : v.autoscaling == null ? true : try(
      v.autoscaling.min_capacity >= 1 && v.autoscaling.min_capacity <= v.autoscaling.max_capacity && v.autoscaling.target_invocations_per_instance > 0,
    false)])
    error_message = "Each variant's autoscaling needs 1 <= min_capacity <= max_capacity and target_invocations_per_instance > 0."
  }
}

variable "container_environment" {
  description = "Environment variables of the model container (no secrets: they are visible in the model description)."
  type        = map(string)
  default     = {}
}

variable "model_data_url" {
  description = "S3 URL of model artifacts (model.tar.gz), or null when the image carries the model."
  type        = string
  default     = null

  validation {
    condition     = var.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.'()/=+-]+$", var.model_data_url))
    error_message = "model_data_url must be an s3://<bucket>/<key> URL of safe characters (no wildcard) or null."
  }
}

variable "enable_network_isolation" {
  description = "Whether the container runs without network access (the image pull itself still uses the VPC)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key ARN that encrypts the endpoint's ML storage volumes, or null for the AWS-managed key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}

variable "data_capture" {
  description = "Data capture of requests and/or responses to S3 (destination, sampling percentage 1-100, capture modes Input/Output, optional KMS key and content types), or null for none."
  type = object({
    destination_s3_uri  = string
    sampling_percentage = optional(number, 100)
    capture_modes       = optional(list(string), ["Input", "Output"])
    kms_key_arn         = optional(string)
    json_content_types  = optional(list(string), [])
    csv_content_types   = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.data_capture == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[A-Za-z0-9!_.'()/=+-]*)?$", var.data_capture.destination_s3_uri))
    error_message = "data_capture.destination_s3_uri must be an s3:// URL."
  }

  validation {
    condition     = var.data_capture == null || try(var.data_capture.sampling_percentage >= 1 && var.data_capture.sampling_percentage <= 100 && floor(var.data_capture.sampling_percentage) == var.data_capture.sampling_percentage, false)
    error_message = "data_capture.sampling_percentage must be a whole number from 1 to 100."
  }

  validation {
    condition     = var.data_capture == null || try(length(var.data_capture.capture_modes) >= 1 && length(setsubtract(var.data_capture.capture_modes, ["Input", "Output"])) == 0, false)
    error_message = "data_capture.capture_modes must list Input, Output or both."
  }
}

variable "deployment" {
  description = "Blue/green deployment guardrails for configuration changes: traffic_routing ALL_AT_ONCE, CANARY or LINEAR (step_percent of capacity per step), wait between steps, termination wait, maximum execution timeout and auto-rollback alarms; null for SageMaker's default."
  type = object({
    traffic_routing                   = optional(string, "ALL_AT_ONCE")
    step_percent                      = optional(number)
    wait_interval_seconds             = optional(number, 0)
    termination_wait_seconds          = optional(number, 0)
    maximum_execution_timeout_seconds = optional(number)
    rollback_alarm_names              = optional(list(string), [])
    rollback_on_5xx_errors_per_minute = optional(number)
  })
  default = null

  validation {
    condition     = var.deployment == null || try(contains(["ALL_AT_ONCE", "CANARY", "LINEAR"], var.deployment.traffic_routing), false)
    error_message = "deployment.traffic_routing must be ALL_AT_ONCE, CANARY or LINEAR."
  }

  validation {
    condition = var.deployment == null || try(
      var.deployment.traffic_routing == "ALL_AT_ONCE" ? var.deployment.step_percent == null : (var.deployment.step_percent >= 1 && var.deployment.step_percent <= 99),
    false)
    error_message = "deployment.step_percent (1-99) is required for CANARY and LINEAR and not allowed for ALL_AT_ONCE."
  }

  validation {
    condition = var.deployment == null || try(
      var.deployment.wait_interval_seconds >= 0 && var.deployment.wait_interval_seconds <= 3600 &&
      var.deployment.termination_wait_seconds >= 0 && var.deployment.termination_wait_seconds <= 3600 &&
      (var.deployment.maximum_execution_timeout_seconds == null ? true : (var.deployment.maximum_execution_timeout_seconds >= 600 && var.deployment.maximum_execution_timeout_seconds <= 14400)),
    false)
    error_message = "deployment waits must be 0-3600 seconds and maximum_execution_timeout_seconds 600-14400."
  }

  validation {
    condition     = var.deployment == null || try(length(var.deployment.rollback_alarm_names) <= 9 && (var.deployment.rollback_on_5xx_errors_per_minute == null ? true : var.deployment.rollback_on_5xx_errors_per_minute >= 0), false)
    error_message = "deployment allows at most 9 rollback_alarm_names (SageMaker takes 10, one is the module's own) and a threshold >= 0."
  }
}

variable "await_endpoint_update" {
  description = "Whether each apply waits, after a configuration change, until the endpoint is InService on the new configuration before the previous one may be deleted (needs python3 with boto3 where Terraform runs); true except in offline module tests."
  type        = bool
  default     = true
}
