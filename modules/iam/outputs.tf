output "iam_role_arn" {
  description = "ARN of the SageMaker execution role."
  value       = aws_iam_role.this.arn
}

output "iam_role_name" {
  description = "Name of the SageMaker execution role."
  value       = aws_iam_role.this.name
}

output "iam_role_unique_id" {
  description = "Stable unique ID of the SageMaker execution role."
  value       = aws_iam_role.this.unique_id
}

output "iam_policy_json" {
  description = "The execution role's inline policy document."
  value       = jsonencode(local.execution_policy)
}
