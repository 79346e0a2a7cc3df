"""Two look-ups moto's server repeats for every request, done once per process instead.

The emulator answers one request at a time (`server.OneRequestAtATime`), so its time per request
is what a plan's refresh waits for: a group of 100 endpoints refreshes with some 600 calls. Two
steps of moto 5.2 took most of that time, and both compute something that never changes while
the server runs:

- `moto.backends.list_of_moto_modules()` lists moto's package folder and stats every entry (174
  of them) to decide whether the request's host names a backend; the answer is the same for
  every request. About 1.5 ms of each request.
- `moto.core.responses.method_names_from_class(cls)` runs `inspect.getmembers` over the response
  class (hundreds of members) to check that the action is one of its methods. About 0.6 ms.

With both remembered, a SageMaker Describe or ListTags call spends about a third of the time it
did in the emulator's WSGI application (3.3 ms to 1.2 ms on a two-core machine). Neither changes
what moto answers: the module list and each class's method names are the same values, computed
once. The classes are read after `patches.apply()` has added its methods (the server applies
both before it serves), so the remembered names include them.

Like the patches, this runs only in the emulator's own process (`server.serve`).
"""

from __future__ import annotations

import functools


def apply() -> None:
    """Remember moto's backend folder list and each response class's method names."""
    from moto import backends
    from moto.core import responses

    list_folders = backends.list_of_moto_modules
    # A frozenset: moto only asks `host in list_of_moto_modules()`, which a set answers at once.
    backends.list_of_moto_modules = functools.cache(lambda: frozenset(list_folders()))
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)
