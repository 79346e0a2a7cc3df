# Offline: every AWS call is answered by the mock provider; the real provider schema still
# validates the values, so the defaults below are well-formed IDs.
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

  mock_resource "aws_security_group" {
    defaults = {
      id  = "sg-0e0e0e0e0e0e0e0e0"
      arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0e0e0e0e0e0e0e0e0"
    }
  }

  mock_resource "aws_vpc_endpoint" {
    defaults = {
      id = "vpce-0123456789abcdef0"
      dns_entry = [
        {
          dns_name       = "vpce-0123456789abcdef0-abcdefgh.lambda.eu-west-1.vpce.amazonaws.com"
          hosted_zone_id = "Z7HUB22UULQXV"
        },
      ]
      prefix_list_id = "pl-6da54004"
    }
  }

  mock_resource "aws_route53_zone" {
    defaults = {
      zone_id = "Z0123456789ABCDEFGHIJ"
    }
  }
}

variables {
  name       = "example"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
}

run "lambda_endpoint_uses_private_dns_by_default" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint.lambda.service_name == "com.amazonaws.eu-west-1.lambda"
    error_message = "The endpoint must serve the regional Lambda service."
  }

  assert {
    condition     = aws_vpc_endpoint.lambda.vpc_endpoint_type == "Interface"
    error_message = "The Lambda endpoint must be an interface endpoint."
  }

  assert {
    condition     = aws_vpc_endpoint.lambda.private_dns_enabled == true
    error_message = "Private DNS must be on by default."
  }

  assert {
    condition     = toset(aws_vpc_endpoint.lambda.subnet_ids) == toset(var.subnet_ids)
    error_message = "The endpoint must have a network interface in every given subnet."
  }

  assert {
    condition     = length(aws_route53_zone.lambda) == 0 && length(aws_route53_record.lambda) == 0
    error_message = "No private hosted zone is needed while private DNS is on."
  }

  assert {
    condition     = output.route53_zone_id == null
    error_message = "route53_zone_id must be null while private DNS is on."
  }
}

run "private_hosted_zone_maps_lambda_name_when_private_dns_is_off" {
  command = apply

  variables {
    private_dns_enabled = false
  }

  assert {
    condition     = aws_vpc_endpoint.lambda.private_dns_enabled == false
    error_message = "Private DNS must follow private_dns_enabled."
  }

  assert {
    condition     = aws_route53_zone.lambda[0].name == "lambda.eu-west-1.amazonaws.com"
    error_message = "The private zone must be named after the regional Lambda service."
  }

  assert {
    condition     = one(aws_route53_zone.lambda[0].vpc).vpc_id == var.vpc_id
    error_message = "The private zone must be associated with the models' VPC."
  }

  assert {
    condition     = aws_route53_record.lambda[0].zone_id == aws_route53_zone.lambda[0].zone_id && aws_route53_record.lambda[0].name == "lambda.eu-west-1.amazonaws.com" && aws_route53_record.lambda[0].type == "A"
    error_message = "An A record for the Lambda name must live at the zone apex."
  }

  assert {
    condition     = one(aws_route53_record.lambda[0].alias).name == "vpce-0123456789abcdef0-abcdefgh.lambda.eu-west-1.vpce.amazonaws.com"
    error_message = "The Lambda name must alias the endpoint's regional DNS name."
  }

  assert {
    condition     = output.route53_zone_id == "Z0123456789ABCDEFGHIJ"
    error_message = "route53_zone_id must name the private zone."
  }
}

run "endpoint_security_group_has_no_inline_rules" {
  command = plan

  assert {
    condition     = length(aws_security_group.this.ingress) == 0 && length(aws_security_group.this.egress) == 0
    error_message = "The endpoint security group must not open anything by itself: clients add one ingress rule each."
  }

  assert {
    condition     = aws_vpc_endpoint.lambda.security_group_ids == toset([aws_security_group.this.id])
    error_message = "The endpoint must use only its own security group."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.this) == 0
    error_message = "Without allowed_security_group_ids the module adds no ingress rule."
  }
}

run "allowed_security_groups_get_https_only_keyed_by_name" {
  command = plan

  variables {
    allowed_security_group_ids = {
      batch-scoring = "sg-0c0c0c0c0c0c0c0c0"
      notebooks     = "sg-0d0d0d0d0d0d0d0d0"
    }
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.this) == ["batch-scoring", "notebooks"]
    error_message = "Ingress rules must be addressed by the stable names of allowed_security_group_ids."
  }

  assert {
    condition = alltrue([
      for name, rule in aws_vpc_security_group_ingress_rule.this :
      rule.ip_protocol == "tcp" && rule.from_port == 443 && rule.to_port == 443 && rule.cidr_ipv4 == null && rule.referenced_security_group_id == var.allowed_security_group_ids[name]
    ])
    error_message = "Each allowed security group may reach port 443 only, by security group reference, never by CIDR."
  }

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.this : rule.security_group_id == aws_security_group.this.id])
    error_message = "The rules must belong to the endpoint's security group."
  }
}

run "s3_gateway_endpoint_is_off_by_default" {
  command = plan

  assert {
    condition     = length(aws_vpc_endpoint.s3) == 0
    error_message = "No S3 gateway endpoint unless asked for."
  }

  assert {
    condition     = output.s3_gateway_endpoint_id == null && output.s3_gateway_endpoint_prefix_list_id == null
    error_message = "The S3 outputs must be null when the endpoint is off."
  }
}

run "s3_gateway_endpoint_routes_model_subnets" {
  command = apply

  variables {
    create_s3_gateway_endpoint = true
    route_table_ids            = ["rtb-0aaaaaaaaaaaaaaaa"]
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.eu-west-1.s3" && aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway"
    error_message = "The S3 endpoint must be a gateway endpoint of the regional S3 service."
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].route_table_ids == toset(["rtb-0aaaaaaaaaaaaaaaa"])
    error_message = "The S3 endpoint must be routed from the given route tables."
  }

  assert {
    condition     = output.s3_gateway_endpoint_prefix_list_id == "pl-6da54004"
    error_message = "The S3 prefix list must be exported for security group egress rules."
  }
}

run "s3_gateway_endpoint_without_route_tables_is_rejected" {
  command = plan

  variables {
    create_s3_gateway_endpoint = true
  }

  expect_failures = [aws_vpc_endpoint.s3]
}

run "lambda_endpoint_policy_allows_only_invoking_the_given_functions_from_this_account" {
  command = plan

  variables {
    lambda_endpoint_function_arns = [
      "arn:aws:lambda:eu-west-1:111122223333:function:example-platform-creds",
      "arn:aws:lambda:eu-west-1:111122223333:function:example-mirror-creds",
    ]
  }

  assert {
    condition = jsondecode(aws_vpc_endpoint.lambda.policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "InvokeRegistryCredentialsProviders"
          Effect    = "Allow"
          Principal = "*"
          Action    = "lambda:InvokeFunction"
          Resource = [
            "arn:aws:lambda:eu-west-1:111122223333:function:example-mirror-creds",
            "arn:aws:lambda:eu-west-1:111122223333:function:example-platform-creds",
          ]
          Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
        },
      ]
    }
    error_message = "The Lambda endpoint may pass only lambda:InvokeFunction on the given functions, for principals of account 111122223333."
  }
}

run "lambda_endpoint_without_functions_denies_everything" {
  command = plan

  assert {
    condition = jsondecode(aws_vpc_endpoint.lambda.policy) == {
      Version   = "2012-10-17"
      Statement = [{ Sid = "DenyEverything", Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }]
    }
    error_message = "Without functions the Lambda endpoint must deny every call, never keep the default full-access policy."
  }
}

run "s3_gateway_endpoint_policy_allows_only_reading_artifacts_and_writing_captures" {
  command = plan

  variables {
    create_s3_gateway_endpoint = true
    route_table_ids            = ["rtb-0aaaaaaaaaaaaaaaa"]
    s3_gateway_read_buckets    = ["example-models", "example-artifacts"]
    s3_gateway_write_buckets   = ["example-capture"]
  }

  assert {
    condition = jsondecode(aws_vpc_endpoint.s3[0].policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "ReadModelArtifacts"
          Effect    = "Allow"
          Principal = "*"
          Action    = "s3:GetObject"
          Resource  = ["arn:aws:s3:::example-artifacts/*", "arn:aws:s3:::example-models/*"]
          Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
        },
        {
          Sid       = "WriteDataCapture"
          Effect    = "Allow"
          Principal = "*"
          Action    = "s3:PutObject"
          Resource  = ["arn:aws:s3:::example-capture/*"]
          Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
        },
      ]
    }
    error_message = "The S3 endpoint may pass only s3:GetObject on the artifact buckets and s3:PutObject on the capture buckets, for principals of account 111122223333."
  }
}

run "s3_gateway_endpoint_without_buckets_denies_everything" {
  command = plan

  variables {
    create_s3_gateway_endpoint = true
    route_table_ids            = ["rtb-0aaaaaaaaaaaaaaaa"]
  }

  assert {
    condition = jsondecode(aws_vpc_endpoint.s3[0].policy) == {
      Version   = "2012-10-17"
      Statement = [{ Sid = "DenyEverything", Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }]
    }
    error_message = "Without buckets the S3 endpoint must deny every call, never keep the default full-access policy."
  }
}

run "wildcard_lambda_function_is_rejected" {
  command = plan

  variables {
    lambda_endpoint_function_arns = ["arn:aws:lambda:eu-west-1:111122223333:function:*"]
  }

  expect_failures = [var.lambda_endpoint_function_arns]
}

run "wildcard_bucket_is_rejected" {
  command = plan

  variables {
    s3_gateway_read_buckets  = ["*"]
    s3_gateway_write_buckets = ["example-*"]
  }

  expect_failures = [var.s3_gateway_read_buckets, var.s3_gateway_write_buckets]
}

run "malformed_vpc_id_is_rejected" {
  command = plan

  variables {
    vpc_id = "my-vpc"
  }

  expect_failures = [var.vpc_id]
}

run "empty_subnet_list_is_rejected" {
  command = plan

  variables {
    subnet_ids = []
  }

  expect_failures = [var.subnet_ids]
}

run "allowed_security_group_must_be_an_id" {
  command = plan

  variables {
    allowed_security_group_ids = {
      anywhere = "0.0.0.0/0"
    }
  }

  expect_failures = [var.allowed_security_group_ids]
}
