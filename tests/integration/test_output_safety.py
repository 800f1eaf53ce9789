"""The output folder is the user's too: chaowen deletes or replaces only the files it wrote there.

Each case runs the command an editor runs, against an output folder that also holds
what people keep beside a published site: a ``CNAME``, the ``.git/`` of a GitHub
Pages checkout, ``.well-known/``, a file uploaded by hand deep in a page's folder,
and links, one of them to a folder outside.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from chaowen.errors import BuildError
from chaowen.scaffold import site_files
from chaowen.serve import PreviewBuilder, ServeOptions
from chaowen.write import MANIFEST
from tests.conftest import REPO, SiteFactory, run_cli
from tests.snapshot import snapshot

ESSAY = "---\ntitle: 心得 {n}\ndate: 2024-03-{day:02d}\nauthor: 作者{author}\ntrack: {track}\ntags: [走访, 标签{tag}]\n---\n{body}\n"
FAILED = "构建失败：1 个错误，0 个警告；output/ 保持原样"


def essays(count: int) -> dict[str, str]:
    tracks = ("iot", "health", "materials")
    body = "\n\n".join(f"## 第 {i} 节\n\n走访的第 {i} 段记录，写下看到的产线和听到的介绍。" * 3 for i in range(1, 6))
    return {
        f"content/essays/e{n:04d}.md": ESSAY.format(
            n=n, day=n % 28 + 1, author=n % 7, track=tracks[n % 3], tag=n % 11, body=body
        )
        for n in range(count)
    }


def add_foreign_files(out: Path, outside: Path) -> None:
    """What people keep beside a published site, at several depths."""
    (out / "CNAME").write_text("journal.example.org\n", encoding="utf-8")
    (out / ".nojekyll").write_bytes(b"")
    (out / ".git/refs/heads").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / ".git/refs/heads/gh-pages").write_text("0123abcd\n", encoding="utf-8")
    (out / ".well-known").mkdir()
    (out / ".well-known/security.txt").write_text("Contact: mailto:editor@example.org\n", encoding="utf-8")
    essay_folder = next((out / "essays").iterdir())
    (essay_folder / "附件.pdf").write_bytes(b"%PDF-1.4 uploaded by hand")
    outside.mkdir()
    (outside / "private.txt").write_text("不在网站里\n", encoding="utf-8")
    (out / "essays/shared").symlink_to(outside, target_is_directory=True)
    (out / "static/private.txt").symlink_to(outside / "private.txt")


FOREIGN = (".git", ".well-known", "CNAME", ".nojekyll", "essays/shared", "static/private.txt")


def foreign_part(out: Path) -> dict[str, tuple[str, bytes, int]]:
    """The snapshot of the files :func:`add_foreign_files` put below ``out``."""
    return {
        path: entry
        for path, entry in snapshot(out).items()
        if path.endswith("/附件.pdf") or any(path == f or path.startswith(f"{f}/") for f in FOREIGN)
    }


def staged_something(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except FileNotFoundError:
        return False


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    code, output = run_cli(["init", str(root)])
    assert code == 0, output
    return root


def test_foreign_files_survive_build_rebuild_clean_and_failed_builds(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run_cli(["build", "--site", str(site), "--output", str(out), "--no-search"])
    assert code == 0, output
    add_foreign_files(out, tmp_path / "outside")
    foreign = foreign_part(out)
    outside = snapshot(tmp_path / "outside")
    assert {p for p in foreign if "附件" in p} and len(foreign) == 12

    # a rebuild after an edit, and one with --clean: the user's files stay, counted in the summary
    essay = next((site / "content/essays").glob("*.md"))
    essay.write_text(essay.read_text(encoding="utf-8") + "\n补记一段。\n", encoding="utf-8")
    for extra in ([], ["--clean"]):
        code, output = run_cli(["build", "--site", str(site), "--output", str(out), "--no-search", *extra])
        assert code == 0, output
        assert output.strip().splitlines()[-1].endswith("，保留了 7 个非 chaowen 生成的文件或文件夹")
        assert foreign_part(out) == foreign
    assert "补记一段" in "".join(p.read_text(encoding="utf-8") for p in out.glob("essays/*/index.html"))

    # a build that fails on content changes nothing at all
    before = snapshot(out)
    lines = essay.read_text(encoding="utf-8").splitlines(keepends=True)
    essay.write_text("".join(line for line in lines if not line.startswith("date:")), encoding="utf-8")
    code, output = run_cli(["build", "--site", str(site), "--output", str(out), "--no-search"])
    assert code == 1
    assert output.strip().splitlines()[-1] == FAILED
    assert snapshot(out) == before
    assert snapshot(tmp_path / "outside") == outside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside", "site"]


@pytest.mark.slow
def test_a_build_killed_while_writing_leaves_the_previous_output_and_the_users_files(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    site = make_site(essays(100))  # enough pages that rendering them takes far longer than noticing it began
    out = tmp_path / "out"
    command = [sys.executable, "-m", "chaowen", "build", "--site", str(site), "--output", str(out), "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([*command, "--no-search"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    add_foreign_files(out, tmp_path / "outside")
    before = snapshot(out)
    foreign = foreign_part(out)

    # --clean rewrites every file, so a build that got as far as moving files in would show in
    # the snapshot; the kill comes as soon as the staging folder holds a page
    process = subprocess.Popen([*command, "--clean"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    folder = tmp_path / f".out.staging-{process.pid}"
    try:
        deadline = time.monotonic() + 600  # a hang guard, not a speed claim
        while not staged_something(folder):
            assert process.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert folder.exists()  # what it had staged is left beside the output ...
    assert snapshot(out) == before  # ... and the output is exactly as it was

    # the next build removes the abandoned staging folder and still keeps the user's files
    done = subprocess.run([*command, "--no-search"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("，保留了 7 个非 chaowen 生成的文件或文件夹")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside", "site"]
    assert foreign_part(out) == foreign


def test_a_folder_chaowen_never_wrote_is_refused_and_untouched(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "x/out"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("keep\n", encoding="utf-8")
    (out / "sub/keep.txt").write_text("x\n", encoding="utf-8")
    before = snapshot(tmp_path / "x")
    for extra in ([], ["--clean"]):
        code, output = run_cli(["build", "--site", str(site), "--output", str(out), *extra])
        assert code == 1
        assert output.strip().splitlines() == [
            f"错误 {out}: 输出目录 {out} 里已有文件，但不是 chaowen 生成的（没有 .chaowen-manifest.json），"
            "没有改动任何文件（chaowen 只删除或替换它自己生成的文件：请换一个空目录或新目录，或先把里面的文件移走；"
            "旧版 chaowen 生成的目录可以整个删除后重新生成）",
            FAILED,
        ]
    assert snapshot(tmp_path / "x") == before


def test_a_foreign_file_where_the_site_has_a_page_is_refused_by_name(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run_cli(["build", "--site", str(site), "--output", str(out), "--no-search"])
    assert code == 0, output
    (site / "content/images").mkdir(exist_ok=True)
    (site / "content/images/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (out / "images").mkdir(exist_ok=True)
    (out / "images/logo.svg").write_text("<svg>mine</svg>", encoding="utf-8")
    before = snapshot(out)
    code, output = run_cli(["build", "--site", str(site), "--output", str(out), "--no-search"])
    assert code == 1
    collided = out / "images/logo.svg"
    assert output.strip().splitlines() == [
        f"错误 {collided}: {collided} 不是 chaowen 生成的，但生成的网站要写入这个位置，没有改动任何文件"
        "（请把它移走或改名，或换一个输出目录）",
        FAILED,
    ]
    assert snapshot(out) == before


@pytest.mark.parametrize(("folder", "reason"), [(Path("/"), "这是站点的上级目录"), (Path.home(), "这是用户主目录")])
def test_the_root_and_the_home_folder_are_refused(site: Path, folder: Path, reason: str) -> None:
    for extra in ([], ["--clean"]):
        code, output = run_cli(["build", "--site", str(site), "--output", str(folder), *extra])
        assert code == 1
        assert output.strip().splitlines() == [
            f"错误 {folder}: 不能把输出目录设为 {folder}：{reason}（请使用单独的目录，例如站点下的 output/）",
            FAILED,
        ]


def test_the_preview_builds_by_the_same_rules(site: Path, tmp_path: Path) -> None:
    preview = tmp_path / "preview"
    preview.mkdir()  # as serve makes it: a new, empty folder
    PreviewBuilder(ServeOptions(site_root=site, search=False), preview).rebuild()
    assert (preview / MANIFEST).is_file() and (preview / "index.html").is_file()

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        PreviewBuilder(ServeOptions(site_root=site, search=False), theirs).rebuild()
    assert [p.message_in("zh-CN") for p in raised.value.problems] == [
        f"输出目录 {theirs} 里已有文件，但不是 chaowen 生成的（没有 .chaowen-manifest.json），没有改动任何文件"
    ]
    assert snapshot(theirs) == {"notes.txt": ("file", b"keep\n", (theirs / "notes.txt").stat().st_mtime_ns)}


def test_init_keeps_every_file_and_link_already_in_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    outside = tmp_path / "outside.md"
    outside.write_text("别人的文件\n", encoding="utf-8")
    essay = next(f.path for f in site_files(date(2024, 3, 5)) if f.path.startswith("content/essays/"))
    (root / essay).parent.mkdir(parents=True)
    (root / essay).symlink_to(outside)
    (root / "content/notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(root)
    code, output = run_cli(["init", str(root)])
    assert code == 0, output
    after = snapshot(root)
    assert {p: after[p] for p in before} == before
    assert outside.read_text(encoding="utf-8") == "别人的文件\n"


def test_the_build_cache_does_not_make_a_file_chaowens_only_the_manifest_does(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run_cli(["build", "--site", str(site), "--output", str(out)])
    assert code == 0, output
    # The cache still records how this search file was made; the folder's manifest no longer lists
    # it (as if another build had written the folder since): it is not chaowen's to keep or replace.
    manifest = json.loads((out / MANIFEST).read_bytes())
    shard = next(p for p in manifest["files"] if p.startswith("pagefind/") and p.endswith(".pf_fragment"))
    manifest["files"].remove(shard)
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(out)
    code, output = run_cli(["build", "--site", str(site), "--output", str(out)])
    assert code == 1
    assert output.strip().splitlines() == [
        f"错误 {out / shard}: {out / shard} 不是 chaowen 生成的，但生成的网站要写入这个位置，没有改动任何文件"
        "（请把它移走或改名，或换一个输出目录）",
        FAILED,
    ]
    assert snapshot(out) == before
