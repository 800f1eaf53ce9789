"""``chaowen.yaml`` -> :class:`SiteConfig`. The fields are declared in :mod:`chaowen.schema`.

A misspelt key is an error naming the nearest valid key; every problem in the
file is reported together.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import messages
from .errors import BuildError, Problem
from .frontmatter import Value, normalise_newlines, parse_yaml
from .model import ImageSettings, PrintConfig, SiteConfig, TrackConfig
from .schema import CONFIG_FIELDS, IMAGE_FIELDS, PRINT_FIELDS, TRACK_FIELDS, nearest

CONFIG_FILE = "chaowen.yaml"
_TRACK_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_config(root: Path, *, base_url: str | None = None, relative: bool | None = None) -> SiteConfig:
    """Read and validate ``root/chaowen.yaml``; raise :class:`BuildError` with every problem.

    ``base_url`` and ``relative`` override the file for one build (CLI flags).
    """
    path = root / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(
            [Problem(str(path), None, messages.say("config_missing"), messages.say("config_missing_hint"))]
        ) from None
    except OSError as error:
        raise BuildError([Problem(str(path), None, messages.say("unreadable", reason=error.strerror))]) from None
    try:
        text = normalise_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BuildError(
            [
                Problem(
                    CONFIG_FILE,
                    None,
                    messages.say("encoding_guessed", encoding="?"),
                    messages.say("encoding_guessed_hint", encoding="?"),
                )
            ]
        ) from None
    fields, lines, problems = parse_yaml(text, CONFIG_FILE)
    if problems:
        raise BuildError(problems)
    return parse_config(fields, lines, root, base_url=base_url, relative=relative)


def parse_config(
    fields: dict[str, Value],
    lines: dict[str, int],
    root: Path,
    *,
    base_url: str | None = None,
    relative: bool | None = None,
) -> SiteConfig:
    """Validate parsed config fields (pure). Raises :class:`BuildError` listing every problem."""
    checker = _Checker(lines)
    known = {spec.name: spec for spec in CONFIG_FIELDS}
    for key in fields:
        if key not in known:
            suggestion = nearest(key, known)
            hint = (
                messages.say("did_you_mean", suggestion=suggestion)
                if suggestion
                else messages.say("valid_keys", choices=list(known))
            )
            checker.add(key, messages.say("config_unknown_key", key=key), hint)
    values: dict[str, Any] = {}
    for name, spec in known.items():
        raw = fields.get(name)
        if raw is None:
            values[name] = spec.default
        elif spec.type == "text":
            values[name] = checker.text(name, raw)
        elif spec.type == "int":
            values[name] = checker.positive_int(name, raw, spec.default)
        elif spec.type == "bool":
            values[name] = checker.boolean(name, raw, spec.default)
        elif spec.type == "mapping":
            values[name] = checker.mapping(name, raw)
        elif spec.type == "tracks":
            values[name] = checker.tracks(raw)
        elif spec.type == "images":
            values[name] = checker.images(raw)
        elif spec.type == "print":
            values[name] = checker.print_settings(raw)
    if base_url is not None:
        values["base_url"] = base_url
    if relative is not None:
        values["relative_urls"] = relative
    values["base_url"] = checker.base_url(values["base_url"], option="--base-url" if base_url is not None else None)
    checker.timezone(values["timezone"])
    if not values["tracks"] and "tracks" not in checker.failed:
        checker.add("tracks", messages.say("config_no_tracks"), "")
    if checker.problems:
        raise BuildError(checker.problems)
    return SiteConfig(
        root=root.resolve(),
        title=values["title"] or "潮闻",
        description=values["description"] or "",
        base_url=values["base_url"],
        language=values["language"] or "zh-CN",
        timezone=values["timezone"] or "Asia/Shanghai",
        theme=values["theme"] or "default",
        per_page=values["per_page"],
        tracks=values["tracks"],
        author=values["author"] or "",
        copyright=values["copyright"] or "",
        relative_urls=bool(values["relative_urls"]),
        extra=MappingProxyType(dict(values["extra"] or {})),
        images=values["images"] or ImageSettings(),
        print=values["print"] or PrintConfig(),
    )


class _Checker:
    """Converts config values, collecting a problem per bad value instead of stopping."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []
        self.failed: set[str] = set()

    def add(self, key: str, message: messages.Text, hint: messages.Text | str) -> None:
        self.failed.add(key)
        line = self.lines.get(key) or self.lines.get(key.partition(".")[0])  # print.paper: the line of print:
        self.problems.append(Problem(CONFIG_FILE, line, message, hint))

    def _bad(self, key: str, reason: messages.Text) -> None:
        self.add(key, messages.say("config_bad_value", key=key, reason=reason), "")

    def text(self, key: str, raw: Value) -> str:
        if not isinstance(raw, str):
            self._bad(key, messages.say("expected_text"))
            return ""
        return raw.strip()

    def positive_int(self, key: str, raw: Value, default: int) -> int:
        if isinstance(raw, str) and raw.strip().isdigit() and int(raw) > 0:
            return int(raw)
        self._bad(key, messages.say("expected_int"))
        return default

    def boolean(self, key: str, raw: Value, default: bool) -> bool:
        parsed = parse_bool(raw)
        if parsed is None:
            self._bad(key, messages.say("expected_bool"))
            return default
        return parsed

    def mapping(self, key: str, raw: Value) -> dict[str, Value]:
        if not isinstance(raw, dict):
            self._bad(key, messages.say("expected_mapping"))
            return {}
        return raw

    def base_url(self, raw: str, *, option: str | None = None) -> str:
        """The URL the site is published at; ``option`` names the command-line flag it came from, if any."""
        url = raw.strip() or "/"
        if url.startswith("/"):
            return url if url.endswith("/") else url + "/"
        if not re.match(r"^https?://[^/\s]+", url):
            if option is None:
                self.add("base_url", messages.say("config_bad_url"), "")
            else:  # the value is not in chaowen.yaml: blaming a line there would send the editor to the wrong place
                self.problems.append(
                    Problem(
                        option,  # worded as a command-line option where it is reported
                        None,
                        messages.say("option_bad_url", value=raw),
                        messages.say("option_bad_url_hint", option=option),
                    )
                )
            return "/"
        return url if url.endswith("/") else url + "/"

    def timezone(self, name: str) -> None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.add(
                "timezone",
                messages.say("config_bad_timezone", value=name),
                messages.say("config_timezone_hint"),
            )

    def tracks(self, raw: Value) -> tuple[TrackConfig, ...]:
        if not isinstance(raw, list):
            self._bad("tracks", messages.say("expected_list"))
            return ()
        tracks: list[TrackConfig] = []
        seen: set[str] = set()
        allowed = {spec.name for spec in TRACK_FIELDS}
        for entry in raw:
            if not isinstance(entry, dict):
                self._bad("tracks", messages.say("expected_mapping"))
                continue
            for unknown in entry:
                if unknown not in allowed:
                    suggestion = nearest(unknown, allowed)
                    hint = messages.say("did_you_mean", suggestion=suggestion) if suggestion else ""
                    self.add("tracks", messages.say("config_unknown_key", key=f"tracks.{unknown}"), hint)
            key: Value = entry.get("key")
            name: Value = entry.get("name")
            description = entry.get("description") or ""
            if not isinstance(key, str) or not _TRACK_KEY.match(key.strip()):
                self.add("tracks", messages.say("config_bad_track_key", value=str(key)), "")
                continue
            key_text = key.strip()
            if not isinstance(name, str) or not name.strip():
                self.add("tracks", messages.say("missing_field", field=f"tracks.{key_text}.name"), "")
                continue
            if key_text in seen or name.strip() in seen:
                self.add("tracks", messages.say("config_duplicate_track", value=key_text), "")
                continue
            seen.update({key_text, name.strip()})
            tracks.append(
                TrackConfig(key_text, name.strip(), description.strip() if isinstance(description, str) else "")
            )
        return tuple(tracks)

    def images(self, raw: Value) -> ImageSettings:
        """The ``images:`` section; a key left out keeps its default."""
        default = ImageSettings()
        if not isinstance(raw, dict):
            self._bad("images", messages.say("expected_mapping"))
            return default
        allowed = {spec.name for spec in IMAGE_FIELDS}
        for unknown in raw:
            if unknown not in allowed:
                suggestion = nearest(unknown, allowed)
                hint = messages.say("did_you_mean", suggestion=suggestion) if suggestion else ""
                self.add("images", messages.say("config_unknown_key", key=f"images.{unknown}"), hint)
        widths, quality, formats = default.widths, default.quality, default.formats
        if "widths" in raw:
            items = raw["widths"] if isinstance(raw["widths"], list) else [raw["widths"]]
            numbers = [int(w) for w in items if isinstance(w, str) and w.strip().isdigit()]
            if len(numbers) != len(items) or not 1 <= len(numbers) <= 8 or not all(16 <= w <= 8000 for w in numbers):
                self.add("images", messages.say("config_images_widths"), "")
            else:
                widths = tuple(sorted(set(numbers)))
        if "quality" in raw:
            value = raw["quality"]
            if isinstance(value, str) and value.strip().isdigit() and 1 <= int(value) <= 100:
                quality = int(value)
            else:
                self.add("images", messages.say("config_images_quality"), "")
        if "formats" in raw:
            items = raw["formats"] if isinstance(raw["formats"], list) else [raw["formats"]]
            names = [f.strip().lower() for f in items if isinstance(f, str)]
            if len(names) != len(items) or not set(names) <= {"webp", "avif"}:
                self.add("images", messages.say("config_images_formats", choices=["webp", "avif"]), "")
            else:
                formats = tuple(dict.fromkeys(names))
        keep = default.keep_originals
        if "keep_originals" in raw:
            keep = self.boolean("images", raw["keep_originals"], default.keep_originals)
        return ImageSettings(widths, quality, formats, keep)

    def print_settings(self, raw: Value) -> PrintConfig:
        """``print:``: the print edition's settings; a bad value is reported and its default kept."""
        if not isinstance(raw, dict):
            self._bad("print", messages.say("expected_mapping"))
            return PrintConfig()
        specs = {spec.name: spec for spec in PRINT_FIELDS}
        for unknown in raw:
            if unknown not in specs:
                suggestion = nearest(unknown, specs)
                hint = (
                    messages.say("did_you_mean", suggestion=f"print.{suggestion}")
                    if suggestion
                    else messages.say("valid_keys", choices=list(specs))
                )
                self.add("print", messages.say("config_unknown_key", key=f"print.{unknown}"), hint)
        settings = PrintConfig()
        enabled = self.boolean("print.enabled", raw.get("enabled", "false"), settings.enabled)
        new_page = self.boolean("print.new_page", raw.get("new_page", "true"), settings.new_page)
        volumes = self.boolean("print.volumes", raw.get("volumes", "false"), settings.volumes)
        paper = self.text("print.paper", raw.get("paper", settings.paper)).upper()
        if paper not in _PAPERS:
            self.add("print", messages.say("config_print_paper", value=paper), messages.say("config_print_paper_hint"))
            paper = settings.paper
        margins = " ".join(self.text("print.margins", raw.get("margins", settings.margins)).split())
        if not _MARGINS.fullmatch(margins):
            self.add(
                "print", messages.say("config_print_margins", value=margins), messages.say("config_print_margins_hint")
            )
            margins = settings.margins
        return PrintConfig(enabled=enabled, paper=paper, margins=margins, new_page=new_page, volumes=volumes)


_PAPERS = frozenset({"A4", "A5"})
_LENGTH = r"(?:\d+(?:\.\d+)?(?:mm|cm|in|pt))"
_MARGINS = re.compile(rf"{_LENGTH}(?: {_LENGTH}){{0,3}}")


_TRUE = frozenset({"true", "yes", "on", "1", "是"})
_FALSE = frozenset({"false", "no", "off", "0", "否", ""})


def parse_bool(raw: Value) -> bool | None:
    """``true``/``false`` (and the YAML 1.1 spellings editors know); None when neither."""
    if not isinstance(raw, str):
        return None
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None
