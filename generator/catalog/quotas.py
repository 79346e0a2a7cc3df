"""Security-group rule counts an environment's catalog implies, against the account's quota.

Each endpoint's model security group gets an inbound rule on its registry's security group, and
on the Lambda interface endpoint's group when its registry needs credentials. AWS allows 60
inbound rules per security group unless the quota was raised, and the limit only shows up at
apply time, after the pull request is merged. Reporting it from `validate`, `render` and
`plan` puts it in front of the reviewer instead. It is a warning, not an error: the group may
hold fewer or more rules than the catalog implies (rules managed elsewhere), and only the
account knows its quota.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping

from generator.catalog.loader import Environment, ResolvedEndpoint
from generator.common.errors import Problem

LAMBDA_ENDPOINT_GROUP = "the Lambda interface endpoint's security group"


def inbound_rule_warnings(
    environments: Mapping[str, Environment], resolved: Mapping[str, Mapping[str, ResolvedEndpoint]]
) -> list[str]:
    """One line per security group whose implied inbound rules exceed the environment's quota."""
    warnings: list[str] = []
    for env_name in sorted(resolved):
        env = environments[env_name]
        settings = env.settings
        quota = settings.network.security_group_rule_quota
        per_group: Counter[str] = Counter()
        paths: dict[str, tuple[str, ...]] = {}
        for endpoint in resolved[env_name].values():
            registry = settings.registries[endpoint.registry]
            per_group[registry.security_group_id] += 1
            paths.setdefault(registry.security_group_id, ("registries", endpoint.registry, "security_group_id"))
            if registry.auth != "none":
                per_group[LAMBDA_ENDPOINT_GROUP] += 1
        for group, count in sorted(per_group.items()):
            if count <= quota:
                continue
            path = paths.get(group, ("network",))
            problem = Problem(
                file=env.source.path,
                line=env.source.loaded.line_of(path),
                field=".".join(path),
                fix="request a quota increase for inbound rules per security group and set "
                "network.security_group_rule_quota, or spread the endpoints over more registries",
                detail=f"{count} endpoints each add an inbound rule to {group}, above the quota of {quota}, "
                "so the apply would fail",
            )
            warnings.append(f"warning: {problem}")
    return warnings


def report(environments: Mapping[str, Environment], resolved: Mapping[str, Mapping[str, ResolvedEndpoint]]) -> None:
    for line in inbound_rule_warnings(environments, resolved):
        print(line, file=sys.stderr)
