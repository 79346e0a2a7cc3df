variable "name" {
  description = "Name of the credentials Lambda function and its role, e.g. sagemaker-gitops-prod-platform-creds."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,59}$", var.name))
    error_message = "name must be 1-59 letters, digits, hyphens or underscores (the role adds the suffix -role)."
  }
}

variable "secret_arn" {
  description = "ARN of the Secrets Manager secret holding the registry login as {\"username\": ..., \"password\": ...}; the function may read this secret only."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(?:-[a-z]+){0,2}:secretsmanager:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$", var.secret_arn))
    error_message = "secret_arn must be the full ARN of one Secrets Manager secret, without wildcards."
  }
}

variable "secret_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the secret, or null for the AWS-managed key."
  type        = string
  default     = null

  validation {
    condition     = var.secret_kms_key_arn == null || can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be a KMS key ARN (not an alias) or null."
  }
}

variable "package_path" {
  description = "Path of the function's zip, built reproducibly by `python -m generator package-lambda`."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must point at a .zip file."
  }
}

variable "timeout" {
  description = "Seconds the function may run; SageMaker waits for the credentials before each image pull."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 60 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 60."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB, between 128 and 10240."
  type        = number
  default     = 128

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "log_retention_days" {
  description = "Days to keep the function's logs; one of the CloudWatch Logs retention values (1, 3, 5, 7, 14, 30, ... 3653)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value such as 30 or 365."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function, 1-1000; -1 leaves it unreserved."
  type        = number
  default     = 5

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && var.reserved_concurrency <= 1000 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "reserved_concurrency must be -1 or a whole number between 1 and 1000."
  }
}

variable "vpc_config" {
  description = "Subnets and security groups to place the function in a VPC (it then needs a route to Secrets Manager), or null to run it outside any VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc_config == null || try(length(var.vpc_config.subnet_ids) > 0 && alltrue([for s in var.vpc_config.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))]), false)
    error_message = "vpc_config.subnet_ids must be a non-empty list of subnet IDs such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = var.vpc_config == null || try(length(var.vpc_config.security_group_ids) > 0 && alltrue([for s in var.vpc_config.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))]), false)
    error_message = "vpc_config.security_group_ids must be a non-empty list of security group IDs such as sg-0123456789abcdef0."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
