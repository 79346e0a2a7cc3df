# Offline: every AWS call is answered by the mock provider. The policies are plain Terraform
# data (jsonencode), so the assertions read the exact documents the role would get.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/example-execution"
    }
  }
}

variables {
  name       = "example-execution"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"]
  credentials_lambda_arns = {
    platform = "arn:aws:lambda:eu-west-1:111122223333:function:example-platform-creds"
  }
}

run "trust_policy_admits_only_sagemaker_for_this_account" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement == [
      {
        Sid       = "SageMakerAssumeRole"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "sagemaker.amazonaws.com" }
        Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
      },
    ]
    error_message = "Only sagemaker.amazonaws.com acting for account 111122223333 (aws:SourceAccount) may assume the role."
  }
}

run "invoke_function_covers_exactly_the_credentials_lambdas" {
  command = plan

  variables {
    credentials_lambda_arns = {
      platform = "arn:aws:lambda:eu-west-1:111122223333:function:example-platform-creds"
      mirror   = "arn:aws:lambda:eu-west-1:111122223333:function:example-mirror-creds"
    }
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Resource if contains(s.Action, "lambda:InvokeFunction")
      ] == [[
        "arn:aws:lambda:eu-west-1:111122223333:function:example-mirror-creds",
        "arn:aws:lambda:eu-west-1:111122223333:function:example-platform-creds",
    ]]
    error_message = "lambda:InvokeFunction must be granted once, on exactly the given function ARNs."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement :
      length([for r in s.Resource : r if strcontains(r, "*")]) == 0 if anytrue([for a in s.Action : startswith(a, "lambda:")])
    ])
    error_message = "No Lambda permission may use a wildcard resource."
  }
}

run "no_credentials_lambda_means_no_invoke_permission" {
  command = plan

  variables {
    credentials_lambda_arns = {}
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s if anytrue([for a in s.Action : startswith(a, "lambda:")])]) == 0
    error_message = "Without a credentials Lambda the role must not be able to invoke any function."
  }
}

run "wildcard_lambda_arn_is_rejected" {
  command = plan

  variables {
    credentials_lambda_arns = {
      platform = "arn:aws:lambda:eu-west-1:111122223333:function:*"
    }
  }

  expect_failures = [var.credentials_lambda_arns]
}

run "bare_wildcard_lambda_resource_is_rejected" {
  command = plan

  variables {
    credentials_lambda_arns = {
      platform = "*"
    }
  }

  expect_failures = [var.credentials_lambda_arns]
}

run "network_interfaces_are_limited_to_the_model_subnets_and_vpc" {
  command = plan

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s if s.Sid == "CreateNetworkInterfacesInModelSubnets"
      ] == [{
        Sid    = "CreateNetworkInterfacesInModelSubnets"
        Effect = "Allow"
        Action = ["ec2:CreateNetworkInterface"]
        Resource = [
          "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaaaaaaaaaaaaaaa",
          "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0bbbbbbbbbbbbbbbb",
          "arn:aws:ec2:eu-west-1:111122223333:security-group/*",
        ]
        Condition = { ArnEquals = { "ec2:Vpc" = "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0" } }
    }]
    error_message = "CreateNetworkInterface must be limited to the model subnets and to security groups of the models' VPC."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s if s.Sid == "CreateModelNetworkInterfaces"
      ] == [{
        Sid      = "CreateModelNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface"]
        Resource = ["arn:aws:ec2:eu-west-1:111122223333:network-interface/*"]
        Condition = {
          ArnEquals = {
            "ec2:Vpc" = "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0"
            "ec2:Subnet" = [
              "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaaaaaaaaaaaaaaa",
              "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0bbbbbbbbbbbbbbbb",
            ]
          }
        }
    }]
    error_message = "New network interfaces must be in the models' VPC and in one of the model subnets (ec2:Vpc and ec2:Subnet)."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement :
      try(s.Condition.ArnEquals["ec2:Vpc"], null) == "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0"
      if contains(s.Action, "ec2:CreateNetworkInterface")
    ])
    error_message = "Every statement that allows ec2:CreateNetworkInterface must carry the ec2:Vpc condition."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : [s.Action, s.Resource, s.Condition] if s.Sid == "ManageModelNetworkInterfaces"
      ] == [[
        ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
        ["arn:aws:ec2:eu-west-1:111122223333:network-interface/*"],
        { ArnEquals = { "ec2:Vpc" = "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0" } },
    ]]
    error_message = "Interface permissions and deletion must be limited to network interfaces of the models' VPC."
  }
}

run "wildcard_resources_only_where_iam_has_no_resource_level_permissions" {
  command = plan

  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Sid => s.Action if contains(s.Resource, "*")
      } == {
      DescribeModelNetwork = [
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
      ]
      PutEndpointMetrics = ["cloudwatch:PutMetricData"]
    }
    error_message = "Resource \"*\" is allowed only for actions without resource-level permissions."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Condition if s.Sid == "PutEndpointMetrics"
    ] == [{ StringLike = { "cloudwatch:namespace" = "/aws/sagemaker/*" } }]
    error_message = "PutMetricData must be limited to SageMaker namespaces."
  }
}

run "logs_are_limited_to_endpoint_log_groups" {
  command = plan

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Resource if s.Sid == "WriteEndpointLogs"
      ] == [[
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/Endpoints/*",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/Endpoints/*:log-stream:*",
    ]]
    error_message = "Log permissions must cover the SageMaker endpoint log groups only."
  }
}

run "model_artifacts_and_keys_are_granted_exactly" {
  command = plan

  variables {
    model_artifact_s3_arns   = ["arn:aws:s3:::example-models/fraud/*", "arn:aws:s3:::example-models/churn/model.tar.gz"]
    kms_key_arns             = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    allowed_artifact_buckets = ["example-models"]
    allowed_kms_key_arns     = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : [s.Action, s.Resource] if s.Sid == "ReadModelArtifacts"
      ] == [[
        ["s3:GetObject"],
        ["arn:aws:s3:::example-models/churn/model.tar.gz", "arn:aws:s3:::example-models/fraud/*"],
    ]]
    error_message = "s3:GetObject must cover exactly the given artifact ARNs."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : [s.Action, s.Resource] if s.Sid == "DecryptWithKeys"
    ] == [[["kms:Decrypt"], ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]]]
    error_message = "kms:Decrypt must cover exactly the given keys."
  }
}

run "no_artifacts_or_keys_means_no_s3_or_kms_permission" {
  command = plan

  assert {
    condition = length([
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s
      if anytrue([for a in s.Action : startswith(a, "s3:") || startswith(a, "kms:")])
    ]) == 0
    error_message = "Without artifacts or keys the role must have no S3 or KMS permission."
  }
}

run "data_capture_destinations_and_keys_are_granted_exactly" {
  command = plan

  variables {
    data_capture_s3_arns      = ["arn:aws:s3:::example-capture/fraud-scorer/*"]
    data_capture_kms_key_arns = ["arn:aws:kms:eu-west-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab"]
    allowed_capture_buckets   = ["example-capture"]
    allowed_kms_key_arns      = ["arn:aws:kms:eu-west-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab"]
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : [s.Action, s.Resource] if s.Sid == "WriteDataCapture"
    ] == [[["s3:PutObject"], ["arn:aws:s3:::example-capture/fraud-scorer/*"]]]
    error_message = "s3:PutObject must cover exactly the data capture prefixes."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : [s.Action, s.Resource] if s.Sid == "EncryptDataCapture"
    ] == [[["kms:Encrypt", "kms:GenerateDataKey"], ["arn:aws:kms:eu-west-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab"]]]
    error_message = "kms:Encrypt and kms:GenerateDataKey must cover exactly the data capture keys."
  }
}

run "data_capture_to_a_whole_bucket_is_rejected" {
  command = plan

  variables {
    data_capture_s3_arns = ["arn:aws:s3:::example-capture"]
  }

  expect_failures = [var.data_capture_s3_arns]
}

run "whole_bucket_artifact_arn_is_rejected" {
  command = plan

  variables {
    model_artifact_s3_arns = ["arn:aws:s3:::example-models/*"]
  }

  expect_failures = [var.model_artifact_s3_arns]
}

run "artifacts_outside_the_allowed_buckets_are_refused" {
  command = plan

  variables {
    model_artifact_s3_arns   = ["arn:aws:s3:::example-models/fraud/model.tar.gz", "arn:aws:s3:::someone-elses-bucket/model.tar.gz"]
    allowed_artifact_buckets = ["example-models"]
  }

  expect_failures = [aws_iam_role_policy.execution]
}

run "capture_outside_the_allowed_buckets_is_refused" {
  command = plan

  variables {
    data_capture_s3_arns     = ["arn:aws:s3:::example-capture/fraud-scorer/*"]
    allowed_artifact_buckets = ["example-capture"]
  }

  expect_failures = [aws_iam_role_policy.execution]
}

run "unlisted_kms_keys_are_refused" {
  command = plan

  variables {
    data_capture_kms_key_arns = ["arn:aws:kms:eu-west-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab"]
    allowed_kms_key_arns      = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }

  expect_failures = [aws_iam_role_policy.execution]
}

run "wildcard_allowed_bucket_is_rejected" {
  command = plan

  variables {
    allowed_artifact_buckets = ["*"]
  }

  expect_failures = [var.allowed_artifact_buckets]
}

run "policy_output_is_the_attached_document" {
  command = plan

  assert {
    condition     = jsondecode(output.iam_policy_json) == jsondecode(aws_iam_role_policy.execution.policy)
    error_message = "iam_policy_json must be the document attached to the role."
  }
}
