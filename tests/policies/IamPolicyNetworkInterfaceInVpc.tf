# CKV_SMGO_11: a JSON policy that allows ec2:CreateNetworkInterface has an ec2:Vpc condition.

resource "aws_iam_role_policy" "interface_vpc_condition_pass" {
  name = "vpc-condition-pass"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["ec2:CreateNetworkInterface"]
        Resource  = ["arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0"]
        Condition = { ArnEquals = { "ec2:Vpc" = "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0" } }
      },
      {
        Effect    = "Allow"
        Action    = ["ec2:CreateNetworkInterface"]
        Resource  = ["arn:aws:ec2:eu-west-1:123456789012:network-interface/*"]
        Condition = { ArnEquals = { "ec2:Vpc" = "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0", "ec2:Subnet" = ["arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0"] } }
      },
      { Effect = "Allow", Action = ["ec2:DescribeSubnets"], Resource = ["*"] },
    ]
  })
}

resource "aws_iam_policy" "interface_other_actions_pass" {
  name = "other-actions-pass"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "arn:aws:logs:eu-west-1:123456789012:log-group:x:*" }]
  })
}

resource "aws_iam_role_policy" "interface_no_condition_fail_1" {
  name = "no-condition-fail-1"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:CreateNetworkInterface", Resource = "*" }]
  })
}

resource "aws_iam_policy" "interface_subnet_condition_only_fail_2" {
  name = "subnet-condition-only-fail-2"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "ec2:CreateNetworkInterface"
      Resource  = "arn:aws:ec2:eu-west-1:123456789012:network-interface/*"
      Condition = { ArnEquals = { "ec2:Subnet" = "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0" } }
    }]
  })
}

resource "aws_iam_role_policy" "interface_ec2_wildcard_fail_3" {
  name = "ec2-wildcard-fail-3"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "interface_if_exists_fail_4" {
  name = "if-exists-fail-4"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "ec2:CreateNetworkInterface"
      Resource  = "*"
      Condition = { ArnEqualsIfExists = { "ec2:Vpc" = "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0" } }
    }]
  })
}

resource "aws_iam_role_policy" "interface_any_vpc_fail_5" {
  name = "any-vpc-fail-5"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "ec2:CreateNetworkInterface"
      Resource  = "*"
      Condition = { ArnLike = { "ec2:Vpc" = "arn:aws:ec2:*:*:vpc/*" } }
    }]
  })
}

resource "aws_iam_role" "interface_inline_no_condition_fail_6" {
  name = "inline-no-condition-fail-6"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "sagemaker.amazonaws.com" } }]
  })

  inline_policy {
    name = "interfaces"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", NotAction = "s3:*", Resource = "*" }]
    })
  }
}
