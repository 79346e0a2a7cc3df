# The project's checks in plan mode (tests/test_policies.py): values come from variables, so
# only the plan shows them resolved, and some policy documents are read only at apply time.
# Planned offline: nothing here calls AWS at plan time.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "eu-west-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variable "ecr_image" {
  description = "An image on ECR."
  type        = string
  default     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
}

variable "tagged_image" {
  description = "An image on a private registry, referenced by tag."
  type        = string
  default     = "registry.example.com/ml/scorer:1.4.2"
}

variable "private_image" {
  description = "An image on a private registry, pinned by digest."
  type        = string
  default     = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
}

variable "storage_kms_key_arn" {
  description = "The environment's key for endpoint storage."
  type        = string
  default     = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000001"
}

variable "kms_key_arn" {
  description = "No key: the module default this test environment forgot to override."
  type        = string
  default     = null
}

variable "function_arns" {
  description = "Credentials Lambdas the execution role may invoke."
  type        = list(string)
  default     = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
}

variable "any_function" {
  description = "A wildcard that only the plan shows."
  type        = string
  default     = "arn:aws:lambda:eu-west-1:123456789012:function:*"
}

variable "secret_arn" {
  description = "The registry secret of the credentials Lambda."
  type        = string
  default     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"
}

variable "private_dns" {
  description = "Private DNS of the Lambda endpoints: off, so a Route 53 record must map the name."
  type        = bool
  default     = false
}

resource "aws_sagemaker_model" "ecr_image" {
  name               = "ecr-image"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = var.ecr_image
  }
}

resource "aws_sagemaker_model" "tagged_private_image" {
  name               = "tagged-private-image"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = var.tagged_image

    image_config {
      repository_access_mode = "Vpc"
    }
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_sagemaker_model" "private_image_platform_access" {
  name               = "private-image-platform-access"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = var.private_image
  }
}

resource "aws_sagemaker_endpoint_configuration" "environment_kms_key" {
  name        = "environment-kms-key"
  kms_key_arn = var.storage_kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.ecr_image.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
}

resource "aws_sagemaker_endpoint_configuration" "variable_kms_key" {
  name        = "variable-kms-key"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.ecr_image.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
}

resource "aws_iam_policy" "invoke_listed_functions" {
  name = "invoke-listed-functions"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = var.function_arns }]
  })
}

resource "aws_iam_policy" "invoke_variable_wildcard" {
  name = "invoke-variable-wildcard"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = var.any_function }]
  })
}

resource "aws_iam_policy" "read_variable_secret" {
  name = "read-variable-secret"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = var.secret_arn }]
  })
}

resource "aws_iam_policy" "read_secret_prefix" {
  name = "read-secret-prefix"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "${split("-", var.secret_arn)[0]}*" }]
  })
}

# Documents over ARNs known only after apply are read at apply time: plan mode still sees them.
resource "aws_iam_role" "creds" {
  name = "registry-creds"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "creds" {
  function_name = "registry-creds"
  role          = aws_iam_role.creds.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  s3_bucket     = "artifacts-example"
  s3_key        = "registry-creds.zip"
}

resource "aws_secretsmanager_secret" "registry" {
  name = "registry/platform"
}

data "aws_iam_policy_document" "invoke_planned_function" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.creds.arn]
  }
}

data "aws_iam_policy_document" "invoke_planned_and_any_function" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.creds.arn, var.any_function]
  }
}

data "aws_iam_policy_document" "read_planned_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.registry.arn]
  }
}

data "aws_iam_policy_document" "read_planned_and_another_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.registry.arn, var.secret_arn]
  }
}

resource "aws_vpc_endpoint" "lambda_mapped_by_route53" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}

resource "aws_route53_record" "lambda" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "lambda.eu-west-1.amazonaws.com"
  type    = "A"

  alias {
    name                   = aws_vpc_endpoint.lambda_mapped_by_route53.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.lambda_mapped_by_route53.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_vpc_endpoint" "lambda_unmapped" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}
