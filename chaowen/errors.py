"""Problems found while reading a site: values with a place and a fix.

Every stage collects :class:`Problem` values instead of raising on the first one.
A stage that cannot go on raises :class:`BuildError` carrying everything it found,
and only the CLI (or the dev server) turns those into text for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from . import messages


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file.

    ``path`` is shown to the editor as written (relative to the site root where
    possible); ``line`` is 1-based, or ``None`` when the problem is about the
    whole file. ``message`` says what is wrong, ``hint`` how to fix it.
    """

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, language: str | None = None) -> str:
        """``path:line: message（hint）`` — the shape compilers use, so editors can jump to it.

        ``language`` is the one the message was written in (the site's); when not
        given it is recognised from the message.
        """
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{place}: {self.message}"
        if self.hint:
            chinese = messages.is_chinese(language) if language is not None else _is_chinese(self.message)
            text += f"（{self.hint}）" if chinese else f" ({self.hint})"
        return text

    def as_warning(self) -> Problem:
        return Problem(self.path, self.line, self.message, self.hint, Severity.WARNING)

    def as_error(self) -> Problem:
        return Problem(self.path, self.line, self.message, self.hint, Severity.ERROR)


def _is_chinese(message: str) -> bool:
    """Whether ``message`` is Chinese: by the half of the catalogue it comes from, else by its characters.

    An English message often quotes Chinese (``unknown track '新材科'``), so the
    characters alone would mislead.
    """
    language = messages.language_of(message)
    if language is not None:
        return messages.is_chinese(language)
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def sort_problems(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Problems in a stable order: by file, then line, errors before warnings."""
    return sorted(
        problems,
        key=lambda p: (p.path, p.line or 0, p.severity is not Severity.ERROR, p.message),
    )


class BuildError(Exception):
    """A build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sort_problems(list(problems)))
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)
