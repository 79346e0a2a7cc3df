variable "name" {
  description = "Name of the SageMaker execution role, e.g. sagemaker-gitops-prod-execution."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name must be a valid IAM role name (1-64 characters of letters, digits and +=,.@_-)."
  }
}

variable "credentials_lambda_arns" {
  description = "Registry-credentials Lambda ARNs the role may invoke, keyed by registry name; the role gets lambda:InvokeFunction on exactly these."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.credentials_lambda_arns) : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+$", arn))])
    error_message = "credentials_lambda_arns must hold unqualified Lambda function ARNs; wildcards are not allowed."
  }
}

variable "model_artifact_s3_arns" {
  description = "S3 object ARNs (or prefixes ending in /*) the role may read model artifacts from."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.model_artifact_s3_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", arn))])
    error_message = "model_artifact_s3_arns must be S3 object ARNs such as arn:aws:s3:::bucket/prefix/*."
  }
}

variable "kms_key_arns" {
  description = "KMS key ARNs the role may use to decrypt model artifacts and endpoint storage."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", arn))])
    error_message = "kms_key_arns must be KMS key ARNs."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
