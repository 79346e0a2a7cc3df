data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "SageMakerAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    # Confused-deputy guard: only SageMaker acting for this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "SageMaker execution role for private-registry endpoints"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "execution" {
  # The VPC access SageMaker needs to place model containers in the customer's subnets.
  # EC2 Describe* calls and these ENI calls do not support resource-level permissions.
  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "EndpointLogs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/*:log-stream:*",
    ]
  }

  # PutMetricData has no resource-level permissions; the namespace condition narrows it instead.
  statement {
    sid       = "EndpointMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/Endpoints", "aws/sagemaker/Endpoints/*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.credentials_lambda_arns) > 0 ? [1] : []

    content {
      sid       = "InvokeRegistryCredentialsProvider"
      actions   = ["lambda:InvokeFunction"]
      resources = sort(values(var.credentials_lambda_arns))
    }
  }

  dynamic "statement" {
    for_each = length(var.model_artifact_s3_arns) > 0 ? [1] : []

    content {
      sid       = "ReadModelArtifacts"
      actions   = ["s3:GetObject"]
      resources = sort(var.model_artifact_s3_arns)
    }
  }

  dynamic "statement" {
    for_each = length(var.kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptWithKeys"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:DescribeKey"]
      resources = sort(var.kms_key_arns)
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "sagemaker-execution"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.execution.json
}
