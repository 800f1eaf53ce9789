"""Python-Markdown's inline processor, trying only the patterns that can match a text.

Python-Markdown runs every inline pattern's regular expression over every piece of text,
about a thousand searches per document; most of them scan a paragraph of Chinese for a
``[``, a backtick or a ``<`` that is not there, and several of the expressions begin with a
look-behind, which the regex engine tries at every position. :class:`InlineProcessor` first
asks whether the text holds the literal strings a pattern's expression cannot match without
(``[`` for a link, ``![`` for an image, ``&`` and ``;`` for an entity), which ``str.__contains__``
answers at memory speed, and skips the pattern when it does not: exactly what the engine
does when the expression finds nothing, so the output is the same byte for byte.

What each pattern needs is listed in :data:`NEEDS` by the pattern's class and expression: a pattern whose expression is not the one listed (another version of
Python-Markdown, another extension) is always tried, as before; the engine's own processor is
used when its private methods are not those replaced here. Pure: no I/O.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Final

import markdown
from markdown import inlinepatterns, treeprocessors, util

# Alternatives, each a tuple of strings that must all occur in the text for the expression
# to match there. Derived by hand from the expressions, which are part of the key.
Needs = tuple[tuple[str, ...], ...]
_Key = tuple[str, str]  # the pattern's class (module.name), its expression

_MD = "markdown.inlinepatterns."
# The raw-HTML pattern: every branch starts with "<" and the expression ends with ">".
_HTML = (
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
    r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
)
NEEDS: Final[dict[_Key, Needs]] = {
    (_MD + "BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): (("`",),),
    (_MD + "EscapeInlineProcessor", r"\\(.)"): (("\\",),),
    ("markdown.extensions.footnotes.FootnoteInlineProcessor", r"\[\^([^\]]*)\]"): (("[^", "]"),),
    (_MD + "ReferenceInlineProcessor", r"(?<!\!)\["): (("[",),),
    (_MD + "LinkInlineProcessor", r"(?<!\!)\["): (("[",),),
    (_MD + "ImageInlineProcessor", r"\!\["): (("![",),),
    (_MD + "ImageReferenceInlineProcessor", r"\!\["): (("![",),),
    (_MD + "ShortReferenceInlineProcessor", r"(?<!\!)\["): (("[",),),
    (_MD + "ShortImageReferenceInlineProcessor", r"\!\["): (("![",),),
    (_MD + "AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): (("<", "://", ">"),),
    (_MD + "AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): (("<", "@", ">"),),
    (_MD + "HtmlInlineProcessor", _HTML): (("<", ">"),),
    (_MD + "SubstituteTagInlineProcessor", r"(?: {2,}|\\)\n"): (("  \n",), ("\\\n",)),
    (_MD + "HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): (("&", ";"),),
    (_MD + "DelimiterProcessor", r"\*|_"): (("*",), ("_",)),
    ("pymdownx.delimiterprocessor.DelimiterProcessor", r"\~"): (("~",),),
}


def needs_of(pattern: inlinepatterns.Pattern | inlinepatterns.InlineProcessor) -> Needs | None:
    """The strings ``pattern`` needs in a text to match there; None: not known, always try it."""
    kind = type(pattern)
    return NEEDS.get((f"{kind.__module__}.{kind.__qualname__}", pattern.compiled_re.pattern))


# The engine's private methods (name-mangled) that :class:`InlineProcessor` replaces and calls.
_HANDLE: Final = "_InlineProcessor__handleInline"
_APPLY: Final = "_InlineProcessor__applyPattern"


def inline_processor(md: markdown.Markdown) -> treeprocessors.InlineProcessor:
    """:class:`InlineProcessor` for ``md``; Python-Markdown's own if its private methods are
    not the ones this module was written for (slower, the same output)."""
    engine = treeprocessors.InlineProcessor
    if hasattr(engine, _HANDLE) and hasattr(engine, _APPLY):
        return InlineProcessor(md)
    return engine(md)


class InlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor; a pattern is tried on a text only when the text
    holds what the pattern's expression needs (see the module's docstring)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._needs: list[Needs | str | None] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The same registry; a need of one string is kept as that string, checked without a call.
        self._needs = [_simplest(needs_of(pattern)) for pattern in self.md.inlinePatterns]
        return super().run(tree, ancestors)

    # Python-Markdown's private ``__handleInline`` (name-mangled), with the check added; the
    # engine calls it for every text and for the text inside every element a pattern makes.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns = self.inlinePatterns
        needs = self._needs
        apply = getattr(self, _APPLY)
        start = 0
        count = len(patterns)
        while patternIndex < count:
            need = needs[patternIndex]
            if need is not None and (need not in data if isinstance(need, str) else not _may_match(need, data)):
                # The expression would find nothing: on to the next pattern, from the text's start,
                # as the engine goes on after no match (also when this pattern matched before).
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _simplest(needs: Needs | None) -> Needs | str | None:
    if needs is not None and len(needs) == 1 and len(needs[0]) == 1:
        return needs[0][0]
    return needs


def _may_match(need: Needs, data: str) -> bool:
    for strings in need:
        for string in strings:
            if string not in data:
                break
        else:
            return True
    return False
