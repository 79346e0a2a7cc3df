"""AWS credentials of a run: the pre-flight for real accounts (stop at once, in one line, when
credentials are missing or wrong), the plan or apply role assumed for Atlantis, and the boto3
session for whatever AWS a run's environment variables point at."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from generator.catalog.models import EnvironmentFile
from generator.common.errors import GeneratorError


class CredentialsMissing(GeneratorError):
    exit_code = 2


def assume_role(env_name: str, env: EnvironmentFile, role: Literal["plan", "apply"]) -> dict[str, str]:
    """Credentials of the environment's plan (read-only) or apply (deploy) role, as environment
    variables for Terraform and the SDKs, from the credentials loaded now (the Atlantis server's)."""
    import boto3
    import botocore.exceptions as bx

    arn = env.aws.plan_role_arn if role == "plan" else env.aws.apply_role_arn
    if arn is None:
        raise CredentialsMissing(f"fix: set aws.{role}_role_arn in environments/{env_name}/environment.yaml — --role {role} needs the role to assume")
    try:
        answer = boto3.client("sts", region_name=env.aws.region).assume_role(
            RoleArn=arn, RoleSessionName=f"sagemaker-gitops-{env_name}-{role}", DurationSeconds=3600
        )
    except (bx.NoCredentialsError, bx.PartialCredentialsError):
        raise CredentialsMissing(f"fix: configure AWS credentials that may assume {arn} — none were found") from None
    except bx.ClientError as exc:
        raise CredentialsMissing(f"fix: allow the loaded credentials to assume {arn} (its trust policy) — STS refused ({exc.response['Error']['Code']})") from None
    credentials = answer["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
        # Empty values are dropped from Terraform's environment: the role's keys win over a profile.
        "AWS_PROFILE": "",
    }


def check_credentials(env_name: str, env: EnvironmentFile, environ: dict[str, str] | None = None) -> str:
    """Return the caller ARN, or raise with the fix when no usable credentials are configured.
    `environ` holds credentials to check instead of the loaded ones (an assumed role's)."""
    import botocore.exceptions as bx

    expected = env.aws.account_id
    try:
        session, _ = session_for(environ or {})
        identity = session.client("sts", region_name=env.aws.region).get_caller_identity()
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


def retry_config() -> Any:
    """Throttling-aware retries for the generator's own AWS clients (botocore adaptive mode)."""
    from botocore.config import Config

    return Config(retries={"mode": "adaptive", "max_attempts": 10})


def session_for(aws_env: Mapping[str, str]) -> tuple[Any, dict[str, Any]]:
    """A boto3 session and client arguments for the AWS that `aws_env` points at: the variables
    `aws_for` hands Terraform (an assumed role's keys and session token, or the emulator's URL and
    keys); {} is the default credential chain."""
    import boto3

    session = boto3.Session(
        aws_access_key_id=aws_env.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=aws_env.get("AWS_SECRET_ACCESS_KEY") or None,
        # An assumed role's keys are refused without their token (InvalidClientTokenId).
        aws_session_token=aws_env.get("AWS_SESSION_TOKEN") or None,
    )
    kwargs: dict[str, Any] = {"config": retry_config()}
    if aws_env.get("AWS_ENDPOINT_URL"):
        kwargs["endpoint_url"] = aws_env["AWS_ENDPOINT_URL"]
    return session, kwargs
