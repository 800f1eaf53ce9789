"""images.py and pictures.py without a build: the plan of an image's variants, the settings, the HTML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from chaowen.config import load_config
from chaowen.errors import BuildError
from chaowen.images import Probe, plan, probe
from chaowen.markup import render_markdown
from chaowen.model import ImageSettings
from tests.conftest import CONFIG_YAML
from tests.photos import phone_jpeg

KEY = "0123456789abcdef" * 2


def test_widths_are_never_wider_than_the_image() -> None:
    settings = ImageSettings()
    assert [v.width for v in plan("a.jpg", Probe(4000, 3000, "JPEG"), settings, KEY).of("jpeg")] == [480, 960, 1600]
    assert [v.width for v in plan("a.jpg", Probe(1200, 900, "JPEG"), settings, KEY).of("jpeg")] == [480, 960, 1200]
    assert [v.width for v in plan("a.jpg", Probe(300, 200, "JPEG"), settings, KEY).of("jpeg")] == [300]
    assert [v.width for v in plan("a.jpg", Probe(1600, 900, "JPEG"), settings, KEY).of("jpeg")] == [480, 960, 1600]


def test_variants_keep_the_aspect_ratio_and_the_format_fits_the_source() -> None:
    portrait = plan("p/a.jpg", Probe(3000, 4000, "JPEG"), ImageSettings(), KEY)
    assert (portrait.width, portrait.height, portrait.fallback, portrait.formats) == (1600, 2133, "jpeg", ("webp",))
    assert portrait.main.path == f"p/a-1600.{KEY[:10]}.jpg"
    chart = plan("c.png", Probe(800, 400, "PNG"), ImageSettings(formats=("avif", "webp")), KEY)
    assert chart.fallback == "png" and chart.formats == ("avif", "webp")
    transparent = plan("t.webp", Probe(800, 400, "WEBP", alpha=True), ImageSettings(), KEY)
    assert transparent.fallback == "png", "JPEG has no transparency"


def test_probe_reads_the_size_upright_and_names_what_is_wrong() -> None:
    upright = probe(phone_jpeg(400, 300, orientation=6, noise=0), ".jpg")
    assert (upright.width, upright.height, upright.format, upright.fault) == (400, 300, "JPEG", "")
    assert probe(b"GIF89a not really", ".jpg").fault == "image_corrupt"
    assert probe(phone_jpeg(400, 300, noise=0)[:1500], ".jpg").fault == "image_truncated"
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    found = probe(png.getvalue(), ".jpg")
    assert (found.width, found.fault, found.detail) == (10, "image_wrong_type", "PNG")


def test_a_truncated_photo_is_found_even_after_a_library_lets_pillow_load_truncated_files() -> None:
    """WeasyPrint (the print edition) sets Pillow's global LOAD_TRUNCATED_IMAGES when imported."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        assert probe(phone_jpeg(400, 300, noise=0)[:1500], ".jpg").fault == "image_truncated"
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # given back as it was found
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def test_images_settings_have_defaults_and_bad_values_are_named(tmp_path: Path) -> None:
    (tmp_path / "chaowen.yaml").write_text(CONFIG_YAML, "utf-8")
    assert load_config(tmp_path).images == ImageSettings()
    (tmp_path / "chaowen.yaml").write_text(CONFIG_YAML + "images:\n  widths: [800, 400]\n  quality: 60\n", "utf-8")
    assert load_config(tmp_path).images == ImageSettings(widths=(400, 800), quality=60)
    bad = "images:\n  widths: [0]\n  quality: 200\n  formats: [gif]\n  keep_original: true\n"
    (tmp_path / "chaowen.yaml").write_text(CONFIG_YAML + bad, "utf-8")
    with pytest.raises(BuildError) as raised:
        load_config(tmp_path)
    messages = [p.message_in("zh-CN") for p in raised.value.problems]
    assert len(messages) == 4, messages
    assert any("keep_original" in m for m in messages)
    assert any("keep_originals" in str(p.hint_in("zh-CN")) for p in raised.value.problems)


def test_markdown_images_without_processing_keep_their_place_and_get_alt_warnings() -> None:
    body = "![](a.svg)\n\n<img src='b.gif'>\n"
    urls = {"essays/a.svg": "essays/a.svg", "essays/b.gif": "essays/b.gif"}
    markup, problems = render_markdown(
        body, source="essays/x.md", display_path="content/essays/x.md", body_line=5, urls=urls, base_path="/"
    )
    assert '<img alt="" decoding="async" loading="lazy" src="/essays/a.svg">' in markup.html
    assert "<img src='/essays/b.gif'>" in markup.html, "a raw <img> gets its site URL"
    assert [(p.line, "替代文字" in p.message_in("zh-CN")) for p in problems] == [(5, True), (7, True)]
