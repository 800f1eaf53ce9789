"""What a page reads is recorded as it reads it, and a later build tells whether any of it changed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from datetime import timedelta, timezone

from chaowen.model import Document, Kind, Markup, Site, SiteConfig
from chaowen.reads import SEP, Recorder, Values, doc_read, meta_read, recording, stable
from chaowen.render import Renderer
from chaowen.site import build_site
from chaowen.theme import find_theme, make_environment
from tests.conftest import NOW, REPO


def essay(source: str, title: str, tags: tuple[str, ...] = ("产业链",)) -> Document:
    return Document(
        source=source,
        kind=Kind.ESSAY,
        title=title,
        date=NOW,
        slug=source.split("/")[1].removesuffix(".md"),
        body="",
        track="iot",
        authors=("王小明",),
        tags=tags,
        digest=title,  # the documents' values below are their digests: a new title, a new value
    )


def make_site(config: SiteConfig, *documents: Document) -> Site:
    site, problems = build_site(config, list(documents), [], now=NOW)
    assert problems == []
    return site


def values(site: Site) -> Values:
    return Values(site, lambda source: site.documents[source].digest, {"static": "1"})


@dataclass(frozen=True, slots=True)
class SiteWithMotto(Site):
    """A Site with a field added after the renderer was written, as the next engineer will add one."""

    motto: str = ""


def test_a_site_field_added_later_is_recorded_and_its_change_is_seen(config: SiteConfig) -> None:
    site = make_site(config, essay("essays/a.md", "甲"))
    before = SiteWithMotto(**{f.name: getattr(site, f.name) for f in dataclasses.fields(Site)}, motto="潮起")
    after = dataclasses.replace(before, motto="潮落")
    recorder = Recorder()
    assert recording(before, recorder).motto == "潮起"
    assert recorder.reads == {"motto"}  # no list of fields to add it to
    assert values(before).state(recorder.reads) != values(after).state(recorder.reads)


def test_keys_are_recorded_one_by_one_and_iteration_records_the_whole_field(config: SiteConfig) -> None:
    site = make_site(config, essay("essays/a.md", "甲"), essay("essays/b.md", "乙", tags=("新材料",)))
    recorder = Recorder()
    seen = recording(site, recorder)
    assert seen.by_tag["产业链"] == ("essays/a.md",)
    assert "不存在" not in seen.tag_slugs  # a key looked up and missing is a read too
    assert seen.documents["essays/b.md"].title == "乙"
    assert seen.config.title == site.config.title
    assert recorder.reads == {
        f"by_tag{SEP}'产业链'",
        f"tag_slugs{SEP}'不存在'",
        meta_read("essays/b.md"),  # looked up, its title read: its front matter, not its text
        f"config{SEP}title",
    }
    recorder.reads.clear()
    assert len(list(seen.by_author.items())) == 1
    assert "by_author" in recorder.reads  # the whole field: a new author changes what was iterated


def test_a_page_depends_on_what_it_read_and_on_nothing_else(config: SiteConfig) -> None:
    old = make_site(config, essay("essays/a.md", "甲"), essay("essays/b.md", "乙", tags=("新材料",)))
    markups = {s: Markup("<p>正文</p>", (), "摘要", 2, 1) for s in old.documents}
    renderer = Renderer(old, markups.__getitem__, make_environment(find_theme(REPO, "default")), {"style.css": "/s"})
    spec = next(p for p in old.pages if p.path == "tags/xin-cai-liao/")
    output, problem = renderer.render(spec)
    assert problem is None and output is not None
    reads = renderer.reads
    assert doc_read("essays/b.md") in reads and doc_read("essays/a.md") not in reads
    state = values(old).state(reads)
    # another essay's title changes: the tag page of 新材料 shows nothing of it
    edited = make_site(config, essay("essays/a.md", "甲改"), essay("essays/b.md", "乙", tags=("新材料",)))
    assert values(edited).state(reads) == state
    # the essay it lists changes: it is rendered again
    retitled = make_site(config, essay("essays/a.md", "甲"), essay("essays/b.md", "乙改", tags=("新材料",)))
    assert values(retitled).state(reads) != state
    # a new essay joins its tag: the list is the page's own data (PageSpec.data, part of its key), not a read
    joined = make_site(
        config,
        essay("essays/a.md", "甲"),
        essay("essays/b.md", "乙", tags=("新材料",)),
        essay("essays/c.md", "丙", tags=("新材料",)),
    )
    assert next(p for p in joined.pages if p.path == spec.path).data != spec.data
    # a new essay with another tag: nothing this page read or holds changes
    elsewhere = make_site(
        config,
        essay("essays/a.md", "甲"),
        essay("essays/b.md", "乙", tags=("新材料",)),
        essay("essays/d.md", "丁", tags=("别的标签",)),
    )
    assert next(p for p in elsewhere.pages if p.path == spec.path).data == spec.data
    assert values(elsewhere).state(reads) == state


def test_stable_text_does_not_depend_on_set_order() -> None:
    assert stable(frozenset({"b", "a", "c"})) == stable(frozenset({"c", "a", "b"})) == "{'a', 'b', 'c'}"
    assert stable({"y": 1, "x": (1, 2)}) == "{'x': (1, 2), 'y': 1}"


def test_a_document_looked_up_depends_on_its_front_matter_not_its_text(config: SiteConfig) -> None:
    """The archive reads every document's date: an edit of one essay's text must not render it again,
    an edit of its front matter must; and a date from the cache is the date a fresh parse gives."""
    base = essay("essays/a.md", "甲")
    read = meta_read("essays/a.md")

    def state(document: Document) -> str:
        site = make_site(config, document)
        return Values(site, lambda source: site.documents[source].digest, {}).state({read})

    assert state(base) == state(replace(base, body="改过的正文", digest="other"))
    assert state(base) != state(replace(base, title="乙"))
    assert base.date is not None
    cached = base.date.astimezone(timezone(base.date.utcoffset() or timedelta()))  # a fixed offset, as from JSON
    assert state(base) == state(replace(base, date=cached))


def test_a_related_list_is_worth_what_it_is_ranked_from(config: SiteConfig) -> None:
    """Checked without ranking: another essay of the track gaining a tag changes it, its text does not."""
    a, b = essay("essays/a.md", "甲"), essay("essays/b.md", "乙", tags=("新材料",))
    read = f"related{SEP}{'essays/a.md'!r}"

    def state(*documents: Document) -> str:
        site = make_site(config, *documents)
        return Values(site, lambda source: site.documents[source].digest, {}).state({read})

    assert state(a, b) == state(a, replace(b, body="新的正文", digest="other"))
    assert state(a, b) != state(a, replace(b, tags=("新材料", "产业链")))
