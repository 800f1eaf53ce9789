"""A rebuild in a new process (the CLI's) starts from what the last build's reads were worth, kept in the
cache: it finds the reads whose value changed once instead of digesting every page's values, and still
gives the bytes of a clean build."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from chaowen.build import BuildOptions, build
from chaowen.cache import CACHE_DIR
from chaowen.reads import Values
from tests.conftest import NOW, built_example, tree_files

ESSAY = "content/essays/wang-xiaoming-iot.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return built_example(tmp_path, search=False)


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages' states (digests of all their reads' values) the builds work out."""
    made: list[int] = []
    state = Values.state

    def counted(self: Values, reads: object) -> str:
        made.append(1)
        return state(self, reads)  # type: ignore[arg-type]

    monkeypatch.setattr(Values, "state", counted)
    return made


def test_a_no_change_rebuild_in_a_new_process_digests_no_page(site: Path, digests: list[int]) -> None:
    result = build(BuildOptions(site_root=site, jobs=1, search=False), now=NOW)
    assert (result.rendered, result.written) == (0, 0)
    assert digests == []


def test_an_edit_in_a_new_process_digests_only_the_pages_it_renders(
    site: Path, tmp_path: Path, digests: list[int]
) -> None:
    path = site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + "\n新加的一段话。\n", encoding="utf-8")
    result = build(BuildOptions(site_root=site, jobs=1, search=False), now=NOW)
    assert 0 < result.rendered < result.pages / 2
    assert len(digests) == result.rendered
    clean = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean, clean=True, cache=False, jobs=1, search=False), now=NOW)
    assert tree_files(site / "output") == tree_files(clean)


def test_without_the_values_in_the_cache_every_kept_page_is_checked_by_its_digest(
    site: Path, tmp_path: Path, digests: list[int]
) -> None:
    index = site / CACHE_DIR / "index.json"
    data = orjson.loads(index.read_bytes())
    assert data["lines"]  # kept beside the manifest of the output folder
    data["lines"] = {}
    index.write_bytes(orjson.dumps(data))
    path = site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + "\n新加的一段话。\n", encoding="utf-8")
    result = build(BuildOptions(site_root=site, jobs=1, search=False), now=NOW)
    # every page is checked by its digest, and each one rendered digested again for its new entry
    assert len(digests) == result.pages + result.rendered
    clean = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean, clean=True, cache=False, jobs=1, search=False), now=NOW)
    assert tree_files(site / "output") == tree_files(clean)
