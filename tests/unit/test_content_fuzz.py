"""Whatever an editor's file holds, the content loader returns a document or problems, never another exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaowen import messages
from chaowen.content import decode, parse_document
from chaowen.errors import Problem
from chaowen.model import Document, Kind
from tests.conftest import make_config

CONFIG = make_config()
SOURCES = st.sampled_from(["essays/a.md", "minutes/b.md", "issues/c.md", "pages/d.md", "其他/e.md"])
FIELDS = st.sampled_from(
    [
        "title",
        "date",
        "track",
        "author",
        "authors",
        "tags",
        "issue",
        "number",
        "slug",
        "draft",
        "extra",
        "summary",
        "unit",
        "host",
        "venue",
        "participants",
        "auther",
        "<<",
        "?",
        "- x",
        "标题",
        "",
    ]
)
# Pieces editors, input methods and attackers put into YAML.
PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\u3000",
        ":",
        "：",
        "，",
        "#",
        "&a",
        "*a",
        "!!python/object/apply:os.system",
        "!tag",
        "|",
        ">",
        "-",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "\\",
        "%",
        "@",
        "`",
        "?",
        "\n",
        "\r\n",
        "\r",
        "---",
        "...",
        "\ufeff",
        "2024-02-30",
        "2024-03-05 14:30",
        "明天",
        "no",
        "on",
        "010",
        "~",
        "null",
        "新材科",
        "智能物联",
        "第3期",
        "\x00",
    ]
)
YAMLISH = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=12).map("".join)


# Words of PyYAML's and libyaml's own messages, which must never reach an editor of a Chinese site.
PARSER_WORDS = ("found", "expected", "while", "scanning", "parsing", "allowed", "stream", "token", "indicator")


def check(result: tuple[Document | None, list[Problem]], source: str) -> None:
    document, problems = result
    for problem in problems:
        text = (problem.message_in("zh-CN") + problem.hint_in("zh-CN")).lower()
        assert messages.language_of(problem.message_in("zh-CN")) == "zh-CN", problem
        assert not [word for word in PARSER_WORDS if word in text], problem
    if document is None:
        assert any(p.is_error for p in problems)
    else:
        assert document.source == source
        assert document.kind in Kind


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, st.text(max_size=300), st.booleans())
def test_arbitrary_text(source: str, text: str, fenced: bool) -> None:
    text = "---\n" + text if fenced else text
    check(parse_document(source, text, CONFIG), source)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    SOURCES,
    st.lists(st.tuples(st.sampled_from(["", "  ", "- ", "\t"]), FIELDS, YAMLISH), max_size=10),
    st.text(max_size=50),
)
def test_yamlish_front_matter(source: str, lines: list[tuple[str, str, str]], body: str) -> None:
    front = "\n".join(f"{indent}{key}: {value}" for indent, key, value in lines)
    check(parse_document(source, f"---\n{front}\n---\n{body}", CONFIG), source)


@settings(max_examples=50, deadline=None)
@given(SOURCES, st.binary(max_size=400))
def test_arbitrary_bytes(source: str, raw: bytes) -> None:
    text, problem = decode(raw, f"content/{source}")
    if text is None:
        assert problem is not None and problem.is_error
    else:
        check(parse_document(source, text, CONFIG), source)


def test_lone_surrogates_are_a_problem_not_a_crash() -> None:
    """Not from a file (decoding never makes them) but from callers handing text over: libyaml raises on them."""
    document, problems = parse_document("essays/a.md", "---\ntitle: \ud800\n---\n", CONFIG)
    assert document is None and problems and problems[0].line == 2
