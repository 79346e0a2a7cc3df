# CKV_SMGO_6: a policy document that allows secretsmanager:GetSecretValue names one secret.

variable "secret_arn" {
  description = "Unresolved in directory mode: a reference counts as one secret."
  type        = string
  default     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"
}

data "aws_iam_policy_document" "read_own_secret_pass" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"]
  }
}

data "aws_iam_policy_document" "read_reference_secret_pass" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.secret_arn]
  }

  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/registry-creds:*"]
  }
}

data "aws_iam_policy_document" "read_any_secret_fail_1" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "read_secret_suffix_wildcard_fail_2" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-??????"]
  }
}

data "aws_iam_policy_document" "read_two_secrets_fail_3" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"]
  }

  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/mirror-GhIjKl"]
  }
}

data "aws_iam_policy_document" "secretsmanager_star_fail_4" {
  statement {
    actions   = ["secretsmanager:*"]
    resources = ["*"]
  }
}
