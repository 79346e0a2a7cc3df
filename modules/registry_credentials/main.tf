locals {
  ec2_arn_prefix = "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  # The secret's own region: Secrets Manager is the only service allowed to use its key.
  secret_region = split(":", var.secret_arn)[3]

  # Policies are built with jsonencode rather than aws_iam_policy_document so that the documents
  # are plain Terraform data: `terraform test` with a mocked provider can then assert their exact
  # statements.
  trust_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LambdaAssumeRole"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "lambda.amazonaws.com" }
      },
    ]
  }

  secret_statements = [
    {
      Sid      = "ReadRegistrySecret"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [var.secret_arn]
    },
  ]

  kms_statements = var.secret_kms_key_arn == null ? [] : [
    {
      Sid      = "DecryptRegistrySecret"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [var.secret_kms_key_arn]
      # The key decrypts only what Secrets Manager hands back, not arbitrary ciphertext.
      Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${local.secret_region}.amazonaws.com" } }
    },
  ]

  log_statements = [
    {
      Sid    = "WriteOwnLogs"
      Effect = "Allow"
      Action = ["logs:CreateLogStream", "logs:PutLogEvents"]
      # Spelled out from the group's name (known at plan time) rather than its ARN attribute, so
      # reviewers and policy checks see the exact resource in the plan, not "known after apply".
      Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${aws_cloudwatch_log_group.this.name}:*"]
    },
  ]

  # What a function in a VPC needs to manage its network interfaces; as
  # AWSLambdaVPCAccessExecutionRole, but limited to the function's own subnets and groups
  # wherever EC2 supports resource-level permissions.
  vpc_statements = var.vpc_config == null ? [] : [
    {
      Sid    = "CreateNetworkInterfacesInFunctionSubnets"
      Effect = "Allow"
      Action = ["ec2:CreateNetworkInterface"]
      Resource = concat(
        [for id in sort(var.vpc_config.subnet_ids) : "${local.ec2_arn_prefix}:subnet/${id}"],
        [for id in sort(var.vpc_config.security_group_ids) : "${local.ec2_arn_prefix}:security-group/${id}"],
        ["${local.ec2_arn_prefix}:network-interface/*"],
      )
    },
    {
      Sid      = "ManageFunctionNetworkInterfaces"
      Effect   = "Allow"
      Action   = ["ec2:AssignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"]
      Resource = ["${local.ec2_arn_prefix}:network-interface/*"]
    },
    {
      # Describe calls have no resource-level permissions, so "*" is the only Resource IAM accepts.
      Sid      = "DescribeFunctionNetwork"
      Effect   = "Allow"
      Action   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
      Resource = ["*"]
    },
  ]

  policy = {
    Version   = "2012-10-17"
    Statement = concat(local.secret_statements, local.kms_statements, local.log_statements, local.vpc_statements)
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

################################################################################
# Role
################################################################################

resource "aws_iam_role" "this" {
  name               = "${var.name}-role"
  description        = "Registry credentials Lambda ${var.name}: reads one secret"
  assume_role_policy = jsonencode(local.trust_policy)
  tags               = var.tags
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:The group holds no secret values (the handler never logs the login); CloudWatch Logs encrypts it at rest with a service key.
  #checkov:skip=CKV_AWS_338:Lookup logs have no audit value past log_retention_days (30 by default); CloudTrail records every GetSecretValue.
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

################################################################################
# Policy
################################################################################

resource "aws_iam_role_policy" "this" {
  name   = "read-registry-secret"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}

################################################################################
# Function
################################################################################

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:SageMaker invokes the function synchronously; a dead-letter queue only receives failed asynchronous invocations.
  #checkov:skip=CKV_AWS_272:The zip is built reproducibly from src/ by `python -m generator package-lambda` in the same pipeline; there is no AWS Signer profile to verify against.
  #checkov:skip=CKV_AWS_173:The only environment variable is the secret's ARN, not a secret; the login itself stays in Secrets Manager.
  #checkov:skip=CKV_AWS_50:A millisecond credentials lookup; Active tracing would add xray:PutTraceSegments on * to a role that reads one secret only.
  #checkov:skip=CKV_AWS_117:VPC placement is the caller's choice (var.vpc_config): the function only calls Secrets Manager, which outside a VPC needs no endpoint or NAT.
  function_name = var.name
  description   = "Returns private-registry credentials to SageMaker"
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = var.package_path
  # The zip is built byte-for-byte reproducibly (generator/lambda_package.py), so this hash, and
  # with it the plan, changes only when the handler's source does.
  source_code_hash               = filebase64sha256(var.package_path)
  timeout                        = var.timeout
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrency
  tags                           = var.tags

  environment {
    variables = {
      REGISTRY_SECRET_ARN = var.secret_arn
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]

    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  # The log group must exist first (or Lambda creates one without retention), and the policy
  # must be attached before Lambda validates the role's network-interface permissions.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}
