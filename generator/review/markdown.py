"""Untrusted text as inert markdown: a code span that nothing inside the value can end or escape.

Every value the review summary shows comes from the pull request (catalog names, images,
attribute values, addresses), so its author chooses the characters. A value is shown on one
line, in a code span whose backtick fence is longer than any backtick run inside it, so it
cannot close its span and start a heading, a link or a table row of its own. Line breaks,
other control characters and invisible format characters (bidirectional overrides, zero-width
spaces) are shown as visible escapes (`\\n`, `\\x1b`, `\\u202e`); over-long values are cut
with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CODE_CHARS = 240
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Cc: control characters; Cf: format characters (bidi overrides, zero-width); Zl/Zp: line and
# paragraph separators, which some renderers treat as line breaks.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
_BACKTICKS = re.compile(r"`+")


def visible(value: str) -> str:
    """`value` with every line break, control and format character written as an escape."""
    # str.isprintable() is False for every character of those categories (and for a few more,
    # such as non-ASCII spaces): when it holds, nothing needs escaping, checked at C speed.
    if value.isprintable():
        return value
    return "".join(_escape(ch) if unicodedata.category(ch) in _INVISIBLE else ch for ch in value)


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    point = ord(ch)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def code(value: str, limit: int = MAX_CODE_CHARS) -> str:
    """`value` as one inline code span of at most `limit` characters of content."""
    # Escapes only lengthen the text, so the first limit + 1 characters decide what is shown.
    text = visible(value[: limit + 1])
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    # CommonMark strips one space from each end of a span that starts or ends with a space, so
    # a value starting or ending with a backtick (or with spaces on both ends) gets one each.
    padded = text.startswith("`") or text.endswith("`") or (text[:1] == text[-1:] == " " and text.strip(" "))
    pad = " " if padded else ""
    return f"{fence}{pad}{text}{pad}{fence}"
