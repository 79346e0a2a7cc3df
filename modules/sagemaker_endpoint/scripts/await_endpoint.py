"""Wait until a SageMaker endpoint runs on the given endpoint configuration.

Called by the module's `terraform_data.await_endpoint_update` after every configuration change
(workaround for hashicorp/terraform-provider-aws#40048 in provider 5.100.0): Terraform deletes
the previous configuration only after this exits 0. Exits 1 when the endpoint settles on another
configuration (SageMaker rolled the update back) or fails, so the configuration it still uses is
kept. Uses the same credentials and AWS endpoint variables as the provider (AWS_* environment).

Standard library plus boto3 only: it runs wherever Terraform runs.
"""

from __future__ import annotations

import argparse
import sys
import time

# States in which SageMaker is still deciding which configuration serves traffic.
TRANSITIONAL = {"Creating", "Updating", "SystemUpdating", "RollingBack"}
POLL_SECONDS = 15
# Right after UpdateEndpoint the endpoint may still read InService on the old configuration (the
# race behind #40048); only after this long does that mean SageMaker rolled the update back.
SETTLE_SECONDS = 180


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-arn", required=True)
    parser.add_argument("--configuration", required=True, help="configuration it must run on")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most")
    parser.add_argument("--settle", type=int, default=SETTLE_SECONDS, help="seconds before another config counts as a rollback")
    parser.add_argument("--poll", type=int, default=POLL_SECONDS, help="seconds between two DescribeEndpoint calls")
    args = parser.parse_args(argv)

    import boto3  # imported late so --help works without it

    # arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>
    _, _, _, region, _, resource = args.endpoint_arn.split(":", 5)
    name = resource.split("/", 1)[1]
    client = boto3.client("sagemaker", region_name=region)

    started = time.monotonic()
    deadline = started + args.timeout
    while True:
        described = client.describe_endpoint(EndpointName=name)
        status, current = described["EndpointStatus"], described["EndpointConfigName"]
        if status == "InService" and current == args.configuration:
            print(f"endpoint {name} is InService on {current}")
            return 0
        settling = status == "InService" and time.monotonic() - started < args.settle
        if status not in TRANSITIONAL and not settling:
            reason = described.get("FailureReason") or "no reason given"
            print(
                f"error: endpoint {name} is {status} on configuration {current}, not on "
                f"{args.configuration} ({reason}); the previous configuration is kept",
                file=sys.stderr,
            )
            return 1
        if time.monotonic() >= deadline:
            print(f"error: endpoint {name} still {status} after {args.timeout}s", file=sys.stderr)
            return 1
        time.sleep(args.poll)


if __name__ == "__main__":
    sys.exit(main())
