# Helper of registry_clients.tftest.hcl: the module called the way the group state calls it on a
# fresh environment, with the Lambda endpoint's security group ID unknown until apply (there it
# comes from try(data.aws_security_group.lambda_endpoint[0].id, null), a data source that waits
# for the first apply). Only ever planned, against the mock.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

resource "terraform_data" "lambda_endpoint_security_group" {
  count = 1

  input = "found at apply"
}

module "registry_clients" {
  source = "../../"

  name   = "sagemaker-gitops-prod-fraud-models"
  vpc_id = "vpc-0123456789abcdef0"
  registries = {
    harbor = { security_group_id = "sg-0123456789abcdef0", port = 443 }
  }
  reach_lambda_endpoint             = true
  lambda_endpoint_security_group_id = try(terraform_data.lambda_endpoint_security_group[0].id, null)
}

output "ingress_rule_count" {
  description = "Ingress rules the module plans in other groups (the registry's and the Lambda endpoint's)."
  value       = length(module.registry_clients.ingress_rule_ids)
}
