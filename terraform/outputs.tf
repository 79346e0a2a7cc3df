output "sagemaker_endpoints" {
  description = "Endpoint name => live model and endpoint configuration names."
  value = {
    for name, m in module.endpoint : name => {
      endpoint_arn           = m.sagemaker_endpoint_arn
      model_name             = m.sagemaker_model_name
      endpoint_configuration = m.sagemaker_endpoint_configuration_name
    }
  }
}

output "execution_role_arn" {
  description = "ARN of the SageMaker execution role."
  value       = module.iam.iam_role_arn
}

output "credentials_lambda_arns" {
  description = "Registry name => ARN of its credentials Lambda."
  value       = { for name, m in module.registry_credentials : name => m.lambda_function_arn }
}

output "lambda_vpc_endpoint_id" {
  description = "ID of the Lambda interface VPC endpoint."
  value       = module.vpc_endpoints.lambda_endpoint_id
}
