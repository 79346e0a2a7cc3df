locals {
  account_id      = data.aws_caller_identity.current.account_id
  partition       = data.aws_partition.current.partition
  region          = data.aws_region.current.name
  lambda_dns_name = "lambda.${local.region}.amazonaws.com"

  # Endpoint policies limit what may pass through the endpoint, on top of the callers' own IAM
  # policies: principals of this account only, and only the calls SageMaker makes. Principal
  # "*" with aws:PrincipalAccount is the form AWS documents for endpoint policies (an endpoint
  # policy cannot name the execution roles of groups that do not exist yet). An empty list
  # denies everything rather than leaving the default full-access policy in place.
  same_account = { StringEquals = { "aws:PrincipalAccount" = local.account_id } }
  deny_all     = { Sid = "DenyEverything", Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }

  lambda_function_arns = sort(distinct(var.lambda_endpoint_function_arns))
  lambda_endpoint_policy = {
    Version = "2012-10-17"
    Statement = concat(length(local.lambda_function_arns) > 0 ? [] : [local.deny_all], length(local.lambda_function_arns) == 0 ? [] : [
      {
        Sid       = "InvokeRegistryCredentialsProviders"
        Effect    = "Allow"
        Principal = "*"
        Action    = "lambda:InvokeFunction"
        Resource  = local.lambda_function_arns
        Condition = local.same_account
      },
    ])
  }

  s3_read_buckets  = sort(distinct(var.s3_gateway_read_buckets))
  s3_write_buckets = sort(distinct(var.s3_gateway_write_buckets))
  s3_statements = concat(
    length(local.s3_read_buckets) == 0 ? [] : [
      {
        Sid       = "ReadModelArtifacts"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = [for b in local.s3_read_buckets : "arn:${local.partition}:s3:::${b}/*"]
        Condition = local.same_account
      },
    ],
    length(local.s3_write_buckets) == 0 ? [] : [
      {
        Sid       = "WriteDataCapture"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = [for b in local.s3_write_buckets : "arn:${local.partition}:s3:::${b}/*"]
        Condition = local.same_account
      },
    ],
  )
  s3_endpoint_policy = {
    Version   = "2012-10-17"
    Statement = concat(length(local.s3_statements) > 0 ? [] : [local.deny_all], local.s3_statements)
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

################################################################################
# Lambda interface endpoint
################################################################################

# No inline rules: each client (the per-endpoint model security group of the sagemaker_endpoint
# module, or an entry of allowed_security_group_ids) owns one ingress rule, so adding or removing
# a model never touches this group or another model's rule.
resource "aws_security_group" "this" {
  name_prefix = "${var.name}-lambda-endpoint-"
  description = "Lambda interface endpoint: HTTPS from SageMaker model security groups only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-lambda-endpoint" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.this.id
  description                  = "HTTPS to the Lambda endpoint from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
  tags                         = merge(var.tags, { Name = "${var.name}-lambda-endpoint-${each.key}" })
}

resource "aws_vpc_endpoint" "lambda" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${local.region}.lambda"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.this.id]
  private_dns_enabled = var.private_dns_enabled
  policy              = jsonencode(local.lambda_endpoint_policy)
  tags                = merge(var.tags, { Name = "${var.name}-lambda" })
}

################################################################################
# Private hosted zone (only when private DNS is off)
################################################################################

# Without private DNS, SageMaker would resolve the public Lambda endpoint, which a VPC model
# cannot reach: publish the name in a private hosted zone that points at the endpoint.
resource "aws_route53_zone" "lambda" {
  count = var.private_dns_enabled ? 0 : 1

  name    = local.lambda_dns_name
  comment = "Routes ${local.lambda_dns_name} to the VPC endpoint (private DNS is off)"
  tags    = var.tags

  vpc {
    vpc_id = var.vpc_id
  }
}

resource "aws_route53_record" "lambda" {
  count = var.private_dns_enabled ? 0 : 1

  zone_id = aws_route53_zone.lambda[0].zone_id
  name    = local.lambda_dns_name
  type    = "A"

  # dns_entry[0] is the endpoint's regional name; the others are zonal.
  alias {
    name                   = aws_vpc_endpoint.lambda.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.lambda.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

################################################################################
# S3 gateway endpoint for model artifacts (optional)
################################################################################

resource "aws_vpc_endpoint" "s3" {
  count = var.create_s3_gateway_endpoint ? 1 : 0

  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  policy            = jsonencode(local.s3_endpoint_policy)
  tags              = merge(var.tags, { Name = "${var.name}-s3" })

  lifecycle {
    precondition {
      condition     = length(var.route_table_ids) > 0
      error_message = "create_s3_gateway_endpoint needs route_table_ids: a gateway endpoint only works through the route tables of the model subnets."
    }
  }
}
