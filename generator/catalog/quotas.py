"""AWS quotas the catalog implies, computed before anything is planned, and refused when exceeded.

By construction nothing grows with the number of endpoints but the endpoint resources
themselves: the models of an endpoint group share one security group (modules/registry_clients),
which each registry's group and the Lambda endpoint's group admit once, and one execution role
whose policy names that group's artifacts only. What still grows is the number of groups and the
size of a group's policy, so `validate` (and `render`, `plan`) counts, per environment:

* inbound rules in each registry's security group and in the Lambda endpoint's (one per group
  that uses it) against `network.security_group_rule_quota` (AWS's default 60);
* security groups in the region (one per group with endpoints, one for the Lambda endpoint)
  against `network.security_group_quota` (2,500);
* IAM roles of the account, summed over the environments that share it (one per group with
  endpoints, one per credentials Lambda) against `aws.iam_role_quota` (1,000);
* the inline policy of each group's execution role against IAM's fixed 10,240 characters.

A catalog over any of them is refused with the file, field and fix, because the apply would fail
after the merge. `figures` are the same numbers as one line per environment.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from generator.catalog.loader import Environment, Repository, ResolvedEndpoint
from generator.common.errors import InvalidInput, Problem
from generator.common.naming import credentials_function_arn

# IAM's limit on a role's inline policies, in characters without white space; not adjustable.
INLINE_POLICY_LIMIT = 10_240
# The execution policy of modules/iam without any resource list: its fixed statements, with the
# longest partition, region and VPC and subnet IDs (measured from a plan, rounded up).
POLICY_OVERHEAD = 2_600
# Per statement that lists resources (artifacts, capture prefixes, keys, functions).
POLICY_STATEMENT_OVERHEAD = 120
# Per resource ARN: quotes and a comma.
POLICY_ARN_OVERHEAD = 3
LAMBDA_ENDPOINT = "the Lambda interface endpoint's security group"


@dataclass(frozen=True)
class Figures:
    environment: str
    groups: int
    rules: dict[str, int]  # security group (registry name or the Lambda endpoint) -> inbound rules
    rule_quota: int
    security_groups: int
    security_group_quota: int
    roles: int  # in the account, all environments that share it
    role_quota: int
    largest_policy: tuple[str, int]  # (group, characters)

    def line(self) -> str:
        rules = ", ".join(f"{name} {n}/{self.rule_quota}" for name, n in sorted(self.rules.items())) or "none"
        group, size = self.largest_policy
        policy = f"{size:,}/{INLINE_POLICY_LIMIT:,} characters (group {group})" if group else "none"
        return (
            f"quotas of {self.environment}: {self.groups} endpoint groups; inbound rules {rules}; "
            f"security groups {self.security_groups}/{self.security_group_quota}; IAM roles of the account "
            f"{self.roles}/{self.role_quota}; largest execution policy {policy}"
        )


def policy_characters(endpoints: list[ResolvedEndpoint], env: Environment) -> int:
    """An upper bound of the group's execution policy size (modules/iam), without white space."""
    lists: dict[str, set[str]] = defaultdict(set)
    for e in endpoints:
        s = e.settings
        registry = env.settings.registries[e.registry]
        if registry.auth != "none":
            lists["invoke"].add(credentials_function_arn("aws-us-gov", env.settings.aws.region, env.settings.aws.account_id, env.name, e.registry))
        if s.model_data_url:
            lists["artifacts"].add("arn:aws-us-gov:s3:::" + s.model_data_url.removeprefix("s3://"))
        if s.data_capture is not None:
            lists["capture"].add("arn:aws-us-gov:s3:::" + s.data_capture.destination_s3_uri.removeprefix("s3://").rstrip("/") + "/*")
            if s.data_capture.kms_key_arn:
                lists["capture_keys"].add(s.data_capture.kms_key_arn)
    if env.settings.kms_key_arn:
        lists["keys"].add(env.settings.kms_key_arn)
    return POLICY_OVERHEAD + sum(
        POLICY_STATEMENT_OVERHEAD + sum(len(arn) + POLICY_ARN_OVERHEAD for arn in arns) for arns in lists.values() if arns
    )


def _problem(env: Environment, path: tuple[str, ...], fix: str, detail: str) -> Problem:
    return Problem(env.source.path, env.source.loaded.line_of(list(path)), ".".join(path), fix, detail)


def check(repo: Repository, resolved: Mapping[str, Mapping[str, ResolvedEndpoint]]) -> list[Figures]:
    """The quota figures of every resolved environment; raises `InvalidInput` when one is exceeded."""
    problems: list[Problem] = []
    figures: list[Figures] = []
    roles_per_account: Counter[str] = Counter()
    by_group: dict[str, dict[str, list[ResolvedEndpoint]]] = {}
    # Roles are counted over every environment of the account, resolved here or not.
    for env_name, env in repo.environments.items():
        endpoints = resolved.get(env_name)
        groups: dict[str, list[ResolvedEndpoint]] = defaultdict(list)
        for e in (endpoints or {}).values():
            groups[e.group].append(e)
        by_group[env_name] = groups
        credentials_lambdas = sum(1 for r in env.settings.registries.values() if r.auth != "none")
        if endpoints is not None:
            roles_per_account[env.settings.aws.account_id] += len(groups) + credentials_lambdas
    for env_name in sorted(resolved):
        env = repo.environments[env_name]
        network = env.settings.network
        groups = by_group[env_name]
        rules: Counter[str] = Counter()
        for members in groups.values():
            used = {e.registry for e in members}
            rules.update(used)
            if any(env.settings.registries[r].auth != "none" for r in used):
                rules[LAMBDA_ENDPOINT] += 1
        for name, count in sorted(rules.items()):
            if count > network.security_group_rule_quota:
                path = ("network", "security_group_rule_quota") if name == LAMBDA_ENDPOINT else ("registries", name, "security_group_id")
                where = LAMBDA_ENDPOINT if name == LAMBDA_ENDPOINT else f"the security group of registry {name}"
                problems.append(
                    _problem(
                        env,
                        path,
                        "move endpoints into fewer groups (catalog/<group>/), or request a quota increase for inbound rules per security group and set network.security_group_rule_quota",
                        f"{count} endpoint groups each add an inbound rule to {where}, above the quota of {network.security_group_rule_quota}, so the apply would fail",
                    )
                )
        security_groups = len(groups) + 1
        if security_groups > network.security_group_quota:
            problems.append(
                _problem(env, ("network", "security_group_quota"), "move endpoints into fewer groups, or raise the quota of security groups per region and set network.security_group_quota", f"{len(groups)} endpoint groups need {security_groups} security groups, above the quota of {network.security_group_quota}")
            )
        account = env.settings.aws.account_id
        roles = roles_per_account[account]
        if roles > env.settings.aws.iam_role_quota:
            problems.append(
                _problem(env, ("aws", "iam_role_quota"), "move endpoints into fewer groups, or raise the IAM roles quota of the account and set aws.iam_role_quota", f"the environments of account {account} need {roles} IAM roles, above the quota of {env.settings.aws.iam_role_quota}")
            )
        sizes = {g: policy_characters(members, env) for g, members in groups.items()}
        for group, size in sorted(sizes.items()):
            if size > INLINE_POLICY_LIMIT:
                problems.append(
                    Problem(
                        f"catalog/{group}/" if group != "default" else "catalog/",
                        None,
                        "model_data_url",
                        "split the group into smaller groups, or give its endpoints' model artifacts and capture a shared prefix",
                        f"the execution role of group {group} in environment {env_name} would need about {size:,} characters of inline policy, above IAM's {INLINE_POLICY_LIMIT:,}",
                    )
                )
        largest = max(sizes.items(), key=lambda item: item[1], default=("", 0))
        figures.append(
            Figures(env_name, len(groups), dict(rules), network.security_group_rule_quota, security_groups, network.security_group_quota, roles, env.settings.aws.iam_role_quota, largest)
        )
    if problems:
        raise InvalidInput(problems)
    return figures


def report(repo: Repository, resolved: Mapping[str, Mapping[str, ResolvedEndpoint]], *, show: bool = False) -> list[Figures]:
    """Refuse a catalog over a quota; with `show`, print the figures (one line per environment)."""
    figures = check(repo, resolved)
    if show:
        for f in figures:
            print(f.line(), file=sys.stderr)
    return figures
