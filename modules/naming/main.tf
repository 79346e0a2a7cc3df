locals {
  prefix = "sagemaker-gitops-${var.environment}"

  authenticated_registries = sort([for name, auth in var.registry_auth : name if auth != "none"])

  credentials_function_names = {
    for name in local.authenticated_registries : name => "${local.prefix}-${replace(name, "_", "-")}-creds"
  }
}

################################################################################
# Names and ARNs shared by convention
################################################################################

# The base state creates what every group uses (the Lambda interface endpoint, one credentials
# Lambda per authenticated registry); the group states refer to it by these names and ARNs,
# built from account, region, partition and name, instead of reading base's state. Both sides
# take them from this module, so the two can never disagree, and every state of a fresh
# environment plans in the same pull request.
