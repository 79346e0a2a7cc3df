module "naming" {
  source = "../../"

  environment = "example"
  partition   = "aws"
  region      = "us-east-1"
  account_id  = "123456789012"
}

output "prefix" {
  description = "sagemaker-gitops-example."
  value       = module.naming.prefix
}
