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
    condition     = alltrue([for e in values(var.endpoints) : can(regex("@sha256:[0-9a-f]{64}$", e.image))])
    error_message = "Every endpoint image must be pinned by digest."
  }
}
