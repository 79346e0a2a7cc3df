variable "name" {
  description = "Name of the SageMaker execution role, e.g. sagemaker-gitops-prod-execution."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name must be a valid IAM role name (1-64 characters of letters, digits and +=,.@_-)."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the models run in; network-interface permissions are limited to it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets the models run in; the role may create network interfaces in these only."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be a non-empty list of subnet IDs such as subnet-0123456789abcdef0."
  }
}

variable "credentials_lambda_arns" {
  description = "Registry-credentials Lambda ARNs keyed by registry name; the role gets lambda:InvokeFunction on exactly these, never a wildcard."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.credentials_lambda_arns) : can(regex("^arn:aws(?:-[a-z]+){0,2}:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", arn))])
    error_message = "credentials_lambda_arns must hold unqualified Lambda function ARNs such as arn:aws:lambda:eu-west-1:111122223333:function:name; wildcards are not allowed."
  }
}

variable "model_artifact_s3_arns" {
  description = "S3 object ARNs, or prefixes ending in /*, that the role may read model artifacts from (s3:GetObject)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.model_artifact_s3_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*]+\\*?$", arn))])
    error_message = "model_artifact_s3_arns must be S3 object ARNs such as arn:aws:s3:::bucket/models/model.tar.gz or arn:aws:s3:::bucket/models/*; a wildcard may only end a non-empty prefix."
  }
}

variable "kms_key_arns" {
  description = "KMS key ARNs the role may decrypt model artifacts with (kms:Decrypt)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", arn))])
    error_message = "kms_key_arns must be KMS key ARNs such as arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "data_capture_s3_arns" {
  description = "S3 prefixes, as object ARNs ending in /*, that endpoints with data capture write captured requests and responses to (s3:PutObject)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.data_capture_s3_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*\\*$", arn))])
    error_message = "data_capture_s3_arns must be S3 prefixes such as arn:aws:s3:::bucket/capture/fraud-scorer/*, ending in /*."
  }
}

variable "data_capture_kms_key_arns" {
  description = "KMS key ARNs that captured data is encrypted with (kms:Encrypt and kms:GenerateDataKey for SSE-KMS writes)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.data_capture_kms_key_arns : can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", arn))])
    error_message = "data_capture_kms_key_arns must be KMS key ARNs such as arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "allowed_artifact_buckets" {
  description = "Buckets the environment allows model artifacts in; every model_artifact_s3_arns entry must be in one of them, otherwise the plan fails."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.allowed_artifact_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "allowed_artifact_buckets must be S3 bucket names such as example-artifacts; wildcards are not allowed."
  }
}

variable "allowed_capture_buckets" {
  description = "Buckets the environment allows data capture in; every data_capture_s3_arns entry must be in one of them, otherwise the plan fails."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.allowed_capture_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "allowed_capture_buckets must be S3 bucket names such as example-capture; wildcards are not allowed."
  }
}

variable "allowed_kms_key_arns" {
  description = "KMS keys the environment allows; every kms_key_arns and data_capture_kms_key_arns entry must be one of them, otherwise the plan fails."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.allowed_kms_key_arns : can(regex("^arn:aws(?:-[a-z]+){0,2}:kms:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$", arn))])
    error_message = "allowed_kms_key_arns must be KMS key ARNs such as arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
