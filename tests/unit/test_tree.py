"""The tree walk of the Markdown stage: document order, entering and leaving every element."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

from chaowen.tree import walk


def _by_recursion(element: ET.Element) -> list[tuple[ET.Element, bool]]:
    events = [(element, False)]
    for child in element:
        events += _by_recursion(child)
    return [*events, (element, True)]


def test_walk_enters_and_leaves_every_element_in_document_order() -> None:
    rng = random.Random(15)
    for _ in range(300):
        root = ET.Element("div")
        elements = [root]
        for _ in range(rng.randint(0, 40)):
            elements.append(ET.SubElement(rng.choice(elements), rng.choice(["p", "em", "a", "li"])))
        assert list(walk(root)) == _by_recursion(root)


def test_walk_needs_no_recursion_for_deep_trees() -> None:
    root = element = ET.Element("p")
    for _ in range(5000):
        element = ET.SubElement(element, "em")
    events = list(walk(root))
    assert len(events) == 2 * 5001
    assert events[5000] == (element, False) and events[5001] == (element, True)
