# CKV_SMGO_2: every model image is pinned by digest.

resource "aws_sagemaker_model" "digest_pass" {
  name               = "digest-pass"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }
}

resource "aws_sagemaker_model" "tag_fail_1" {
  name               = "tag-fail-1"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer:1.4.2"
  }
}

resource "aws_sagemaker_model" "no_tag_fail_2" {
  name               = "no-tag-fail-2"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer"
  }
}

resource "aws_sagemaker_model" "short_digest_fail_3" {
  name               = "short-digest-fail-3"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0123abcd"
  }
}

resource "aws_sagemaker_model" "pipeline_tagged_step_fail_4" {
  name               = "pipeline-tagged-step-fail-4"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  container {
    image = "registry.example.com/ml/features@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }

  container {
    image = "registry.example.com/ml/scorer:latest"
  }
}

variable "image" {
  description = "Unresolved in directory mode: the check gives no result for it."
  type        = string
}

resource "aws_sagemaker_model" "variable_image_unknown" {
  name               = "variable-image-unknown"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = var.image
  }
}
