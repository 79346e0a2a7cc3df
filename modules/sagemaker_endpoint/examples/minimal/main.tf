provider "aws" {
  region = "us-east-1"
}

module "sagemaker_endpoint" {
  source = "../../"

  name = "example"
  endpoint = {
    image = "registry.example.com/team/model@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    variants = {
      primary = { instance_type = "ml.m5.large", initial_instance_count = 1 }
    }
  }
  runtime = {
    execution_role_arn = "arn:aws:iam::123456789012:role/example"
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}
