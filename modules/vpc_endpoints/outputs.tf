output "lambda_endpoint_id" {
  description = "ID of the Lambda interface VPC endpoint."
  value       = aws_vpc_endpoint.lambda.id
}

output "lambda_endpoint_security_group_id" {
  description = "Security group of the Lambda endpoint; clients add HTTPS ingress rules to it."
  value       = aws_security_group.this.id
}

output "lambda_dns_name" {
  description = "The Lambda service name that resolves to the endpoint inside the VPC."
  value       = local.lambda_dns_name
}

output "route53_zone_id" {
  description = "ID of the private hosted zone for the Lambda name, or null when private DNS is on."
  value       = try(aws_route53_zone.lambda[0].zone_id, null)
}
