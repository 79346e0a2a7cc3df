# CKV_SMGO_10: an S3 VPC endpoint lets through only named actions on objects of named buckets.

resource "aws_vpc_endpoint" "s3_policy_named_buckets_pass" {
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
        Resource  = ["arn:aws:s3:::example-artifacts/*"]
        Condition = { StringEquals = { "aws:PrincipalAccount" = "123456789012" } }
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:PutObject"]
        Resource  = "arn:aws:s3:::example-capture/*"
      },
    ]
  })
}

resource "aws_vpc_endpoint" "s3_policy_deny_all_pass" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }]
  })
}

resource "aws_vpc_endpoint" "s3_policy_lambda_service_pass" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.eu-west-1.lambda"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3_policy_no_policy_fail_1" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
}

resource "aws_vpc_endpoint" "s3_policy_wildcard_bucket_fail_2" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::example-*/*" }]
  })
}

resource "aws_vpc_endpoint" "s3_policy_any_resource_fail_3" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_vpc_endpoint" "s3_policy_action_wildcard_fail_4" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0123456789abcdef0"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::example-artifacts/*" }]
  })
}

resource "aws_vpc_endpoint" "s3_policy_whole_bucket_fail_5" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Interface"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:ListBucket", Resource = "arn:aws:s3:::example-artifacts" }]
  })
}
