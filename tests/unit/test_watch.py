"""Events -> batches: one save is one batch, whatever the editor does on disk; each path gets its kind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from chaowen import watch as watch_module
from chaowen.watch import Batch, Change, ChangeKind, ChangeQueue, Debouncer, Layout, Watcher, is_temporary

SITE = Path("/site")
LAYOUT = Layout(SITE, theme_roots=(SITE / "themes", Path("/pkg/themes")), ignored=(SITE / "output", Path("/tmp/pv")))


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/site/chaowen.yaml", ChangeKind.CONFIG),
        ("/site/content/essays/a.md", ChangeKind.CONTENT),
        ("/site/content/images/调研现场.png", ChangeKind.CONTENT),
        ("/site/content/essays", ChangeKind.CONTENT),  # a folder created, deleted or renamed
        ("/site/content", ChangeKind.CONTENT),
        ("/site/themes/default/templates/base.html", ChangeKind.TEMPLATE),
        ("/site/themes/default/templates/partials/toc.html", ChangeKind.TEMPLATE),
        ("/site/themes/default/static/style.css", ChangeKind.STATIC),
        ("/site/themes/default/static/fonts/a.woff2", ChangeKind.STATIC),
        ("/site/themes/default", ChangeKind.TEMPLATE),
        ("/pkg/themes/default/static/style.css", ChangeKind.STATIC),
        ("/pkg/themes/default/templates/home.html", ChangeKind.TEMPLATE),
    ],
)
def test_paths_are_classified_by_what_they_are_to_the_build(path: str, kind: ChangeKind) -> None:
    assert LAYOUT.classify(Path(path)) is kind


@pytest.mark.parametrize(
    "path",
    [
        "/site/content/essays/a.md~",  # backup files (gedit, emacs, vim's backupcopy)
        "/site/content/essays/.a.md.swp",  # vim swap
        "/site/content/essays/.a.md.swx",
        "/site/content/essays/a.md.tmp",
        "/site/content/essays/~$报告.docx",  # Word's lock file
        "/site/content/essays/.#a.md",  # emacs lock
        "/site/content/essays/4913",  # vim's "can I write here" probe
        "/site/content/.DS_Store",
        "/site/content/essays/a.md___jb_tmp___",  # JetBrains safe write
        "/site/content/.git/index",  # anything in a hidden folder
        "/site/themes/default/static/.style.css.swp",
        "/site/output/index.html",
        "/site/output",
        "/site/.chaowen-cache/index.json",
        "/tmp/pv/site/index.html",  # the preview folder
        "/site/README.md",  # not an input of the build
        "/site/.output.staging-12/index.html",
        "/elsewhere/chaowen.yaml",
    ],
)
def test_temporary_and_foreign_paths_are_ignored(path: str) -> None:
    assert LAYOUT.classify(Path(path)) is None


def test_for_site_ignores_output_cache_and_preview(tmp_path: Path) -> None:
    preview = tmp_path / "preview"
    layout = Layout.for_site(tmp_path, ignored=[preview])
    assert layout.classify(tmp_path.resolve() / "output/index.html") is None
    assert layout.classify(tmp_path.resolve() / ".chaowen-cache/x") is None
    assert layout.classify(tmp_path.resolve() / "content/a.md") is ChangeKind.CONTENT
    assert (tmp_path.resolve() / "themes") in layout.theme_roots


@pytest.mark.parametrize("name", ["a.md", "调研.md", "notes.txt", "style.css", "4913.md"])
def test_ordinary_names_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)


def change(name: str, kind: ChangeKind = ChangeKind.CONTENT) -> Change:
    return Change(SITE / "content" / name, kind)


def test_a_burst_becomes_one_batch_once_it_is_quiet() -> None:
    debouncer = Debouncer(quiet=0.05, longest=1.0)
    for i, at in enumerate([0.0, 0.01, 0.02, 0.04]):
        debouncer.add(change("a.md" if i % 2 else "b.md"), at)
    assert debouncer.take(0.08) is None  # only 40 ms since the last event
    batch = debouncer.take(0.09)
    assert batch is not None
    assert [c.path.name for c in batch.changes] == ["b.md", "a.md"]  # each path once, first seen first
    assert debouncer.take(10.0) is None and debouncer.due() is None


def test_a_stream_of_events_is_still_built_after_longest() -> None:
    debouncer = Debouncer(quiet=0.05, longest=0.5)
    at = 0.0
    while at < 0.6:
        debouncer.add(change(f"{at:.2f}.md"), at)
        if at >= 0.5:
            break
        assert debouncer.take(at) is None
        at += 0.02
    batch = debouncer.take(0.5)
    assert batch is not None and len(batch.changes) > 20


def test_separate_saves_are_separate_batches() -> None:
    debouncer = Debouncer(quiet=0.05)
    debouncer.add(change("a.md"), 0.0)
    first = debouncer.take(0.06)
    debouncer.add(change("a.md"), 0.5)
    second = debouncer.take(0.56)
    assert first and second and first.paths == second.paths


def test_batch_knows_its_kinds() -> None:
    batch = Batch((change("a.md"), Change(SITE / "chaowen.yaml", ChangeKind.CONFIG)))
    assert batch.kinds == {ChangeKind.CONTENT, ChangeKind.CONFIG}
    assert not Batch(())


class _Clock:
    """Time for a :class:`ChangeQueue` that passes only while it waits, by exactly what it asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []
        self.module = SimpleNamespace(monotonic=lambda: self.now)

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        return False


def test_queue_drops_ignored_paths_and_hands_out_a_batch_when_it_is_due(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock()
    monkeypatch.setattr(watch_module, "time", clock.module)
    queue = ChangeQueue(LAYOUT, quiet=0.03)
    monkeypatch.setattr(queue._ready, "wait", clock.wait)
    queue.put(SITE / "content/essays/.a.md.swp")
    assert queue.get(timeout=0.1) is None
    assert sum(clock.waits) == pytest.approx(0.1)  # nothing came: it waited out the timeout, no longer
    clock.waits.clear()
    queue.put(SITE / "content/essays/a.md")
    queue.put(SITE / "content/essays/a.md~")
    batch = queue.get(timeout=2)
    assert batch is not None and batch.paths == (SITE / "content/essays/a.md",)
    assert sum(clock.waits) == pytest.approx(0.03)  # woken when the burst was over, not at the timeout


def test_closing_the_queue_wakes_the_reader() -> None:
    queue = ChangeQueue(LAYOUT)
    queue.close()
    assert queue.get() is None


# ------------------------------------------------------------ with real files and watchdog
@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/essays").mkdir(parents=True)
    (root / "chaowen.yaml").write_text("title: x\n", encoding="utf-8")
    (root / "content/essays/a.md").write_text("---\ntitle: a\n---\n正文\n", encoding="utf-8")
    return root


@pytest.fixture
def watcher(site: Path) -> Watcher:
    # A wide quiet window: this test is about what one save is, not about the tuning.
    running = Watcher(Layout.for_site(site), quiet=0.2, longest=5)
    running.start()
    yield running
    running.stop()


def batches(watcher: Watcher, wait: float = 5) -> list[Batch]:
    """The first batch (waiting up to ``wait`` s), then any more that arrive within a short while."""
    first = watcher.next_batch(timeout=wait)
    found = [first] if first else []
    while first and (more := watcher.next_batch(timeout=0.4)):
        found.append(more)
    return found


def test_atomic_save_through_a_temporary_file_is_one_batch(site: Path, watcher: Watcher) -> None:
    essay = site / "content/essays/a.md"
    temporary = essay.with_name(".a.md.tmp.1234")  # what VS Code, Typora and Word do
    temporary.write_text("---\ntitle: a\n---\n新的正文\n", encoding="utf-8")
    os.replace(temporary, essay)
    found = batches(watcher)
    assert len(found) == 1
    assert found[0].paths == (essay.resolve(),)
    assert found[0].kinds == {ChangeKind.CONTENT}


def test_vim_save_is_one_batch(site: Path, watcher: Watcher) -> None:
    essay = site / "content/essays/a.md"
    probe = essay.with_name("4913")
    probe.write_bytes(b"")
    probe.unlink()
    swap = essay.with_name(".a.md.swp")
    swap.write_bytes(b"vim swap")
    os.replace(essay, essay.with_name("a.md~"))  # backup, then write anew
    essay.write_text("---\ntitle: a\n---\n改过\n", encoding="utf-8")
    essay.with_name("a.md~").unlink()
    swap.unlink()
    found = batches(watcher)
    assert len(found) == 1
    assert found[0].paths == (essay.resolve(),)


def test_folders_created_renamed_and_deleted_are_changes(site: Path, watcher: Watcher) -> None:
    folder = site / "content/minutes"
    folder.mkdir()
    (folder / "m.md").write_text("---\ntitle: m\n---\n", encoding="utf-8")
    assert batches(watcher)
    folder.rename(site / "content/salons")
    (found,) = batches(watcher)
    assert {p.name for p in found.paths} >= {"minutes", "salons"}
    shutil.rmtree(site / "content/salons")
    (found,) = batches(watcher)
    assert all(kind is ChangeKind.CONTENT for kind in found.kinds)


def test_config_and_theme_changes(site: Path, watcher: Watcher) -> None:
    (site / "chaowen.yaml").write_text("title: y\n", encoding="utf-8")
    (found,) = batches(watcher)
    assert found.kinds == {ChangeKind.CONFIG}
    static = site / "themes/default/static"
    static.mkdir(parents=True)  # the site's themes/ folder did not exist when watching started
    watcher.refresh()
    batches(watcher, wait=1)
    (static / "style.css").write_text("body{}", encoding="utf-8")
    found = batches(watcher)
    assert found and ChangeKind.STATIC in found[-1].kinds


def test_reading_files_is_not_a_change(site: Path, watcher: Watcher) -> None:
    for _ in range(3):
        (site / "content/essays/a.md").read_bytes()  # the build reads content: no rebuild loop
    (site / "output").mkdir()
    (site / "output/index.html").write_text("x", encoding="utf-8")
    assert watcher.next_batch(timeout=0.8) is None
