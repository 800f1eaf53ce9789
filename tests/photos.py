"""Phone photos made with Pillow: a plausible outdoor scene with sensor noise, camera EXIF, GPS and orientation.

Used by the image tests (small ones), by ``bench/images.py`` (4000x3000, about 6 MB) and to
make the example journal's photos. ``python tests/photos.py OUT.jpg --seed 3 --orientation 6``.
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

# EXIF tags (numbers from the standard)
ORIENTATION = 0x0112
MAKE, MODEL, DATETIME, SOFTWARE = 0x010F, 0x0110, 0x0132, 0x0131
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,16.2N"/></rdf:RDF></x:xmpmeta>'
)


def scene(width: int, height: int, seed: int = 1, noise: float = 18.0) -> Image.Image:
    """A street or industrial park by day: sky, hills, buildings with windows, a road; noisy like a phone sensor."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.6))
    top, bottom = (rng.randint(70, 110), rng.randint(130, 160), rng.randint(200, 235)), (205, 220, 235)
    for y in range(horizon):
        t = y / max(1, horizon)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    hills = [(0, horizon)]
    for x in range(0, width + 1, max(1, width // 12)):
        hills.append((x, horizon - int(height * rng.uniform(0.03, 0.12))))
    hills.append((width, horizon))
    draw.polygon(hills, fill=(96, 118, 104))
    ground = (rng.randint(90, 115), rng.randint(120, 145), rng.randint(80, 100))
    draw.rectangle([0, horizon, width, height], fill=ground)
    draw.polygon(
        [(int(width * 0.42), horizon), (int(width * 0.58), horizon), (width, height), (0, height)], fill=(72, 72, 76)
    )
    x = 0
    while x < width:
        w = int(width * rng.uniform(0.06, 0.16))
        h = int(height * rng.uniform(0.12, 0.35))
        shade = rng.randint(150, 225)
        colour = (shade, shade - rng.randint(0, 25), shade - rng.randint(0, 40))
        draw.rectangle([x, horizon - h, x + w, horizon], fill=colour, outline=(60, 60, 60))
        step = max(4, w // 8)
        for wy in range(horizon - h + step, horizon - step, step):
            for wx in range(x + step // 2, x + w - step // 2, step):
                glass = rng.randint(40, 110)
                draw.rectangle([wx, wy, wx + step // 2, wy + step // 2], fill=(glass, glass + 20, glass + 40))
        x += w + int(width * rng.uniform(0.0, 0.05))
    for ty in sorted(rng.randint(horizon, height) for _ in range(60)):  # trees, larger (and in front) nearer
        depth = (ty - horizon) / max(1, height - horizon)
        size = int(height * (0.02 + 0.12 * depth))
        side = rng.choice((rng.uniform(0.0, 0.3), rng.uniform(0.7, 1.0)))
        tx = int(width * side)
        leaf = (rng.randint(30, 70), rng.randint(90, 140), rng.randint(30, 70))
        draw.rectangle([tx - size // 12, ty - size, tx + size // 12, ty], fill=(80, 60, 40))
        draw.ellipse([tx - size // 2, ty - size * 2, tx + size // 2, ty - size // 2], fill=leaf)
    image = image.filter(ImageFilter.GaussianBlur(max(1, width // 1600)))
    if noise:
        grain = Image.effect_noise((width, height), noise).convert("RGB")
        image = Image.blend(image, grain, 0.12)
    return image


def phone_jpeg(
    width: int = 4000,
    height: int = 3000,
    *,
    seed: int = 1,
    orientation: int = 1,
    quality: int = 95,
    noise: float = 18.0,
) -> bytes:
    """A JPEG as a phone writes it: camera make and model, date, GPS position, XMP, an orientation flag.

    ``width`` x ``height`` is the photo as seen; with orientation 6 or 8 (a phone held upright) the
    pixels are stored turned a quarter, as phones do, and the flag says how to turn them back.
    """
    image = scene(width, height, seed, noise)
    stored = {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270, 3: Image.Transpose.ROTATE_180}
    if orientation in stored:
        image = image.transpose(stored[orientation])
    exif = Image.Exif()
    exif[MAKE] = "HUAWEI"
    exif[MODEL] = "Mate 60 Pro"
    exif[SOFTWARE] = "ALN-AL00 4.0.0"
    exif[DATETIME] = "2025:09:12 10:31:07"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF] = "N"
    gps[GPS_LATITUDE] = (30.0, 16.0, 12.5)
    gps[GPS_LONGITUDE_REF] = "E"
    gps[GPS_LONGITUDE] = (120.0, 9.0, 30.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif, xmp=XMP)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orientation", type=int, default=1)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--quality", type=int, default=95)
    parser.add_argument("--noise", type=float, default=18.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    data = phone_jpeg(
        width, height, seed=args.seed, orientation=args.orientation, quality=args.quality, noise=args.noise
    )
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
