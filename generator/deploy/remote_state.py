"""Whether a state holds any resource, read from its S3 object without starting Terraform.

`make plan` and `make apply` of a whole environment use it to leave out a group that has no
endpoint in the environment and nothing in its state: its plan could only be empty, and every
Terraform process costs seconds before its first resource (`make bench`). A group whose state
still holds resources is planned, so that emptying a group destroys what it created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.catalog.models import BackendSettings
from generator.deploy.aws_credentials import session_for


def holds_resources(backend: BackendSettings, key: str, aws_env: Mapping[str, str]) -> bool | None:
    """True when the state object at `key` lists a managed resource; False when it lists none
    (data sources are read again by every plan) or does not exist yet; None when it cannot be
    read or understood, and the caller should plan the state as always."""
    import botocore.exceptions as bx
    import orjson
    from botocore.config import Config

    session, kwargs = session_for(aws_env)
    if backend.use_path_style:
        kwargs["config"] = kwargs["config"].merge(Config(s3={"addressing_style": "path"}))
    try:
        client = session.client("s3", region_name=backend.region, **kwargs)
        body = client.get_object(Bucket=backend.bucket, Key=key)["Body"].read()
    except bx.ClientError as exc:
        return False if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404") else None
    except bx.BotoCoreError:
        return None
    try:
        state: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    resources = state.get("resources") if isinstance(state, dict) else None
    if not isinstance(resources, list):
        return None
    return any(isinstance(r, dict) and r.get("mode") != "data" and r.get("instances") for r in resources)
