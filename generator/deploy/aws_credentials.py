"""Pre-flight for real accounts: stop at once, in one line, when AWS credentials are missing or wrong."""

from __future__ import annotations

from generator.catalog.models import EnvironmentFile
from generator.common.errors import GeneratorError


class CredentialsMissing(GeneratorError):
    exit_code = 2


def check_credentials(env_name: str, env: EnvironmentFile) -> str:
    """Return the caller ARN, or raise with the fix when no usable credentials are configured."""
    import boto3
    import botocore.exceptions as bx

    expected = env.aws.account_id
    try:
        identity = boto3.client("sts", region_name=env.aws.region).get_caller_identity()
    except (bx.NoCredentialsError, bx.PartialCredentialsError):
        raise CredentialsMissing(
            f"fix: configure AWS credentials for account {expected} (AWS_PROFILE, `aws sso login`, or an instance role) "
            f"— environment {env_name!r} targets real AWS and no credentials were found"
        ) from None
    except bx.ClientError as exc:
        raise CredentialsMissing(
            f"fix: refresh the AWS credentials for account {expected} — STS refused them ({exc.response['Error']['Code']})"
        ) from None
    except bx.ProfileNotFound as exc:
        raise CredentialsMissing(
            f"fix: set AWS_PROFILE to a profile defined in your AWS config, or unset it — {exc}"
        ) from None
    except (bx.EndpointConnectionError, bx.ConnectTimeoutError) as exc:
        raise CredentialsMissing(f"fix: check the network path to AWS STS in {env.aws.region} — {exc}") from None
    except bx.BotoCoreError as exc:
        raise CredentialsMissing(f"fix: check the AWS configuration for account {expected} — {exc}") from None
    if identity["Account"] != expected:
        raise CredentialsMissing(
            f"fix: switch to credentials of account {expected} — the loaded credentials belong to account "
            f"{identity['Account']}, and environment {env_name!r} may only be applied to {expected}"
        )
    return str(identity["Arn"])
