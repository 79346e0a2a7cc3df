# Deployment guardrails: a CloudWatch alarm that rolls a blue/green update back, and
# target-tracking autoscaling per production variant.

locals {
  errors_alarm_name   = "${var.name}-invocation-5xx-errors"
  create_errors_alarm = try(var.deployment.rollback_on_5xx_errors_per_minute, null) != null

  # The module's own alarm is named after the endpoint only: changing its threshold updates the
  # alarm, not the endpoint's deployment configuration.
  rollback_alarm_names = var.deployment == null ? [] : concat(
    local.create_errors_alarm ? [local.errors_alarm_name] : [],
    var.deployment.rollback_alarm_names,
  )

  autoscaled_variants = { for name, v in var.variants : name => v.autoscaling if v.autoscaling != null }
}

resource "aws_cloudwatch_metric_alarm" "invocation_5xx_errors" {
  count = local.create_errors_alarm ? 1 : 0

  alarm_name          = local.errors_alarm_name
  alarm_description   = "Server errors of endpoint ${var.name} across its variants; rolls a blue/green deployment back."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.deployment.rollback_on_5xx_errors_per_minute
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  tags                = var.tags

  dynamic "metric_query" {
    for_each = var.variants

    content {
      id = "v${index(keys(var.variants), metric_query.key)}"

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
    expression  = "SUM([${join(",", [for i, _ in keys(var.variants) : "v${i}"])}])"
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
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/${each.key}"
  min_capacity       = each.value.min_capacity
  max_capacity       = each.value.max_capacity
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "invocations_per_instance" {
  for_each = local.autoscaled_variants

  name               = "${var.name}-${each.key}-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.variant[each.key].service_namespace
  scalable_dimension = aws_appautoscaling_target.variant[each.key].scalable_dimension
  resource_id        = aws_appautoscaling_target.variant[each.key].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target_invocations_per_instance
    scale_in_cooldown  = each.value.scale_in_cooldown_seconds
    scale_out_cooldown = each.value.scale_out_cooldown_seconds

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
