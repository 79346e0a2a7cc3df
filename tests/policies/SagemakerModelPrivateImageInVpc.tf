# CKV_SMGO_1: a model whose image is not on ECR pulls it through the VPC.

resource "aws_sagemaker_model" "private_vpc_pass" {
  name               = "private-vpc-pass"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"

    image_config {
      repository_access_mode = "Vpc"
    }
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_sagemaker_model" "ecr_platform_pass" {
  name               = "ecr-platform-pass"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }
}

resource "aws_sagemaker_model" "private_platform_fail_1" {
  name               = "private-platform-fail-1"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"

    image_config {
      repository_access_mode = "Platform"
    }
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_sagemaker_model" "private_no_vpc_config_fail_2" {
  name               = "private-no-vpc-config-fail-2"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"

    image_config {
      repository_access_mode = "Vpc"
    }
  }
}

resource "aws_sagemaker_model" "private_no_image_config_fail_3" {
  name               = "private-no-image-config-fail-3"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  primary_container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_sagemaker_model" "pipeline_private_step_fail_4" {
  name               = "pipeline-private-step-fail-4"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"

  container {
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/features@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }

  container {
    image = "registry.example.com/ml/scorer@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  }
}
