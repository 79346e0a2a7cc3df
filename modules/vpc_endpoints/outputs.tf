output "lambda_endpoint_id" {
  description = "ID of the Lambda interface VPC endpoint."
  value       = aws_vpc_endpoint.lambda.id
}

output "lambda_endpoint_dns_entries" {
  description = "DNS entries of the Lambda interface endpoint; the first is the regional name."
  value       = aws_vpc_endpoint.lambda.dns_entry
}

output "lambda_endpoint_security_group_id" {
  description = "Security group of the Lambda endpoint; clients add HTTPS ingress rules to it."
  value       = aws_security_group.this.id
}

output "lambda_endpoint_security_group_arn" {
  description = "ARN of the Lambda endpoint's security group."
  value       = aws_security_group.this.arn
}

output "lambda_dns_name" {
  description = "The Lambda service name that resolves to the endpoint inside the VPC."
  value       = local.lambda_dns_name
}

output "route53_zone_id" {
  description = "ID of the private hosted zone for the Lambda name, or null when private DNS is on."
  value       = try(aws_route53_zone.lambda[0].zone_id, null)
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint, or null when create_s3_gateway_endpoint is false."
  value       = try(aws_vpc_endpoint.s3[0].id, null)
}

output "s3_gateway_endpoint_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint, for security group egress rules to S3; null when there is none."
  value       = try(aws_vpc_endpoint.s3[0].prefix_list_id, null)
}
