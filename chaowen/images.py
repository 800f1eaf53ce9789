"""Raster images under ``content/`` -> the files a phone should download: upright, small, private.

Two steps, both cached in ``SITE/.chaowen-cache/images/``:

* :meth:`ImageStage.survey` (every build and ``check``; writes nothing): reads each JPEG,
  PNG or WebP image's header and decodes it at a reduced scale (a corrupt or truncated
  file, a wrong extension or a decompression bomb is found here), and plans its
  :class:`~chaowen.model.Picture`: the widths of ``images.widths`` that are not wider
  than the image (never upscaled), in each modern format of ``images.formats`` plus a
  JPEG (or a PNG, for a PNG source or an image with transparency). Each variant's file
  name carries a digest of the image's bytes, the settings and this module's code, so
  a page's HTML (and the Markdown cache) changes exactly when its picture does. What a
  survey found is kept by the file's stat and bytes' digest: a rebuild reads no image
  that did not change.
* :meth:`ImageStage.encode` (a build that writes): makes the variant files missing from
  the cache, in a process pool, each written to a temporary name and renamed, so the
  cache never holds half a file; the write stage copies them into the output like any
  other file, recorded in its manifest.

Decoding is bounded: a JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that is
still at least as large as the largest variant (``Image.draft``), then turned upright
by its EXIF orientation and reduced with ``reducing_gap``. Every written file has no
metadata (no EXIF, GPS, XMP, maker notes or thumbnail); only the colour profile is kept.
A CMYK image is converted to RGB (through its colour profile when it has one) and a
16-bit one to 8 bits, as a browser would show them: refusing them would only send the
editor to an image editor to do the same. SVG, GIF and animated WebP or PNG are not touched: they are copied.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import os
import posixpath
import shutil
import tempfile
import warnings
import weakref
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import orjson
import PIL
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError, features

from .errors import Problem, Severity
from .messages import say
from .model import Asset, Document, ImageSettings, Picture, Site, Variant

RASTER: Final = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
FORMATS: Final = ("webp", "avif")  # modern formats the settings may ask for
_SUFFIX: Final = {"webp": "webp", "avif": "avif", "jpeg": "jpg", "png": "png"}
_ORIENTATION: Final = 0x0112
_ROTATED: Final = frozenset({5, 6, 7, 8})  # orientations that swap width and height
_INDEX: Final = "index.json"
ANIMATED: Final = "animated"  # not a fault: an animation is copied as it is


def is_raster(source: str) -> bool:
    return posixpath.splitext(source)[1].lower() in RASTER


def _code_digest() -> str:
    """This module's source and Pillow's version: what else decides the bytes of a variant."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(Path(__file__).read_bytes())
    hasher.update(PIL.__version__.encode())
    for feature in ("webp", "avif", "jpg", "zlib"):
        hasher.update(str(features.version(feature)).encode())
    return hasher.hexdigest()


# --------------------------------------------------------------------------- survey
@dataclass(frozen=True, slots=True)
class Probe:
    """What the survey learnt of one image's bytes."""

    width: int = 0  # upright
    height: int = 0
    format: str = ""  # Pillow's name: JPEG, PNG, WEBP
    alpha: bool = False
    fault: str = ""  # a catalogue key when the image cannot be published
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Fault:
    source: str
    key: str  # image_corrupt, image_truncated, image_bomb, image_wrong_type, image_unreadable
    detail: str
    warning: bool = False


@dataclass(frozen=True)
class Survey:
    """The survey of a site's images: pictures by source, and what is wrong with some."""

    pictures: Mapping[str, Picture]
    faults: tuple[Fault, ...]
    files: Mapping[str, Path]  # a variant's site path -> its file in the image cache (maybe still to be made)
    sources: Mapping[str, Path]  # a picture's source -> the file to read
    keys: Mapping[str, str]  # a picture's source -> its key (the cache folder of its variants)


@contextlib.contextmanager
def _strict() -> Iterator[None]:
    """Decode with Pillow's checks on: a decompression bomb's warning raises, a truncated file is an error.

    ``ImageFile.LOAD_TRUNCATED_IMAGES`` is global, and WeasyPrint (the print edition) turns it
    on when imported: in the same process, a truncated photo would then be published with a
    grey band instead of being reported. It is restored afterwards, for WeasyPrint.
    """
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def probe(data: bytes, suffix: str) -> Probe:
    """Header, orientation, and a decode at reduced scale: finds corrupt, truncated and oversized images."""
    try:
        with _strict(), Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            if fmt not in ("JPEG", "PNG", "WEBP", "MPO"):
                return Probe(fault="image_corrupt", detail=fmt)
            width, height = image.size
            if image.getexif().get(_ORIENTATION, 1) in _ROTATED:
                width, height = height, width
            if getattr(image, "n_frames", 1) > 1 and fmt != "MPO":  # an animated WebP or PNG: copied, like a GIF
                return Probe(width, height, fmt, fault=ANIMATED)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image.draft("RGB", (max(1, image.size[0] // 8), max(1, image.size[1] // 8)))
            image.load()
    except Image.DecompressionBombError as error:
        return Probe(fault="image_bomb", detail=str(error))
    except Image.DecompressionBombWarning as error:
        return Probe(fault="image_bomb", detail=str(error))
    except UnidentifiedImageError:
        return Probe(fault="image_corrupt")
    except (OSError, SyntaxError, ValueError) as error:
        text = str(error)
        return Probe(fault="image_truncated" if "truncated" in text else "image_corrupt", detail=text)
    fmt = "JPEG" if fmt == "MPO" else fmt
    if RASTER.get(suffix) != fmt:
        return Probe(width, height, fmt, alpha, "image_wrong_type", fmt)
    return Probe(width, height, fmt, alpha)


def plan(source: str, found: Probe, settings: ImageSettings, key: str) -> Picture:
    """The variants of an image: every configured width below its own (itself when narrower), each format."""
    widths = sorted({w for w in settings.widths if w <= found.width})
    if not widths or widths[-1] < found.width < max(settings.widths):
        widths.append(found.width)
    fallback = "png" if found.format == "PNG" or found.alpha else "jpeg"
    formats = [f for f in dict.fromkeys(settings.formats) if f in FORMATS]
    stem, _ = posixpath.splitext(source)
    variants = []
    for fmt in (*formats, fallback):
        for width in widths:
            height = max(1, round(found.height * width / found.width))
            variants.append(Variant(f"{stem}-{width}.{key[:10]}.{_SUFFIX[fmt]}", width, height, fmt))
    top = variants[-1]
    return Picture(source, top.width, top.height, tuple(variants), fallback)


@dataclass
class ImageStage:
    """The image step of a :class:`~chaowen.build.Builder`: survey and encode, with their memos."""

    folder: Path | None  # the image cache; None: a temporary folder for this builder's life
    fresh: bool = False  # ignore what the cache holds (``build --clean``): every image is read and encoded again
    _stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # source -> mtime, size, digest
    _probes: dict[str, Probe] = field(default_factory=dict)  # bytes' digest -> probe
    _loaded: bool = False
    _scratch: Path | None = None
    encoded: int = 0  # images encoded by the last encode()

    @property
    def root(self) -> Path:
        if self.folder is not None:
            return self.folder
        if self._scratch is None:  # removed with this stage (or when the process ends)
            self._scratch = Path(tempfile.mkdtemp(prefix="chaowen-images-"))
            weakref.finalize(self, shutil.rmtree, self._scratch, ignore_errors=True)
        return self._scratch

    def survey(self, assets: Iterable[Asset], settings: ImageSettings) -> Survey:
        """Plan the pictures of the raster images among ``assets``; reads only images that changed."""
        self._load()
        code = _code_digest()
        settings_key = repr(settings)
        pictures: dict[str, Picture] = {}
        faults: list[Fault] = []
        files: dict[str, Path] = {}
        sources: dict[str, Path] = {}
        keys: dict[str, str] = {}
        stats: dict[str, tuple[int, int, str]] = {}
        for asset in assets:
            if not is_raster(asset.source):
                continue
            content = self._digest(asset, stats)
            if content is None:
                faults.append(Fault(asset.source, "image_unreadable", ""))
                continue
            suffix = posixpath.splitext(asset.source)[1].lower()
            found = self._probes.get(content + suffix)  # the same bytes under another extension: another probe
            if found is None:
                try:
                    data = asset.path.read_bytes()
                except OSError as error:
                    faults.append(Fault(asset.source, "image_unreadable", error.strerror or ""))
                    continue
                found = self._probes[content + suffix] = probe(data, suffix)
            if found.fault == ANIMATED:
                continue  # published as it is
            if found.fault and found.fault != "image_wrong_type":
                faults.append(Fault(asset.source, found.fault, found.detail))
                continue
            if found.fault:
                faults.append(Fault(asset.source, found.fault, found.detail, warning=True))
            key = hashlib.blake2b(f"{content}\0{settings_key}\0{code}".encode(), digest_size=16).hexdigest()
            picture = pictures[asset.source] = plan(asset.source, found, settings, key)
            sources[asset.source] = asset.path
            keys[asset.source] = key
            for variant in picture.variants:
                files[variant.path] = self.root / key / posixpath.basename(variant.path)
        self._stats = stats
        return Survey(pictures, tuple(faults), files, sources, keys)

    def _digest(self, asset: Asset, stats: dict[str, tuple[int, int, str]]) -> str | None:
        try:
            stat = asset.path.stat()
        except OSError:
            return None
        old = self._stats.get(asset.source)
        if old is not None and old[:2] == (stat.st_mtime_ns, stat.st_size):
            stats[asset.source] = old
            return old[2]
        hasher = hashlib.blake2b(digest_size=16)
        try:
            with asset.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    hasher.update(chunk)
        except OSError:
            return None
        stats[asset.source] = (stat.st_mtime_ns, stat.st_size, hasher.hexdigest())
        return stats[asset.source][2]

    def encode(self, survey: Survey, settings: ImageSettings, jobs: int | None) -> list[Fault]:
        """Make every variant file the cache lacks, ``jobs`` images at a time; the faults found decoding."""
        todo = []
        copied = 0
        for source, picture in survey.pictures.items():
            if self.fresh or not all(survey.files[v.path].is_file() for v in picture.variants):
                folder = survey.files[picture.variants[0].path].parent
                if not self.fresh and _copy_made(survey.keys[source], folder, picture):
                    copied += 1
                    continue
                todo.append(_Job(source, str(survey.sources[source]), str(folder), picture, settings.quality))
        self.encoded = len(todo) + copied
        workers = min(len(todo), jobs if jobs is not None else (os.cpu_count() or 1))
        if workers <= 1:
            results = list(map(_encode, todo))
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                results = list(pool.map(_encode, todo))
        self.fresh = False  # made anew once; the next build of this builder may use them
        for job, (key, _) in zip(todo, results, strict=True):
            if not key:
                _remember_made(survey.keys[job.source], Path(job.folder), job.picture)
        return [Fault(job.source, key, detail) for job, (key, detail) in zip(todo, results, strict=True) if key]

    # ---------------------------------------------------------------- the memo on disk
    def _load(self) -> None:
        if self._loaded or self.folder is None:
            return
        self._loaded = True
        if self.fresh:
            return
        try:
            data = orjson.loads((self.folder / _INDEX).read_bytes())
            if data.get("code") != _code_digest():
                return
            self._stats = {k: (int(v[0]), int(v[1]), str(v[2])) for k, v in data["stats"].items()}
            self._probes = {k: Probe(**v) for k, v in data["probes"].items()}
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, IndexError, AttributeError):
            self._stats, self._probes = {}, {}

    def save(self, survey: Survey) -> None:
        """Keep the memo, and only the variant folders of the pictures in ``survey``."""
        if self.folder is None:
            return
        live = {survey.keys[s] for s in survey.pictures}
        digests = {v[2] for v in self._stats.values()}
        probes = {k: _probe_json(v) for k, v in self._probes.items() if k.split(".", 1)[0] in digests}
        data = {"code": _code_digest(), "stats": self._stats, "probes": probes}
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.folder / _INDEX, orjson.dumps(data))
        for child in self.folder.iterdir():
            if child.is_dir() and len(child.name) == 32 and child.name not in live:
                for file in child.iterdir():
                    file.unlink()
                child.rmdir()


def _probe_json(found: Probe) -> dict[str, Any]:
    return {name: getattr(found, name) for name in Probe.__slots__}


def _write_atomic(path: Path, data: bytes) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(data)
    os.replace(scratch, path)


# Variant files made in this process, by picture key (a digest of the image's bytes, the settings and this
# code): another site folder with the same photo (the dev server's preview, a copy of the example journal)
# gets them written without decoding and encoding the photo again. Bounded; the oldest go first.
_MADE: dict[str, dict[str, bytes]] = {}
_MADE_LIMIT = 48 * 1024 * 1024


def _copy_made(key: str, folder: Path, picture: Picture) -> bool:
    made = _MADE.get(key)
    names = [posixpath.basename(v.path) for v in picture.variants]
    if made is None or not all(name in made for name in names):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        _write_atomic(folder / name, made[name])
    return True


def _remember_made(key: str, folder: Path, picture: Picture) -> None:
    try:
        made = {
            posixpath.basename(v.path): (folder / posixpath.basename(v.path)).read_bytes() for v in picture.variants
        }
    except OSError:
        return
    _MADE[key] = made
    while len(_MADE) > 1 and sum(len(b) for files in _MADE.values() for b in files.values()) > _MADE_LIMIT:
        del _MADE[next(iter(_MADE))]


# --------------------------------------------------------------------------- encoding (in a worker)
@dataclass(frozen=True, slots=True)
class _Job:
    source: str
    path: str
    folder: str
    picture: Picture
    quality: int


def _encode(job: _Job) -> tuple[str, str]:
    """Write the variants of one image; ("", "") or the fault's key and detail."""
    try:
        with _strict():
            image, icc = _upright(Path(job.path), job.picture)
            folder = Path(job.folder)
            folder.mkdir(parents=True, exist_ok=True)
            # each size made once for every format, largest first, each from the one before (a third of the work)
            sized: dict[tuple[int, int], Image.Image] = {}
            for size in sorted({(v.width, v.height) for v in job.picture.variants}, reverse=True):
                source = image if not sized else sized[min(sized)]
                if source.size != size:
                    source = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
                sized[size] = source
                sized[size].info.clear()  # no EXIF, XMP or comments reach the encoder
            for variant in job.picture.variants:
                out = sized[(variant.width, variant.height)]
                target = folder / posixpath.basename(variant.path)
                _write_atomic(target, _save(out, variant.format, job.quality, icc))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        return "image_bomb", str(error)
    except UnidentifiedImageError:
        return "image_corrupt", ""
    except (OSError, SyntaxError, ValueError) as error:
        text = str(error)
        return ("image_truncated" if "truncated" in text else "image_corrupt"), text
    return "", ""


def _upright(path: Path, picture: Picture) -> tuple[Image.Image, bytes | None]:
    """The image decoded at the smallest scale the largest variant allows, upright, in RGB(A) or L."""
    with Image.open(path) as opened:
        width, height = picture.width, picture.height
        if opened.getexif().get(_ORIENTATION, 1) in _ROTATED:
            width, height = height, width
        opened.draft(opened.mode if opened.mode in ("RGB", "L", "CMYK") else None, (width, height))
        icc = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
    if image.mode == "CMYK":
        image, icc = _cmyk_to_rgb(image, icc), None
    elif image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode in ("RGBA", "LA", "PA", "P", "1") or "transparency" in image.info:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if picture.fallback == "jpeg" and image.mode == "RGBA":
        image = image.convert("RGB")
    return image, icc if isinstance(icc, bytes) else None


def _cmyk_to_rgb(image: Image.Image, icc: object) -> Image.Image:
    """CMYK as a browser shows it: through the image's own profile to sRGB when it has one."""
    if isinstance(icc, bytes):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the plain conversion below
    return image.convert("RGB")


def _save(image: Image.Image, fmt: str, quality: int, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if fmt == "jpeg":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True, **extra)
    elif fmt == "png":
        image.save(buffer, "PNG", optimize=True, **extra)
    elif fmt == "webp":
        lossless = image.mode == "RGBA" or image.mode == "L" and quality >= 100
        image.save(buffer, "WEBP", quality=quality, method=4, lossless=lossless, **extra)
    else:
        image.save(buffer, "AVIF", quality=quality, speed=8, **extra)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the site and its problems
def publish(site: Site, survey: Survey, settings: ImageSettings) -> Site:
    """The site with its pictures: links to an image lead to its largest variant, the variants are its files.

    A raster image with a fault stays an ordinary asset (copied as it is) so that its
    problem, not a missing file, is what the editor reads.
    """
    if not survey.pictures:
        return site
    urls = dict(site.urls)
    assets = [a for a in site.assets if a.source not in survey.pictures or settings.keep_originals]
    for source, picture in survey.pictures.items():
        urls[source] = picture.main.path
        assets.extend(Asset(v.path, survey.files[v.path]) for v in picture.variants)
    return replace(site, urls=urls, assets=tuple(assets), images=survey.pictures)


def uses(site: Site, links: Mapping[str, Iterable[str]]) -> dict[str, list[tuple[Document, int | None]]]:
    """Image source -> the documents that show it (in their Markdown, or as a front-matter image) and the line."""
    found: dict[str, list[tuple[Document, int | None]]] = {}
    for source, document in sorted(site.documents.items()):
        for name, value in document.more.items():
            if isinstance(value, str) and is_raster(value):
                found.setdefault(value, []).append((document, document.field_lines.get(name)))
        for target in links.get(source, ()):
            if is_raster(target):
                found.setdefault(target, []).append((document, None))
    return found


def problems(
    faults: Iterable[Fault], used: Mapping[str, list[tuple[Document, int | None]]], *, unused: bool = False
) -> list[Problem]:
    """A problem for each fault of an image a document uses, naming the document (and the line) and the image.

    An image no document uses is copied as it is, so its fault is no problem, unless ``unused``
    (a fault found while encoding: the image's files cannot be made): then it names the image.
    """
    result: list[Problem] = []
    for fault in faults:
        severity = Severity.WARNING if fault.warning else Severity.ERROR
        message = say(fault.key, image=f"content/{fault.source}", detail=fault.detail)
        hint = say(f"{fault.key}_hint", image=posixpath.basename(fault.source), detail=fault.detail)
        users = used.get(fault.source, [])
        if not users and unused:
            result.append(Problem(f"content/{fault.source}", None, message, hint, severity))
        for document, line in users:
            result.append(Problem(f"content/{document.source}", line, message, hint, severity))
    return result
