# CKV_SMGO_7: a JSON policy that allows secretsmanager:GetSecretValue names one secret.

resource "aws_iam_role_policy" "read_own_secret_pass" {
  name = "read-own-secret-pass"
  role = "registry-creds"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"
    }]
  })
}

resource "aws_iam_role_policy" "read_prefix_fail_1" {
  name = "read-prefix-fail-1"
  role = "registry-creds"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/*"
    }]
  })
}

resource "aws_iam_policy" "admin_fail_2" {
  name = "admin-fail-2"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
