"""Adjustments to moto for the local harness only (applied in the emulator's own process)."""

from __future__ import annotations


def apply() -> None:
    """Apply every local-harness patch. Each patch documents the moto behaviour it corrects."""
