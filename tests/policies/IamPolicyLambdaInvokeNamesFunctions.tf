# CKV_SMGO_4: a JSON policy that allows lambda:InvokeFunction names the functions.

resource "aws_iam_role_policy" "invoke_named_pass" {
  name = "invoke-named-pass"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
    }]
  })
}

resource "aws_iam_policy" "invoke_heredoc_named_pass" {
  name   = "invoke-heredoc-named-pass"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": {
        "Effect": "Allow",
        "Action": ["lambda:InvokeFunction"],
        "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"
      }
    }
  JSON
}

resource "aws_iam_role_policy" "invoke_star_fail_1" {
  name = "invoke-star-fail-1"
  role = "sagemaker-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "inline_invoke_wildcard_fail_2" {
  name = "inline-invoke-wildcard-fail-2"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "sagemaker.amazonaws.com" } }]
  })

  inline_policy {
    name = "invoke"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "lambda:Invoke*", Resource = "arn:aws:lambda:eu-west-1:123456789012:function:registry-*" }]
    })
  }
}

resource "aws_iam_policy" "not_action_fail_3" {
  name = "not-action-fail-3"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }]
  })
}
