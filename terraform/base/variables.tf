variable "credentials_lambda_package" {
  description = "Path of the registry-credentials Lambda zip, built by `python -m generator package-lambda`."
  type        = string
  default     = "../../build/lambda/registry_credentials.zip"
}
