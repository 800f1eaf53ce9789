"""Turn a chaowen site folder into equivalent Hugo and Eleventy sites, for the benchmark.

    python bench/convert.py --site bench/work/site-1000 --hugo bench/work/hugo-1000 --eleventy bench/work/11ty-1000

Both get the same published documents with the same bodies (Markdown untouched),
front matter in the form each understands (ISO dates, tag lists, authors, the
track key; drafts left out), the same images and files, and minimal templates
that render the same set of pages chaowen renders:

- one page per document (issues at ``issues/<number>/``, standalone pages at the root);
- home (latest 40), ``issues/``, ``search/``, ``404.html``;
- ``archive/`` (years and months with counts) and ``archive/<year>/`` (that year's documents by month);
- ``tags/`` and one page per tag, ``authors/`` and one page per author;
- ``tracks/<key>/`` paginated by 10 (``per_page``), with a feed per track;
- ``atom.xml`` (Hugo: ``index.xml``), ``sitemap.xml``, ``robots.txt``.

Hugo gets taxonomies (tags, authors, tracks, and years for the archive) and goldmark's defaults, and its
document pages carry ``data-pagefind-body`` as chaowen's do, so that Pagefind run on Hugo's output indexes the
same pages chaowen's search index holds (the benchmark's Hugo + Pagefind row); Eleventy gets
Nunjucks layouts, collections built in its config and pagination over them, and
markdown-it's defaults (the body is not run through a template language first,
as in Hugo and chaowen). Used by ``run.py``; runnable alone to inspect the sites.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    from yaml import CBaseLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import BaseLoader as Loader  # type: ignore[assignment]

KIND_FOLDERS = {"issues": "issue", "minutes": "minutes", "essays": "essay"}
_TAG_SEPARATORS = re.compile(r"[,，、;；]")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$")


@dataclass(frozen=True)
class Entry:
    """A published document, in the terms all three generators share."""

    source: str  # relative to content/, e.g. essays/x.md
    kind: str  # issue | minutes | essay | page
    title: str
    date: str  # ISO 8601 with the site's offset
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    track: str | None
    number: str | None
    slug: str | None
    body: str

    @property
    def stem(self) -> str:
        return Path(self.source).stem


def _as_list(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in _TAG_SEPARATORS.split(str(value)) if part.strip())


def _iso(raw: str) -> str:
    match = _DATE.match(raw.strip())
    if not match:
        raise ValueError(f"unexpected date {raw!r}")
    year, month, day, hour, minute = match.groups()
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{int(minute or 0):02d}:00+08:00"


def read_site(site: Path) -> tuple[list[Entry], list[Path], dict[str, str]]:
    """Published documents, asset files, and track names by key, from a chaowen site folder."""
    config = yaml.load((site / "chaowen.yaml").read_text("utf-8"), Loader=Loader)
    tracks = {t["key"]: t["name"] for t in config["tracks"]}
    by_name = {name: key for key, name in tracks.items()}
    content = site / "content"
    entries: list[Entry] = []
    assets: list[Path] = []
    for path in sorted(content.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(content).as_posix()
        if path.suffix != ".md":
            assets.append(path)
            continue
        text = path.read_text("utf-8")
        _, head, body = text.split("---\n", 2)
        fields = yaml.load(head, Loader=Loader) or {}
        if fields.get("draft") == "true":
            continue
        track = fields.get("track")
        entries.append(
            Entry(
                source=source,
                kind=KIND_FOLDERS.get(source.split("/", 1)[0], "page"),
                title=fields["title"],
                date=_iso(fields["date"]),
                tags=_as_list(fields.get("tags")),
                authors=_as_list(fields.get("authors") or fields.get("author")),
                track=by_name.get(track, track) if track else None,
                number=fields.get("number"),
                slug=fields.get("slug"),
                body=body.lstrip("\n"),
            )
        )
    return entries, assets, tracks


def _front_matter(fields: dict[str, object]) -> str:
    """YAML front matter; every value as JSON, which YAML reads the same way."""
    lines = ["---"]
    lines.extend(
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value is not None
    )
    lines.append("---")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _copy_assets(site: Path, assets: list[Path], target: Path) -> None:
    for path in assets:
        destination = target / path.relative_to(site / "content")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def _content_path(entry: Entry) -> str:
    """Where a document goes under the other generators' content folder: standalone pages at the root."""
    return entry.source.split("/", 1)[1] if entry.kind == "page" else entry.source


# ----------------------------------------------------------------------------------------- Hugo
HUGO_CONFIG = """\
baseURL: https://example.org/
languageCode: zh-CN
title: 潮闻
timeZone: Asia/Shanghai
hasCJKLanguage: true
enableRobotsTXT: true
paginate: 10
taxonomies:
  tag: tags
  author: authors
  track: tracks
  year: years
permalinks:
  years: /archive/:slug/
outputs:
  home: [HTML, RSS]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML]
  page: [HTML]
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<nav><a href="/">潮闻</a> <a href="/issues/">期刊</a> <a href="/archive/">归档</a> <a href="/tags/">标签</a> <a href="/authors/">作者</a> <a href="/search/">搜索</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "partials/item.html": """\
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
""",
    "_default/single.html": """\
{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time>
{{ range .GetTerms "tracks" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ul>{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ul>{{ end }}
""",
    "tracks/term.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages 10 }}
<ul>{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}</ul>
<p>{{ with $pager.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }} {{ $pager.PageNumber }} / {{ $pager.TotalPages }}
{{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</p>{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 40 (where site.RegularPages "Section" "in" (slice "issues" "minutes" "essays")) }}{{ partial "item.html" . }}{{ end }}</ul>{{ end }}
""",
    "_default/archive.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range sort site.Taxonomies.years.Alphabetical "Page.Title" "desc" }}
<h2><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</h2>
<ul>{{ range .Pages.GroupByDate "1月" }}<li>{{ .Key }} {{ len .Pages }}</li>{{ end }}</ul>{{ end }}{{ end }}
""",
    "years/term.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Pages.GroupByDate "1月" }}<h2>{{ .Key }}</h2>
<ul>{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ul>{{ end }}{{ end }}
""",
    "_default/search.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1><form><input type="search" name="q"></form>{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>找不到这个页面</h1><p><a href="/">回到首页</a></p>{{ end }}
""",
}


def write_hugo(site: Path, target: Path) -> int:
    """Write the Hugo site; returns the number of documents."""
    entries, assets, tracks = read_site(site)
    _fresh(target)
    _write(target / "config.yaml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(target / "layouts" / name, text)
    content = target / "content"
    for entry in entries:
        fields: dict[str, object] = {
            "title": entry.title,
            "date": entry.date,
            "tags": list(entry.tags) or None,
            "authors": list(entry.authors) or None,
            "tracks": [entry.track] if entry.track else None,
            "years": [entry.date[:4]] if entry.kind != "page" else None,
            "slug": entry.number if entry.kind == "issue" else entry.slug,
        }
        _write(content / _content_path(entry), _front_matter(fields) + "\n" + entry.body)
    never = {"_build": {"render": "never", "list": "never"}}
    _write(content / "issues/_index.md", _front_matter({"title": "期刊"}))
    _write(content / "essays/_index.md", _front_matter({"title": "学员心得", **never}))
    _write(content / "minutes/_index.md", _front_matter({"title": "沙龙纪要", **never}))
    _write(content / "tracks/_index.md", _front_matter({"title": "赛道", **never}))
    _write(content / "years/_index.md", _front_matter({"title": "年份", **never}))
    for key, name in tracks.items():
        _write(content / f"tracks/{key}/_index.md", _front_matter({"title": name, "outputs": ["HTML", "RSS"]}))
    unlisted = {"_build": {"list": "never"}}
    _write(content / "archive.md", _front_matter({"title": "归档", "layout": "archive", **unlisted}))
    _write(content / "search.md", _front_matter({"title": "搜索", "layout": "search", **unlisted}))
    _copy_assets(site, assets, target / "static")
    return len(entries)


# ------------------------------------------------------------------------------------- Eleventy
ELEVENTY_CONFIG = """\
const TRACKS = __TRACKS__;
const KINDS = new Set(["issue", "minutes", "essay"]);
const PER_PAGE = 10;

function local(date) {
  return new Date(date.getTime() + 8 * 3600e3); // the site's time zone, UTC+8, read with getUTC*
}

function newestFirst(a, b) {
  return b.date - a.date || (a.inputPath < b.inputPath ? -1 : a.inputPath > b.inputPath ? 1 : 0);
}

function docs(api) {
  return api.getAll().filter((item) => KINDS.has(item.data.kind)).sort(newestFirst);
}

function groupBy(items, keysOf) {
  const groups = new Map();
  for (const item of items) {
    for (const key of keysOf(item)) {
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(item);
    }
  }
  return [...groups].map(([key, members]) => ({ key, items: members }));
}

export default function (config) {
  config.addPassthroughCopy("images");
  config.addPassthroughCopy("files");
  config.addFilter("day", (date) => local(date).toISOString().slice(0, 10));
  config.addFilter("head", (items, count) => items.slice(0, count));
  config.addCollection("docs", docs);
  config.addCollection("issueList", (api) => docs(api).filter((item) => item.data.kind === "issue"));
  config.addCollection("tagPages", (api) => groupBy(docs(api), (item) => item.data.tags || []));
  config.addCollection("authorPages", (api) => groupBy(docs(api), (item) => item.data.authors || []));
  config.addCollection("trackFeeds", (api) =>
    TRACKS.map(([key, name]) => ({ key, name, items: docs(api).filter((i) => i.data.track === key).slice(0, 20) })),
  );
  config.addCollection("trackPages", (api) => {
    const all = docs(api);
    const pages = [];
    for (const [key, name] of TRACKS) {
      const items = all.filter((item) => item.data.track === key);
      const total = Math.max(1, Math.ceil(items.length / PER_PAGE));
      for (let number = 1; number <= total; number++) {
        pages.push({ key, name, number, total, items: items.slice((number - 1) * PER_PAGE, number * PER_PAGE) });
      }
    }
    return pages;
  });
  config.addCollection("years", (api) =>
    groupBy(docs(api), (item) => [String(local(item.date).getUTCFullYear())])
      .sort((a, b) => b.key.localeCompare(a.key))
      .map(({ key, items }) => ({ key, items, months: groupBy(items, (i) => [`${local(i.date).getUTCMonth() + 1}月`]) })),
  );
  return {
    dir: { input: ".", includes: "_includes", output: "_site" },
    templateFormats: ["md", "njk"],
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
"""

ELEVENTY_TEMPLATES = {
    "_includes/base.njk": """\
<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ title }} · 潮闻</title></head>
<body>
<nav><a href="/">潮闻</a> <a href="/issues/">期刊</a> <a href="/archive/">归档</a> <a href="/tags/">标签</a> <a href="/authors/">作者</a> <a href="/search/">搜索</a></nav>
<main>{{ content | safe }}</main>
</body>
</html>
""",
    "_includes/item.njk": """\
<li><a href="{{ item.url }}">{{ item.data.title }}</a> <time>{{ item.date | day }}</time></li>
""",
    "_includes/doc.njk": """\
---
layout: base.njk
---
<article>
<h1>{{ title }}</h1>
<p><time>{{ page.date | day }}</time>
{% if track %}<a href="/tracks/{{ track }}/">{{ trackName }}</a>{% endif %}
{% for author in authors %}<a href="/authors/{{ author }}/">{{ author }}</a> {% endfor %}</p>
{{ content | safe }}
<p>{% for tag in tags %}<a href="/tags/{{ tag }}/">{{ tag }}</a> {% endfor %}</p>
</article>
""",
    "_pages/home.njk": """\
---
layout: base.njk
title: 首页
permalink: /
---
<h1>潮闻</h1>
<ul>{% for item in collections.docs | head(40) %}{% include "item.njk" %}{% endfor %}</ul>
""",
    "_pages/issues.njk": """\
---
layout: base.njk
title: 期刊
permalink: /issues/
---
<h1>期刊</h1>
<ul>{% for item in collections.issueList %}{% include "item.njk" %}{% endfor %}</ul>
""",
    "_pages/archive.njk": """\
---
layout: base.njk
title: 归档
permalink: /archive/
---
<h1>归档</h1>
{% for year in collections.years %}<h2><a href="/archive/{{ year.key }}/">{{ year.key }}</a> {{ year.items.length }}</h2>
<ul>{% for month in year.months %}<li>{{ month.key }} {{ month.items.length }}</li>{% endfor %}</ul>{% endfor %}
""",
    "_pages/archive-year.njk": """\
---
layout: base.njk
pagination:
  data: collections.years
  size: 1
  alias: year
permalink: "/archive/{{ year.key }}/"
eleventyComputed:
  title: "{{ year.key }}"
---
<h1>{{ year.key }}</h1>
{% for month in year.months %}<h2>{{ month.key }}</h2>
<ul>{% for item in month.items %}{% include "item.njk" %}{% endfor %}</ul>{% endfor %}
""",
    "_pages/search.njk": """\
---
layout: base.njk
title: 搜索
permalink: /search/
---
<h1>搜索</h1><form><input type="search" name="q"></form>
""",
    "_pages/404.njk": """\
---
layout: base.njk
title: 找不到这个页面
permalink: /404.html
---
<h1>找不到这个页面</h1><p><a href="/">回到首页</a></p>
""",
    "_pages/tags.njk": """\
---
layout: base.njk
title: 标签
permalink: /tags/
---
<h1>标签</h1>
<ul>{% for group in collections.tagPages %}<li><a href="/tags/{{ group.key }}/">{{ group.key }}</a> {{ group.items.length }}</li>{% endfor %}</ul>
""",
    "_pages/authors.njk": """\
---
layout: base.njk
title: 作者
permalink: /authors/
---
<h1>作者</h1>
<ul>{% for group in collections.authorPages %}<li><a href="/authors/{{ group.key }}/">{{ group.key }}</a> {{ group.items.length }}</li>{% endfor %}</ul>
""",
    "_pages/tag.njk": """\
---
layout: base.njk
pagination:
  data: collections.tagPages
  size: 1
  alias: group
permalink: "/tags/{{ group.key }}/"
eleventyComputed:
  title: "{{ group.key }}"
---
<h1>{{ group.key }}</h1>
<ul>{% for item in group.items %}{% include "item.njk" %}{% endfor %}</ul>
""",
    "_pages/author.njk": """\
---
layout: base.njk
pagination:
  data: collections.authorPages
  size: 1
  alias: group
permalink: "/authors/{{ group.key }}/"
eleventyComputed:
  title: "{{ group.key }}"
---
<h1>{{ group.key }}</h1>
<ul>{% for item in group.items %}{% include "item.njk" %}{% endfor %}</ul>
""",
    "_pages/track.njk": """\
---
layout: base.njk
pagination:
  data: collections.trackPages
  size: 1
  alias: chunk
permalink: "/tracks/{{ chunk.key }}/{% if chunk.number > 1 %}page/{{ chunk.number }}/{% endif %}"
eleventyComputed:
  title: "{{ chunk.name }}"
---
<h1>{{ chunk.name }}</h1>
<ul>{% for item in chunk.items %}{% include "item.njk" %}{% endfor %}</ul>
<p>{% if chunk.number > 1 %}<a href="/tracks/{{ chunk.key }}/{% if chunk.number > 2 %}page/{{ chunk.number - 1 }}/{% endif %}">上一页</a>{% endif %}
{{ chunk.number }} / {{ chunk.total }}
{% if chunk.number < chunk.total %}<a href="/tracks/{{ chunk.key }}/page/{{ chunk.number + 1 }}/">下一页</a>{% endif %}</p>
""",
    "_pages/atom.njk": """\
---
permalink: /atom.xml
eleventyExcludeFromCollections: true
---
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>潮闻</title>
{% for item in collections.docs | head(20) %}<entry><title>{{ item.data.title }}</title><link href="https://example.org{{ item.url }}"/><updated>{{ item.date.toISOString() }}</updated></entry>
{% endfor %}</feed>
""",
    "_pages/track-atom.njk": """\
---
pagination:
  data: collections.trackFeeds
  size: 1
  alias: feed
permalink: "/tracks/{{ feed.key }}/atom.xml"
eleventyExcludeFromCollections: true
---
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{{ feed.name }}</title>
{% for item in feed.items %}<entry><title>{{ item.data.title }}</title><link href="https://example.org{{ item.url }}"/><updated>{{ item.date.toISOString() }}</updated></entry>
{% endfor %}</feed>
""",
    "_pages/sitemap.njk": """\
---
permalink: /sitemap.xml
eleventyExcludeFromCollections: true
---
<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{% for item in collections.all %}<url><loc>https://example.org{{ item.url }}</loc></url>
{% endfor %}</urlset>
""",
    "_pages/robots.njk": """\
---
permalink: /robots.txt
eleventyExcludeFromCollections: true
---
User-agent: *
Sitemap: https://example.org/sitemap.xml
""",
}


def write_eleventy(site: Path, target: Path) -> int:
    """Write the Eleventy site; returns the number of documents."""
    entries, assets, tracks = read_site(site)
    _fresh(target)
    _write(
        target / "eleventy.config.mjs",
        ELEVENTY_CONFIG.replace("__TRACKS__", json.dumps(list(tracks.items()), ensure_ascii=False)),
    )
    _write(target / ".eleventyignore", "_site/\n")
    for name, text in ELEVENTY_TEMPLATES.items():
        _write(target / name, text)
    for entry in entries:
        permalink = None
        if entry.kind == "issue":
            permalink = f"/issues/{entry.number}/"
        elif entry.slug:
            permalink = f"/{entry.source.split('/', 1)[0]}/{entry.slug}/"
        fields: dict[str, object] = {
            "title": entry.title,
            "date": entry.date,
            "layout": "doc.njk",
            "kind": entry.kind,
            "tags": list(entry.tags) or None,
            "authors": list(entry.authors) or None,
            "track": entry.track,
            "trackName": tracks.get(entry.track) if entry.track else None,
            "permalink": permalink,
        }
        _write(target / _content_path(entry), _front_matter(fields) + "\n" + entry.body)
    _copy_assets(site, assets, target)
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="chaowen site folder (from generate.py)")
    parser.add_argument("--hugo", type=Path, help="Hugo site folder to write (replaced)")
    parser.add_argument("--eleventy", type=Path, help="Eleventy site folder to write (replaced)")
    args = parser.parse_args(argv)
    if args.hugo:
        print(f"Hugo: {write_hugo(args.site, args.hugo)} documents in {args.hugo}")
    if args.eleventy:
        print(f"Eleventy: {write_eleventy(args.site, args.eleventy)} documents in {args.eleventy}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
