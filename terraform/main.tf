data "aws_partition" "current" {}

locals {
  name = "sagemaker-gitops-${var.environment}"
  s3   = "arn:${data.aws_partition.current.partition}:s3:::"

  data_captures = [for e in values(var.endpoints) : e.data_capture if e.data_capture != null]

  authenticated_registries = { for name, r in var.registries : name => r if r.auth != "none" }

  registry_ports = {
    for name, r in var.registries : name => length(split(":", r.host)) == 2 ? tonumber(split(":", r.host)[1]) : 443
  }
}

module "vpc_endpoints" {
  source = "../modules/vpc_endpoints"

  name                = local.name
  vpc_id              = var.network.vpc_id
  subnet_ids          = var.network.subnet_ids
  private_dns_enabled = var.network.lambda_endpoint_private_dns

  create_s3_gateway_endpoint = length(var.network.s3_gateway_route_table_ids) > 0
  route_table_ids            = var.network.s3_gateway_route_table_ids
}

module "registry_credentials" {
  source   = "../modules/registry_credentials"
  for_each = local.authenticated_registries

  name               = "${local.name}-${replace(each.key, "_", "-")}-creds"
  secret_arn         = each.value.credentials_secret_arn
  secret_kms_key_arn = each.value.credentials_kms_key_arn
  package_path       = var.credentials_lambda_package
}

module "iam" {
  source = "../modules/iam"

  name                    = "${local.name}-execution"
  vpc_id                  = var.network.vpc_id
  subnet_ids              = var.network.subnet_ids
  credentials_lambda_arns = { for name, m in module.registry_credentials : name => m.lambda_function_arn }
  kms_key_arns            = var.kms_key_arn == null ? [] : [var.kms_key_arn]
  model_artifact_s3_arns = sort(distinct([
    for e in values(var.endpoints) : "${local.s3}${trimprefix(e.model_data_url, "s3://")}" if e.model_data_url != null
  ]))
  data_capture_s3_arns = sort(distinct([
    for c in local.data_captures : "${local.s3}${trimsuffix(trimprefix(c.destination_s3_uri, "s3://"), "/")}/*"
  ]))
  data_capture_kms_key_arns = sort(distinct([for c in local.data_captures : c.kms_key_arn if c.kms_key_arn != null]))
}

module "endpoint" {
  source   = "../modules/sagemaker_endpoint"
  for_each = var.endpoints

  name                              = each.key
  image                             = each.value.image
  execution_role_arn                = module.iam.iam_role_arn
  registry_auth                     = var.registries[each.value.registry].auth
  credentials_lambda_arn            = try(module.registry_credentials[each.value.registry].lambda_function_arn, null)
  vpc_id                            = var.network.vpc_id
  subnet_ids                        = var.network.subnet_ids
  registry_security_group_id        = var.registries[each.value.registry].security_group_id
  registry_port                     = local.registry_ports[each.value.registry]
  lambda_endpoint_security_group_id = module.vpc_endpoints.lambda_endpoint_security_group_id
  variants                          = each.value.variants
  container_environment             = each.value.container_environment
  model_data_url                    = each.value.model_data_url
  s3_prefix_list_id                 = module.vpc_endpoints.s3_gateway_endpoint_prefix_list_id
  enable_network_isolation          = each.value.enable_network_isolation
  kms_key_arn                       = var.kms_key_arn
  data_capture                      = each.value.data_capture
  deployment                        = each.value.deployment
  tags                              = merge(each.value.tags, { "sagemaker-gitops:endpoint" = each.key })
}
