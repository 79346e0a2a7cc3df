"""The account side of the capacity review: Service Quotas, running endpoints and on-demand prices.

Thin I/O around `generator.review.capacity` (which does all the arithmetic):

* `AccountReader` reads the applied SageMaker quotas (Service Quotas, service code `sagemaker`,
  falling back to AWS's defaults for quotas the account never changed) and the instances
  already running: ListEndpoints names them, the catalog counts its own endpoints, and only
  the others are described (DescribeEndpoint → DescribeEndpointConfig). Each look-up is made
  once per run and every list is paginated; the clients retry throttling in botocore's
  adaptive mode.
* `update_prices` writes build/prices/<region>.json from the Price List API; `load_prices`
  reads it back. The file is generated, never written by hand.
* `review` ties both to the plans of one environment, and turns missing credentials into one
  line in the report instead of a failure.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog.loader import Environment, ResolvedEndpoint
from generator.common.errors import GeneratorError
from generator.common.files import write_atomically
from generator.common.layout import prices_file
from generator.deploy.aws_credentials import session_for
from generator.review import capacity
from generator.review.summary import load_plan

SERVICE_CODE = "sagemaker"
PRICE_SERVICE_CODE = "AmazonSageMaker"
# The Price List API answers in these regions only; the prices of every region come from any of them.
PRICE_LIST_REGION = "us-east-1"
_TYPE_QUOTA = re.compile(r"^(?P<type>ml\.[a-z0-9]+\.[a-z0-9]+) for endpoint usage$")
# The account-wide quota has had both names in the Service Quotas console.
TOTAL_QUOTA_NAMES = frozenset({capacity.TOTAL_QUOTA_NAME, "Number of instances across active endpoints"})
# Endpoints in these states hold no instances.
_INACTIVE = frozenset({"Failed", "Deleting", "OutOfService"})
PRICES_COMMAND = "python -m generator capacity --update-prices --env {env}"
# ListEndpoints answers 10 endpoints a call unless asked for more; 100 is its maximum.
LIST_PAGE_SIZE = 100


class CapacityError(GeneratorError):
    exit_code = 1


@dataclass
class AccountReader:
    """Quotas and running instances of one account and region, each looked up once.

    `known` holds the instances per type of every endpoint of the environment's catalog, by its
    name in SageMaker. Those endpoints are counted from it; only endpoints outside the catalog
    are described, so the calls a review makes grow with what else runs in the account, not with
    the environment (5,000 endpoints would otherwise be 10,000 Describe calls per plan, which
    SageMaker throttles)."""

    quotas_client: Any
    sagemaker_client: Any
    where: str
    known: Mapping[str, capacity.Counts] = field(default_factory=dict)
    _quotas: tuple[dict[str, capacity.Quota], capacity.Quota | None] | None = field(default=None, init=False)
    _running: dict[str, tuple[str, dict[str, int]]] | None = field(default=None, init=False)
    _described: frozenset[str] = field(default=frozenset(), init=False)

    def quotas(self) -> tuple[dict[str, capacity.Quota], capacity.Quota | None]:
        if self._quotas is None:
            found: dict[str, capacity.Quota] = {}
            # Defaults first, then the applied values over them: ListServiceQuotas leaves out
            # quotas whose applied value is not available.
            for operation in ("list_aws_default_service_quotas", "list_service_quotas"):
                for page in self.quotas_client.get_paginator(operation).paginate(ServiceCode=SERVICE_CODE):
                    for quota in page.get("Quotas", []):
                        found[quota["QuotaName"]] = capacity.Quota(quota["QuotaName"], float(quota["Value"]), quota.get("QuotaCode", ""))
            per_type = {m.group("type"): q for name, q in found.items() if (m := _TYPE_QUOTA.match(name))}
            total = next((found[n] for n in sorted(TOTAL_QUOTA_NAMES) if n in found), None)
            self._quotas = (dict(sorted(per_type.items())), total)
        return self._quotas

    def running(self) -> dict[str, tuple[str, dict[str, int]]]:
        """Endpoint name → (status, instances per type) of every endpoint that holds instances.

        ListEndpoints names them, 100 a call. An endpoint of the catalog counts as its settings
        deploy it (what the last apply of its group asked SageMaker for); any other is described
        (DescribeEndpoint, and DescribeEndpointConfig once per configuration)."""
        if self._running is None:
            configs: dict[str, dict[str, str]] = {}
            found: dict[str, tuple[str, dict[str, int]]] = {}
            described: set[str] = set()
            for page in self.sagemaker_client.get_paginator("list_endpoints").paginate(PaginationConfig={"PageSize": LIST_PAGE_SIZE}):
                for summary in page.get("Endpoints", []):
                    status = summary.get("EndpointStatus", "")
                    if status in _INACTIVE:
                        continue
                    name = summary["EndpointName"]
                    if name in self.known:
                        found[name] = (status, dict(self.known[name]))
                        continue
                    found[name] = self._described_endpoint(name, configs)
                    described.add(name)
            self._running, self._described = found, frozenset(described)
        return self._running

    def _described_endpoint(self, name: str, configs: dict[str, dict[str, str]]) -> tuple[str, dict[str, int]]:
        endpoint = self.sagemaker_client.describe_endpoint(EndpointName=name)
        config_name = endpoint.get("EndpointConfigName", "")
        if config_name not in configs:
            config = self.sagemaker_client.describe_endpoint_config(EndpointConfigName=config_name)
            configs[config_name] = {
                v["VariantName"]: v["InstanceType"] for v in config.get("ProductionVariants", []) if v.get("InstanceType")
            }
        counts: dict[str, int] = {}
        for variant in endpoint.get("ProductionVariants", []):
            kind = configs[config_name].get(variant.get("VariantName", ""))
            if kind:
                # During an update the desired count can be above the current one.
                n = max(variant.get("CurrentInstanceCount") or 0, variant.get("DesiredInstanceCount") or 0)
                counts[kind] = counts.get(kind, 0) + n
        return endpoint.get("EndpointStatus", ""), counts

    def account(self, managed: Sequence[frozenset[str]]) -> capacity.Account:
        """The account as the review sees it: endpoints the plans manage are left out of `in_use`,
        since the plans already count them (before, after and at the peak)."""
        per_type, total = self.quotas()
        in_use, from_catalog, described = self.in_use(managed)
        return capacity.Account(per_type, total, in_use, self.where, from_catalog=from_catalog, described=described)

    def in_use(self, managed: Sequence[frozenset[str]]) -> tuple[dict[str, int], int, int]:
        """(instances per type, endpoints counted from the catalog, endpoints described) of the
        running endpoints that none of `managed` (SageMaker names, per planned endpoint) names."""
        skip = set().union(*managed) if managed else set()
        running = self.running()
        others = [name for name in running if name not in skip]
        counts: dict[str, int] = {}
        for name in others:
            for kind, n in running[name][1].items():
                counts[kind] = counts.get(kind, 0) + n
        described = sum(1 for name in others if name in self._described)
        return dict(sorted(counts.items())), len(others) - described, described


def prefetch(reader: AccountReader) -> None:
    """Look up quotas and running endpoints now (e.g. while Terraform plans); a failure is left
    for `review`, which asks again and turns it into its one-line note."""
    try:
        reader.quotas()
        reader.running()
    except Exception:  # noqa: BLE001, S110 - review() repeats the call and reports the failure
        pass


def reader_for(env: Environment, aws_env: Mapping[str, str], endpoints: Mapping[str, ResolvedEndpoint]) -> AccountReader:
    """The reader of the environment's account; `endpoints` (the environment's resolved catalog)
    are counted from their settings instead of described."""
    session, kwargs = session_for(aws_env)
    region = env.settings.aws.region
    return AccountReader(
        quotas_client=session.client("service-quotas", region_name=region, **kwargs),
        sagemaker_client=session.client("sagemaker", region_name=region, **kwargs),
        where=f"account {env.settings.aws.account_id} in {region}",
        known=catalog_fleets(endpoints),
    )


def catalog_fleets(endpoints: Mapping[str, ResolvedEndpoint]) -> dict[str, capacity.Counts]:
    """SageMaker endpoint name → instances per type, of every endpoint of an environment's
    catalog (the endpoint's name in SageMaker is its catalog name, modules/sagemaker_endpoint)."""
    return {name: capacity.catalog_fleet(endpoint.variants()) for name, endpoint in endpoints.items()}


# --- prices -----------------------------------------------------------------------------------


def price_filters(region: str) -> list[dict[str, str]]:
    return [
        {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
        {"Type": "TERM_MATCH", "Field": "productFamily", "Value": "ML Instance"},
        {"Type": "TERM_MATCH", "Field": "component", "Value": "Hosting"},
    ]


def update_prices(root: Path, region: str, pricing_client: Any, *, today: datetime.date | None = None) -> Path:
    """Fetch on-demand hosting prices of `region` and write them to build/prices/<region>.json."""
    items: list[str] = []
    paginator = pricing_client.get_paginator("get_products")
    for page in paginator.paginate(ServiceCode=PRICE_SERVICE_CODE, Filters=price_filters(region), FormatVersion="aws_v1"):
        items.extend(page.get("PriceList", []))
    hourly = capacity.hosting_prices(items)
    if not hourly:
        raise CapacityError(f"fix: check the region name — the Price List API has no SageMaker hosting prices for {region}")
    path = prices_file(root, region)
    document = {
        "generated_by": PRICES_COMMAND.format(env="<env>"),
        "source": f"AWS Price List API, GetProducts {PRICE_SERVICE_CODE}, regionCode {region}, component Hosting, on demand",
        "fetched": (today or datetime.date.today()).isoformat(),
        "region": region,
        "usd_per_hour": hourly,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
    return path


def pricing_client(aws_env: Mapping[str, str]) -> Any:
    session, kwargs = session_for(aws_env)
    kwargs.pop("endpoint_url", None)  # the emulator has no Price List API; prices are public AWS data
    return session.client("pricing", region_name=PRICE_LIST_REGION, **kwargs)


def load_prices(root: Path, region: str) -> capacity.Prices | None:
    path = prices_file(root, region)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except json.JSONDecodeError as exc:
        raise CapacityError(f"fix: delete {path} and run `{PRICES_COMMAND.format(env='<env>')}` — it is not JSON ({exc.msg})") from None
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return capacity.Prices(region, f"`{relative}` (fetched {document.get('fetched', '?')})", document.get("usd_per_hour", {}))


# --- the review -------------------------------------------------------------------------------


def review(
    root: Path,
    env: Environment,
    plan_paths: Sequence[Path],
    reader: AccountReader | None,
    endpoints: Mapping[str, ResolvedEndpoint],
    *,
    account_note: str = "",
) -> capacity.CapacityReport:
    """The capacity report of an environment's plans (one per state), for its resolved catalog
    `endpoints` (their deployment settings name the rollouts); `reader` None: quotas unknown."""
    plans = [load_plan(p) for p in plan_paths]
    deployments = {name: endpoint.settings.deployment for name, endpoint in endpoints.items()}
    region = env.settings.aws.region
    hint = f"`{PRICES_COMMAND.format(env=env.name)}` fetches them from the AWS Price List API into `{prices_file(root, region).relative_to(root).as_posix()}`."
    draft = capacity.report(env.name, plans, deployments=deployments)
    account = None
    if reader is not None:
        try:
            account = reader.account([e.sagemaker_names for e in draft.endpoints])
        except Exception as exc:  # noqa: BLE001 - any AWS failure becomes the one-line note below
            account_note = unreadable(exc, env)
    return capacity.report(
        env.name, plans, deployments=deployments, account=account,
        account_note=account_note, prices=load_prices(root, region), prices_hint=hint,
    )


def unreadable(exc: Exception, env: Environment) -> str:
    """One line saying why the account could not be read, and what would let it."""
    import botocore.exceptions as bx

    account = env.settings.aws.account_id
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError | bx.ProfileNotFound):
        return f"no AWS credentials (a plan-only review); with credentials of account {account} the quotas are compared."
    if isinstance(exc, bx.ClientError):
        code = exc.response.get("Error", {}).get("Code", "error")
        return (
            f"AWS refused the look-up ({code}); the credentials need servicequotas:ListServiceQuotas, "
            "servicequotas:ListAWSDefaultServiceQuotas, sagemaker:ListEndpoints, sagemaker:DescribeEndpoint "
            "and sagemaker:DescribeEndpointConfig."
        )
    if isinstance(exc, bx.BotoCoreError):
        return f"AWS could not be reached ({exc})."
    raise exc
