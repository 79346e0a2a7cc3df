"""Loads the credentials Lambda's handler the way the Lambda runtime does: a top-level module.

The handler lives in modules/registry_credentials/src/, outside the generator package, so each
load gives a fresh module with an empty cache and no client yet.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

HANDLER_PATH = (
    Path(__file__).resolve().parent.parent / "modules/registry_credentials/src/handler.py"
)


def load_handler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("registry_credentials_handler", HANDLER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
