# The model containers' own security group: HTTPS to the private registry (image pull) and, when
# the registry needs credentials, to the Lambda interface endpoint (SageMaker invokes the
# credentials Lambda from inside the VPC). The matching ingress rules are added to the other
# side's groups, so nothing else in the VPC gains access.

resource "aws_security_group" "model" {
  #checkov:skip=CKV2_AWS_5:Attached through aws_sagemaker_model.vpc_config.security_group_ids, which checkov does not count as an attachment.
  name_prefix = "${var.name}-model-"
  description = "SageMaker model ${var.name}: HTTPS to the private registry and the Lambda endpoint"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-model" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "to_registry" {
  security_group_id            = aws_security_group.model.id
  description                  = "Image pull from the private registry"
  ip_protocol                  = "tcp"
  from_port                    = var.registry_port
  to_port                      = var.registry_port
  referenced_security_group_id = var.registry_security_group_id
  tags                         = var.tags
}

# A model in a VPC downloads model_data_url from S3 through the VPC: HTTPS to the S3 gateway
# endpoint's prefix list, and nowhere else. The count depends only on model_data_url, which is
# known at plan time; the prefix list of a gateway endpoint created in the same apply is not.
resource "aws_vpc_security_group_egress_rule" "to_s3" {
  count = var.model_data_url == null ? 0 : 1

  security_group_id = aws_security_group.model.id
  description       = "Model artifacts from S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = var.s3_prefix_list_id != null
      error_message = "model_data_url needs s3_prefix_list_id: the model downloads its artifacts through an S3 gateway endpoint in the VPC (set network.s3_gateway_route_table_ids for the environment)."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "registry_from_model" {
  security_group_id            = var.registry_security_group_id
  description                  = "Image pull by SageMaker model ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = var.registry_port
  to_port                      = var.registry_port
  referenced_security_group_id = aws_security_group.model.id
  tags                         = var.tags
}

resource "aws_vpc_security_group_egress_rule" "to_lambda_endpoint" {
  count = local.needs_credentials ? 1 : 0

  security_group_id            = aws_security_group.model.id
  description                  = "Registry credentials from the Lambda interface endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.lambda_endpoint_security_group_id
  tags                         = var.tags

  lifecycle {
    precondition {
      condition     = var.lambda_endpoint_security_group_id != null
      error_message = local.lambda_endpoint_required
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "lambda_endpoint_from_model" {
  count = local.needs_credentials ? 1 : 0

  security_group_id            = var.lambda_endpoint_security_group_id
  description                  = "Registry credentials for SageMaker model ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.model.id
  tags                         = var.tags

  lifecycle {
    precondition {
      condition     = var.lambda_endpoint_security_group_id != null
      error_message = local.lambda_endpoint_required
    }
  }
}
