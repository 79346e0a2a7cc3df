variable "environment" {
  description = "Environment name (the folder under environments/), e.g. prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be lower-case letters, digits and hyphens, at most 16 characters."
  }
}

variable "group" {
  description = "Endpoint group (the folder under catalog/), or null for the base state."
  type        = string
  default     = null

  validation {
    condition     = var.group == null || can(regex("^[a-z][a-z0-9-]{0,19}$", var.group))
    error_message = "group must be lower-case letters, digits and hyphens, at most 20 characters."
  }
}

variable "partition" {
  description = "AWS partition, e.g. aws or aws-us-gov."
  type        = string
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "account_id" {
  description = "AWS account ID of the environment (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "registry_auth" {
  description = "Registry logical name => auth mode (none, basic or bearer); the registries that need a login get a credentials Lambda."
  type        = map(string)
  default     = {}
}
