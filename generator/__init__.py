"""sagemaker-gitops generator: validates the catalog and renders per-environment Terraform inputs."""

__version__ = "0.1.0"
