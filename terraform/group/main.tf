data "aws_partition" "current" {}

locals {
  s3 = "arn:${data.aws_partition.current.partition}:s3:::"

  data_captures = [for e in values(var.endpoints) : e.data_capture if e.data_capture != null]

  # Only the registries this group's endpoints pull from: they admit this group, nothing else.
  used_registries          = { for name in distinct([for e in values(var.endpoints) : e.registry]) : name => var.registries[name] }
  authenticated_registries = { for name, r in local.used_registries : name => r if r.auth != "none" }
  needs_lambda_endpoint    = length(local.authenticated_registries) > 0
  needs_s3                 = anytrue([for e in values(var.endpoints) : e.model_data_url != null])
  # A group without endpoints in this environment creates nothing here (no role, no group).
  create = length(var.endpoints) > 0

  registry_ports = {
    for name, r in var.registries : name => length(split(":", r.host)) == 2 ? tonumber(split(":", r.host)[1]) : 443
  }
}

module "naming" {
  source = "../../modules/naming"

  environment   = var.environment
  group         = var.group
  partition     = data.aws_partition.current.partition
  region        = var.aws_region
  account_id    = var.aws_account_id
  registry_auth = { for name, r in var.registries : name => r.auth }
}

################################################################################
# What base created, found by name
################################################################################

# Created by the base state, which is applied first (Atlantis execution order, `make apply`).
# The lookup waits for this group's first apply: on a fresh environment every state plans in the
# same pull request, before base exists, and afterwards the lookup finds base's group by name.
resource "terraform_data" "applied_after_base" {
  count = local.create ? 1 : 0

  input = "base is applied before the groups"
}

data "aws_security_group" "lambda_endpoint" {
  count = local.create && local.needs_lambda_endpoint ? 1 : 0

  vpc_id = var.network.vpc_id
  tags   = { Name = module.naming.lambda_endpoint_security_group_name }

  depends_on = [terraform_data.applied_after_base]
}

# AWS's own prefix list of S3 in the region (the S3 gateway endpoint's), not one of base's.
data "aws_prefix_list" "s3" {
  count = local.create && local.needs_s3 ? 1 : 0

  name = "com.amazonaws.${var.aws_region}.s3"
}

################################################################################
# Network and IAM of the group
################################################################################

module "registry_clients" {
  source = "../../modules/registry_clients"
  count  = local.create ? 1 : 0

  name   = "${module.naming.group_prefix}-models"
  vpc_id = var.network.vpc_id
  registries = {
    for name, r in local.used_registries : name => { security_group_id = r.security_group_id, port = local.registry_ports[name] }
  }
  reach_lambda_endpoint             = local.needs_lambda_endpoint
  lambda_endpoint_security_group_id = try(data.aws_security_group.lambda_endpoint[0].id, null)
  reach_s3                          = local.needs_s3
  s3_prefix_list_id                 = try(data.aws_prefix_list.s3[0].id, null)
}

module "iam" {
  source = "../../modules/iam"
  count  = local.create ? 1 : 0

  name                    = module.naming.execution_role_name
  vpc_id                  = var.network.vpc_id
  subnet_ids              = var.network.subnet_ids
  credentials_lambda_arns = { for name, _ in local.authenticated_registries : name => module.naming.credentials_function_arns[name] }
  kms_key_arns            = var.kms_key_arn == null ? [] : [var.kms_key_arn]
  model_artifact_s3_arns = sort(distinct([
    for e in values(var.endpoints) : "${local.s3}${trimprefix(e.model_data_url, "s3://")}" if e.model_data_url != null
  ]))
  data_capture_s3_arns = sort(distinct([
    for c in local.data_captures : "${local.s3}${trimsuffix(trimprefix(c.destination_s3_uri, "s3://"), "/")}/*"
  ]))
  data_capture_kms_key_arns = sort(distinct([for c in local.data_captures : c.kms_key_arn if c.kms_key_arn != null]))

  # The environment's allow-lists: the module refuses a catalog value outside them.
  allowed_artifact_buckets = var.s3.artifact_buckets
  allowed_capture_buckets  = var.s3.capture_buckets
  allowed_kms_key_arns     = concat(var.kms_key_arn == null ? [] : [var.kms_key_arn], var.s3.capture_kms_key_arns)
}

################################################################################
# Endpoints
################################################################################

# One argument per kind of input (the catalog's endpoint, what it runs with): Terraform evaluates
# every argument of every instance on its own, so fewer arguments plan faster at scale.
module "endpoint" {
  source   = "../../modules/sagemaker_endpoint"
  for_each = var.endpoints

  name = each.key
  endpoint = {
    image                    = each.value.image
    variants                 = each.value.variants
    container_environment    = each.value.container_environment
    model_data_url           = each.value.model_data_url
    enable_network_isolation = each.value.enable_network_isolation
    data_capture             = each.value.data_capture
    deployment               = each.value.deployment
    tags                     = merge(each.value.tags, { "sagemaker-gitops:endpoint" = each.key, "sagemaker-gitops:group" = var.group })
  }
  runtime = {
    execution_role_arn     = module.iam[0].iam_role_arn
    registry_auth          = var.registries[each.value.registry].auth
    credentials_lambda_arn = try(module.naming.credentials_function_arns[each.value.registry], null)
    subnet_ids             = var.network.subnet_ids
    security_group_ids     = [module.registry_clients[0].security_group_id]
    kms_key_arn            = var.kms_key_arn
  }
}
