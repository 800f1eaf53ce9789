"""Hostile input from editors' real files: each ends in a correct page or a message, never a traceback.

Every case is a folder under ``hostile/`` holding the files it adds to a small
built site and an ``expected.txt``:

* ``exit: N`` — exit code of ``chaowen build`` (and of ``chaowen check``);
* ``strict: N`` — exit code with ``--strict``;
* ``stage: content|markup|render`` — where the problem is found (default content);
* ``page: PATH | TEXT`` — the output file exists and contains TEXT;
* ``absent: TEXT`` / ``absent-file: NAME`` — not in the output / no such file made;
* ``once: TEXT`` — TEXT appears exactly once;
* ``escaped: TEXT`` — TEXT never appears unescaped in any output file, and feeds carry it as text;
* any other line — a substring of what the command prints.

After a failed build ``output/`` is byte for byte what it was. Cases whose input
must be huge, linked or racing are generated in ``tmp_path`` at the end of the file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import chaowen.content
from tests.conftest import CONFIG_YAML, REPO, run_cli, tree_files

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
BASELINE = {
    "content/issues/issue-01.md": "---\ntitle: 创刊号\ndate: 2024-03-01\nnumber: 1\n---\n编者按。\n",
    "content/essays/baseline.md": "---\ntitle: 基线文章\ndate: 2024-03-02\nauthor: 李四\ntrack: health\nissue: 1\n---\n正文。\n",
}


@dataclass
class Expected:
    exit: int = 0
    strict: int | None = None
    stage: str = "content"
    messages: list[str] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    absent_files: list[str] = field(default_factory=list)
    once: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)


def expected_of(case: str) -> Expected:
    result = Expected()
    for line in (HOSTILE / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        if not line.strip() or line.startswith("#"):
            continue
        if key == "exit":
            result.exit = int(value)
        elif key == "strict":
            result.strict = int(value)
        elif key == "stage":
            result.stage = value
        elif key == "page":
            path, _, text = value.partition(" |")
            result.pages.append((path, text.strip()))
        elif key in ("absent", "absent-file", "once", "escaped"):
            {
                "absent": result.absent,
                "absent-file": result.absent_files,
                "once": result.once,
                "escaped": result.escaped,
            }[key].append(value)
        else:
            result.messages.append(line)
    return result


def case_files(case: str) -> dict[str, bytes]:
    folder = HOSTILE / case
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "expected.txt"
    }


def write(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site, built once: the cases are added to copies of it."""
    root = tmp_path_factory.mktemp("baseline") / "site"
    write(root, {"chaowen.yaml": CONFIG_YAML.encode(), **{k: v.encode() for k, v in BASELINE.items()}})
    code, output = run_cli(["build", "--site", str(root), "-j", "1"])
    assert code == 0, output
    return root


@pytest.fixture
def site(baseline: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(baseline, root, symlinks=True)
    return root


def assert_unchanged(root: Path, before: dict[str, bytes]) -> None:
    assert tree_files(root / "output") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".output")] == []


@pytest.mark.parametrize("case", CASES)
def test_hostile_case(site: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = expected_of(case)
    monkeypatch.chdir(site)
    before = tree_files(site / "output")
    write(site, case_files(case))

    code, output = run_cli(["build", "--site", str(site), "-j", "1"])
    assert code == expected.exit, output
    for message in expected.messages:
        assert message in output
    for text in expected.once:
        assert output.count(text) == 1, output
    for text in expected.absent:
        assert text not in output
    for name in expected.absent_files:
        assert not (site / name).exists() and not (Path.cwd() / name).exists()
    if expected.exit:
        assert_unchanged(site, before)
    for path, text in expected.pages:
        assert text in (site / "output" / path).read_bytes().decode("utf-8", "replace"), path
    for text in expected.escaped:
        assert_escaped(site / "output", text)

    code, checked = run_cli(["check", "--site", str(site)])
    assert code == expected.exit, checked
    for message in expected.messages:
        if not message.startswith(("build failed", "构建失败")):  # the build's own summary line
            assert message in checked

    if expected.strict is not None:
        built = tree_files(site / "output")
        code, output = run_cli(["build", "--site", str(site), "--strict", "-j", "1"])
        assert code == expected.strict, output
        assert_unchanged(site, built)
        code, _ = run_cli(["check", "--site", str(site), "--strict"])
        assert code == expected.strict


def assert_escaped(output: Path, text: str) -> None:
    """``text`` (with markup in it) is never written raw, and feeds and JSON carry it as text."""
    found_as_data = False
    for path in output.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".xml", ".json", ".txt"):
            continue
        data = path.read_text(encoding="utf-8")
        for raw in (text, "<script>", "<b>", "<img src=x"):
            assert raw not in data.replace("&lt;script&gt;", ""), f"{raw!r} unescaped in {path}"
        if path.suffix == ".xml":
            found_as_data |= any(text in (el.text or "") for el in ET.parse(path).getroot().iter())
        if path.suffix == ".json":
            found_as_data |= text in json.dumps(json.loads(data), ensure_ascii=False)
    if text.startswith("<script>"):  # the title is in every feed entry
        assert found_as_data


def test_every_content_error_is_reported_in_one_run(site: Path) -> None:
    """All the cases found while reading content, together: each file's errors in the same run."""
    chosen = [c for c in CASES if (e := expected_of(c)).exit and e.stage == "content" and c != "english_messages"]
    assert len(chosen) >= 10
    before = tree_files(site / "output")
    for case in chosen:
        write(site, case_files(case))
    code, output = run_cli(["build", "--site", str(site), "-j", "1"])
    assert code == 1
    for case in chosen:
        for message in expected_of(case).messages:
            assert message in output, case
    assert_unchanged(site, before)


def test_every_markdown_error_is_reported_in_one_run(site: Path) -> None:
    chosen = [c for c in CASES if expected_of(c).stage == "markup"]
    for case in chosen:
        write(site, case_files(case))
    code, output = run_cli(["check", "--site", str(site)])
    assert code == 1
    for case in chosen:
        for message in expected_of(case).messages:
            assert message in output, case


# ------------------------------------------------------------------ generated cases
ESSAY = "---\ntitle: {title}\ndate: 2024-03-05\nauthor: 王小明\ntrack: iot\n---\n"


def run_limited(site: Path, seconds: float = 120) -> tuple[int, str]:
    """``chaowen build`` in a child process whose address space is capped at 1.5 GB (where the OS allows).

    The cap is the bound on work these cases assert: expanding a bomb or holding a file
    several times over would exceed it. ``seconds`` only keeps a hang from stalling the
    suite; it is not a speed claim (durations are measured in ``bench/``).
    """

    def cap() -> None:
        import resource

        limit = 1536 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "chaowen", "build", "--site", str(site), "-j", "1", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=seconds,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        preexec_fn=cap if sys.platform == "linux" else None,  # only sets a limit
        check=False,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output, output[-2000:]
    return result.returncode, output


@pytest.mark.slow
def test_ten_megabyte_document_is_refused_unread_with_bounded_memory(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraph = ("这是一段用来把文件撑大的中文正文。" * 40 + "\n\n").encode()
    body = paragraph * (10 * 1024 * 1024 // len(paragraph) + 1)
    data = ESSAY.format(title="十兆的文件").encode() + body
    data = data[: 10 * 1024 * 1024]
    huge = site / "content/essays/huge.md"
    huge.write_bytes(data)
    before = tree_files(site / "output")
    code, output = run_limited(site)
    assert code == 1
    message = "content/essays/huge.md: 文件太大（10.0 MB），上限为 4 MB（请把内容拆成几篇）"
    assert message in output
    assert_unchanged(site, before)

    # refused by its size alone: not a byte of it is read (the same build, in this process)
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def recording(path: Path) -> bytes:
        read.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    code, output = run_cli(["build", "--site", str(site), "-j", "1", "--no-cache"])
    assert code == 1 and message in output
    names = {path.name for path in read}
    assert "baseline.md" in names  # the other documents were read ...
    assert huge.name not in names  # ... this one not
    assert_unchanged(site, before)


@pytest.mark.slow
def test_megabyte_line_is_built_with_bounded_memory(site: Path) -> None:
    line = "长" * (1024 * 1024)
    (site / "content/essays/long-line.md").write_text(ESSAY.format(title="一行一兆") + line + "\n", encoding="utf-8")
    code, output = run_limited(site)
    assert code == 0, output[-2000:]
    assert line in (site / "output/essays/long-line/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["alias_bomb", "deep_list"])
def test_bombs_are_refused_with_bounded_memory(site: Path, case: str) -> None:
    write(site, case_files(case))
    code, output = run_limited(site)
    assert code == 1
    for message in expected_of(case).messages:
        assert message in output


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loops_under_content(site: Path) -> None:
    essays = site / "content/essays"
    (essays / "loop").symlink_to(site / "content", target_is_directory=True)
    (essays / "again").symlink_to(essays, target_is_directory=True)
    code, output = run_cli(["build", "--site", str(site), "-j", "1"])
    assert code == 0, output
    assert (site / "output/essays/baseline/index.html").is_file()
    assert not (site / "output/essays/loop").exists()

    before = tree_files(site / "output")
    (essays / "self.md").symlink_to(essays / "self.md")
    code, output = run_cli(["build", "--site", str(site), "-j", "1"])
    assert code == 1
    assert "content/essays/self.md: 无法读取文件：" in output
    assert_unchanged(site, before)


def test_file_deleted_between_listing_and_reading(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor deletes a file (or a sync tool replaces it) while the build runs."""
    (site / "content/essays/gone.md").write_text(ESSAY.format(title="马上被删"), encoding="utf-8")
    (site / "content/images").mkdir()
    (site / "content/images/gone.png").write_bytes(b"png")
    listing = chaowen.content.walk_content

    def walk_then_delete(content_dir: Path) -> tuple[list[str], list[str]]:
        markdown, assets = listing(content_dir)
        assert "essays/gone.md" in markdown and "images/gone.png" in assets
        (content_dir / "essays/gone.md").unlink()
        (content_dir / "images/gone.png").unlink()
        return markdown, assets

    monkeypatch.setattr(chaowen.content, "walk_content", walk_then_delete)
    code, output = run_cli(["build", "--site", str(site), "-j", "1", "--no-cache"])
    assert code == 0, output
    assert (site / "output/essays/baseline/index.html").is_file()
    assert not (site / "output/essays/gone").exists()
    assert not (site / "output/images/gone.png").exists()
