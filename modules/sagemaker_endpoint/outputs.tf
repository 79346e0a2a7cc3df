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

output "cloudwatch_rollback_alarm_names" {
  description = "Alarms that roll a blue/green deployment back (the module's own and the given ones); empty without deployment guardrails."
  value       = local.rollback_alarm_names
}

output "appautoscaling_target_resource_ids" {
  description = "Variant name => Application Auto Scaling resource ID, for the variants that autoscale."
  value       = { for name, t in aws_appautoscaling_target.variant : name => t.resource_id }
}
