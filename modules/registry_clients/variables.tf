variable "name" {
  description = "Name of the security group and prefix of its rule descriptions, e.g. sagemaker-gitops-prod-fraud."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must be letters, digits and hyphens, at most 63 characters."
  }
}

variable "vpc_id" {
  description = "ID of the VPC of the models, the registries and the Lambda endpoint."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "registries" {
  description = "Registries the models pull from, keyed by logical name: the registry's security group (which gets one ingress rule from this group) and its HTTPS port."
  type = map(object({
    security_group_id = string
    port              = number
  }))

  validation {
    condition     = alltrue([for r in values(var.registries) : can(regex("^sg-[0-9a-f]{8,17}$", r.security_group_id)) && r.port >= 1 && r.port <= 65535])
    error_message = "Each registry needs a security group ID (sg-...) and a port between 1 and 65535."
  }
}

variable "reach_lambda_endpoint" {
  description = "Whether the models fetch registry credentials through the Lambda interface endpoint (true when one of their registries needs a login)."
  type        = bool
  default     = false
}

variable "lambda_endpoint_security_group_id" {
  description = "Security group of the Lambda interface endpoint (gets one ingress rule from this group); required when reach_lambda_endpoint is true."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_endpoint_security_group_id == null || can(regex("^sg-[0-9a-f]{8,17}$", var.lambda_endpoint_security_group_id))
    error_message = "lambda_endpoint_security_group_id must be a security group ID or null."
  }
}

variable "reach_s3" {
  description = "Whether the models download model artifacts from S3 through the gateway endpoint."
  type        = bool
  default     = false
}

variable "s3_prefix_list_id" {
  description = "Prefix list of S3 in the region (the gateway endpoint's); required when reach_s3 is true."
  type        = string
  default     = null

  validation {
    condition     = var.s3_prefix_list_id == null || can(regex("^pl-[0-9a-f]{8,17}$", var.s3_prefix_list_id))
    error_message = "s3_prefix_list_id must be a prefix list ID such as pl-6da54004, or null."
  }
}

variable "tags" {
  description = "Tags of the security group and its rules."
  type        = map(string)
  default     = {}
}
