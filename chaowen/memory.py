"""Handing memory that Python freed back to the system, between the steps of a build.

A build with its search index peaks while Pagefind's processes index the last years: what counts then is the
build's own resident memory beside theirs. glibc keeps the memory of freed large objects (a rendered page, a
shard's files as Pagefind sent them, base64 and all) for reuse, above all in the arena of the thread that indexes,
so the build's resident size only grows. ``malloc_trim`` returns those free pages; where there is no glibc
(macOS, Windows, musl) there is nothing to do.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # another C library
        return None
    return trim


def release_freed_memory() -> bool:
    """Give the memory freed so far back to the system; whether it could be asked."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
