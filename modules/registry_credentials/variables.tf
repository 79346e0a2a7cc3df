variable "name" {
  description = "Name of the credentials Lambda function and its role, e.g. sagemaker-gitops-prod-platform-creds."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,56}$", var.name))
    error_message = "name must be 1-56 letters, digits, hyphens or underscores (room for the role suffix)."
  }
}

variable "secret_arn" {
  description = "ARN of the Secrets Manager secret holding the registry login as {\"username\": ..., \"password\": ...}."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.secret_arn))
    error_message = "secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "secret_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the secret, or null for the AWS-managed key."
  type        = string
  default     = null

  validation {
    condition     = var.secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "package_path" {
  description = "Path of the function's zip, built reproducibly by `python -m generator package-lambda`."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep the function's logs; one of the CloudWatch Logs retention values."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value such as 30 or 365."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function; -1 leaves it unreserved."
  type        = number
  default     = 5

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && var.reserved_concurrency <= 1000)
    error_message = "reserved_concurrency must be -1 or between 1 and 1000."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
