# Offline: every AWS call is answered by the mock provider. override_during = plan makes the
# mocked computed values (ARNs) known at plan time, so the policy can be asserted exactly.
mock_provider "aws" {
  override_during = plan

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
      arn = "arn:aws:iam::111122223333:role/example-creds-role"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/example-creds"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:111122223333:function:example-creds"
    }
  }
}

variables {
  name         = "example-creds"
  secret_arn   = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:example/registry-AbCdEf"
  package_path = "tests/fixtures/function.zip"
}

run "function_runs_python312_with_the_secret_arn" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.runtime == "python3.12" && aws_lambda_function.this.handler == "handler.handler"
    error_message = "The function must run handler.handler on python3.12."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ REGISTRY_SECRET_ARN = var.secret_arn })
    error_message = "The function must learn the secret's ARN, and nothing else, from its environment."
  }

  assert {
    condition     = aws_lambda_function.this.role == aws_iam_role.this.arn
    error_message = "The function must run as its own role."
  }

  assert {
    condition     = length(aws_lambda_function.this.vpc_config) == 0
    error_message = "Without vpc_config the function runs outside any VPC."
  }
}

run "source_code_hash_is_the_zip_hash" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("tests/fixtures/function.zip")
    error_message = "source_code_hash must be filebase64sha256 of the package, so an unchanged zip plans no change."
  }
}

run "role_trusts_lambda_only" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement == [{
      Sid       = "LambdaAssumeRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
    error_message = "Only the Lambda service may assume the function's role."
  }
}

run "role_reads_only_the_one_secret" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement == [
      {
        Sid      = "ReadRegistrySecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:example/registry-AbCdEf"]
      },
      {
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/example-creds:*"]
      },
    ]
    error_message = "Without a customer key or VPC the role may read the one secret and write its own logs, nothing more."
  }
}

run "customer_key_adds_decrypt_via_secrets_manager_only" {
  command = plan

  variables {
    secret_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "DecryptRegistrySecret"] == [{
      Sid       = "DecryptRegistrySecret"
      Effect    = "Allow"
      Action    = ["kms:Decrypt"]
      Resource  = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
      Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.eu-west-1.amazonaws.com" } }
    }]
    error_message = "A customer key must add kms:Decrypt on that key, through Secrets Manager only."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if anytrue([for a in s.Action : startswith(a, "secretsmanager:")])
    ] == [["arn:aws:secretsmanager:eu-west-1:111122223333:secret:example/registry-AbCdEf"]]
    error_message = "Secrets Manager access must stay limited to the one secret."
  }
}

run "log_group_keeps_logs_for_the_retention_period" {
  command = plan

  variables {
    log_retention_days = 90
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/example-creds" && aws_cloudwatch_log_group.this.retention_in_days == 90
    error_message = "The function's log group must exist with the given retention."
  }
}

run "reserved_concurrency_caps_the_function" {
  command = plan

  variables {
    reserved_concurrency = 3
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 3
    error_message = "reserved_concurrency must reach the function."
  }
}

run "vpc_placement_adds_scoped_network_permissions" {
  command = plan

  variables {
    vpc_config = {
      subnet_ids         = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"]
      security_group_ids = ["sg-0c0c0c0c0c0c0c0c0"]
    }
  }

  assert {
    condition     = aws_lambda_function.this.vpc_config[0].subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]) && aws_lambda_function.this.vpc_config[0].security_group_ids == toset(["sg-0c0c0c0c0c0c0c0c0"])
    error_message = "The function must be placed in the given subnets and security groups."
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "CreateNetworkInterfacesInFunctionSubnets"] == [[
      "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaaaaaaaaaaaaaaa",
      "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0bbbbbbbbbbbbbbbb",
      "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0c0c0c0c0c0c0c0c0",
      "arn:aws:ec2:eu-west-1:111122223333:network-interface/*",
    ]]
    error_message = "CreateNetworkInterface must be limited to the function's subnets and security groups."
  }

  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Sid => s.Action if contains(s.Resource, "*")
    } == { DescribeFunctionNetwork = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"] }
    error_message = "Resource \"*\" is allowed only for the Describe calls, which have no resource-level permissions."
  }
}

run "wildcard_secret_arn_is_rejected" {
  command = plan

  variables {
    secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"
  }

  expect_failures = [var.secret_arn]
}

run "unknown_retention_is_rejected" {
  command = plan

  variables {
    log_retention_days = 10
  }

  expect_failures = [var.log_retention_days]
}

run "zero_reserved_concurrency_is_rejected" {
  command = plan

  variables {
    reserved_concurrency = 0
  }

  expect_failures = [var.reserved_concurrency]
}

run "vpc_placement_without_security_group_is_rejected" {
  command = plan

  variables {
    vpc_config = {
      subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa"]
      security_group_ids = []
    }
  }

  expect_failures = [var.vpc_config]
}
