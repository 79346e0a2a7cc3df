# Typed, and validated by the caller: terraform/group validates the whole map of endpoints once
# per state (and the generator the catalog before that). A validation block here would run once
# per endpoint as a graph node of its own; with 20 of them a plan of 200 endpoints took about 7%
# longer (make bench), for checks of values the caller had already checked.

variable "name" {
  description = "Endpoint name (the catalog entry's name); model and configuration names add a content hash."
  type        = string
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
}

variable "await_endpoint_update" {
  description = "Whether each apply waits, after a configuration change, until the endpoint is InService on the new configuration before the previous one may be deleted (needs python3 with boto3 where Terraform runs); true except in offline module tests."
  type        = bool
  default     = true
}
