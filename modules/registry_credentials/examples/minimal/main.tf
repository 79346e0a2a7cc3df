provider "aws" {
  region = "us-east-1"
}

module "registry_credentials" {
  source = "../../"

  name       = "example-registry-creds"
  secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:example/registry-AbCdEf"

  # Built by `python -m generator package-lambda` from the repository root.
  package_path = "../../../../build/lambda/registry_credentials.zip"
}
