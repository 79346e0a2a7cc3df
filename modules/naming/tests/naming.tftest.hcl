# Pure string work: no provider, nothing is created. Every run plans only.
variables {
  environment = "prod"
  partition   = "aws"
  region      = "eu-west-1"
  account_id  = "123456789012"
  registry_auth = {
    harbor_main = "basic"
    public      = "none"
    quay        = "bearer"
  }
}

# tests/test_naming.py expects the same names from generator/common/naming.py (the quota estimate).
run "credentials_functions_for_authenticated_registries_only" {
  command = plan

  assert {
    condition = output.credentials_function_names == {
      harbor_main = "sagemaker-gitops-prod-harbor-main-creds"
      quay        = "sagemaker-gitops-prod-quay-creds"
    }
    error_message = "Only registries that need a login get a credentials Lambda, named sagemaker-gitops-<environment>-<registry>-creds with underscores as hyphens."
  }

  assert {
    condition = output.credentials_function_arns == {
      harbor_main = "arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-gitops-prod-harbor-main-creds"
      quay        = "arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-gitops-prod-quay-creds"
    }
    error_message = "The credentials Lambda ARNs must be built from partition, region, account and name."
  }

  assert {
    condition     = output.prefix == "sagemaker-gitops-prod" && output.vpc_endpoints_name == "sagemaker-gitops-prod"
    error_message = "Every name of the environment starts with sagemaker-gitops-<environment>."
  }

  assert {
    condition     = output.lambda_endpoint_security_group_name == "sagemaker-gitops-prod-lambda-endpoint"
    error_message = "base and the groups must agree on the Lambda endpoint security group's Name tag."
  }
}

run "arns_follow_the_partition" {
  command = plan

  variables {
    partition = "aws-us-gov"
    region    = "us-gov-west-1"
  }

  assert {
    condition = output.credentials_function_arns == {
      harbor_main = "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:sagemaker-gitops-prod-harbor-main-creds"
      quay        = "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:sagemaker-gitops-prod-quay-creds"
    }
    error_message = "In GovCloud the ARNs must use the aws-us-gov partition."
  }
}

run "no_authenticated_registry_no_credentials_function" {
  command = plan

  variables {
    registry_auth = { public = "none" }
  }

  assert {
    condition     = output.credentials_function_names == {} && output.credentials_function_arns == {}
    error_message = "A registry without a login must not get a credentials Lambda."
  }
}

run "base_state_has_no_group_names" {
  command = plan

  assert {
    condition     = output.execution_role_name == null && output.group_prefix == null
    error_message = "The base state (group = null) has no execution role and no group prefix."
  }
}

run "group_names_fit_the_iam_limit_at_the_longest" {
  command = plan

  variables {
    environment = "abcdefghijklmnop"     # 16 characters, the longest allowed
    group       = "abcdefghijklmnopqrst" # 20 characters, the longest allowed
  }

  assert {
    condition     = output.execution_role_name == "sagemaker-gitops-abcdefghijklmnop-abcdefghijklmnopqrst-execution"
    error_message = "The execution role is named sagemaker-gitops-<environment>-<group>-execution."
  }

  assert {
    condition     = length(output.execution_role_name) <= 64
    error_message = "IAM role names are at most 64 characters."
  }

  assert {
    condition     = output.group_prefix == "sagemaker-gitops-abcdefghijklmnop-abcdefghijklmnopqrst"
    error_message = "A group's names start with sagemaker-gitops-<environment>-<group>."
  }
}

run "environment_longer_than_16_characters_is_rejected" {
  command = plan

  variables {
    environment = "abcdefghijklmnopq"
  }

  expect_failures = [var.environment]
}

run "group_longer_than_20_characters_is_rejected" {
  command = plan

  variables {
    group = "abcdefghijklmnopqrstu"
  }

  expect_failures = [var.group]
}

run "account_id_must_be_12_digits" {
  command = plan

  variables {
    account_id = "12345678901"
  }

  expect_failures = [var.account_id]
}
