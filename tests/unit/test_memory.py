"""Handing freed memory back to the system: asked of glibc where there is one, a no-op elsewhere."""

from __future__ import annotations

import sys

import pytest

from chaowen import memory


def test_on_linux_with_glibc_the_system_is_asked() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("glibc is a Linux C library")
    assert memory.release_freed_memory() is True


def test_elsewhere_nothing_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    memory._trim.cache_clear()
    monkeypatch.setattr(sys, "platform", "darwin")
    try:
        assert memory.release_freed_memory() is False
    finally:
        memory._trim.cache_clear()
