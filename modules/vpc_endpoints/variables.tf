variable "name" {
  description = "Name prefix for the endpoint's security group and tags, e.g. sagemaker-gitops-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,54}$", var.name))
    error_message = "name must be 1-55 letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "vpc_id" {
  description = "ID of the VPC in which SageMaker models run and the registry is reachable."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets that get an endpoint network interface; use one per availability zone the models use."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be a non-empty list of subnet IDs."
  }
}

variable "private_dns_enabled" {
  description = "Whether the Lambda interface endpoint answers lambda.<region>.amazonaws.com itself (true) or a private Route 53 zone maps the name to it (false)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
