"""The theme: where its templates and static files are, and the Jinja environment over them.

A theme is a chain of folders, the site's own ``themes/NAME`` (which may hold only
overrides) over the bundled theme of that name and then ``default``;
:func:`find_theme` resolves it or raises a :class:`BuildError` naming every folder
it looked in. :func:`make_environment` is the one Jinja set-up of every build and
preview: StrictUndefined, autoescape for HTML and XML, optional bytecode cache.
:func:`template_fingerprints` says which pages a template edit affects, and
:func:`static_files` / :func:`static_urls` give the static files that win in the
chain and their cache-busting URLs. Reads the theme's files, writes nothing but
the bytecode cache it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import messages
from .errors import BuildError, Problem

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"
REPO_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    """Where a theme's templates and static files are looked for, in order (site override first)."""

    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]


def find_theme(site_root: Path, name: str) -> Theme:
    """The theme chain: ``SITE/themes/NAME`` over the bundled theme of that name (or ``default``)."""
    candidates = [site_root / "themes" / name]
    for base in (PACKAGE_THEMES, REPO_THEMES):
        candidates.append(base / name)
        if name != "default":
            candidates.append(base / "default")
    found = [c for c in dict.fromkeys(candidates) if c.is_dir()]
    named = [c for c in found if c.name == name]
    # A site's own folder may hold only overrides; the chain must end in a complete theme.
    if not named or not any((c / "templates" / "base.html").is_file() for c in found):
        raise BuildError(
            [
                Problem(
                    f"themes/{name}",
                    None,
                    messages.say("theme_missing", name=name),
                    messages.say("theme_missing_hint", searched=", ".join(str(c) for c in candidates)),
                )
            ]
        )
    return Theme(
        name=name,
        template_dirs=tuple(c / "templates" for c in found if (c / "templates").is_dir()),
        static_dirs=tuple(c / "static" for c in found if (c / "static").is_dir()),
    )


def make_environment(theme: Theme, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for a theme; compiled templates are kept in ``bytecode_dir`` when given."""
    bytecode = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    return jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def template_fingerprints(env: jinja2.Environment) -> dict[str, str]:
    """For each template, a hash of its source and of every template it extends, includes or imports.

    A page needs rendering again when the fingerprint of its template changes,
    so a change to ``document.html`` leaves the track indexes alone. A template that
    names another dynamically is taken to depend on all of them.
    """
    from jinja2 import meta

    sources: dict[str, str] = {}
    references: dict[str, set[str] | None] = {}
    for name in env.list_templates():
        try:
            source, _, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
            found = meta.find_referenced_templates(env.parse(source))
            names: set[str] | None = set()
            for ref in found:
                if ref is None:
                    names = None
                    break
                names.add(ref)  # type: ignore[union-attr]
            references[name] = names
        except (jinja2.TemplateError, OSError):
            source, references[name] = "", None  # the render stage reports the error itself
        sources[name] = hashlib.blake2b(source.encode(), digest_size=12).hexdigest()
    every = "".join(sorted(f"{n}:{h}" for n, h in sources.items()))
    result: dict[str, str] = {}
    for name in sources:
        seen: set[str] = set()
        pending = [name]
        dynamic = False
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = references.get(current, set())
            if refs is None:
                dynamic = True
                break
            pending.extend(refs)
        text = every if dynamic else "".join(sorted(f"{n}:{sources.get(n, '')}" for n in seen))
        result[name] = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return result


def static_files(theme: Theme) -> dict[str, Path]:
    """Static file name (``css/x.css``) -> the file that wins in the theme chain."""
    files: dict[str, Path] = {}
    for folder in reversed(theme.static_dirs):  # later (more specific) folders override
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(folder).as_posix()] = path
    return files


def static_urls(config_base: str, files: Mapping[str, bytes]) -> dict[str, str]:
    """Static URLs with a content hash, so browsers can cache them and still see changes."""
    return {
        name: f"{config_base}static/{name}?v={hashlib.blake2b(data, digest_size=5).hexdigest()}"
        for name, data in files.items()
    }
