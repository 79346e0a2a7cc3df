# CKV_SMGO_8: a Lambda interface endpoint has private DNS, or a Route 53 record maps the name to it.

resource "aws_vpc_endpoint" "private_dns_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "route53_mapping_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_route53_zone" "lambda" {
  name = "lambda.eu-west-1.amazonaws.com"

  vpc {
    vpc_id = "vpc-0123456789abcdef0"
  }
}

resource "aws_route53_record" "lambda" {
  zone_id = aws_route53_zone.lambda.zone_id
  name    = "lambda.eu-west-1.amazonaws.com"
  type    = "A"

  alias {
    name                   = aws_vpc_endpoint.route53_mapping_pass.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.route53_mapping_pass.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_vpc_endpoint" "other_service_pass" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint" "no_private_dns_fail_1" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_vpc_endpoint" "default_private_dns_fail_2" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint" "unrelated_record_fail_3" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_route53_record" "unrelated" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "metrics.internal.example.com"
  type    = "A"

  alias {
    name                   = aws_vpc_endpoint.unrelated_record_fail_3.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.unrelated_record_fail_3.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}
