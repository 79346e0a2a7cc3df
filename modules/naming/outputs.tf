output "prefix" {
  description = "Prefix of every name in the environment: sagemaker-gitops-<environment>."
  value       = local.prefix
}

output "credentials_function_names" {
  description = "Registry name => name of its credentials Lambda (only registries that need a login)."
  value       = local.credentials_function_names
}

output "credentials_function_arns" {
  description = "Registry name => ARN of its credentials Lambda, built from partition, region, account and name."
  value = {
    for name, function in local.credentials_function_names :
    name => "arn:${var.partition}:lambda:${var.region}:${var.account_id}:function:${function}"
  }
}

output "lambda_endpoint_security_group_name" {
  description = "Name tag of the Lambda interface endpoint's security group (created by base, found by groups)."
  value       = "${local.prefix}-lambda-endpoint"
}

output "vpc_endpoints_name" {
  description = "Name prefix the base state gives the VPC endpoints module."
  value       = local.prefix
}

output "group_prefix" {
  description = "Prefix of a group's own names (sagemaker-gitops-<environment>-<group>), or null for the base state."
  value       = var.group == null ? null : "${local.prefix}-${var.group}"
}

output "execution_role_name" {
  description = "Name of the group's SageMaker execution role (at most 64 characters), or null for the base state."
  value       = var.group == null ? null : "${local.prefix}-${var.group}-execution"
}
