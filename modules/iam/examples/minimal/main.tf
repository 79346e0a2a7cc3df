provider "aws" {
  region = "us-east-1"
}

module "iam" {
  source = "../../"

  name       = "example-execution"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0123456789abcdef0"]
}
