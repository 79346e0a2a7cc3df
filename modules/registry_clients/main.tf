locals {
  # Known at plan time (the IDs they guard may not be), so they can drive count. The rules'
  # preconditions fail only on an ID known to be null: one still unknown at plan time (a fresh
  # environment finds the Lambda endpoint's group by a data source that waits for the first
  # apply) is checked again when it is known, at apply.
  create_lambda_endpoint_rules = var.reach_lambda_endpoint
  create_s3_rule               = var.reach_s3
}

################################################################################
# Security group
################################################################################

# One group for every model of an endpoint group: the registries and the Lambda endpoint admit
# this group once, so the number of rules in their groups grows with the number of endpoint
# groups, never with the number of endpoints (AWS allows 60 inbound rules per group by default).

# Named `models`, not `this`: checkov maps plan resources to files by type and name, and
# vpc_endpoints has an aws_security_group.this whose file carries no skip for CKV2_AWS_5.
resource "aws_security_group" "models" {
  #checkov:skip=CKV2_AWS_5:Attached through aws_sagemaker_model.vpc_config.security_group_ids, which checkov does not count as an attachment.
  name_prefix = "${var.name}-"
  description = "SageMaker models of ${var.name}: HTTPS to the private registries and the Lambda endpoint"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Private registries
################################################################################

resource "aws_vpc_security_group_egress_rule" "to_registry" {
  for_each = var.registries

  security_group_id            = aws_security_group.models.id
  description                  = "Image pull from registry ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "registry_from_clients" {
  for_each = var.registries

  security_group_id            = each.value.security_group_id
  description                  = "Image pull by the SageMaker models of ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.models.id
  tags                         = var.tags
}

################################################################################
# Lambda interface endpoint (registry credentials)
################################################################################

resource "aws_vpc_security_group_egress_rule" "to_lambda_endpoint" {
  count = local.create_lambda_endpoint_rules ? 1 : 0

  security_group_id            = aws_security_group.models.id
  description                  = "Registry credentials from the Lambda interface endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.lambda_endpoint_security_group_id
  tags                         = var.tags

  lifecycle {
    precondition {
      condition     = var.lambda_endpoint_security_group_id != null
      error_message = "reach_lambda_endpoint is true but lambda_endpoint_security_group_id is null: pass the Lambda interface endpoint's security group ID, or set reach_lambda_endpoint = false."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "lambda_endpoint_from_clients" {
  count = local.create_lambda_endpoint_rules ? 1 : 0

  security_group_id            = var.lambda_endpoint_security_group_id
  description                  = "Registry credentials for the SageMaker models of ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.models.id
  tags                         = var.tags

  lifecycle {
    precondition {
      condition     = var.lambda_endpoint_security_group_id != null
      error_message = "reach_lambda_endpoint is true but lambda_endpoint_security_group_id is null: pass the Lambda interface endpoint's security group ID, or set reach_lambda_endpoint = false."
    }
  }
}

################################################################################
# S3 gateway endpoint (model artifacts)
################################################################################

# Models download model_data_url through the VPC: HTTPS to the S3 prefix list and nowhere else.
resource "aws_vpc_security_group_egress_rule" "to_s3" {
  count = local.create_s3_rule ? 1 : 0

  security_group_id = aws_security_group.models.id
  description       = "Model artifacts from S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = var.s3_prefix_list_id != null
      error_message = "reach_s3 is true but s3_prefix_list_id is null: pass the S3 prefix list ID of the region, or set reach_s3 = false."
    }
  }
}
