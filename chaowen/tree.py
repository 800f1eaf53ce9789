"""Python-Markdown's element tree, as the Markdown stage's tree processors read it.

:func:`walk` visits a tree in document order without recursion, and the tag sets
say which elements end a run of text (:data:`BLOCK_TAGS`) and which hold code
(:data:`CODE_TAGS`). Pure: no I/O, no state.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import Final

# Text is never joined across these: block boundaries, and inline elements without text.
BLOCK_TAGS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "details", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul", "br", "img", "input"),
    }
)
CODE_TAGS: Final = frozenset({"pre", "code", "script", "style", "kbd", "samp"})


def walk(root: etree.Element) -> Iterator[tuple[etree.Element, bool]]:
    """Document order without recursion (emphasis can nest thousands deep):
    (element, False) on entering it, (element, True) after its children."""
    yield root, False
    # Each level keeps an iterator over its children, so an element is fetched once, and a
    # leaf is entered and left without a level of its own (the Markdown stage walks every
    # document's tree two or three times).
    stack: list[tuple[etree.Element, Iterator[etree.Element]]] = [(root, iter(root))]
    while stack:
        element, children = stack[-1]
        for child in children:
            yield child, False
            if len(child):
                stack.append((child, iter(child)))
                break
            yield child, True
        else:
            stack.pop()
            yield element, True
