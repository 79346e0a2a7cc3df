locals {
  # Known at plan time (the Lambda ARN may not be), so it can drive count.
  needs_credentials = var.runtime.registry_auth != "none"

  # Models and endpoint configurations are immutable: every argument but tags forces a new one.
  # Their names end in a hash of exactly those arguments, so a change creates a new object beside
  # the live one (create_before_destroy) instead of colliding with its name (provider issues
  # #21811, #40080), and an unchanged input never renames anything. A value that is unknown until
  # apply (the security group ID on first create, a role ARN while the role is replaced) makes
  # the name unknown only when the model has to be replaced anyway.
  #
  # The hash is 10 hex characters: 48 (longest endpoint name) + "-" + 10 = 59, within SageMaker's
  # 63. The hashed content is spelled inside the name's expression rather than in locals of its
  # own because every local is a graph node per endpoint: with hundreds of endpoints in a state,
  # each node costs plan time (as do the module's outputs, hence one output object).
  model_name = "${var.name}-${substr(sha256(jsonencode({
    image                    = var.endpoint.image
    model_data_url           = var.endpoint.model_data_url
    container_environment    = var.endpoint.container_environment
    credentials_lambda_arn   = local.needs_credentials ? var.runtime.credentials_lambda_arn : null
    enable_network_isolation = var.endpoint.enable_network_isolation
    execution_role_arn       = var.runtime.execution_role_arn
    subnet_ids               = sort(var.runtime.subnet_ids)
    security_group_ids       = sort(var.runtime.security_group_ids)
  })), 0, 10)}"

  endpoint_configuration_name = "${var.name}-${substr(sha256(jsonencode({
    model_name   = local.model_name
    variants     = { for name, v in var.endpoint.variants : name => [v.instance_type, v.initial_instance_count, local.variant_weights[name]] }
    kms_key_arn  = var.runtime.kms_key_arn
    data_capture = var.endpoint.data_capture
  })), 0, 10)}"

  # Weights are relative, and 5.100.0 reads them back as 32-bit floats: 0.8 returns as
  # 0.800000011920929 and forces a new configuration on every plan. Whole numbers (percent
  # points of the given weight, at least 1) are exact in 32 bits and keep the same split.
  variant_weights = { for name, v in var.endpoint.variants : name => max(1, floor(v.initial_variant_weight * 100 + 0.5)) }

  # Deployment guardrails: the module's own rollback alarm and the variants that autoscale.
  errors_alarm_name   = "${var.name}-invocation-5xx-errors"
  create_errors_alarm = try(var.endpoint.deployment.rollback_on_5xx_errors_per_minute, null) != null

  # The module's own alarm is named after the endpoint only: changing its threshold updates the
  # alarm, not the endpoint's deployment configuration.
  rollback_alarm_names = var.endpoint.deployment == null ? [] : concat(
    local.create_errors_alarm ? [local.errors_alarm_name] : [],
    var.endpoint.deployment.rollback_alarm_names,
  )

  autoscaled_variants = { for name, v in var.endpoint.variants : name => v.autoscaling if v.autoscaling != null }

  # Every reference from one resource of this module to another goes through one of these locals.
  # The root calls the module once per endpoint (for_each), and Terraform builds the apply graph
  # (also at the end of every plan, to check it) from the module's static declarations: a direct
  # reference such as `aws_sagemaker_model.this.name` becomes an edge from every instance of the
  # referring resource to every instance of the referenced one, n² edges for n endpoints, and a
  # plan of 200 endpoints spent seconds building that graph (hashicorp/terraform#31072). A local
  # is one node between them: 2n edges. The order stays what the rollout needs, only coarser
  # across endpoints: configurations are created after the models (of every endpoint of the
  # apply), endpoints after the configurations, and a previous configuration is destroyed after
  # its successor's dependents, because the state records the same dependencies (Terraform
  # follows references through locals).
  live_model_name         = aws_sagemaker_model.this.name
  live_configuration_name = aws_sagemaker_endpoint_configuration.this.name
  live_endpoint           = aws_sagemaker_endpoint.this
  live_scalable_targets   = aws_appautoscaling_target.variant
}

################################################################################
# Model
################################################################################

resource "aws_sagemaker_model" "this" {
  #checkov:skip=CKV_AWS_370:Network isolation is a per-endpoint catalog setting (enable_network_isolation): containers that call services in the VPC need it off, and the image pull goes through the VPC either way.
  name                     = local.model_name
  execution_role_arn       = var.runtime.execution_role_arn
  enable_network_isolation = var.endpoint.enable_network_isolation
  tags                     = var.endpoint.tags

  primary_container {
    image          = var.endpoint.image
    mode           = "SingleModel"
    model_data_url = var.endpoint.model_data_url
    environment    = var.endpoint.container_environment

    # The image is pulled from the private registry through the model's VPC, never the internet.
    image_config {
      repository_access_mode = "Vpc"

      dynamic "repository_auth_config" {
        for_each = local.needs_credentials ? [1] : []

        content {
          repository_credentials_provider_arn = var.runtime.credentials_lambda_arn
        }
      }
    }
  }

  vpc_config {
    subnets            = var.runtime.subnet_ids
    security_group_ids = var.runtime.security_group_ids
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = local.needs_credentials == (var.runtime.credentials_lambda_arn != null)
      error_message = "runtime.credentials_lambda_arn must be set exactly when runtime.registry_auth is basic or bearer."
    }
  }
}

################################################################################
# Endpoint configuration
################################################################################

resource "aws_sagemaker_endpoint_configuration" "this" {
  name        = local.endpoint_configuration_name
  kms_key_arn = var.runtime.kms_key_arn
  tags        = var.endpoint.tags

  dynamic "production_variants" {
    for_each = var.endpoint.variants

    content {
      variant_name           = production_variants.key
      model_name             = local.live_model_name
      instance_type          = production_variants.value.instance_type
      initial_instance_count = production_variants.value.initial_instance_count
      initial_variant_weight = local.variant_weights[production_variants.key]
    }
  }

  dynamic "data_capture_config" {
    for_each = var.endpoint.data_capture == null ? [] : [var.endpoint.data_capture]

    content {
      enable_capture              = true
      destination_s3_uri          = data_capture_config.value.destination_s3_uri
      initial_sampling_percentage = data_capture_config.value.sampling_percentage
      kms_key_id                  = data_capture_config.value.kms_key_arn

      dynamic "capture_options" {
        for_each = data_capture_config.value.capture_modes

        content {
          capture_mode = capture_options.value
        }
      }

      dynamic "capture_content_type_header" {
        for_each = length(data_capture_config.value.json_content_types) + length(data_capture_config.value.csv_content_types) > 0 ? [1] : []

        content {
          json_content_types = length(data_capture_config.value.json_content_types) > 0 ? data_capture_config.value.json_content_types : null
          csv_content_types  = length(data_capture_config.value.csv_content_types) > 0 ? data_capture_config.value.csv_content_types : null
        }
      }
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Endpoint
################################################################################

# Updated in place (UpdateEndpoint) whenever the configuration name changes; never replaced,
# because its name is the catalog name and nothing else about it forces a new endpoint.
resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = local.live_configuration_name
  tags                 = var.endpoint.tags

  dynamic "deployment_config" {
    for_each = var.endpoint.deployment == null ? [] : [var.endpoint.deployment]

    content {
      blue_green_update_policy {
        termination_wait_in_seconds          = deployment_config.value.termination_wait_seconds
        maximum_execution_timeout_in_seconds = deployment_config.value.maximum_execution_timeout_seconds

        traffic_routing_configuration {
          type                     = deployment_config.value.traffic_routing
          wait_interval_in_seconds = deployment_config.value.wait_interval_seconds

          dynamic "canary_size" {
            for_each = deployment_config.value.traffic_routing == "CANARY" ? [1] : []

            content {
              type  = "CAPACITY_PERCENT"
              value = deployment_config.value.step_percent
            }
          }

          dynamic "linear_step_size" {
            for_each = deployment_config.value.traffic_routing == "LINEAR" ? [1] : []

            content {
              type  = "CAPACITY_PERCENT"
              value = deployment_config.value.step_percent
            }
          }
        }
      }

      dynamic "auto_rollback_configuration" {
        for_each = length(local.rollback_alarm_names) > 0 ? [1] : []

        content {
          dynamic "alarms" {
            for_each = local.rollback_alarm_names

            content {
              alarm_name = alarms.value
            }
          }
        }
      }
    }
  }
}

################################################################################
# Endpoint update wait
################################################################################

# Workaround for hashicorp/terraform-provider-aws#40048 (fixed in 6.21.0, present in 5.100.0):
# the provider can report the endpoint update finished while SageMaker is still switching, and
# create_before_destroy then deletes the previous configuration under the running update. This
# resource references the new configuration, so Terraform destroys the previous configuration
# (and its model) only after it has been created — and creating it waits until DescribeEndpoint
# reports InService *on the new configuration*. If SageMaker rolled back instead, the wait fails,
# the apply stops, and the configuration the endpoint still runs on is kept. See README.md.
resource "terraform_data" "await_endpoint_update" {
  count = var.await_endpoint_update ? 1 : 0

  triggers_replace = {
    endpoint_arn                = local.live_endpoint.arn
    endpoint_configuration_name = local.live_configuration_name
  }

  provisioner "local-exec" {
    # python3 with boto3; SAGEMAKER_GITOPS_PYTHON (set by the project's Terraform runner) wins.
    command = join(" ", [
      "\"$${SAGEMAKER_GITOPS_PYTHON:-python3}\"", "${path.module}/scripts/await_endpoint.py",
      "--endpoint-arn", local.live_endpoint.arn,
      "--configuration", local.live_configuration_name,
      # A blue/green update may take the maximum execution timeout plus the termination wait.
      "--timeout", var.endpoint.deployment == null ? 3600 : (
        coalesce(var.endpoint.deployment.maximum_execution_timeout_seconds, 3600) + var.endpoint.deployment.termination_wait_seconds + 300
      ),
    ])
  }
}

################################################################################
# Deployment guardrails
################################################################################

# A CloudWatch alarm that rolls a blue/green update back, and target-tracking autoscaling per
# production variant.

resource "aws_cloudwatch_metric_alarm" "invocation_5xx_errors" {
  count = local.create_errors_alarm ? 1 : 0

  alarm_name          = local.errors_alarm_name
  alarm_description   = "Server errors of endpoint ${var.name} across its variants; rolls a blue/green deployment back."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.endpoint.deployment.rollback_on_5xx_errors_per_minute
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  tags                = var.endpoint.tags

  dynamic "metric_query" {
    for_each = var.endpoint.variants

    content {
      id = "v${index(keys(var.endpoint.variants), metric_query.key)}"

      metric {
        namespace   = "AWS/SageMaker"
        metric_name = "Invocation5XXErrors"
        period      = 60
        stat        = "Sum"
        dimensions = {
          EndpointName = var.name
          VariantName  = metric_query.key
        }
      }
    }
  }

  metric_query {
    id          = "errors"
    expression  = "SUM([${join(",", [for i, _ in keys(var.endpoint.variants) : "v${i}"])}])"
    label       = "Invocation5XXErrors of all variants"
    return_data = true
  }
}

# The scalable target is addressed by endpoint and variant name, not by configuration, so a
# configuration swap neither replaces nor modifies it, and Terraform never tracks the instance
# count autoscaling sets (the endpoint resource has no such attribute): the two do not fight.
resource "aws_appautoscaling_target" "variant" {
  for_each = local.autoscaled_variants

  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = "endpoint/${local.live_endpoint.name}/variant/${each.key}"
  min_capacity       = each.value.min_capacity
  max_capacity       = each.value.max_capacity
  tags               = var.endpoint.tags
}

resource "aws_appautoscaling_policy" "invocations_per_instance" {
  for_each = local.autoscaled_variants

  name               = "${var.name}-${each.key}-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = local.live_scalable_targets[each.key].service_namespace
  scalable_dimension = local.live_scalable_targets[each.key].scalable_dimension
  resource_id        = local.live_scalable_targets[each.key].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target_invocations_per_instance
    scale_in_cooldown  = each.value.scale_in_cooldown_seconds
    scale_out_cooldown = each.value.scale_out_cooldown_seconds

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
