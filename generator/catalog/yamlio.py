"""YAML loading that keeps line numbers, so messages can point at the offending line.

The happy path is a plain `yaml.load`. The node graph, which carries the marks, is composed
again from the kept text only when a message asks for a line: keeping every file's node graph
alive made a large catalog use several times the memory of its data, and made the garbage
collector re-scan those graphs again and again (measured by `make bench`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml is several times faster; fall back to the pure-Python loader where it is absent.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    text: str

    @functools.cached_property
    def root(self) -> yaml.Node | None:
        """The document's node graph, composed on first use (the text parsed once already)."""
        loader = _Loader(self.text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node on `path` that exists (a missing key points at its parent)."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == step), None)
                if match is None:
                    key = next((k for k, _ in node.value if k.value == step), None)
                    return key.start_mark.line + 1 if key is not None else line
                # Point at the key, which is where a person reads the field name.
                key_node = next(k for k, v in node.value if v is match)
                line, node = key_node.start_mark.line + 1, match
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if step >= len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def load_yaml(text: str) -> LoadedYaml:
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(str(exc.problem or exc), mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from exc
    finally:
        loader.dispose()
    return LoadedYaml(data=data, text=text)
