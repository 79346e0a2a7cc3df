data "aws_partition" "current" {}

locals {
  authenticated_registries = { for name, r in var.registries : name => r if r.auth != "none" }
}

# What every endpoint group of the environment shares: the Lambda interface endpoint (and the S3
# gateway endpoint), and one credentials Lambda per registry that needs a login. The groups find
# them by the names module.naming gives them; nothing here reads or is read by a group's state.

module "naming" {
  source = "../../modules/naming"

  environment   = var.environment
  partition     = data.aws_partition.current.partition
  region        = var.aws_region
  account_id    = var.aws_account_id
  registry_auth = { for name, r in var.registries : name => r.auth }
}

module "vpc_endpoints" {
  source = "../../modules/vpc_endpoints"

  name                = module.naming.vpc_endpoints_name
  vpc_id              = var.network.vpc_id
  subnet_ids          = var.network.subnet_ids
  private_dns_enabled = var.network.lambda_endpoint_private_dns

  # Only the credentials Lambdas may be invoked through the Lambda endpoint, and only the
  # allowed buckets reached through the S3 endpoint.
  lambda_endpoint_function_arns = values(module.naming.credentials_function_arns)

  create_s3_gateway_endpoint = length(var.network.s3_gateway_route_table_ids) > 0
  route_table_ids            = var.network.s3_gateway_route_table_ids
  s3_gateway_read_buckets    = var.s3.artifact_buckets
  s3_gateway_write_buckets   = var.s3.capture_buckets
}

module "registry_credentials" {
  source   = "../../modules/registry_credentials"
  for_each = local.authenticated_registries

  name               = module.naming.credentials_function_names[each.key]
  secret_arn         = each.value.credentials_secret_arn
  secret_kms_key_arn = each.value.credentials_kms_key_arn
  package_path       = var.credentials_lambda_package
}
