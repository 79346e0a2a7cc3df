terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: bucket and region come from environments/<env>/backend.hcl, the key of
  # each state (base or a group) from the generator.
  backend "s3" {}
}
