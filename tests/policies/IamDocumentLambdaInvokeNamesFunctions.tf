# CKV_SMGO_3: a policy document that allows lambda:InvokeFunction names the functions.

variable "credentials_lambda_arns" {
  description = "Unresolved in directory mode: a reference names functions, it is not a wildcard."
  type        = list(string)
  default     = []
}

data "aws_iam_policy_document" "invoke_named_pass" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
  }
}

data "aws_iam_policy_document" "invoke_reference_pass" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = var.credentials_lambda_arns
  }
}

data "aws_iam_policy_document" "no_invoke_pass" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "invoke_star_fail_1" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "invoke_function_wildcard_fail_2" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:eu-west-1:123456789012:function:*"]
  }
}

data "aws_iam_policy_document" "lambda_star_action_fail_3" {
  statement {
    actions   = ["lambda:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "invoke_not_resource_fail_4" {
  statement {
    actions       = ["lambda:InvokeFunction"]
    not_resources = ["arn:aws:lambda:eu-west-1:123456789012:function:registry-creds"]
  }
}

data "aws_iam_policy_document" "invoke_layer_arn_fail_5" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:eu-west-1:123456789012:layer:registry-creds"]
  }
}
