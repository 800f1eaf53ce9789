"""Internal links of the rendered site, checked in memory: every href, src and #fragment resolves.

Input is what a build would write — the rendered outputs and the names of the
files it would copy — so ``chaowen check`` finds what a reader would find
without anything being written. A link resolves when it names a page or a
copied file (``essays/a/`` meaning ``essays/a/index.html``), and its
``#fragment``, if any, names an ``id`` on that page.

A broken link that came from a document's Markdown (it appears in that
document's :class:`~chaowen.model.Markup`) is reported against the Markdown
file and the line it is written on; one that came from a template is reported
once, against the first page that has it. Links the markup stage already
reported (relative links to missing files, Windows paths) are not reported again.

Severities follow the markup stage: a missing image is an error, a link to a
missing page or anchor a warning; a broken link in a template is an error
(it is broken on every page that uses the template).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from . import messages
from .content import with_body
from .errors import Problem, Severity
from .model import BrokenLink, Markup, Output, PageScan, Site
from .urls import output_file, with_base

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "data"})
_IMAGE_TAGS = frozenset({"img", "source", "video", "audio", "track", "embed", "object", "input", "script", "iframe"})
_TOP = "top"  # "#top" scrolls to the top of any page, with or without such an id


@dataclass(frozen=True, slots=True)
class _Link:
    url: str  # as written in the HTML, entities decoded
    is_resource: bool  # fetched by the browser (img, script, stylesheet …) rather than followed


@dataclass
class _Parsed:
    links: list[_Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


# A scanner for start tags instead of html.parser: it reads the attributes that
# matter here ten times faster, which is most of check's time on a large site.
# Comments and the text of script/style (which may contain "<a href") are skipped.
# "<" first, outside the alternatives, lets the regex engine jump from "<" to "<": 8x faster.
_SKIPPED = re.compile(r"<(?:!--.*?-->|((script|style)\b[^>]*>).*?</\2\s*>)", re.S | re.I)
_START_TAG = re.compile(  # only tags with an attribute that matters: the regex engine skips the rest
    r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?\b(?:href|src|srcset|action|poster|data|id|name|content)\s*=[^<>]*?)/?>"
)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _parse(text: str) -> _Parsed:
    """Links (with entities decoded) and element ids of an HTML document."""
    result = _Parsed()
    text = _SKIPPED.sub(lambda m: f"<{m.group(1)}" if m.group(1) else "", text)
    for tag_match in _START_TAG.finditer(text):
        links, ids = _tag(tag_match.group(1), tag_match.group(2))
        result.links.extend(links)
        result.ids.update(ids)
    return result


@functools.lru_cache(maxsize=8192)
def _tag(name: str, raw: str) -> tuple[tuple[_Link, ...], frozenset[str]]:
    """The links and ids of one start tag. Remembered: the navigation, header and footer of
    every page are the same tags, and reading their attributes was most of a scan."""
    values: dict[str, str] = {}
    for attribute in _ATTRIBUTE.finditer(raw):
        key = attribute.group(1).lower()
        value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
        value = value if value is not None else attribute.group(4)
        if value is not None and key not in values:
            values[key] = html.unescape(value)
    found = _Parsed()
    _collect(name.lower(), values, found)
    return tuple(found.links), frozenset(found.ids)


def _collect(tag: str, values: dict[str, str], result: _Parsed) -> None:
    if values.get("id"):
        result.ids.add(values["id"])
    if tag == "a" and values.get("name"):
        result.ids.add(values["name"])
    rel = set(values.get("rel", "").lower().split())
    resource = tag in _IMAGE_TAGS or (tag == "link" and not rel & {"alternate", "canonical", "next", "prev"})
    for name in sorted(_URL_ATTRIBUTES & values.keys()):
        result.links.append(_Link(values[name], resource))
    for candidate in values.get("srcset", "").split(","):
        if candidate.strip():
            result.links.append(_Link(candidate.split()[0], True))
    if tag == "meta" and values.get("property") == "og:url" and values.get("content"):
        result.links.append(_Link(values["content"], False))


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a URL leads: an output file, or the absolute path when it is outside the base path."""

    file: str
    fragment: str
    inside: bool = True


class _Resolver:
    """Resolves URLs as a browser would, to the output files of this site."""

    def __init__(self, site: Site, files: AbstractSet[str]) -> None:
        self.base_path = site.config.base_path
        self.base_url = site.config.base_url
        self.files = files
        self._absolute: dict[str, _Target | None] = {}

    def resolve(self, url: str, page: str) -> _Target | None:
        """The target of ``url`` written on the output file ``page``; None for links that leave the site."""
        if url.startswith("/") and not url.startswith("//"):  # the same from every page: remember it
            if url not in self._absolute:
                self._absolute[url] = self._resolve(url, page)
            return self._absolute[url]
        return self._resolve(url, page)

    def _resolve(self, url: str, page: str) -> _Target | None:
        url = url.strip()
        if _SCHEME.match(self.base_url) and url.startswith(self.base_url):
            url = self.base_path + url[len(self.base_url) :]
        if not url or _SCHEME.match(url) or url.startswith("//"):
            return None
        parts = urlsplit(url)
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if path == "":
            return _Target(page, fragment)
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return _Target(path, fragment, inside=False)
            path = path[len(self.base_path) :]
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            path = "" if joined == "." else joined + ("/" if path.endswith("/") else "")
        file = output_file(path)
        if file not in self.files and file + "/index.html" in self.files:
            file += "/index.html"  # a folder without its slash: servers redirect
        return _Target(file, fragment)


_Key = tuple[str, str]  # (output file, or absolute path outside the site; fragment)
ScanOf = Callable[[str], PageScan | None]  # output path -> its scan; None when it is no HTML page


def scan_page(content: bytes) -> PageScan:
    """The distinct links and the ids of a rendered HTML page: all the link pass reads of it."""
    parsed = _parse(content.decode("utf-8", errors="replace"))
    return PageScan(tuple(dict.fromkeys((link.url, link.is_resource) for link in parsed.links)), frozenset(parsed.ids))


def find_broken(
    site: Site, pages: Iterable[str], scan_of: ScanOf, files: AbstractSet[str]
) -> tuple[dict[str, tuple[BrokenLink, ...]], dict[str, frozenset[str]]]:
    """The broken links of each of ``pages`` (those with none are left out), and the output
    files each page's links lead to or would lead to if they existed (a folder without
    its slash as written: ``essays/a`` may become ``essays/a/index.html``).

    ``files`` are all the output paths of the site (pages and copied files);
    ``scan_of`` gives any page's scan, asked for a target page only to look up the
    ``#fragment`` a link names. What a page's links find depends only on its own
    scan, ``files`` and the ids of the pages it links to, which is what lets a
    build check only the pages whose bytes or targets changed.
    """
    resolver = _Resolver(site, files)
    found: dict[str, tuple[BrokenLink, ...]] = {}
    leads_to: dict[str, frozenset[str]] = {}
    for path in pages:
        scan = scan_of(path)
        if scan is None:
            continue
        broken: list[BrokenLink] = []
        seen: set[_Key] = set()
        targets: set[str] = set()
        for url, is_resource in scan.links:
            target = resolver.resolve(url, path)
            if target is None:
                continue
            if target.inside:
                targets.add(target.file)
            key = (target.file, target.fragment)
            if key in seen:
                continue
            problem = _what_is_wrong(target, url, is_resource, scan_of, files, resolver.base_path)
            if problem is None:
                continue
            seen.add(key)
            message, hint, severity = problem
            broken.append(
                BrokenLink(path, url, target.file, target.fragment, message, hint, severity is Severity.ERROR)
            )
        if broken:
            found[path] = tuple(broken)
        leads_to[path] = frozenset(targets)
    return found, leads_to


def report(
    site: Site, markups: Mapping[str, Markup], broken: Mapping[str, Iterable[BrokenLink]], files: AbstractSet[str]
) -> list[Problem]:
    """The broken links as problems for the editor: against the Markdown line, or once per template link.

    ``markups`` is read only for the documents of pages that have a broken link.
    """
    resolver = _Resolver(site, files)
    sources = {output_file(spec.path): spec.source for spec in site.pages if spec.source is not None}
    templates = {output_file(spec.path): spec.template for spec in site.pages}
    problems: list[Problem] = []
    from_templates: dict[tuple[str, messages.Text], list[str]] = {}  # (url, message) -> the pages that have it
    for path in sorted(broken):
        source = sources.get(path)
        written = _content_links(site, markups[source], source, resolver, path) if source else {}
        for link in broken[path]:
            key = (link.file, link.fragment)
            severity = Severity.ERROR if link.error else Severity.WARNING
            if source is not None and key in written:
                raw = written[key]
                if raw is not None:  # None: the markup stage reported it already
                    document = site.documents[source]
                    if not document.body:  # taken from the cache by its stat: read the body for the line
                        document = with_body(document, site.config.content_dir)
                    line = _line_of(document.body, document.body_line, raw, link.fragment)
                    problems.append(Problem(f"content/{source}", line, link.message, link.hint, severity))
                continue
            from_templates.setdefault((link.url, link.message), []).append(path)
    for (_url, message), where in from_templates.items():
        hint = messages.say("template_link_hint", template=templates.get(where[0], "?"))
        if len(where) > 1:
            hint = messages.say("and_then", first=hint, then=messages.say("also_on_pages", count=len(where) - 1))
        problems.append(Problem(with_base(resolver.base_path, _page_path(where[0])), None, message, hint))
    return problems


def check_links(
    site: Site, markups: Mapping[str, Markup], outputs: Iterable[Output], copies: Iterable[str]
) -> list[Problem]:
    """Every broken internal link, image and anchor in the rendered HTML pages, all in memory.

    ``outputs`` are the rendered files (with their bytes), ``copies`` the output
    paths of the files that would be copied (assets and theme static files). The
    build runs the same two steps (:func:`find_broken`, :func:`report`) over the
    pages it renders, reusing the scans of the pages it keeps.
    """
    pages = {output.path: output.content for output in outputs if output.content is not None}
    files = set(pages) | set(copies)
    scans = {path: scan_page(data) for path, data in pages.items() if path.endswith(".html")}
    broken, _ = find_broken(site, sorted(scans), scans.get, files)
    return report(site, markups, broken, files)


def _content_links(site: Site, markup: Markup, source: str, resolver: _Resolver, page: str) -> dict[_Key, str | None]:
    """Targets of the links in a document's own HTML -> the URL as written there.

    None marks a relative link the markup stage could not resolve and has
    therefore reported already (it keeps such targets in :attr:`Markup.links`).
    """
    found: dict[_Key, str | None] = {}
    reported = {target for target in markup.links if target not in site.urls}
    for link in _parse(markup.html).links:
        target = resolver.resolve(link.url, page)
        if target is None:
            continue
        path = unquote(urlsplit(link.url.strip()).path)
        as_source = posixpath.normpath(posixpath.join(posixpath.dirname(source), path)) if path else ""
        already = not path.startswith("/") and as_source in reported
        found.setdefault((target.file, target.fragment), None if already else link.url)
    return found


def _what_is_wrong(
    target: _Target,
    url: str,
    is_resource: bool,
    scan_of: ScanOf,
    files: AbstractSet[str],
    base_path: str,
) -> tuple[messages.Text, messages.Text, Severity] | None:
    """(message, hint, severity) when ``target`` does not resolve; None when it does."""
    shown = url.strip()
    if not target.inside:
        return (
            messages.say("outside_base", target=shown, base=base_path),
            messages.say("outside_base_hint"),
            Severity.ERROR if is_resource else Severity.WARNING,
        )
    if target.file not in files:
        if is_resource:
            return (
                messages.say("missing_image", target=shown),
                messages.say("missing_image_hint"),
                Severity.ERROR,
            )
        return (
            messages.say("broken_page_link", target=shown),
            messages.say("broken_link_hint"),
            Severity.WARNING,
        )
    if target.fragment and target.fragment.lower() != _TOP:
        page = scan_of(target.file)
        if page is None or target.fragment in page.ids:
            return None
        return (
            messages.say("broken_anchor", target=shown, fragment=target.fragment),
            messages.say("broken_anchor_hint"),
            Severity.WARNING,
        )
    return None


def _page_path(output: str) -> str:
    """The site path a page is served at: ``essays/a/index.html`` -> ``essays/a/``."""
    return output[: -len("index.html")] if output == "index.html" or output.endswith("/index.html") else output


def _line_of(body: str, body_line: int, raw: str, fragment: str) -> int | None:
    """The file line where the link is written: its URL as written, else its ``#fragment``."""
    candidates = [raw, unquote(raw)]
    if fragment:
        candidates += [f"#{fragment}", f"#{raw.partition('#')[2]}"]
    for candidate in candidates:
        index = body.find(candidate) if candidate else -1
        if index >= 0:
            return body_line + body.count("\n", 0, index)
    return None
