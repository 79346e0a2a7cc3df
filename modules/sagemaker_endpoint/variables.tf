variable "name" {
  description = "Endpoint name (the catalog entry's name); model and configuration names add a content hash."
  type        = string

  validation {
    condition     = length(var.name) <= 48 && can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must match SageMaker's name pattern and be at most 48 characters."
  }
}

variable "endpoint" {
  description = "What the catalog says about the endpoint: image (pinned by digest, <registry-host>/<repository>@sha256:<64 lowercase hex>), production variants keyed by name (instance type, initial count >= 1, relative weight, optional target-tracking autoscaling), container environment (no secrets: it is visible in the model description), model_data_url (s3:// of model.tar.gz, or null when the image carries the model), network isolation, tags for every resource, data capture to S3 (or null) and blue/green deployment guardrails (or null for SageMaker's default)."
  type = object({
    image = string
    variants = map(object({
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
    container_environment    = optional(map(string), {})
    model_data_url           = optional(string)
    enable_network_isolation = optional(bool, false)
    tags                     = optional(map(string), {})
    data_capture = optional(object({
      destination_s3_uri  = string
      sampling_percentage = optional(number, 100)
      capture_modes       = optional(list(string), ["Input", "Output"])
      kms_key_arn         = optional(string)
      json_content_types  = optional(list(string), [])
      csv_content_types   = optional(list(string), [])
    }))
    deployment = optional(object({
      traffic_routing                   = optional(string, "ALL_AT_ONCE")
      step_percent                      = optional(number)
      wait_interval_seconds             = optional(number, 0)
      termination_wait_seconds          = optional(number, 0)
      maximum_execution_timeout_seconds = optional(number)
      rollback_alarm_names              = optional(list(string), [])
      rollback_on_5xx_errors_per_minute = optional(number)
    }))
  })

  validation {
    condition     = can(regex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*@sha256:[0-9a-f]{64}$", var.endpoint.image))
    error_message = "endpoint.image must be pinned by digest (…@sha256:<64 lowercase hex>); tags such as :latest can change silently."
  }

  validation {
    condition     = length(var.endpoint.variants) >= 1 && length(var.endpoint.variants) <= 10
    error_message = "endpoint.variants must hold 1 to 10 production variants."
  }

  validation {
    condition     = alltrue([for v in values(var.endpoint.variants) : can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", v.instance_type))])
    error_message = "Each variant's instance_type must be a SageMaker ML instance type such as ml.m5.large."
  }

  validation {
    condition     = alltrue([for v in values(var.endpoint.variants) : v.initial_instance_count >= 1 && floor(v.initial_instance_count) == v.initial_instance_count])
    error_message = "Each variant's initial_instance_count must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for name in keys(var.endpoint.variants) : can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", name))])
    error_message = "Variant names must match SageMaker's name pattern (letters, digits and hyphens)."
  }

  validation {
    condition = alltrue([for v in values(var.endpoint.variants) : v.autoscaling == null ? true : try(
      v.autoscaling.min_capacity >= 1 && v.autoscaling.min_capacity <= v.autoscaling.max_capacity && v.autoscaling.target_invocations_per_instance > 0,
    false)])
    error_message = "Each variant's autoscaling needs 1 <= min_capacity <= max_capacity and target_invocations_per_instance > 0."
  }

  validation {
    condition     = var.endpoint.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.'()/=+-]+$", var.endpoint.model_data_url))
    error_message = "endpoint.model_data_url must be an s3://<bucket>/<key> URL of safe characters (no wildcard) or null."
  }

  validation {
    condition     = var.endpoint.data_capture == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[A-Za-z0-9!_.'()/=+-]*)?$", var.endpoint.data_capture.destination_s3_uri))
    error_message = "endpoint.data_capture.destination_s3_uri must be an s3:// URL."
  }

  validation {
    condition     = var.endpoint.data_capture == null || try(var.endpoint.data_capture.sampling_percentage >= 1 && var.endpoint.data_capture.sampling_percentage <= 100 && floor(var.endpoint.data_capture.sampling_percentage) == var.endpoint.data_capture.sampling_percentage, false)
    error_message = "endpoint.data_capture.sampling_percentage must be a whole number from 1 to 100."
  }

  validation {
    condition     = var.endpoint.data_capture == null || try(length(var.endpoint.data_capture.capture_modes) >= 1 && length(setsubtract(var.endpoint.data_capture.capture_modes, ["Input", "Output"])) == 0, false)
    error_message = "endpoint.data_capture.capture_modes must list Input, Output or both."
  }

  validation {
    condition     = var.endpoint.deployment == null || try(contains(["ALL_AT_ONCE", "CANARY", "LINEAR"], var.endpoint.deployment.traffic_routing), false)
    error_message = "endpoint.deployment.traffic_routing must be ALL_AT_ONCE, CANARY or LINEAR."
  }

  validation {
    condition = var.endpoint.deployment == null || try(
      var.endpoint.deployment.traffic_routing == "ALL_AT_ONCE" ? var.endpoint.deployment.step_percent == null : (var.endpoint.deployment.step_percent >= 1 && var.endpoint.deployment.step_percent <= 99),
    false)
    error_message = "endpoint.deployment.step_percent (1-99) is required for CANARY and LINEAR and not allowed for ALL_AT_ONCE."
  }

  validation {
    condition = var.endpoint.deployment == null || try(
      var.endpoint.deployment.wait_interval_seconds >= 0 && var.endpoint.deployment.wait_interval_seconds <= 3600 &&
      var.endpoint.deployment.termination_wait_seconds >= 0 && var.endpoint.deployment.termination_wait_seconds <= 3600 &&
      (var.endpoint.deployment.maximum_execution_timeout_seconds == null ? true : (var.endpoint.deployment.maximum_execution_timeout_seconds >= 600 && var.endpoint.deployment.maximum_execution_timeout_seconds <= 14400)),
    false)
    error_message = "endpoint.deployment waits must be 0-3600 seconds and maximum_execution_timeout_seconds 600-14400."
  }

  validation {
    condition     = var.endpoint.deployment == null || try(length(var.endpoint.deployment.rollback_alarm_names) <= 9 && (var.endpoint.deployment.rollback_on_5xx_errors_per_minute == null ? true : var.endpoint.deployment.rollback_on_5xx_errors_per_minute >= 0), false)
    error_message = "endpoint.deployment allows at most 9 rollback_alarm_names (SageMaker takes 10, one is the module's own) and a threshold >= 0."
  }
}

variable "runtime" {
  description = "What the endpoint runs with, the same for every endpoint of a group that pulls from the same registry: the execution role ARN (allowed to invoke the credentials Lambda), how the registry authenticates pulls (none, basic or bearer; the latter two need credentials_lambda_arn, the Lambda that returns the login), the subnets, the one to five security groups the model joins (the group's registry-clients group, modules/registry_clients, which the registry and the Lambda endpoint admit) and the KMS key of the ML storage volumes (null for the AWS-managed key)."
  type = object({
    execution_role_arn     = string
    registry_auth          = optional(string, "none")
    credentials_lambda_arn = optional(string)
    subnet_ids             = list(string)
    security_group_ids     = list(string)
    kms_key_arn            = optional(string)
  })

  validation {
    condition     = can(regex("^arn:aws(?:-[a-z]+){0,2}:iam::[0-9]{12}:role/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$", var.runtime.execution_role_arn))
    error_message = "runtime.execution_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = contains(["none", "basic", "bearer"], var.runtime.registry_auth)
    error_message = "runtime.registry_auth must be none, basic or bearer."
  }

  validation {
    condition     = var.runtime.credentials_lambda_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", var.runtime.credentials_lambda_arn))
    error_message = "runtime.credentials_lambda_arn must be an unqualified Lambda function ARN or null."
  }

  validation {
    condition     = length(var.runtime.subnet_ids) > 0 && alltrue([for s in var.runtime.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "runtime.subnet_ids must be a non-empty list of subnet IDs."
  }

  validation {
    condition     = length(var.runtime.security_group_ids) > 0 && length(var.runtime.security_group_ids) <= 5 && alltrue([for s in var.runtime.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "runtime.security_group_ids must list one to five security group IDs."
  }

  validation {
    condition     = var.runtime.kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", var.runtime.kms_key_arn))
    error_message = "runtime.kms_key_arn must be a KMS key ARN or null."
  }
}

variable "await_endpoint_update" {
  description = "Whether each apply waits, after a configuration change, until the endpoint is InService on the new configuration before the previous one may be deleted (needs python3 with boto3 where Terraform runs); true except in offline module tests."
  type        = bool
  default     = true
}
