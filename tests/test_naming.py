"""generator.common.naming spells names as modules/naming does: the same example as its
`terraform test` (modules/naming/tests/naming.tftest.hcl)."""

from generator.common.naming import credentials_function_arn, credentials_function_name


def test_credentials_function_is_named_like_modules_naming() -> None:
    assert credentials_function_name("prod", "harbor_main") == "sagemaker-gitops-prod-harbor-main-creds"


def test_credentials_function_arn_uses_the_partition() -> None:
    arn = credentials_function_arn("aws-us-gov", "us-gov-west-1", "123456789012", "prod", "quay")
    assert arn == "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:sagemaker-gitops-prod-quay-creds"
