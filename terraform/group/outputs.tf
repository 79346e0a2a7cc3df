output "sagemaker_endpoints" {
  description = "Endpoint name => live model and endpoint configuration names."
  value = {
    for name, m in module.endpoint : name => {
      endpoint_arn           = m.sagemaker_endpoint.arn
      model_name             = m.sagemaker_endpoint.model_name
      endpoint_configuration = m.sagemaker_endpoint.endpoint_configuration_name
    }
  }
}

output "execution_role_arn" {
  description = "ARN of the group's SageMaker execution role, or null when the group has no endpoint in this environment."
  value       = try(module.iam[0].iam_role_arn, null)
}

output "registry_clients_security_group_id" {
  description = "Security group that every model of the group joins."
  value       = try(module.registry_clients[0].security_group_id, null)
}
