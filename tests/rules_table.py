"""One table of valid and invalid values for every rule that Python and Terraform share.

tests/test_rules_parity.py feeds each row both to the pydantic models and to the root module
(`terraform test`), and requires the same verdict from both.
"""

from __future__ import annotations

from typing import NamedTuple

HEX = "0123456789abcdef" * 4
HOST = "registry.example.com"


class Row(NamedTuple):
    kind: str
    value: str
    valid: bool


def _rows(kind: str, valid: list[str], invalid: list[str]) -> list[Row]:
    return [Row(kind, v, True) for v in valid] + [Row(kind, v, False) for v in invalid]


ROWS: list[Row] = [
    *_rows(
        "endpoint_name",
        ["fraud-scorer", "a", "a--b", "A1", "x" * 48],
        ["x" * 49, "-a", "a-", "a_b", "a.b", "a\n", ""],
    ),
    *_rows("environment_name", ["dev", "a-b-1", "p" * 16], ["p" * 17, "Dev", "1dev", "dev\n", "dév", ""]),
    *_rows(
        "image",
        [
            f"{HOST}/ml/fraud-scorer@sha256:{HEX}",
            f"{HOST}/ml/fraud__scorer@sha256:{HEX}",
            f"{HOST}/ml/a--b.c_d@sha256:{HEX}",
            f"{HOST}:5000/a/b/c@sha256:{HEX}",
            f"localhost/x@sha256:{HEX}",
        ],
        [
            f"{HOST}/ml/fraud-scorer:1.0",
            f"{HOST}/ml/fraud-scorer",
            f"{HOST}/ml/fraud-scorer@sha256:{HEX}\n",
            f"{HOST}/ml/fraud-scorer@sha256:{HEX.upper()}",
            f"{HOST}/ml/fraud-scorer@sha256:{HEX[:-1]}",
            f"{HOST}/ml/Fraud@sha256:{HEX}",
            f"{HOST}/ml/a___b@sha256:{HEX}",
            f"{HOST}/ml/-a@sha256:{HEX}",
            f"Registry.example.com/ml/x@sha256:{HEX}",
            f"registry example.com/ml/x@sha256:{HEX}",
            f"/ml/x@sha256:{HEX}",
        ],
    ),
    *_rows(
        "registry_host",
        [HOST, "registry.example.com:5000", "localhost", "10.0.0.1:443"],
        ["Registry.example.com", "registry.example.com:", "-registry.example.com", "registry.example.com\n", "https://x"],
    ),
    *_rows("account_id", ["123456789012"], ["12345678901", "1234567890123", "١٢٣٤٥٦٧٨٩٠١٢", "12345678901a", "123456789012\n"]),
    *_rows("region", ["eu-west-1", "us-gov-west-1", "cn-north-1"], ["eu-west", "EU-west-1", "eu-west-١", "eu-west-1\n"]),
    *_rows(
        "secret_arn",
        [
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-Ab12Cd",
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:team/registry-Ab12Cd",
        ],
        [
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-*",
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-??????",
            "arn:aws:secretsmanager:eu-west-1:11111111111:secret:registry",
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry\n",
            "arn:aws:kms:eu-west-1:111111111111:key/0aa1b2c3",
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:",
        ],
    ),
    *_rows(
        "kms_key_arn",
        [
            "arn:aws:kms:eu-west-1:111111111111:key/0aa1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5a",
            "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd",
        ],
        [
            "arn:aws:kms:eu-west-1:111111111111:key/*",
            "arn:aws:kms:eu-west-1:111111111111:alias/my-key",
            "arn:aws:kms:*:111111111111:key/0aa1b2c3",
            "arn:aws:kms:eu-west-1:111111111111:key/0aa1b2c3\n",
        ],
    ),
    *_rows("instance_type", ["ml.m5.large", "ml.g4dn.xlarge"], ["m5.large", "ML.m5.large", "ml.m5.large\n", "ml.m5"]),
    *_rows(
        "model_data_url",
        ["s3://example-artifacts/demo/model.tar.gz", "s3://example-artifacts/m"],
        [
            "s3://example-artifacts/",
            "s3://example-artifacts",
            "s3://example-artifacts/*",
            "s3://example-artifacts/model?.tar.gz",
            "https://example.com/model.tar.gz",
            "s3://Example-Artifacts/model.tar.gz",
            "s3://example-artifacts/model.tar.gz\n",
        ],
    ),
    *_rows(
        "capture_uri",
        ["s3://example-capture", "s3://example-capture/", "s3://example-capture/demo/"],
        ["s3://example-capture/*", "s3://ex/demo", "s3://example-capture/demo\n", "example-capture/demo"],
    ),
    *_rows(
        "tag_key",
        ["team", "cost-center", "sagemaker-gitops:x", "a b_c.d:e/f=g+h-i@j", "k" * 128],
        ["aws:team", "AWS:team", "k" * 129, "a<b", "", "team\n", "équipe"],
    ),
    *_rows("tag_value", ["", "ml platform", "v" * 256], ["v" * 257, "a\nb", "café", "a*b"]),
    # Only module inputs take these; the modules quote the same pattern text.
    *_rows(
        "iam_role_arn",
        ["arn:aws:iam::111111111111:role/example-execution", "arn:aws:iam::111111111111:role/service/x"],
        ["arn:aws:iam::111111111111:role/*", "arn:aws:iam::111111111111:user/x", "arn:aws:iam::111111111111:role/x\n"],
    ),
    *_rows(
        "lambda_function_arn",
        ["arn:aws:lambda:eu-west-1:111111111111:function:example-creds"],
        [
            "arn:aws:lambda:eu-west-1:111111111111:function:*",
            "arn:aws:lambda:eu-west-1:111111111111:function:example-creds:1",
            "arn:aws:lambda:eu-west-1:111111111111:function:x\n",
        ],
    ),
]
