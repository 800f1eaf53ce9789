"""Raster images as published: upright, resized, private, cached; and what a bad image tells the editor."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from chaowen import images as images_module
from chaowen.build import BuildOptions, BuildResult, build
from chaowen.errors import BuildError
from tests.conftest import CONFIG_YAML, NOW, SiteFactory
from tests.photos import GPS_IFD, phone_jpeg

ESSAY = """\
---
title: 园区走访
date: 2024-03-01
author: 王小明
track: iot
---
第一段。

![图：园区主干道](../images/street.jpg)

第二段。

![会场外的走廊](../images/hall.jpg "会前等候入场")

<p>原始 HTML：<img src="../images/street.jpg" alt="又一张"></p>
"""


def photo(width: int = 1200, height: int = 900, *, seed: int = 1, orientation: int = 1) -> bytes:
    return phone_jpeg(width, height, seed=seed, orientation=orientation, noise=4.0)


def site_files(**images: bytes) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"content/essays/visit.md": ESSAY}
    files.update({f"content/images/{name}": data for name, data in images.items()})
    return files


def run(root: Path, *, clean: bool = False, strict: bool = False, relative: bool | None = None) -> BuildResult:
    options = BuildOptions(site_root=root, search=False, clean=clean, strict=strict, relative=relative)
    return build(options, now=NOW)


def page(root: Path) -> str:
    return (root / "output/essays/visit/index.html").read_text("utf-8")


def published(root: Path, stem: str) -> dict[str, Image.Image]:
    return {p.name: Image.open(io.BytesIO(p.read_bytes())) for p in sorted((root / "output/images").glob(f"{stem}-*"))}


def test_every_published_image_is_upright_private_and_never_upscaled(make_site: SiteFactory) -> None:
    # a phone held upright: the pixels are stored turned a quarter, orientation 6 turns them back
    root = make_site(site_files(**{"street.jpg": photo(1200, 900, orientation=6), "hall.jpg": photo(seed=2)}))
    run(root)
    files = published(root, "street")
    assert sorted(files) == sorted(
        f"street-{w}.{key}.{ext}" for w in (480, 960, 1200) for ext in ("jpg", "webp") for key in _keys(files)
    ), "the configured widths below the image's own, then its own width: never 1600"
    for name, image in files.items():
        width = int(name.split("-")[1].split(".")[0])
        assert image.size == (width, round(900 * width / 1200)), name
        assert image.format == ("JPEG" if name.endswith(".jpg") else "WEBP")
        assert not image.getexif(), f"{name} has EXIF"
        assert not image.getexif().get_ifd(GPS_IFD)
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info), name
        assert b"HUAWEI" not in (root / "output/images" / name).read_bytes()
        rgb = image.convert("RGB")
        sky, road = rgb.getpixel((width // 2, 2)), rgb.getpixel((width // 2, rgb.height - 2))
        assert isinstance(sky, tuple) and isinstance(road, tuple)
        assert sky[2] > sky[0] + 40 and abs(road[0] - road[2]) < 30, f"{name} is not upright: {sky} {road}"
    assert not (root / "output/images/street.jpg").exists(), "the original is not published"


def _keys(files: dict[str, Image.Image]) -> set[str]:
    return {name.split(".")[1] for name in files}


def test_the_colour_profile_is_the_one_thing_kept(make_site: SiteFactory) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(photo())).save(
        buffer, "JPEG", icc_profile=profile, exif=Image.open(io.BytesIO(photo())).getexif()
    )
    root = make_site(site_files(**{"street.jpg": buffer.getvalue(), "hall.jpg": photo(seed=2)}))
    run(root)
    for name, image in published(root, "street").items():
        assert image.info.get("icc_profile") == profile, name
        assert not image.getexif(), name


def test_the_page_offers_every_width_and_format_with_its_size(make_site: SiteFactory) -> None:
    root = make_site(site_files(**{"street.jpg": photo(2400, 1800), "hall.jpg": photo(900, 1200, seed=2)}))
    run(root)
    html = page(root)
    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 3, "two Markdown images and one raw <img>"
    first, second, raw = pictures
    assert re.search(
        r'<source sizes="[^"]+" srcset="/images/street-480\.\w+\.webp 480w, [^"]+ 960w, [^"]+ 1600w"', first
    )
    assert 'type="image/webp"' in first
    assert re.search(
        r'<img alt="园区主干道" decoding="async" height="1200" sizes="[^"]+" src="/images/street-960', first
    )
    assert 'width="1600"' in first and "loading" not in first, "the first image may be on the first screen"
    assert 'loading="lazy"' in second and 'width="900"' in second and 'height="1200"' in second
    assert 'loading="lazy"' in raw and 'alt="又一张"' in raw
    assert re.search(r"<figure><picture>.*</picture><figcaption>图：园区主干道</figcaption></figure>", html)
    assert re.search(r"<figure><picture>.*</picture><figcaption>会前等候入场</figcaption></figure>", html)


def test_a_rebuild_encodes_only_the_image_that_changed(make_site: SiteFactory) -> None:
    root = make_site(site_files(**{"street.jpg": photo(), "hall.jpg": photo(seed=2)}))
    assert run(root).images == 2
    before = page(root)
    assert run(root).images == 0
    assert page(root) == before
    (root / "content/images/hall.jpg").write_bytes(photo(seed=3))
    again = run(root)
    assert again.images == 1
    assert page(root) != before, "the page names the new variants"
    assert len(list((root / "output/images").glob("hall-*"))) == 6, "the old variants are gone"
    assert run(root, clean=True).images == 2, "--clean makes everything anew"


def test_a_second_site_with_the_same_photo_gets_its_variants_without_decoding_it_again(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Variants made in this process are written for another site folder (a preview, a copy) from memory."""
    street = photo(seed=7)  # the same bytes in both sites
    first = make_site(site_files(**{"street.jpg": street, "hall.jpg": photo(seed=8)}))
    assert run(first).images == 2
    decoded: list[str] = []
    real_encode = images_module._encode
    monkeypatch.setattr(images_module, "_encode", lambda job: decoded.append(job.source) or real_encode(job))
    second = tmp_path / "second"  # a copy of its sources, without its output or cache
    shutil.copytree(first, second, ignore=shutil.ignore_patterns(".chaowen-cache", "output"))
    (second / "content/images/hall.jpg").write_bytes(photo(seed=9))
    assert run(second).images == 2  # both made for this site's cache ...
    assert decoded == ["images/hall.jpg"]  # ... only the photo the first site did not have decoded and encoded
    made_first = {n: d for n, d in _snapshot(first / "output/images").items() if n.startswith("street-")}
    made_second = {n: d for n, d in _snapshot(second / "output/images").items() if n.startswith("street-")}
    assert made_first and made_second == made_first


def test_changed_settings_encode_again(make_site: SiteFactory) -> None:
    root = make_site(site_files(**{"street.jpg": photo(), "hall.jpg": photo(seed=2)}))
    run(root)
    (root / "chaowen.yaml").write_text(
        CONFIG_YAML + "images:\n  widths: [300]\n  formats: [avif, webp]\n  keep_originals: true\n", "utf-8"
    )
    assert run(root).images == 2
    names = {p.name.split(".")[0] + p.suffix for p in (root / "output/images").iterdir()}
    assert {"street-300.avif", "street-300.webp", "street-300.jpg", "street.jpg"} <= names
    assert (root / "output/images/street.jpg").read_bytes() == (root / "content/images/street.jpg").read_bytes()
    assert 'type="image/avif"' in page(root)


def test_svg_gif_and_animations_are_copied_as_they_are(make_site: SiteFactory) -> None:
    gif, webp = io.BytesIO(), io.BytesIO()
    Image.new("P", (20, 10)).save(gif, "GIF")
    frames = [Image.new("RGB", (20, 10), colour) for colour in ("red", "blue")]
    frames[0].save(webp, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    body = "---\ntitle: 动图\ndate: 2024-03-01\nauthor: 王小明\ntrack: iot\n---\n![动图](a.gif) ![图标](b.svg) ![动画](c.webp)\n"
    files = {"a.gif": gif.getvalue(), "b.svg": svg, "c.webp": webp.getvalue()}
    root = make_site({"content/essays/x.md": body, **{f"content/essays/{k}": v for k, v in files.items()}})
    assert run(root).images == 0
    for name, data in files.items():
        assert (root / "output/essays" / name).read_bytes() == data, name


def test_cmyk_and_16_bit_images_are_converted_not_refused(make_site: SiteFactory) -> None:
    cmyk, deep = io.BytesIO(), io.BytesIO()
    Image.open(io.BytesIO(photo(640, 480))).convert("CMYK").save(cmyk, "JPEG")
    Image.linear_gradient("L").resize((640, 480)).convert("I").point(lambda v: v * 257).convert("I;16").save(
        deep, "PNG"
    )
    root = make_site(
        site_files(**{"street.jpg": cmyk.getvalue(), "hall.jpg": photo(seed=2), "deep.png": deep.getvalue()})
    )
    (root / "content/essays/visit.md").write_text(ESSAY + "\n![渐变](../images/deep.png)\n", "utf-8")
    run(root)
    assert {im.mode for im in published(root, "street").values()} == {"RGB"}
    for name, image in published(root, "deep").items():
        assert image.mode == ("L" if name.endswith(".png") else "RGB"), name  # WebP has no grey mode
        assert image.getextrema() == (0, 255) or name.endswith(".webp"), "the whole range, scaled down to 8 bits"


CORRUPT = b"\xff\xd8\xff\xe0 not really a photo" * 10


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (CORRUPT, "已损坏或不是图片文件"),
        (photo()[:4000], "不完整（文件被截断）"),
    ],
    ids=["corrupt", "truncated"],
)
def test_a_bad_image_names_itself_and_the_document_and_publishes_nothing(
    make_site: SiteFactory, image: bytes, expected: str
) -> None:
    root = make_site(site_files(**{"street.jpg": photo(), "hall.jpg": photo(seed=2)}))
    run(root)
    (root / "output/mine.txt").write_text("编辑自己的文件", "utf-8")
    before = _snapshot(root / "output")
    (root / "content/images/hall.jpg").write_bytes(image)
    with pytest.raises(BuildError) as raised:
        run(root)
    problems = [p for p in raised.value.problems if "hall.jpg" in p.message_in("zh-CN")]
    assert [(p.path, p.is_error) for p in problems] == [("content/essays/visit.md", True)]
    assert expected in problems[0].message_in("zh-CN") and "content/images/hall.jpg" in problems[0].message_in("zh-CN")
    assert _snapshot(root / "output") == before, "a failed build leaves the output as it was"


def test_a_decompression_bomb_is_refused(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # instead of making a 90-megapixel file
    root = make_site(site_files(**{"street.jpg": photo(640, 480), "hall.jpg": photo(200, 150, seed=2)}))
    with pytest.raises(BuildError) as raised:
        run(root)
    [problem] = raised.value.problems
    assert problem.path == "content/essays/visit.md"
    assert "像素太多" in problem.message_in("zh-CN") and "street.jpg" in problem.message_in("zh-CN")


def test_a_wrong_extension_is_a_warning_and_an_error_when_strict(make_site: SiteFactory) -> None:
    png = io.BytesIO()
    Image.open(io.BytesIO(photo())).save(png, "PNG")
    root = make_site(site_files(**{"street.jpg": photo(), "hall.jpg": png.getvalue()}))
    result = run(root)
    [warning] = [w for w in result.warnings if "hall.jpg" in w.message_in("zh-CN")]
    assert "实际是 PNG 格式" in warning.message_in("zh-CN") and warning.path == "content/essays/visit.md"
    assert {p.suffix for p in (root / "output/images").glob("hall-*")} == {".png", ".webp"}
    with pytest.raises(BuildError):
        run(root, strict=True)


def test_an_image_without_alt_text_is_a_warning_at_its_line(make_site: SiteFactory) -> None:
    body = "---\ntitle: 无题\ndate: 2024-03-01\nauthor: 王小明\ntrack: iot\n---\n正文。\n\n![](../images/street.jpg)\n"
    root = make_site({"content/essays/x.md": body, "content/images/street.jpg": photo()})
    [warning] = run(root).warnings
    assert (warning.path, warning.line) == ("content/essays/x.md", 9)
    assert "street.jpg" in warning.message_in("zh-CN") and "替代文字" in warning.message_in("zh-CN")
    with pytest.raises(BuildError):
        run(root, strict=True)


def test_relative_urls_make_every_srcset_candidate_relative(make_site: SiteFactory) -> None:
    root = make_site(site_files(**{"street.jpg": photo(), "hall.jpg": photo(seed=2)}))
    run(root, relative=True)  # the link pass checks every candidate: a broken one fails the build
    html = page(root)
    assert re.search(r'srcset="\.\./\.\./images/street-480\.\w+\.webp 480w, \.\./\.\./images/street-960', html)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_example_journal_serves_phone_sized_photos_with_no_metadata(example_site: Path) -> None:
    originals = [p for p in (example_site / "content/images").glob("*.jpg")]
    assert len(originals) >= 3
    for original in originals:
        with Image.open(original) as source:
            assert source.getexif().get_ifd(GPS_IFD), f"{original.name}: the example photo should carry GPS"
        variants = sorted((example_site / "output/images").glob(f"{original.stem}-*"))
        assert {p.suffix for p in variants} == {".jpg", ".webp"}, original.name
        assert not (example_site / "output/images" / original.name).exists()
        for variant in variants:
            image = Image.open(io.BytesIO(variant.read_bytes()))
            assert image.width <= 1600 and not image.getexif() and "xmp" not in image.info, variant.name
