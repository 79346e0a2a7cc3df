output "lambda_function_arn" {
  description = "ARN of the credentials Lambda, for RepositoryCredentialsProviderArn."
  value       = aws_lambda_function.this.arn
}

output "lambda_function_name" {
  description = "Name of the credentials Lambda."
  value       = aws_lambda_function.this.function_name
}

output "iam_role_arn" {
  description = "ARN of the Lambda's execution role."
  value       = aws_iam_role.this.arn
}
