output "sagemaker_endpoint_name" {
  description = "Name of the SageMaker endpoint."
  value       = aws_sagemaker_endpoint.this.name
}

output "sagemaker_endpoint_arn" {
  description = "ARN of the SageMaker endpoint."
  value       = aws_sagemaker_endpoint.this.arn
}

output "sagemaker_model_name" {
  description = "Name of the live model (content-addressed)."
  value       = aws_sagemaker_model.this.name
}

output "sagemaker_endpoint_configuration_name" {
  description = "Name of the live endpoint configuration (content-addressed)."
  value       = aws_sagemaker_endpoint_configuration.this.name
}

output "model_security_group_id" {
  description = "Security group of the model containers."
  value       = aws_security_group.model.id
}
