"""An environment's Terraform states: one `base` state (what every endpoint shares) and one state
per endpoint group. Each has its own S3 key and lock, Terraform data dir, plan and Atlantis project.

A group is a folder of the catalog (catalog/<group>/, declared by its group.yaml; files directly
in catalog/ form the `default` group), so an endpoint's state never changes when other endpoints
are added, and a group maps to the team that owns the folder. Every declared group has a state in
every environment, even with no endpoint there: emptying a group plans the destruction of its
resources instead of orphaning its state (a plan of the whole environment leaves out such a
state once it holds nothing: `generator.deploy.workflow`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.common.layout import DEFAULT_GROUP, ENVIRONMENTS_DIR, ROOT_MODULE_DIR

if TYPE_CHECKING:  # the runner needs State, not the catalog's loader and pydantic
    from collections.abc import Mapping

    from generator.catalog.loader import Repository, ResolvedEndpoint

BASE = "base"
GROUPS_DIR = "groups"


@dataclass(frozen=True, order=True)
class State:
    environment: str
    name: str  # "base" or the group's name

    @property
    def kind(self) -> Literal["base", "group"]:
        return "base" if self.name == BASE else "group"

    @property
    def project(self) -> str:
        """Atlantis project name and the state's label everywhere: <env>-<state>."""
        return f"{self.environment}-{self.name}"

    @property
    def root_module(self) -> str:
        """The Terraform root module, relative to the repository: terraform/base or terraform/group."""
        return f"{ROOT_MODULE_DIR}/{self.kind}"

    @property
    def group_tfvars(self) -> str | None:
        """environments/<env>/groups/<group>.tfvars.json (a group's endpoints), None for base."""
        return None if self.kind == "base" else f"{ENVIRONMENTS_DIR}/{self.environment}/{GROUPS_DIR}/{self.name}.tfvars.json"

    def backend_key(self, environment_key: str) -> str:
        """S3 key of this state, beside the others of the environment: environment.yaml's
        backend.key without `.tfstate`, then /base.tfstate or /groups/<group>.tfstate."""
        prefix = environment_key.removesuffix(".tfstate")
        return f"{prefix}/{BASE}.tfstate" if self.kind == "base" else f"{prefix}/{GROUPS_DIR}/{self.name}.tfstate"


def groups(repo: Repository) -> list[str]:
    """Every declared group, the default group first."""
    return [DEFAULT_GROUP, *sorted(g for g in repo.groups if g != DEFAULT_GROUP)]


def states(repo: Repository, environment: str) -> list[State]:
    """The environment's states in apply order: base, then every group."""
    return [State(environment, BASE), *(State(environment, g) for g in groups(repo))]


def find(repo: Repository, environment: str, name: str | None) -> list[State]:
    """All states of the environment, or the one named (base or a group); [] when unknown."""
    every = states(repo, environment)
    return every if name is None else [s for s in every if s.name == name]


def occupied_groups(endpoints: Mapping[str, ResolvedEndpoint]) -> frozenset[str]:
    """The groups with at least one of an environment's resolved endpoints."""
    return frozenset(e.group for e in endpoints.values())
