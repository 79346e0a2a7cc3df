"""What reviewers read: the markdown summary of `terraform show -json` (`summary`) and its template.

Kept light on purpose (no pydantic, boto3 or Terraform runner): the summary of a 10,000-resource
plan is measured against parsing the JSON alone. May import `common` and `catalog`.
"""
