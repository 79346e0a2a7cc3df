# CKV_SMGO_12: Lambda and S3 VPC endpoint policies let through principals of named accounts only.

resource "aws_vpc_endpoint" "lambda_same_account_pass" {
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
      Resource  = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-credentials"]
      Condition = { StringEquals = { "aws:PrincipalAccount" = "123456789012" } }
    }]
  })
}

resource "aws_vpc_endpoint" "s3_same_organisation_pass" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::example-artifacts/*"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = ["o-a1b2c3d4e5"] } }
      },
      { Effect = "Deny", Principal = "*", Action = "s3:DeleteObject", Resource = "*" },
    ]
  })
}

resource "aws_vpc_endpoint" "s3_named_role_pass" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::123456789012:role/sagemaker-gitops-prod-g000-execution"] }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-artifacts/*"
    }]
  })
}

resource "aws_vpc_endpoint" "sts_endpoint_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "lambda_no_policy_fail_1" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "lambda_any_principal_fail_2" {
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
      Resource  = "arn:aws:lambda:eu-west-1:123456789012:function:registry-credentials"
    }]
  })
}

resource "aws_vpc_endpoint" "s3_account_wildcard_fail_3" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-artifacts/*"
      Condition = { StringEquals = { "aws:PrincipalAccount" = "12345678*" } }
    }]
  })
}

resource "aws_vpc_endpoint" "s3_if_exists_fail_4" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-artifacts/*"
      Condition = { StringEqualsIfExists = { "aws:PrincipalAccount" = "123456789012" } }
    }]
  })
}

resource "aws_vpc_endpoint" "s3_second_statement_unlimited_fail_5" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::example-artifacts/*"
        Condition = { StringEquals = { "aws:PrincipalAccount" = "123456789012" } }
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::example-capture/*"
      },
    ]
  })
}

resource "aws_vpc_endpoint" "s3_principal_wildcard_fail_6" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-artifacts/*"
    }]
  })
}
