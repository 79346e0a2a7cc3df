output "lambda_function_arn" {
  description = "ARN of the credentials Lambda, for RepositoryCredentialsProviderArn."
  # Built from the function's name so that it is known at plan time: the execution role's
  # invoke statement and each model's RepositoryCredentialsProviderArn then show the exact
  # ARN in the plan. Referencing the resource keeps the dependency on the function.
  value = "arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:function:${aws_lambda_function.this.function_name}"
}

output "lambda_function_name" {
  description = "Name of the credentials Lambda."
  value       = aws_lambda_function.this.function_name
}

output "lambda_function_source_code_hash" {
  description = "Base64 SHA-256 of the deployed zip; unchanged while the handler's source is."
  value       = aws_lambda_function.this.source_code_hash
}

output "iam_role_arn" {
  description = "ARN of the Lambda's execution role."
  value       = aws_iam_role.this.arn
}

output "iam_role_name" {
  description = "Name of the Lambda's execution role."
  value       = aws_iam_role.this.name
}

output "iam_policy_json" {
  description = "The execution role's inline policy document."
  value       = jsonencode(local.policy)
}

output "cloudwatch_log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}
