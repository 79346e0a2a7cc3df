"""The input rules that Python and Terraform both enforce, written once.

Each pattern is plain text in the subset that Python's `re`, Rust's `regex` (pydantic),
ECMA-262 (JSON Schema in editors) and RE2 (Terraform's `regex()`) read the same way:
`^...$` anchors, character classes of ASCII ranges (`[0-9]`, never `\\d`, which matches any
Unicode digit in Python and Rust), non-capturing groups `(?:...)`, counted repetition; no
look-around, back-references or named groups. The Terraform validations in `terraform/` and
`modules/` quote these texts verbatim (tests/test_rules_parity.py holds them to it).

In Python a pattern is only ever applied with `matches()` (`re.fullmatch`): `$` alone would let
a value with a trailing newline through.
"""

from __future__ import annotations

import functools
import re

# --- names --------------------------------------------------------------------------------------

# SageMaker's own name pattern. Endpoint names are capped below its 63 characters so that the
# modules can add a content-derived suffix to model and endpoint-configuration names.
SAGEMAKER_NAME = r"^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$"
MAX_ENDPOINT_NAME_LENGTH = 48
# An endpoint group: a folder of the catalog. At most 20 characters, so that the group's
# execution role, sagemaker-gitops-<env>-<group>-execution, fits IAM's 64.
GROUP_NAME = r"^[a-z][a-z0-9-]{0,19}$"
ENVIRONMENT_NAME = r"^[a-z][a-z0-9-]{0,15}$"

# --- AWS identifiers ----------------------------------------------------------------------------

ACCOUNT_ID = r"^[0-9]{12}$"
_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]"
REGION = f"^{_REGION}$"
INSTANCE_TYPE = r"^ml\.[a-z0-9]+\.[a-z0-9]+$"
VPC_ID = r"^vpc-[0-9a-f]{8,17}$"
SUBNET_ID = r"^subnet-[0-9a-f]{8,17}$"
SECURITY_GROUP_ID = r"^sg-[0-9a-f]{8,17}$"
ROUTE_TABLE_ID = r"^rtb-[0-9a-f]{8,17}$"

# ARNs that name exactly one resource: the character classes leave out `*` and `?`, so an IAM
# wildcard can never widen what a policy built from them grants.
_PARTITION = r"aws(?:-[a-z]+){0,2}"
IAM_ROLE_ARN = rf"^arn:{_PARTITION}:iam::[0-9]{{12}}:role/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{{1,64}}$"
SECRET_ARN = rf"^arn:{_PARTITION}:secretsmanager:{_REGION}:[0-9]{{12}}:secret:[A-Za-z0-9/_+=.@-]{{1,512}}$"
KMS_KEY_ARN = rf"^arn:{_PARTITION}:kms:{_REGION}:[0-9]{{12}}:key/[A-Za-z0-9-]{{1,128}}$"
LAMBDA_FUNCTION_ARN = rf"^arn:{_PARTITION}:lambda:{_REGION}:[0-9]{{12}}:function:[A-Za-z0-9_-]{{1,64}}$"

# --- S3 -----------------------------------------------------------------------------------------

S3_BUCKET = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
# Object keys of AWS's "safe characters" only: no wildcard, no control or non-ASCII character.
_S3_KEY_CHARACTER = r"[A-Za-z0-9!_.'()/=+-]"
# Model artifacts name one object; data capture names a prefix (or the whole bucket).
S3_OBJECT_URI = rf"^s3://{S3_BUCKET[1:-1]}/{_S3_KEY_CHARACTER}+$"
S3_PREFIX_URI = rf"^s3://{S3_BUCKET[1:-1]}(?:/{_S3_KEY_CHARACTER}*)?$"


def s3_bucket(uri: str) -> str:
    """The bucket of an `s3://bucket/key` URI."""
    return uri.removeprefix("s3://").split("/", 1)[0]


# --- images -------------------------------------------------------------------------------------

_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_REGISTRY_HOST = rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?::[0-9]{{1,5}})?"
REGISTRY_HOST = f"^{_REGISTRY_HOST}$"
MAX_REGISTRY_HOST_LENGTH = 259
# The Docker distribution grammar of a repository path: components of lower-case letters and
# digits joined by one `.` or `_`, two `_`, or any number of `-`.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_DIGEST = r"sha256:[0-9a-f]{64}"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
DIGEST = f"^{_DIGEST}$"
DIGEST_IMAGE = f"^{_REGISTRY_HOST}/{_REPOSITORY}@{_DIGEST}$"
TAG_IMAGE = f"^{_REGISTRY_HOST}/{_REPOSITORY}(?::{_TAG})?$"

# The same texts with named groups, for Python code that takes an image apart.
_DIGEST_IMAGE_PARTS = re.compile(rf"(?P<host>{_REGISTRY_HOST})/(?P<repository>{_REPOSITORY})@(?P<digest>{_DIGEST})")
_TAG_IMAGE_PARTS = re.compile(rf"(?P<host>{_REGISTRY_HOST})/(?P<repository>{_REPOSITORY})(?::(?P<tag>{_TAG}))?")


def digest_image_parts(image: str) -> re.Match[str] | None:
    """Groups host, repository and digest of an image pinned by digest; None otherwise."""
    return _DIGEST_IMAGE_PARTS.fullmatch(image)


def tag_image_parts(image: str) -> re.Match[str] | None:
    """Groups host, repository and tag (None for none) of an image referenced by tag; None otherwise."""
    return _TAG_IMAGE_PARTS.fullmatch(image)


def image_host(image: str) -> str:
    return image.split("/", 1)[0]


# --- tags ---------------------------------------------------------------------------------------

# AWS's tag characters, in ASCII: letters, digits, spaces and _ . : / = + - @.
TAG_KEY = r"^[A-Za-z0-9 _.:/=+@-]{1,128}$"
TAG_VALUE = r"^[A-Za-z0-9 _.:/=+@-]{0,256}$"
# Keys that start with this, in any case, belong to AWS.
RESERVED_TAG_PREFIX = "aws:"
MAX_TAGS_PER_RESOURCE = 50


def is_reserved_tag_key(key: str) -> bool:
    return key.lower().startswith(RESERVED_TAG_PREFIX)


# --- applying a pattern ---------------------------------------------------------------------------


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def matches(pattern: str, value: str) -> bool:
    """True when `value` as a whole matches `pattern` (a trailing newline never passes)."""
    return _compiled(pattern).fullmatch(value) is not None


def excerpt(value: object, limit: int = 64) -> str:
    """A short, escaped quotation of an input value for a message: never the whole of a huge field."""
    if not isinstance(value, str):
        text = repr(value)
        return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value)} characters)"
