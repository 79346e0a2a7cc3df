# Values come from the generated environments/<env>/groups/<group>.tfvars.json; edit the catalog
# (catalog/<group>/*.yaml) instead.

variable "group" {
  description = "Endpoint group of this state: the folder under catalog/ (default for files directly in catalog/)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.group)) && var.group != "base"
    error_message = "group must be lower-case letters, digits and hyphens, at most 20 characters, and not base."
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

  # The settings below are checked here, once for the whole map, and not by
  # modules/sagemaker_endpoint's variables: a validation there runs once per endpoint as a graph
  # node of its own, and 20 of them per endpoint cost a plan of 200 endpoints about 7% (make bench).
  validation {
    condition = alltrue(flatten([for e in values(var.endpoints) : [for v in values(e.variants) :
      v.initial_instance_count >= 1 && floor(v.initial_instance_count) == v.initial_instance_count
      && (v.autoscaling == null ? true : try(v.autoscaling.min_capacity >= 1 && v.autoscaling.min_capacity <= v.autoscaling.max_capacity && v.autoscaling.target_invocations_per_instance > 0, false))
    ]]))
    error_message = "Each variant's initial_instance_count must be a whole number >= 1, and its autoscaling needs 1 <= min_capacity <= max_capacity and target_invocations_per_instance > 0."
  }

  validation {
    condition = alltrue([for e in values(var.endpoints) : e.data_capture == null || try(
      e.data_capture.sampling_percentage >= 1 && e.data_capture.sampling_percentage <= 100 && floor(e.data_capture.sampling_percentage) == e.data_capture.sampling_percentage
      && length(e.data_capture.capture_modes) >= 1 && length(setsubtract(e.data_capture.capture_modes, ["Input", "Output"])) == 0,
    false)])
    error_message = "data_capture.sampling_percentage must be a whole number from 1 to 100, and capture_modes must list Input, Output or both."
  }

  validation {
    condition = alltrue([for e in values(var.endpoints) : e.deployment == null || try(
      contains(["ALL_AT_ONCE", "CANARY", "LINEAR"], e.deployment.traffic_routing)
      && (e.deployment.traffic_routing == "ALL_AT_ONCE" ? e.deployment.step_percent == null : (e.deployment.step_percent >= 1 && e.deployment.step_percent <= 99)),
    false)])
    error_message = "deployment.traffic_routing must be ALL_AT_ONCE, CANARY or LINEAR; step_percent (1-99) is required for CANARY and LINEAR and not allowed for ALL_AT_ONCE."
  }

  validation {
    condition = alltrue([for e in values(var.endpoints) : e.deployment == null || try(
      e.deployment.wait_interval_seconds >= 0 && e.deployment.wait_interval_seconds <= 3600
      && e.deployment.termination_wait_seconds >= 0 && e.deployment.termination_wait_seconds <= 3600
      && (e.deployment.maximum_execution_timeout_seconds == null ? true : (e.deployment.maximum_execution_timeout_seconds >= 600 && e.deployment.maximum_execution_timeout_seconds <= 14400))
      && length(e.deployment.rollback_alarm_names) <= 9
      && (e.deployment.rollback_on_5xx_errors_per_minute == null ? true : e.deployment.rollback_on_5xx_errors_per_minute >= 0),
    false)])
    error_message = "deployment waits must be 0-3600 seconds, maximum_execution_timeout_seconds 600-14400, rollback_alarm_names at most 9 (SageMaker takes 10, one is the module's own) and rollback_on_5xx_errors_per_minute >= 0."
  }
}
