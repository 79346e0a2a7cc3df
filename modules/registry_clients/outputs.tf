output "security_group_id" {
  description = "ID of the registry-clients security group that the models join."
  value       = aws_security_group.models.id
}

output "security_group_arn" {
  description = "ARN of the registry-clients security group."
  value       = aws_security_group.models.arn
}

output "ingress_rule_ids" {
  description = "IDs of the ingress rules this group owns in other groups (registries and the Lambda endpoint): one each, whatever the number of models."
  value = concat(
    [for r in aws_vpc_security_group_ingress_rule.registry_from_clients : r.security_group_rule_id],
    [for r in aws_vpc_security_group_ingress_rule.lambda_endpoint_from_clients : r.security_group_rule_id],
  )
}
