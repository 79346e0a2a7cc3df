provider "aws" {
  region = var.aws_region
  # Refuse to touch any account but the environment's own, whatever credentials are loaded.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = merge(var.tags, {
      "sagemaker-gitops:environment" = var.environment
      "managed-by"                   = "sagemaker-gitops"
    })
  }
}
