# Safe changes: content-derived names, the #40048 wait, deployment guardrails, data capture and
# autoscaling. Offline, as in private_registry.tftest.hcl.
mock_provider "aws" {
  mock_resource "aws_sagemaker_endpoint" {
    defaults = {
      arn = "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/recommender"
    }
  }
}

variables {
  name = "recommender"
  endpoint = {
    image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
    variants = {
      baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
      compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
    }
  }
  runtime = {
    execution_role_arn = "arn:aws:iam::111122223333:role/example-execution"
    subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa"]
    security_group_ids = ["sg-0aaaaaaaaaaaaaaaa"]
  }
  await_endpoint_update = false
}

run "names_derive_from_content" {
  command = apply

  assert {
    condition     = can(regex("^recommender-[0-9a-f]{10}$", aws_sagemaker_model.this.name)) && can(regex("^recommender-[0-9a-f]{10}$", aws_sagemaker_endpoint_configuration.this.name))
    error_message = "Model and configuration names must be the endpoint name plus a 10-character content hash."
  }

  assert {
    condition     = aws_sagemaker_endpoint.this.name == "recommender" && aws_sagemaker_endpoint.this.endpoint_config_name == aws_sagemaker_endpoint_configuration.this.name
    error_message = "The endpoint keeps the catalog name and serves the live configuration."
  }

  assert {
    condition     = alltrue([for v in aws_sagemaker_endpoint_configuration.this.production_variants : v.model_name == aws_sagemaker_model.this.name])
    error_message = "Every variant must serve the module's model."
  }

  assert {
    condition     = length(aws_sagemaker_endpoint_configuration.this.production_variants) == 2
    error_message = "Every variant must become a production variant."
  }
}

run "longest_name_stays_within_sagemaker_limit" {
  command = apply

  variables {
    name = "an-endpoint-name-of-forty-eight-characters-exact"
  }

  assert {
    condition     = length(aws_sagemaker_model.this.name) <= 63 && length(aws_sagemaker_endpoint_configuration.this.name) <= 63
    error_message = "Derived names must fit SageMaker's 63 characters."
  }
}

run "digest_change_renames_model_and_configuration" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000002"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.name != run.names_derive_from_content.sagemaker_endpoint.model_name && aws_sagemaker_endpoint_configuration.this.name != run.names_derive_from_content.sagemaker_endpoint.endpoint_configuration_name
    error_message = "A new image must give a new model and a new configuration name."
  }
}

run "security_group_change_renames_model_and_configuration" {
  command = apply

  variables {
    runtime = {
      execution_role_arn = "arn:aws:iam::111122223333:role/example-execution"
      subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa"]
      security_group_ids = ["sg-0bbbbbbbbbbbbbbbb"]
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.name != run.names_derive_from_content.sagemaker_endpoint.model_name && aws_sagemaker_endpoint_configuration.this.name != run.names_derive_from_content.sagemaker_endpoint.endpoint_configuration_name
    error_message = "vpc_config forces a new model: a changed security group list must give a new model (and so configuration) name, not a name collision."
  }

  assert {
    condition     = toset(aws_sagemaker_model.this.vpc_config[0].security_group_ids) == toset(["sg-0bbbbbbbbbbbbbbbb"])
    error_message = "The re-created model must join the new security group list."
  }
}

run "two_security_groups" {
  command = apply

  variables {
    runtime = {
      execution_role_arn = "arn:aws:iam::111122223333:role/example-execution"
      subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa"]
      security_group_ids = ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"]
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.name != run.names_derive_from_content.sagemaker_endpoint.model_name
    error_message = "An added security group must give a new model name."
  }
}

run "security_group_order_renames_nothing" {
  command = apply

  variables {
    runtime = {
      execution_role_arn = "arn:aws:iam::111122223333:role/example-execution"
      subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa"]
      security_group_ids = ["sg-0bbbbbbbbbbbbbbbb", "sg-0aaaaaaaaaaaaaaaa"]
    }
  }

  assert {
    condition = (
      aws_sagemaker_model.this.name == run.two_security_groups.sagemaker_endpoint.model_name &&
      aws_sagemaker_endpoint_configuration.this.name == run.two_security_groups.sagemaker_endpoint.endpoint_configuration_name
    )
    error_message = "The same security groups in another order must keep the model and configuration names."
  }
}

run "instance_count_change_renames_configuration_only" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 2, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
    }
  }

  assert {
    condition     = aws_sagemaker_model.this.name == run.names_derive_from_content.sagemaker_endpoint.model_name
    error_message = "A capacity change must keep the model."
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.name != run.names_derive_from_content.sagemaker_endpoint.endpoint_configuration_name
    error_message = "A capacity change must give a new configuration name."
  }
}

run "tag_change_renames_nothing" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
      tags = { team = "discovery" }
    }
  }

  assert {
    condition = (
      aws_sagemaker_model.this.name == run.names_derive_from_content.sagemaker_endpoint.model_name &&
      aws_sagemaker_endpoint_configuration.this.name == run.names_derive_from_content.sagemaker_endpoint.endpoint_configuration_name
    )
    error_message = "Tags are updated in place; they must not rename (and so replace) anything."
  }
}

run "configuration_switch_waits_for_the_endpoint" {
  command = plan

  variables {
    await_endpoint_update = true
  }

  assert {
    condition     = length(terraform_data.await_endpoint_update) == 1
    error_message = "Without the wait, provider 5.100.0 may delete the previous configuration while the endpoint still switches (#40048)."
  }

  assert {
    condition     = terraform_data.await_endpoint_update[0].triggers_replace.endpoint_configuration_name == aws_sagemaker_endpoint_configuration.this.name
    error_message = "The wait must be replaced by every new configuration, so the old one is destroyed only after it."
  }
}

run "no_guardrails_by_default" {
  command = apply

  assert {
    condition     = length(aws_sagemaker_endpoint.this.deployment_config) == 0 && length(aws_cloudwatch_metric_alarm.invocation_5xx_errors) == 0
    error_message = "Without deployment settings there is no deployment_config and no alarm."
  }

  assert {
    condition     = length(aws_sagemaker_endpoint_configuration.this.data_capture_config) == 0
    error_message = "Without data capture settings there is no data_capture_config."
  }

  assert {
    condition     = length(aws_appautoscaling_target.variant) == 0
    error_message = "Without autoscaling settings nothing is registered with Application Auto Scaling."
  }
}

run "canary_deployment_with_rollback_alarms" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
      deployment = {
        traffic_routing                   = "CANARY"
        step_percent                      = 10
        wait_interval_seconds             = 300
        termination_wait_seconds          = 600
        maximum_execution_timeout_seconds = 1800
        rollback_alarm_names              = ["recommender-latency"]
        rollback_on_5xx_errors_per_minute = 5
      }
    }
  }

  assert {
    condition = (
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].type == "CANARY" &&
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].canary_size[0].type == "CAPACITY_PERCENT" &&
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].canary_size[0].value == 10 &&
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].wait_interval_in_seconds == 300 &&
      length(aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].linear_step_size) == 0
    )
    error_message = "CANARY must shift step_percent of capacity first, then wait."
  }

  assert {
    condition = (
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].termination_wait_in_seconds == 600 &&
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].maximum_execution_timeout_in_seconds == 1800
    )
    error_message = "Termination wait and maximum execution timeout must reach the endpoint."
  }

  assert {
    condition     = toset([for a in aws_sagemaker_endpoint.this.deployment_config[0].auto_rollback_configuration[0].alarms : a.alarm_name]) == toset(["recommender-invocation-5xx-errors", "recommender-latency"])
    error_message = "The module's 5xx alarm and the given alarms must roll a deployment back."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.invocation_5xx_errors[0].threshold == 5 && length(aws_cloudwatch_metric_alarm.invocation_5xx_errors[0].metric_query) == 3
    error_message = "The 5xx alarm must sum one metric per variant against the threshold."
  }
}

run "linear_deployment" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
      deployment = { traffic_routing = "LINEAR", step_percent = 25, wait_interval_seconds = 120 }
    }
  }

  assert {
    condition = (
      aws_sagemaker_endpoint.this.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].linear_step_size[0].value == 25 &&
      length(aws_sagemaker_endpoint.this.deployment_config[0].auto_rollback_configuration) == 0
    )
    error_message = "LINEAR must shift step_percent per step; no alarms means no rollback configuration."
  }
}

run "data_capture_is_configured_when_asked" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = { instance_type = "ml.m5.large", initial_instance_count = 1, initial_variant_weight = 0.8 }
        compute  = { instance_type = "ml.c5.large", initial_instance_count = 1, initial_variant_weight = 0.2 }
      }
      data_capture = {
        destination_s3_uri  = "s3://example-capture/recommender"
        sampling_percentage = 20
        capture_modes       = ["Input"]
        json_content_types  = ["application/json"]
      }
    }
  }

  assert {
    condition = (
      aws_sagemaker_endpoint_configuration.this.data_capture_config[0].destination_s3_uri == "s3://example-capture/recommender" &&
      aws_sagemaker_endpoint_configuration.this.data_capture_config[0].initial_sampling_percentage == 20 &&
      aws_sagemaker_endpoint_configuration.this.data_capture_config[0].enable_capture == true &&
      [for o in aws_sagemaker_endpoint_configuration.this.data_capture_config[0].capture_options : o.capture_mode] == ["Input"] &&
      aws_sagemaker_endpoint_configuration.this.data_capture_config[0].capture_content_type_header[0].json_content_types == toset(["application/json"])
    )
    error_message = "endpoint.data_capture must reach the endpoint configuration."
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.name != run.names_derive_from_content.sagemaker_endpoint.endpoint_configuration_name
    error_message = "Turning data capture on needs a new configuration name."
  }
}

run "autoscaling_tracks_invocations_per_instance" {
  command = apply

  variables {
    endpoint = {
      image = "mirror.example.com/discovery/recommender@sha256:0000000000000000000000000000000000000000000000000000000000000001"
      variants = {
        baseline = {
          instance_type          = "ml.m5.large"
          initial_instance_count = 2
          autoscaling            = { min_capacity = 2, max_capacity = 6, target_invocations_per_instance = 750 }
        }
        compute = { instance_type = "ml.c5.large", initial_instance_count = 1 }
      }
    }
  }

  assert {
    condition     = keys(aws_appautoscaling_target.variant) == ["baseline"]
    error_message = "Only variants with autoscaling settings are registered."
  }

  assert {
    condition = (
      aws_appautoscaling_target.variant["baseline"].resource_id == "endpoint/recommender/variant/baseline" &&
      aws_appautoscaling_target.variant["baseline"].scalable_dimension == "sagemaker:variant:DesiredInstanceCount" &&
      aws_appautoscaling_target.variant["baseline"].min_capacity == 2 &&
      aws_appautoscaling_target.variant["baseline"].max_capacity == 6
    )
    error_message = "The scalable target is the variant's instance count, addressed by endpoint and variant name (not by configuration)."
  }

  assert {
    condition = (
      aws_appautoscaling_policy.invocations_per_instance["baseline"].policy_type == "TargetTrackingScaling" &&
      aws_appautoscaling_policy.invocations_per_instance["baseline"].target_tracking_scaling_policy_configuration[0].target_value == 750 &&
      aws_appautoscaling_policy.invocations_per_instance["baseline"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "SageMakerVariantInvocationsPerInstance"
    )
    error_message = "The policy must track invocations per instance."
  }
}

run "variant_weights_are_sent_as_whole_numbers" {
  command = apply

  assert {
    condition     = toset([for v in aws_sagemaker_endpoint_configuration.this.production_variants : v.initial_variant_weight]) == toset([80, 20])
    error_message = "Weights 0.8/0.2 must be sent as 80/20: 5.100.0 reads weights back as 32-bit floats, so 0.8 would drift."
  }
}
