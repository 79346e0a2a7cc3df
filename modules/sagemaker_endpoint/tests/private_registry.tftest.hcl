# Offline: every AWS call is answered by the mock provider; the real provider schema still
# validates the values, so the defaults below are well-formed IDs and ARNs.
mock_provider "aws" {
  mock_resource "aws_sagemaker_endpoint" {
    defaults = {
      arn = "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/fraud-scorer"
    }
  }
}

variables {
  name = "fraud-scorer"
  endpoint = {
    image = "registry.example.com/risk/fraud-scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
    variants = {
      primary = { instance_type = "ml.m5.large", initial_instance_count = 1 }
    }
  }
  runtime = {
    execution_role_arn     = "arn:aws:iam::111122223333:role/example-execution"
    registry_auth          = "basic"
    credentials_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:example-creds"
    subnet_ids             = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
    security_group_ids     = ["sg-0aaaaaaaaaaaaaaaa"]
  }
  await_endpoint_update = false
}

run "image_is_pulled_through_the_vpc" {
  command = apply

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].image_config[0].repository_access_mode == "Vpc"
    error_message = "A private-registry image must be pulled with repository_access_mode = \"Vpc\"."
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].image == var.endpoint.image
    error_message = "The container must run exactly the digest-pinned image."
  }
}

run "registry_credentials_come_from_the_lambda" {
  command = apply

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].image_config[0].repository_auth_config[0].repository_credentials_provider_arn == "arn:aws:lambda:eu-west-1:111122223333:function:example-creds"
    error_message = "repository_auth_config must name the credentials Lambda."
  }
}

run "model_runs_in_the_vpc" {
  command = apply

  assert {
    condition     = length(aws_sagemaker_model.this.vpc_config) == 1
    error_message = "The model needs vpc_config: without it SageMaker cannot reach the private registry."
  }

  assert {
    condition     = toset(aws_sagemaker_model.this.vpc_config[0].subnets) == toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
    error_message = "The model must run in the given subnets."
  }

  assert {
    condition     = aws_sagemaker_model.this.enable_network_isolation == false
    error_message = "Network isolation is off unless asked for."
  }
}

# The security group and its rules belong to modules/registry_clients (tested there): the model
# only joins the group it is given, and adds none of its own.
run "model_joins_exactly_the_given_security_groups" {
  command = apply

  assert {
    condition = (
      length(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == 1 &&
      toset(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == toset(["sg-0aaaaaaaaaaaaaaaa"])
    )
    error_message = "The model must join exactly the given security group (the group's registry-clients group), no other."
  }
}

run "every_given_security_group_reaches_the_model" {
  command = apply

  variables {
    runtime = {
      execution_role_arn     = "arn:aws:iam::111122223333:role/example-execution"
      registry_auth          = "basic"
      credentials_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:example-creds"
      subnet_ids             = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
      security_group_ids     = ["sg-0aaaaaaaaaaaaaaaa", "sg-0dddddddddddddddd"]
    }
  }

  assert {
    condition = (
      length(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == 2 &&
      toset(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == toset(["sg-0aaaaaaaaaaaaaaaa", "sg-0dddddddddddddddd"])
    )
    error_message = "The model must join exactly the given security groups."
  }
}

run "anonymous_registry_needs_no_lambda" {
  command = apply

  variables {
    runtime = {
      execution_role_arn     = "arn:aws:iam::111122223333:role/example-execution"
      registry_auth          = "none"
      credentials_lambda_arn = null
      subnet_ids             = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
      security_group_ids     = ["sg-0aaaaaaaaaaaaaaaa"]
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].image_config[0].repository_access_mode == "Vpc"
    error_message = "An anonymous private registry is still reached through the VPC."
  }

  assert {
    condition     = length(aws_sagemaker_model.this.primary_container[0].image_config[0].repository_auth_config) == 0
    error_message = "No repository_auth_config without credentials."
  }
}

run "container_settings_reach_the_model" {
  command = apply

  variables {
    endpoint = {
      image = "registry.example.com/risk/fraud-scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        primary = { instance_type = "ml.m5.large", initial_instance_count = 1 }
      }
      container_environment    = { LOG_LEVEL = "info" }
      model_data_url           = "s3://example-artifacts/fraud-scorer/model.tar.gz"
      enable_network_isolation = true
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].environment == tomap({ LOG_LEVEL = "info" })
    error_message = "The container environment must reach the model."
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].model_data_url == "s3://example-artifacts/fraud-scorer/model.tar.gz"
    error_message = "endpoint.model_data_url must reach the model."
  }

  assert {
    condition     = aws_sagemaker_model.this.enable_network_isolation == true
    error_message = "endpoint.enable_network_isolation must be configurable."
  }
}
