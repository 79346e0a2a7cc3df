# Offline: every AWS call is answered by the mock provider; the real provider schema still
# validates the values, so the defaults below are well-formed IDs.
mock_provider "aws" {
  mock_resource "aws_security_group" {
    defaults = {
      id  = "sg-0c0c0c0c0c0c0c0c0"
      arn = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0c0c0c0c0c0c0c0c0"
    }
  }
}

variables {
  name   = "sagemaker-gitops-prod-fraud-models"
  vpc_id = "vpc-0123456789abcdef0"
  registries = {
    harbor = { security_group_id = "sg-0123456789abcdef0", port = 443 }
    quay   = { security_group_id = "sg-0fedcba9876543210", port = 8443 }
  }
}

run "one_ingress_rule_per_registry_in_its_group" {
  command = plan

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.registry_from_clients) == ["harbor", "quay"]
    error_message = "Each registry must get exactly one ingress rule, addressed by its logical name."
  }

  assert {
    condition = alltrue([
      for name, rule in aws_vpc_security_group_ingress_rule.registry_from_clients :
      rule.security_group_id == var.registries[name].security_group_id && rule.ip_protocol == "tcp" && rule.from_port == var.registries[name].port && rule.to_port == var.registries[name].port && rule.cidr_ipv4 == null
    ])
    error_message = "Each registry's rule must live in that registry's group and open only its port, by security group reference."
  }

  assert {
    condition = alltrue([
      for name, rule in aws_vpc_security_group_egress_rule.to_registry :
      rule.referenced_security_group_id == var.registries[name].security_group_id && rule.from_port == var.registries[name].port && rule.to_port == var.registries[name].port && rule.cidr_ipv4 == null
    ]) && length(aws_vpc_security_group_egress_rule.to_registry) == 2
    error_message = "The clients' group must reach each registry on its port and nothing else."
  }

  assert {
    condition     = aws_security_group.models.vpc_id == var.vpc_id && aws_security_group.models.tags["Name"] == var.name
    error_message = "The clients' group must live in the given VPC and carry the given name."
  }
}

run "registry_rules_reference_the_clients_group" {
  command = apply

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.registry_from_clients : rule.referenced_security_group_id == "sg-0c0c0c0c0c0c0c0c0"])
    error_message = "The registries must admit the clients' group, not a model's."
  }

  assert {
    condition     = output.security_group_id == "sg-0c0c0c0c0c0c0c0c0" && length(output.ingress_rule_ids) == 2
    error_message = "The outputs must name the clients' group and its two ingress rules in other groups."
  }

  assert {
    condition     = length(aws_security_group.models.ingress) == 0 && length(aws_security_group.models.egress) == 0
    error_message = "The clients' group must have no inline rules: every rule is a resource of its own."
  }
}

run "no_lambda_endpoint_or_s3_rules_by_default" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.to_lambda_endpoint) == 0 && length(aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients) == 0
    error_message = "Without reach_lambda_endpoint no rule may touch the Lambda endpoint's group."
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.to_s3) == 0
    error_message = "Without reach_s3 the models get no egress to S3."
  }
}

run "lambda_endpoint_admits_the_group_once_when_asked" {
  command = plan

  variables {
    reach_lambda_endpoint             = true
    lambda_endpoint_security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients) == 1 && length(aws_vpc_security_group_egress_rule.to_lambda_endpoint) == 1
    error_message = "reach_lambda_endpoint must add one ingress rule to the endpoint's group and one egress rule to the clients' group."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients[0].security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients[0].ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients[0].from_port == 443 &&
      aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients[0].to_port == 443
    )
    error_message = "The Lambda endpoint's group must admit HTTPS (443) only."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.to_lambda_endpoint[0].referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa" && aws_vpc_security_group_egress_rule.to_lambda_endpoint[0].from_port == 443
    error_message = "The clients' group must reach the Lambda endpoint's group on 443."
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.to_s3) == 0
    error_message = "reach_lambda_endpoint alone must not open S3."
  }
}

run "s3_egress_to_the_prefix_list_when_asked" {
  command = plan

  variables {
    reach_s3          = true
    s3_prefix_list_id = "pl-0123456789abcdef0"
  }

  assert {
    condition = (
      length(aws_vpc_security_group_egress_rule.to_s3) == 1 &&
      aws_vpc_security_group_egress_rule.to_s3[0].prefix_list_id == "pl-0123456789abcdef0" &&
      aws_vpc_security_group_egress_rule.to_s3[0].from_port == 443 &&
      aws_vpc_security_group_egress_rule.to_s3[0].to_port == 443 &&
      aws_vpc_security_group_egress_rule.to_s3[0].cidr_ipv4 == null
    )
    error_message = "reach_s3 must open HTTPS to the S3 prefix list only."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients) == 0
    error_message = "reach_s3 alone must not touch the Lambda endpoint's group."
  }
}

run "lambda_endpoint_without_its_group_is_rejected" {
  command = plan

  variables {
    reach_lambda_endpoint = true
  }

  expect_failures = [
    aws_vpc_security_group_egress_rule.to_lambda_endpoint,
    aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients,
  ]
}

run "s3_without_its_prefix_list_is_rejected" {
  command = plan

  variables {
    reach_s3 = true
  }

  expect_failures = [aws_vpc_security_group_egress_rule.to_s3]
}

# On a fresh environment the group state plans before base exists: the Lambda endpoint's group
# ID is still unknown at plan time. The preconditions must let that plan through (tests/unknown_id
# calls the module with such an ID; a failed precondition would fail this run).
run "lambda_endpoint_group_unknown_at_plan_time_is_accepted" {
  command = plan

  module {
    source = "./tests/unknown_id"
  }

  assert {
    condition     = output.ingress_rule_count == 2
    error_message = "The registry's and the Lambda endpoint's ingress rules must both be planned."
  }
}

run "malformed_vpc_id_is_rejected" {
  command = plan

  variables {
    vpc_id = "my-vpc"
  }

  expect_failures = [var.vpc_id]
}

run "registry_security_group_must_be_an_id" {
  command = plan

  variables {
    registries = {
      harbor = { security_group_id = "10.0.0.0/16", port = 443 }
    }
  }

  expect_failures = [var.registries]
}

run "registry_port_must_be_a_port" {
  command = plan

  variables {
    registries = {
      harbor = { security_group_id = "sg-0123456789abcdef0", port = 70000 }
    }
  }

  expect_failures = [var.registries]
}

run "lambda_endpoint_group_must_be_an_id" {
  command = plan

  variables {
    reach_lambda_endpoint             = true
    lambda_endpoint_security_group_id = "lambda-endpoint"
  }

  expect_failures = [var.lambda_endpoint_security_group_id]
}

run "s3_prefix_list_must_be_an_id" {
  command = plan

  variables {
    reach_s3          = true
    s3_prefix_list_id = "0.0.0.0/0"
  }

  expect_failures = [var.s3_prefix_list_id]
}
