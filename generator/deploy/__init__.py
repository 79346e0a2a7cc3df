"""Running Terraform: the one process runner (`terraform`), the render → init → plan → apply
workflow of `make plan` / `make apply` (`workflow`), the credentials pre-flight for real accounts
(`aws_credentials`) and the reproducible Lambda zip (`lambda_package`).

May import `common`, `catalog`, `emulator`, `review` and `render`.
"""
