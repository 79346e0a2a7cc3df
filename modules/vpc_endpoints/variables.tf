variable "name" {
  description = "Name prefix of the endpoints' security group and Name tags, e.g. sagemaker-gitops-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,54}$", var.name))
    error_message = "name must be 1-55 letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "vpc_id" {
  description = "ID of the VPC in which the SageMaker models run, e.g. vpc-0123456789abcdef0."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets that get a Lambda endpoint network interface; one per availability zone the models use."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be a non-empty list of subnet IDs such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must not repeat a subnet."
  }
}

variable "private_dns_enabled" {
  description = "Whether the Lambda endpoint answers lambda.<region>.amazonaws.com itself (true) or a private Route 53 zone maps the name to it (false)."
  type        = bool
  default     = true
}

variable "allowed_security_group_ids" {
  description = "Further clients of the Lambda endpoint: security group IDs keyed by a stable name, each allowed HTTPS (443) in. Model security groups add their own rules and need no entry."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for id in values(var.allowed_security_group_ids) : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "allowed_security_group_ids must map names to security group IDs such as sg-0123456789abcdef0."
  }

  validation {
    condition     = alltrue([for key in keys(var.allowed_security_group_ids) : can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$", key))])
    error_message = "allowed_security_group_ids keys must be 1-63 letters, digits, hyphens or underscores."
  }
}

variable "lambda_endpoint_function_arns" {
  description = "Unqualified ARNs of the only Lambda functions that may be invoked through the Lambda endpoint (lambda:InvokeFunction, callers of this account); empty denies every call."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.lambda_endpoint_function_arns : can(regex("^arn:aws(?:-[a-z]+){0,2}:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", arn))])
    error_message = "lambda_endpoint_function_arns must hold unqualified Lambda function ARNs such as arn:aws:lambda:eu-west-1:111122223333:function:name; wildcards are not allowed."
  }
}

variable "create_s3_gateway_endpoint" {
  description = "Whether to create an S3 gateway endpoint so models read artifacts from S3 without a NAT; needs route_table_ids."
  type        = bool
  default     = false
}

variable "route_table_ids" {
  description = "Route tables of the model subnets that get the S3 gateway endpoint's route; used only with create_s3_gateway_endpoint."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", id))])
    error_message = "route_table_ids must be route table IDs such as rtb-0123456789abcdef0."
  }
}

variable "s3_gateway_read_buckets" {
  description = "Buckets whose objects may be read (s3:GetObject) through the S3 gateway endpoint by callers of this account: the model artifact buckets."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.s3_gateway_read_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "s3_gateway_read_buckets must be S3 bucket names such as example-artifacts; wildcards are not allowed."
  }
}

variable "s3_gateway_write_buckets" {
  description = "Buckets objects may be written to (s3:PutObject) through the S3 gateway endpoint by callers of this account: the data capture buckets."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.s3_gateway_write_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "s3_gateway_write_buckets must be S3 bucket names such as example-capture; wildcards are not allowed."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
