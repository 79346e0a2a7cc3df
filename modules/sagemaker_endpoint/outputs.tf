# One output object rather than one output per value: the group root calls this module once per
# endpoint, and every output is a graph node per endpoint that each plan evaluates.
output "sagemaker_endpoint" {
  description = "The endpoint: name, arn, the live (content-addressed) model_name and endpoint_configuration_name, the rollback_alarm_names of a blue/green deployment (the module's own and the given ones; empty without guardrails) and autoscaling_resource_ids (variant name => Application Auto Scaling resource ID, for the variants that autoscale)."
  value = {
    name                        = aws_sagemaker_endpoint.this.name
    arn                         = aws_sagemaker_endpoint.this.arn
    model_name                  = aws_sagemaker_model.this.name
    endpoint_configuration_name = aws_sagemaker_endpoint_configuration.this.name
    rollback_alarm_names        = local.rollback_alarm_names
    autoscaling_resource_ids    = { for name, t in aws_appautoscaling_target.variant : name => t.resource_id }
  }
}
