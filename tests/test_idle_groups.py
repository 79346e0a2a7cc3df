"""`make plan` / `make apply` of a whole environment leave out a group that has nothing to plan:
no endpoint of the environment in it and no resource in its state. The decision, with the S3
read of the state (its I/O edge, tested in test_remote_state.py) stubbed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.loader import Environment, load_repository
from generator.catalog.states import State
from generator.deploy import remote_state, workflow
from tests.helpers import copy_repository


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Environment]:
    root = copy_repository(tmp_path_factory.mktemp("idle") / "repo")
    return root, load_repository(root).environments["local"]


def _stub_state(monkeypatch: pytest.MonkeyPatch, holds: bool | None) -> list[str]:
    keys: list[str] = []

    def holds_resources(backend, key, aws_env):
        keys.append(key)
        return holds

    monkeypatch.setattr(remote_state, "holds_resources", holds_resources)
    return keys


def test_an_empty_group_with_an_empty_state_is_not_planned_and_its_old_plan_is_removed(env, monkeypatch) -> None:
    root, environment = env
    keys = _stub_state(monkeypatch, holds=False)
    out = root / "build" / "local" / "idle"
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text("{}")

    result = workflow._idle(root, environment, State("local", "idle"), {}, frozenset({"default"}))

    assert result is not None and not result.planned and not result.has_changes
    assert keys == ["sagemaker-gitops/local/groups/idle.tfstate"]
    assert not (out / "plan.json").exists()  # `make capacity` and the review read what is there


@pytest.mark.parametrize("holds", [True, None], ids=["state holds resources", "state unreadable"])
def test_an_empty_group_whose_state_holds_or_may_hold_resources_is_planned(env, monkeypatch, holds) -> None:
    root, environment = env
    _stub_state(monkeypatch, holds=holds)

    assert workflow._idle(root, environment, State("local", "idle"), {}, frozenset({"default"})) is None


@pytest.mark.parametrize("name", ["base", "default"])
def test_base_and_a_group_with_endpoints_are_planned_without_reading_their_state(env, monkeypatch, name) -> None:
    root, environment = env
    keys = _stub_state(monkeypatch, holds=False)

    assert workflow._idle(root, environment, State("local", name), {}, frozenset({"default"})) is None
    assert keys == []
