"""Problems found while reading a site: values with a place and a fix.

Every stage collects :class:`Problem` values instead of raising on the first one.
A stage that cannot go on raises :class:`BuildError` carrying everything it found,
and only the CLI (or the dev server) turns those into text for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from . import messages

OPTION_PREFIX = "--"  # a Problem.path that starts with it names a command-line option, not a file


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file.

    ``path`` is shown to the editor as written (relative to the site root where
    possible); a path that starts with ``--`` is a command-line option (a bad
    ``--base-url``), named as one in the reader's language; ``line`` is 1-based, or ``None`` when the problem is about the
    whole file. ``message`` says what is wrong, ``hint`` how to fix it: each a
    :class:`messages.Text` (a catalogue key with values), worded in the site's
    language only when the problem is reported. A plain ``str`` is text that did
    not come from chaowen (a library's own message).
    """

    path: str
    line: int | None
    message: messages.Text | str
    hint: messages.Text | str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, language: str | None = None) -> str:
        """``path:line: message（hint）`` — the shape compilers use, so editors can jump to it.

        ``language`` is the reader's (the site's); the reporters (the CLI, the dev
        server) always give it. Without it a :class:`messages.Text` is worded in
        Chinese, and a library's ``str`` keeps the language it is in (recognised).
        """
        if language is None:
            language = _language_of(self.message)
        path = self.path_in(language)
        place = path if self.line is None else f"{path}:{self.line}"
        text = f"{place}: {self.message_in(language)}"
        if self.hint:
            hint = self.hint_in(language)
            text += f"（{hint}）" if messages.is_chinese(language) else f" ({hint})"
        return text

    def path_in(self, language: str) -> str:
        """The path as shown to the reader; a command-line option is called one, in ``language``."""
        if self.path.startswith(OPTION_PREFIX):
            return messages.say("cli_option", option=self.path).render(language)
        return self.path

    def message_in(self, language: str) -> str:
        """What is wrong, in ``language``."""
        return _word(self.message, language)

    def hint_in(self, language: str) -> str:
        """How to fix it, in ``language`` (empty when there is no hint)."""
        return _word(self.hint, language)

    def as_warning(self) -> Problem:
        return Problem(self.path, self.line, self.message, self.hint, Severity.WARNING)

    def as_error(self) -> Problem:
        return Problem(self.path, self.line, self.message, self.hint, Severity.ERROR)


def _word(text: messages.Text | str, language: str) -> str:
    return text if isinstance(text, str) else text.render(language)


def _language_of(message: messages.Text | str) -> str:
    """The language to word ``message`` in when the caller did not say: Chinese, unless it is English text.

    Only a ``str`` needs recognising: a library's text, or (until every stage says
    :class:`messages.Text`) one worded in a stage. A message worded from the catalogue
    is recognised by the half of the catalogue it comes from, else by its characters (an English message often quotes Chinese, like
    ``unknown track '新材科'``, so the characters alone would mislead).
    """
    if isinstance(message, messages.Text):
        return "zh-CN"
    language = messages.language_of(message)
    if language is not None:
        return language
    return "zh-CN" if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "en"


def sort_problems(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Problems in a stable order: by file, then line, errors before warnings."""
    return sorted(
        problems,
        key=lambda p: (p.path, p.line or 0, p.severity is not Severity.ERROR, _word(p.message, "zh-CN")),
    )


class BuildError(Exception):
    """A build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sort_problems(list(problems)))
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)
