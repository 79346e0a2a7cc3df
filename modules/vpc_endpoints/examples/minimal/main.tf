provider "aws" {
  region = "us-east-1"
}

module "vpc_endpoints" {
  source = "../../"

  name       = "example"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0123456789abcdef0"]
}
