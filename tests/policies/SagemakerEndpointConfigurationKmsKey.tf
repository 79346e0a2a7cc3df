# CKV_SMGO_5: an endpoint configuration sets kms_key_arn.

resource "aws_sagemaker_endpoint_configuration" "kms_pass" {
  name        = "kms-pass"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000001"

  production_variants {
    variant_name           = "primary"
    model_name             = "scorer"
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
}

resource "aws_sagemaker_endpoint_configuration" "no_kms_fail_1" {
  name = "no-kms-fail-1"

  production_variants {
    variant_name           = "primary"
    model_name             = "scorer"
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
}

resource "aws_sagemaker_endpoint_configuration" "null_kms_fail_2" {
  name        = "null-kms-fail-2"
  kms_key_arn = null

  production_variants {
    variant_name           = "primary"
    model_name             = "scorer"
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }
}
