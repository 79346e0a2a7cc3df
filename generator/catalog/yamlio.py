"""YAML loading that keeps line numbers, so messages can point at the offending line.

Inputs come from pull-request authors, so two YAML features are refused outright: anchors and
aliases (an alias bomb expands a few lines into billions of values) and duplicate keys in a
mapping (YAML would silently keep the last one).

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

from generator.common.rules import excerpt

try:  # libyaml is several times faster; fall back to the pure-Python loader where it is absent.
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class YamlSyntaxError(ValueError):
    """YAML that is not read; `field` and `fix` are phrased for a `Problem`."""

    def __init__(self, message: str, line: int | None, *, field: str = "(document)", fix: str = "correct the YAML syntax"):
        super().__init__(message)
        self.line = line
        self.field = field
        self.fix = fix


class _DuplicateKey(yaml.MarkedYAMLError):
    def __init__(self, key: Any, mark: yaml.Mark):
        super().__init__(problem=f"the key {excerpt(key)} appears more than once in this mapping", problem_mark=mark)
        self.key = key


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a mapping that repeats a key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; SafeConstructor reports it below
                continue
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


def _refuse_anchors(text: str) -> None:
    """Raise `YamlSyntaxError` at the first anchor or alias; cheap when the text has neither sign."""
    if "&" not in text and "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                raise YamlSyntaxError(
                    f"found the {kind} {excerpt(anchor)}; anchors and aliases are not accepted in inputs",
                    event.start_mark.line + 1,
                    fix="write the value out in full instead of using a YAML anchor (&) or alias (*)",
                )
    except yaml.YAMLError:
        return  # a syntax error: load_yaml reports it with its line


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
    _refuse_anchors(text)
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except _DuplicateKey as exc:
        mark = exc.problem_mark
        named = isinstance(exc.key, str) and len(exc.key) <= 40
        raise YamlSyntaxError(
            str(exc.problem),
            mark.line + 1 if mark else None,
            field=exc.key if named else "(document)",
            fix=f"keep one {excerpt(exc.key)} key and delete the others",
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(str(exc.problem or exc), mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from exc
    finally:
        loader.dispose()
    return LoadedYaml(data=data, text=text)
