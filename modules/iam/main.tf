locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  ec2_arn_prefix = "arn:${local.partition}:ec2:${local.region}:${local.account_id}"
  vpc_arn        = "${local.ec2_arn_prefix}:vpc/${var.vpc_id}"
  log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/*"

  # Policies are built with jsonencode rather than aws_iam_policy_document so that the documents
  # are plain Terraform data: `terraform test` with a mocked provider can then assert their exact
  # statements.
  trust_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "SageMakerAssumeRole"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "sagemaker.amazonaws.com" }
        # Confused-deputy guard: only SageMaker acting for this account may assume the role.
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  }

  vpc_condition = { ArnEquals = { "ec2:Vpc" = local.vpc_arn } }
  subnet_arns   = [for id in sort(var.subnet_ids) : "${local.ec2_arn_prefix}:subnet/${id}"]

  network_statements = [
    {
      # CreateNetworkInterface authorizes the subnet, the security group and the new interface,
      # each with its own condition keys (EC2 service authorization reference). Subnets and
      # security groups carry ec2:Vpc but not ec2:Subnet, so they get a statement of their own:
      # only the model subnets, and only security groups of the models' VPC. The group's own
      # security group cannot be named: it is created in the same state, and a policy that
      # waits for its ID would be unknown in the plan that reviewers and checkov read.
      Sid       = "CreateNetworkInterfacesInModelSubnets"
      Effect    = "Allow"
      Action    = ["ec2:CreateNetworkInterface"]
      Resource  = concat(local.subnet_arns, ["${local.ec2_arn_prefix}:security-group/*"])
      Condition = local.vpc_condition
    },
    {
      # The new interface carries ec2:Vpc and ec2:Subnet: it must be in the VPC and in one of
      # the model subnets (several values of one key match any of them).
      Sid      = "CreateModelNetworkInterfaces"
      Effect   = "Allow"
      Action   = ["ec2:CreateNetworkInterface"]
      Resource = ["${local.ec2_arn_prefix}:network-interface/*"]
      Condition = {
        ArnEquals = { "ec2:Vpc" = local.vpc_arn, "ec2:Subnet" = local.subnet_arns }
      }
    },
    {
      # ec2:Vpc only, deliberately not ec2:Subnet: after subnet_ids changes, SageMaker must
      # still be able to delete the interfaces it made in the subnets that were removed.
      Sid       = "ManageModelNetworkInterfaces"
      Effect    = "Allow"
      Action    = ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"]
      Resource  = ["${local.ec2_arn_prefix}:network-interface/*"]
      Condition = local.vpc_condition
    },
    {
      # Authorized on the interface, but the request names only the permission ID, so the
      # ec2:Vpc condition cannot be evaluated for it: interfaces of this account and region.
      Sid      = "DeleteModelNetworkInterfacePermissions"
      Effect   = "Allow"
      Action   = ["ec2:DeleteNetworkInterfacePermission"]
      Resource = ["${local.ec2_arn_prefix}:network-interface/*"]
    },
    {
      # These actions have no resource-level permissions (EC2 service authorization reference),
      # so "*" is the only Resource IAM accepts for them.
      Sid    = "DescribeModelNetwork"
      Effect = "Allow"
      Action = [
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
      ]
      Resource = ["*"]
    },
  ]

  observability_statements = [
    {
      Sid      = "WriteEndpointLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      Resource = [local.log_group_arn, "${local.log_group_arn}:log-stream:*"]
    },
    {
      # PutMetricData has no resource-level permissions; the namespace condition narrows it.
      Sid       = "PutEndpointMetrics"
      Effect    = "Allow"
      Action    = ["cloudwatch:PutMetricData"]
      Resource  = ["*"]
      Condition = { StringLike = { "cloudwatch:namespace" = "/aws/sagemaker/*" } }
    },
  ]

  invoke_statements = length(var.credentials_lambda_arns) == 0 ? [] : [
    {
      Sid      = "InvokeRegistryCredentialsProviders"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = sort(distinct(values(var.credentials_lambda_arns)))
    },
  ]

  artifact_statements = length(var.model_artifact_s3_arns) == 0 ? [] : [
    {
      Sid      = "ReadModelArtifacts"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = sort(distinct(var.model_artifact_s3_arns))
    },
  ]

  kms_statements = length(var.kms_key_arns) == 0 ? [] : [
    {
      Sid      = "DecryptWithKeys"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = sort(distinct(var.kms_key_arns))
    },
  ]

  # Data capture is written by SageMaker with this role: objects under the capture prefixes,
  # encrypted with the capture key when one is set (S3 asks KMS for a data key on the role's behalf).
  data_capture_statements = concat(
    length(var.data_capture_s3_arns) == 0 ? [] : [
      {
        Sid      = "WriteDataCapture"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = sort(distinct(var.data_capture_s3_arns))
      },
    ],
    length(var.data_capture_kms_key_arns) == 0 ? [] : [
      {
        Sid      = "EncryptDataCapture"
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:GenerateDataKey"]
        Resource = sort(distinct(var.data_capture_kms_key_arns))
      },
    ],
  )

  # What the allow-lists do not cover (see the preconditions of the execution policy).
  unlisted_artifact_arns = [for arn in var.model_artifact_s3_arns : arn if !contains(var.allowed_artifact_buckets, try(regex("^arn:[^:]+:s3:::([^/]+)/", arn)[0], ""))]
  unlisted_capture_arns  = [for arn in var.data_capture_s3_arns : arn if !contains(var.allowed_capture_buckets, try(regex("^arn:[^:]+:s3:::([^/]+)/", arn)[0], ""))]
  unlisted_kms_key_arns  = [for arn in concat(var.kms_key_arns, var.data_capture_kms_key_arns) : arn if !contains(var.allowed_kms_key_arns, arn)]

  execution_policy = {
    Version = "2012-10-17"
    Statement = concat(
      local.network_statements,
      local.observability_statements,
      local.invoke_statements,
      local.artifact_statements,
      local.kms_statements,
      local.data_capture_statements,
    )
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

################################################################################
# Role
################################################################################

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "SageMaker execution role for private-registry endpoints"
  assume_role_policy   = jsonencode(local.trust_policy)
  max_session_duration = 3600
  tags                 = var.tags
}

################################################################################
# Execution policy
################################################################################

resource "aws_iam_role_policy" "execution" {
  name   = "sagemaker-execution"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.execution_policy)

  # The S3 and KMS resources come from catalog files that a pull-request author writes; the
  # allow-lists come from the environment. Refused here too, so that hand-edited inputs cannot
  # widen the role past what the environment allows.
  lifecycle {
    precondition {
      condition     = length(local.unlisted_artifact_arns) == 0
      error_message = "model_artifact_s3_arns must be in allowed_artifact_buckets (${jsonencode(var.allowed_artifact_buckets)}); not allowed: ${jsonencode(local.unlisted_artifact_arns)}."
    }

    precondition {
      condition     = length(local.unlisted_capture_arns) == 0
      error_message = "data_capture_s3_arns must be in allowed_capture_buckets (${jsonencode(var.allowed_capture_buckets)}); not allowed: ${jsonencode(local.unlisted_capture_arns)}."
    }

    precondition {
      condition     = length(local.unlisted_kms_key_arns) == 0
      error_message = "kms_key_arns and data_capture_kms_key_arns must be in allowed_kms_key_arns (${jsonencode(var.allowed_kms_key_arns)}); not allowed: ${jsonencode(local.unlisted_kms_key_arns)}."
    }
  }
}
