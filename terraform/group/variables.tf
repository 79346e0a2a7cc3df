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
}
