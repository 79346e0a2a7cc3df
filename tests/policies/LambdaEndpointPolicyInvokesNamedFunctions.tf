# CKV_SMGO_9: a Lambda interface endpoint lets through only lambda:InvokeFunction on named functions.

resource "aws_vpc_endpoint" "lambda_policy_invoke_named_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "lambda:InvokeFunction"
      Resource  = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
      Condition = { StringEquals = { "aws:PrincipalAccount" = "123456789012" } }
    }]
  })
}

resource "aws_vpc_endpoint" "lambda_policy_deny_all_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }]
  })
}

resource "aws_vpc_endpoint" "lambda_policy_other_service_pass" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint" "lambda_policy_no_policy_fail_1" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "lambda_policy_other_action_fail_2" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["lambda:InvokeFunction", "lambda:GetFunction"]
      Resource  = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
    }]
  })
}

resource "aws_vpc_endpoint" "lambda_policy_action_wildcard_fail_3" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "lambda:*"
      Resource  = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
    }]
  })
}

resource "aws_vpc_endpoint" "lambda_policy_wildcard_function_fail_4" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "lambda:InvokeFunction"
      Resource  = ["arn:aws:lambda:eu-west-1:123456789012:function:*"]
    }]
  })
}

resource "aws_vpc_endpoint" "lambda_policy_any_resource_fail_5" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }]
  })
}
