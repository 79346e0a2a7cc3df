provider "aws" {
  region = "us-east-1"
}

module "registry_clients" {
  source = "../../"

  name   = "example-models"
  vpc_id = "vpc-0123456789abcdef0"
  registries = {
    registry = { security_group_id = "sg-0123456789abcdef0", port = 443 }
  }
}
