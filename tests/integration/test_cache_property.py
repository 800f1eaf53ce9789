"""Random sequences of edits: every warm build gives exactly the bytes of a clean build.

The fixed cases in test_incremental.py cover each kind of change once; here
hypothesis combines them (body, front matter, config, template, add, delete,
rename) in random order on a small site. After each edit the site is built three
ways: by the same Builder (its memory and the disk cache), by a new Builder (the
disk cache only, as the next ``chaowen build`` would) and with no cache at all;
the three output folders must be identical. Edited files get an old but distinct
modification time, so that the cache's trust in unchanged stats is exercised too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaowen.build import Builder, BuildOptions
from chaowen.errors import BuildError
from tests.conftest import CONFIG_YAML, NOW, REPO, tree_files

pytestmark = pytest.mark.slow

ESSAY = "---\ntitle: {title}\ndate: {year}-03-05\nauthor: {author}\ntrack: iot\ntags: [{tag}]\n---\n{body}\n"
WORDS = ("潮闻", "产业链", "新材料", "智能物联", "生命健康", "增量构建", "王小明", "李华")
BASE_MTIME = 1_600_000_000  # long before any build of the test: a stat that may be trusted


def essay(n: int, word: str, year: int = 2025) -> str:
    return ESSAY.format(title=f"{word}心得{n}", year=year, author=f"作者{n % 3}", tag=word, body=f"{word}的正文。")


def initial_site(root: Path) -> None:
    (root / "content/essays").mkdir(parents=True)
    (root / "content/issues").mkdir()
    (root / "chaowen.yaml").write_text(CONFIG_YAML + "per_page: 2\n", encoding="utf-8")
    (root / "content/issues/1.md").write_text(
        "---\ntitle: 第1期\ndate: 2025-03-01\nnumber: 1\n---\n编者按。\n", encoding="utf-8"
    )
    for n in range(3):  # each essay links to the next: a rename or delete breaks a link that rendered fine
        link = f"\n见[下一篇](e{n + 1}.md)。\n" if n < 2 else ""
        (root / f"content/essays/e{n}.md").write_text(essay(n, WORDS[n]) + link, encoding="utf-8")


def essays(root: Path) -> list[Path]:
    return sorted((root / "content/essays").glob("*.md"))


# An edit: (kind, which essay, a word); returns the files it wrote.
Edit = tuple[str, int, str]


def apply(root: Path, edit: Edit, step: int) -> list[Path]:
    kind, which, word = edit
    present = essays(root)
    target = present[which % len(present)] if present else None
    if kind == "body" and target is not None:
        target.write_text(target.read_text(encoding="utf-8") + f"\n{word}，又一段。\n", encoding="utf-8")
        return [target]
    if kind == "front" and target is not None:
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("title: ", f"title: {word}", 1), encoding="utf-8")
        return [target]
    if kind == "link" and target is not None and len(present) > 1:
        other = present[(which + 1) % len(present)].name
        target.write_text(target.read_text(encoding="utf-8") + f"\n见[{word}]({other})。\n", encoding="utf-8")
        return [target]
    if kind == "config":
        path = root / "chaowen.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("per_page: 2", "per_page: 3")
            if "per_page: 2" in text
            else text.replace("per_page: 3", "per_page: 2"),
            encoding="utf-8",
        )
        return [path]
    if kind == "template":
        path = root / "themes/default/templates/document.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (REPO / "themes/default/templates/document.html").read_text(encoding="utf-8")
        path.write_text(
            text.replace("{% block content %}", f"{{% block content %}}<!-- {word} -->", 1), encoding="utf-8"
        )
        return [path]
    if kind == "add":
        path = root / f"content/essays/n{step}.md"
        path.write_text(essay(step, word, year=2024 + which % 3), encoding="utf-8")
        return [path]
    if kind == "delete" and target is not None:
        target.unlink()
        return []
    if kind == "rename" and target is not None:
        renamed = target.with_name(f"r{step}.md")
        target.rename(renamed)
        return [renamed]
    return []


def outcome(builder: Builder) -> dict[str, bytes] | str:
    """The output folder's files, or the problems when the build refused."""
    try:
        builder.build(now=NOW)
    except BuildError as error:
        return "\n".join(sorted(str(p) for p in error.problems))
    return tree_files(builder.options.output_dir)


EDITS = st.tuples(
    st.sampled_from(["body", "front", "link", "config", "template", "add", "delete", "rename"]),
    st.integers(min_value=0, max_value=5),
    st.sampled_from(WORDS),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=3))
def test_warm_builds_equal_clean_builds_after_any_edits(edits: list[Edit]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch)
        root = top / "site"
        initial_site(root)
        for path in root.rglob("*"):
            os.utime(path, (BASE_MTIME, BASE_MTIME))
        warm = Builder(BuildOptions(site_root=root, jobs=1, search=False))
        warm.build(now=NOW)
        for step, edit in enumerate(edits, 1):
            for path in apply(root, edit, step):
                os.utime(path, (BASE_MTIME + step, BASE_MTIME + step))
            clean_out = top / f"clean{step}"
            clean = Builder(
                BuildOptions(site_root=root, output=clean_out, clean=True, cache=False, jobs=1, search=False)
            )
            expected = outcome(clean)
            assert outcome(warm) == expected, edits[:step]
            fresh_out = top / "fresh"
            fresh = Builder(BuildOptions(site_root=root, output=fresh_out, jobs=1, search=False))
            assert outcome(fresh) == expected, edits[:step]
            shutil.rmtree(clean_out, ignore_errors=True)
