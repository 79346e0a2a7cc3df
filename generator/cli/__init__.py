"""The command line, and the only place that knows about one: `parser` declares every command and
flag, `handlers` turns parsed arguments into calls of library code, `main` maps the one error type
to exit codes.

Top of the house: may import every package of `generator`; none of them imports it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from generator.common.errors import GeneratorError, InvalidInput


def main(argv: Sequence[str] | None = None) -> int:
    from generator.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except InvalidInput as exc:
        count = len(exc.problems)
        print(f"error: {count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
