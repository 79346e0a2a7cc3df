locals {
  # Model and endpoint configuration are immutable in SageMaker. Their names carry a hash of
  # their content, so a change creates a new pair beside the live one (create_before_destroy)
  # instead of colliding with it, and the endpoint is updated in place to point at the new pair.
  model_content = {
    image                    = var.image
    credentials_lambda_arn   = var.credentials_lambda_arn
    container_environment    = var.container_environment
    model_data_url           = var.model_data_url
    enable_network_isolation = var.enable_network_isolation
    execution_role_arn       = var.execution_role_arn
    subnet_ids               = sort(var.subnet_ids)
  }
  model_name = "${var.name}-${substr(sha1(jsonencode(local.model_content)), 0, 10)}"

  config_content = {
    model_name  = local.model_name
    variants    = var.variants
    kms_key_arn = var.kms_key_arn
  }
  endpoint_config_name = "${var.name}-${substr(sha1(jsonencode(local.config_content)), 0, 10)}"

  # Known at plan time (the Lambda ARN may not be), so it can drive count.
  needs_credentials = var.registry_auth != "none"
}

resource "aws_security_group" "model" {
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
}

resource "aws_sagemaker_model" "this" {
  name                     = local.model_name
  execution_role_arn       = var.execution_role_arn
  enable_network_isolation = var.enable_network_isolation
  tags                     = var.tags

  primary_container {
    image          = var.image
    mode           = "SingleModel"
    model_data_url = var.model_data_url
    environment    = var.container_environment

    image_config {
      repository_access_mode = "Vpc"

      dynamic "repository_auth_config" {
        for_each = local.needs_credentials ? [1] : []

        content {
          repository_credentials_provider_arn = var.credentials_lambda_arn
        }
      }
    }
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.model.id]
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = !local.needs_credentials || var.lambda_endpoint_security_group_id != null
      error_message = "A registry that needs credentials needs lambda_endpoint_security_group_id: SageMaker reaches the credentials Lambda through the VPC endpoint."
    }

    precondition {
      condition     = local.needs_credentials == (var.credentials_lambda_arn != null)
      error_message = "credentials_lambda_arn must be set exactly when registry_auth is basic or bearer."
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name        = local.endpoint_config_name
  kms_key_arn = var.kms_key_arn
  tags        = var.tags

  dynamic "production_variants" {
    for_each = var.variants

    content {
      variant_name           = production_variants.key
      model_name             = aws_sagemaker_model.this.name
      instance_type          = production_variants.value.instance_type
      initial_instance_count = production_variants.value.initial_instance_count
      initial_variant_weight = production_variants.value.initial_variant_weight
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
  tags                 = var.tags
}
