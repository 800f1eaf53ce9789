from chaowen.urls import output_file, slugify, unique_slugs, with_base


def test_pinyin_slugs() -> None:
    assert slugify("新材料产业调研心得") == "xin-cai-liao-chan-ye-diao-yan-xin-de"
    assert slugify("Hello World 2024") == "hello-world-2024"
    assert slugify("王小明 的心得") == "wang-xiao-ming-de-xin-de"
    assert slugify("🎉") == ""


def test_output_file() -> None:
    assert output_file("") == "index.html"
    assert output_file("essays/a/") == "essays/a/index.html"
    assert output_file("atom.xml") == "atom.xml"


def test_with_base_encodes_spaces() -> None:
    assert with_base("/chaowen/", "images/line chart.png") == "/chaowen/images/line%20chart.png"


def test_homophones_get_distinct_stable_slugs() -> None:
    first = unique_slugs(["新材料", "新材了"], "tag")
    second = unique_slugs(["新材了", "新材料"], "tag")
    assert first == second
    assert sorted(first.values()) == ["xin-cai-le", "xin-cai-liao"]
    assert unique_slugs(["a b", "A-B"], "tag") == {"A-B": "a-b", "a b": "a-b-2"}
