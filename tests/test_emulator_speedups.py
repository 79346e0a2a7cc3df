"""The emulator's speed-ups: moto's per-request look-ups give the same answers, computed once."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable, Iterator

import pytest
from moto import backends
from moto.core import responses
from moto.sagemaker.responses import SageMakerResponse

from generator.emulator import speedups


@pytest.fixture
def sped_up(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Iterable[str]]]:
    """`speedups.apply()` in this process, undone afterwards (monkeypatch restores both names).
    Yields moto's own `list_of_moto_modules`."""
    listing = backends.list_of_moto_modules
    monkeypatch.setattr(backends, "list_of_moto_modules", listing)
    monkeypatch.setattr(responses, "method_names_from_class", responses.method_names_from_class)
    speedups.apply()
    yield listing


def test_backend_folders_are_the_ones_moto_lists(sped_up: Callable[[], Iterable[str]]) -> None:
    remembered = backends.list_of_moto_modules()

    assert remembered == set(sped_up())
    assert {"sagemaker", "ec2", "iam", "s3"} <= remembered


def test_backend_folders_are_listed_once(sped_up: object, monkeypatch: pytest.MonkeyPatch) -> None:
    backends.list_of_moto_modules()
    monkeypatch.setattr(os, "listdir", lambda path: pytest.fail(f"listed {path} again"))

    assert "sagemaker" in backends.list_of_moto_modules()
    assert "127.0.0.1:5000" not in backends.list_of_moto_modules()


def test_response_methods_are_the_ones_inspect_finds(sped_up: object) -> None:
    expected = [name for name, _ in inspect.getmembers(SageMakerResponse, predicate=inspect.isfunction)]

    assert responses.method_names_from_class(SageMakerResponse) == expected


def test_response_methods_are_inspected_once_per_class(sped_up: object, monkeypatch: pytest.MonkeyPatch) -> None:
    first = responses.method_names_from_class(SageMakerResponse)
    monkeypatch.setattr(inspect, "getmembers", lambda *a, **k: pytest.fail("inspected the class again"))

    assert responses.method_names_from_class(SageMakerResponse) == first
