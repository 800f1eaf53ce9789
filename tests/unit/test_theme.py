"""The theme chain, the Jinja environment, template fingerprints and static files."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from chaowen.errors import BuildError
from chaowen.theme import find_theme, make_environment, static_files, static_urls, template_fingerprints


def test_a_site_theme_folder_overrides_the_bundled_default(tmp_path: Path) -> None:
    own = tmp_path / "themes/default"
    (own / "templates").mkdir(parents=True)
    (own / "templates/page.html").write_text("自己的页面", encoding="utf-8")
    (own / "static").mkdir()
    (own / "static/style.css").write_text("body { color: red }", encoding="utf-8")
    (own / "static/.DS_Store").write_text("x", encoding="utf-8")
    theme = find_theme(tmp_path, "default")
    assert theme.template_dirs[0] == own / "templates"  # the site's own folder is looked in first
    env = make_environment(theme)
    assert env.get_template("page.html").render() == "自己的页面"
    assert env.get_template("base.html") is not None  # the rest comes from the bundled theme
    files = static_files(theme)
    assert files["style.css"] == own / "static/style.css"
    bundled = files["search.js"]  # not overridden: the bundled theme's (in the wheel or this checkout)
    assert bundled.is_file() and bundled.parent.parent.name == "default" and tmp_path not in bundled.parents
    assert ".DS_Store" not in files


def test_the_environment_is_strict_and_escapes_html(tmp_path: Path) -> None:
    templates = tmp_path / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text("{{ title }}", encoding="utf-8")
    (templates / "typo.html").write_text("{{ titel }}", encoding="utf-8")
    env = make_environment(find_theme(tmp_path, "default"))
    assert env.get_template("page.html").render(title="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("typo.html").render(title="x")


def test_static_urls_change_with_the_content_only() -> None:
    first = static_urls("/chaowen/", {"style.css": b"a", "search.js": b"b"})
    assert first["style.css"].startswith("/chaowen/static/style.css?v=")
    assert static_urls("/chaowen/", {"style.css": b"a"})["style.css"] == first["style.css"]
    assert static_urls("/chaowen/", {"style.css": b"c"})["style.css"] != first["style.css"]


def test_template_fingerprint_follows_includes(tmp_path: Path) -> None:
    templates = tmp_path / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "base.html").write_text("{% block x %}{% endblock %}")
    (templates / "page.html").write_text("{% extends 'base.html' %}")
    (templates / "other.html").write_text("plain")
    env = make_environment(find_theme(tmp_path, "default"))
    before = template_fingerprints(env)
    (templates / "base.html").write_text("{% block x %}changed{% endblock %}")
    after = template_fingerprints(make_environment(find_theme(tmp_path, "default")))
    assert before["page.html"] != after["page.html"]
    assert before["other.html"] == after["other.html"]


def test_missing_theme_names_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        find_theme(tmp_path, "nope")
    problem = caught.value.problems[0]
    assert problem.message_in("zh-CN") == "找不到主题 “nope”"
    assert str(tmp_path / "themes" / "nope") in problem.hint_in("zh-CN")
