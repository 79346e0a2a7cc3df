provider "aws" {
  region = var.aws_region
  # Refuse to touch any account but the environment's own, whatever credentials are loaded.
  allowed_account_ids = [var.aws_account_id]
  # The provider ignores AWS_MAX_ATTEMPTS and retries a failing call up to 25 times with
  # backoff (minutes); the local harness sets TF_VAR_aws_max_retries so emulator errors fail fast.
  max_retries = var.aws_max_retries

  default_tags {
    tags = merge(var.tags, {
      "sagemaker-gitops:environment" = var.environment
      "managed-by"                   = "sagemaker-gitops"
    })
  }
}
