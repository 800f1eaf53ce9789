"""Slugs and site paths.

A *site path* is relative to the site root, without a leading slash: ``""`` is the
home page, ``essays/foo/`` a pretty URL, ``atom.xml`` a file. Adding the base path
(``/chaowen/``) happens in :func:`with_base`, in one place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_REMEMBERED: dict[str, str] = {}


def remember_slugs(slugs: dict[str, str]) -> None:
    """Seed :func:`slugify` with results from an earlier build (from the build cache).

    Loading pypinyin's dictionaries takes longer than everything else a small
    rebuild does; with the names of tags and authors already known it is not loaded.
    """
    _REMEMBERED.update(slugs)


def slugify(text: str) -> str:
    """Lower-case ASCII with hyphens; Han characters become pinyin without tones.

    ``王小明的心得 2024`` -> ``wang-xiao-ming-de-xin-de-2024``. Returns ``""`` when
    nothing usable is left (e.g. only emoji); callers pick a fallback.
    """
    known = _REMEMBERED.get(text)
    if known is None:
        known = _REMEMBERED[text] = _slugify(text)
    return known


@lru_cache(maxsize=4096)
def _slugify(text: str) -> str:
    """Lower-case ASCII with hyphens; Han characters become pinyin without tones.

    ``王小明的心得 2024`` -> ``wang-xiao-ming-de-xin-de-2024``. Returns ``""`` when
    nothing usable is left (e.g. only emoji); callers pick a fallback.
    """
    if _HAN.search(text):
        from pypinyin import lazy_pinyin  # imported here: it loads a large dictionary

        text = " ".join(lazy_pinyin(text, errors="default"))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", text.lower()).strip("-")


def is_valid_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text))


def output_file(path: str) -> str:
    """The file that serves a site path: ``essays/foo/`` -> ``essays/foo/index.html``."""
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def with_base(base_path: str, path: str) -> str:
    """``/chaowen/`` + ``essays/foo/`` -> ``/chaowen/essays/foo/``, percent-encoding what needs it."""
    return base_path + quote(path, safe="/#?&=~-._%")


def unique_slugs(names: list[str], fallback: str) -> dict[str, str]:
    """Give each name a slug, distinct among ``names``, stable for the same set.

    Homophones (新材料 / 新材了) share a pinyin slug; the later one in sorted
    order gets ``-2``, ``-3`` … so the mapping does not depend on file order.
    """
    result: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(names)):
        base = slugify(name) or fallback
        slug = base
        counter = 2
        while slug in used:
            slug = f"{base}-{counter}"
            counter += 1
        used.add(slug)
        result[name] = slug
    return result


def list_page_path(first: str, number: int) -> str:
    """Where page ``number`` of a list whose first page is ``first`` lives (``tags/x/page/2/``)."""
    return first if number == 1 else f"{first}page/{number}/"
