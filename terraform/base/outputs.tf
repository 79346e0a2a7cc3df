output "credentials_lambda_arns" {
  description = "Registry name => ARN of its credentials Lambda."
  value       = { for name, m in module.registry_credentials : name => m.lambda_function_arn }
}

output "lambda_vpc_endpoint_id" {
  description = "ID of the Lambda interface VPC endpoint."
  value       = module.vpc_endpoints.lambda_endpoint_id
}

output "lambda_endpoint_security_group_id" {
  description = "Security group of the Lambda interface endpoint; each group state admits its registry-clients group to it."
  value       = module.vpc_endpoints.lambda_endpoint_security_group_id
}
