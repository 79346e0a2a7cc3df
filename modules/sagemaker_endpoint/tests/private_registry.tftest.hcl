# Offline: every AWS call is answered by the mock provider; the real provider schema still
# validates the values, so the defaults below are well-formed IDs and ARNs.
mock_provider "aws" {
  mock_resource "aws_security_group" {
    defaults = {
      id  = "sg-0aaaaaaaaaaaaaaaa"
      arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0aaaaaaaaaaaaaaaa"
    }
  }

  mock_resource "aws_sagemaker_endpoint" {
    defaults = {
      arn = "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/fraud-scorer"
    }
  }
}

variables {
  name                              = "fraud-scorer"
  image                             = "registry.example.com/risk/fraud-scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  execution_role_arn                = "arn:aws:iam::111122223333:role/example-execution"
  registry_auth                     = "basic"
  credentials_lambda_arn            = "arn:aws:lambda:eu-west-1:111122223333:function:example-creds"
  vpc_id                            = "vpc-0123456789abcdef0"
  subnet_ids                        = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  registry_security_group_id        = "sg-0bbbbbbbbbbbbbbbb"
  lambda_endpoint_security_group_id = "sg-0cccccccccccccccc"
  variants = {
    primary = { instance_type = "ml.m5.large", initial_instance_count = 1 }
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
    condition     = aws_sagemaker_model.this.primary_container[0].image == var.image
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

run "model_runs_in_the_vpc_with_its_own_security_group" {
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
    condition     = toset(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == toset(["sg-0aaaaaaaaaaaaaaaa"])
    error_message = "The model must use exactly its own security group."
  }

  assert {
    condition     = aws_sagemaker_model.this.enable_network_isolation == false
    error_message = "Network isolation is off unless asked for."
  }
}

run "security_groups_admit_the_model_only" {
  command = apply

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_registry.security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_egress_rule.to_registry.referenced_security_group_id == "sg-0bbbbbbbbbbbbbbbb" &&
      aws_vpc_security_group_egress_rule.to_registry.from_port == 443 &&
      aws_vpc_security_group_egress_rule.to_registry.to_port == 443 &&
      aws_vpc_security_group_egress_rule.to_registry.ip_protocol == "tcp"
    )
    error_message = "The model may send HTTPS to the registry's security group only."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.registry_from_model.security_group_id == "sg-0bbbbbbbbbbbbbbbb" &&
      aws_vpc_security_group_ingress_rule.registry_from_model.referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_ingress_rule.registry_from_model.from_port == 443
    )
    error_message = "The registry must admit HTTPS from the model's security group only."
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_lambda_endpoint[0].referenced_security_group_id == "sg-0cccccccccccccccc" &&
      aws_vpc_security_group_egress_rule.to_lambda_endpoint[0].from_port == 443 &&
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_model[0].security_group_id == "sg-0cccccccccccccccc" &&
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_model[0].referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa"
    )
    error_message = "With credentials, the model and the Lambda endpoint must admit HTTPS between each other."
  }

  assert {
    condition     = alltrue([for r in [aws_vpc_security_group_egress_rule.to_registry, aws_vpc_security_group_ingress_rule.registry_from_model] : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    error_message = "No rule may open a CIDR range."
  }
}

run "registry_port_follows_the_registry" {
  command = apply

  variables {
    registry_port = 5000
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.to_registry.from_port == 5000 && aws_vpc_security_group_ingress_rule.registry_from_model.to_port == 5000
    error_message = "Registry rules must use the registry's port."
  }
}

run "anonymous_registry_needs_no_lambda" {
  command = apply

  variables {
    registry_auth                     = "none"
    credentials_lambda_arn            = null
    lambda_endpoint_security_group_id = null
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].image_config[0].repository_access_mode == "Vpc"
    error_message = "An anonymous private registry is still reached through the VPC."
  }

  assert {
    condition     = length(aws_sagemaker_model.this.primary_container[0].image_config[0].repository_auth_config) == 0
    error_message = "No repository_auth_config without credentials."
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.to_lambda_endpoint) == 0 && length(aws_vpc_security_group_ingress_rule.lambda_endpoint_from_model) == 0
    error_message = "No Lambda endpoint rules without credentials."
  }
}

run "container_settings_reach_the_model" {
  command = apply

  variables {
    container_environment    = { LOG_LEVEL = "info" }
    model_data_url           = "s3://example-artifacts/fraud-scorer/model.tar.gz"
    s3_prefix_list_id        = "pl-6da54004"
    enable_network_isolation = true
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].environment == tomap({ LOG_LEVEL = "info" })
    error_message = "The container environment must reach the model."
  }

  assert {
    condition     = aws_sagemaker_model.this.primary_container[0].model_data_url == "s3://example-artifacts/fraud-scorer/model.tar.gz"
    error_message = "model_data_url must reach the model."
  }

  assert {
    condition     = aws_sagemaker_model.this.enable_network_isolation == true
    error_message = "enable_network_isolation must be configurable."
  }
}

run "model_data_is_downloaded_through_the_s3_gateway_endpoint_only" {
  command = apply

  variables {
    model_data_url    = "s3://example-artifacts/fraud-scorer/model.tar.gz"
    s3_prefix_list_id = "pl-6da54004"
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_s3[0].security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_egress_rule.to_s3[0].prefix_list_id == "pl-6da54004" &&
      aws_vpc_security_group_egress_rule.to_s3[0].cidr_ipv4 == null &&
      aws_vpc_security_group_egress_rule.to_s3[0].from_port == 443 &&
      aws_vpc_security_group_egress_rule.to_s3[0].to_port == 443
    )
    error_message = "The model may reach S3 on 443 through the gateway endpoint's prefix list only."
  }
}

run "no_model_data_means_no_s3_egress" {
  command = apply

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.to_s3) == 0
    error_message = "A model without model_data_url needs no route to S3."
  }
}

run "model_data_without_s3_gateway_is_rejected" {
  command = plan

  variables {
    model_data_url = "s3://example-artifacts/fraud-scorer/model.tar.gz"
  }

  expect_failures = [aws_vpc_security_group_egress_rule.to_s3]
}

run "credentials_without_lambda_endpoint_are_rejected" {
  command = plan

  variables {
    lambda_endpoint_security_group_id = null
  }

  expect_failures = [aws_vpc_security_group_egress_rule.to_lambda_endpoint, aws_vpc_security_group_ingress_rule.lambda_endpoint_from_model]
}

run "tagged_image_is_rejected" {
  command = plan

  variables {
    image = "registry.example.com/risk/fraud-scorer:latest"
  }

  expect_failures = [var.image]
}

run "non_ml_instance_type_is_rejected" {
  command = plan

  variables {
    variants = { primary = { instance_type = "m5.large", initial_instance_count = 1 } }
  }

  expect_failures = [var.variants]
}

run "overlong_name_is_rejected" {
  command = plan

  variables {
    name = "an-endpoint-name-of-forty-nine-characters-exactly"
  }

  expect_failures = [var.name]
}
