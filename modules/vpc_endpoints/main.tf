data "aws_region" "current" {}

locals {
  lambda_dns_name = "lambda.${data.aws_region.current.name}.amazonaws.com"
}

# Clients (the model security groups) add their own ingress rules to this group, so adding an
# endpoint never changes this module's resources.
resource "aws_security_group" "this" {
  name_prefix = "${var.name}-lambda-endpoint-"
  description = "Lambda interface endpoint: HTTPS from SageMaker model security groups only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-lambda-endpoint" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_endpoint" "lambda" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.lambda"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.this.id]
  private_dns_enabled = var.private_dns_enabled
  tags                = merge(var.tags, { Name = "${var.name}-lambda" })
}

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

  alias {
    name                   = aws_vpc_endpoint.lambda.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.lambda.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}
