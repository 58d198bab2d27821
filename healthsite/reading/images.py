"""Article images: the files of content/images/, checked, measured and named as they are published."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import PIL
from PIL import Image as PilImage

from healthsite.reading.digests import digest
from healthsite.reading.inputs import IMAGES, image_files
from healthsite.problems import Problem, error, shown_path
from healthsite.reading.svg import check_svg

FOLDER = IMAGES
WIDTHS = (480, 800, 1200)
KINDS = {".svg": "svg", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
# Everything that decides a raster variant's bytes besides the source: a change here renames every variant.
MAX_PIXELS = 40_000_000  # an image may have at most 40 megapixels: decoding more could exhaust a worker's memory
MAX_SIDE = 16_383  # WebP's largest side, in pixels
MAX_WIDTH_HINT = "2,000"
ENCODING = f"pillow={PIL.__version__};lanczos;png:6;jpeg:q82,optimize;webp:q80,m4;exif-upright:jpeg"
TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


@dataclass(frozen=True)
class Image:
    """One image file: its name as articles write it (`images/x.png`), kind, fingerprint and intrinsic size."""

    name: str
    kind: str
    digest: str
    width: int
    height: int

    def widths(self) -> tuple[int, ...]:
        """The widths it is published at: the standard widths below its own, then its own (capped, never upscaled)."""
        if self.kind == "svg":
            return (self.width,)
        return tuple(w for w in WIDTHS if w < min(self.width, WIDTHS[-1])) + (min(self.width, WIDTHS[-1]),)

    def height_at(self, width: int) -> int:
        """Its height when scaled to a width."""
        return max(1, round(self.height * width / self.width))

    def file(self, width: int = 0, kind: str = "") -> str:
        """The published path of one variant: `images/x.<hash>.svg`, `images/x.<hash>-800.webp`."""
        pure = PurePosixPath(self.name)
        stem = f"{pure.with_suffix('')}.{self.digest[:10]}"
        if self.kind == "svg":
            return f"{stem}.svg"
        suffix = {"jpeg": "jpg"}.get(kind or self.kind, kind or self.kind)
        return f"{stem}-{width or self.widths()[-1]}.{suffix}"

    def variants(self) -> list[tuple[str, int, str]]:
        """(published path, width, kind) of every file published for it: WebP and the original format."""
        if self.kind == "svg":
            return [(self.file(), self.width, "svg")]
        return [(self.file(w, k), w, k) for k in (self.kind, "webp") for w in self.widths()]


def scan(root: Path) -> tuple[dict[str, Image], list[Problem]]:
    """Every usable image of content/images/ by the name articles use, and the problems of any file there."""
    folder = (root / "content").resolve()
    images: dict[str, Image] = {}
    problems: list[Problem] = []
    for path in image_files(root):
        shown = shown_path(path, root)
        kind = KINDS.get(path.suffix.lower())
        if kind is None or path.name.startswith("."):
            continue
        if not path.resolve().is_relative_to(folder):
            problems.append(error(shown, 1, "image is a link to a file outside content/; copy the file here"))
            continue
        image, found = measure(path.read_bytes(), kind, path.relative_to(folder).as_posix(), shown)
        problems += found
        if image:
            images[image.name] = image
    return images, problems


def oversized(width: int, height: int) -> str | None:
    """Why an image is too large to publish, from its header's size (before anything is decoded), or None."""
    if width * height > MAX_PIXELS:
        return (f"the image is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} megapixels), over the limit "
                f"of {MAX_PIXELS // 1_000_000} megapixels: save it smaller (an article needs at most {MAX_WIDTH_HINT} "
                "pixels across)")
    if max(width, height) > MAX_SIDE:
        return (f"the image is {width:,} x {height:,} pixels: a side over {MAX_SIDE:,} pixels cannot be published "
                "as WebP; crop or scale it")
    return None


def whole(picture: PilImage.Image, data: bytes) -> None:
    """Raise if a PNG or JPEG file is cut short (checked without decoding its pixels): PNG chunks are read to
    their end with their checksums, a JPEG must end with its end-of-image marker."""
    if picture.format == "PNG":
        picture.verify()
    elif picture.format == "JPEG" and b"\xff\xd9" not in data[-4096:]:
        raise OSError("the file is cut short (no end-of-image marker)")


def measure(data: bytes, kind: str, name: str, shown: str) -> tuple[Image | None, list[Problem]]:
    """One image from its bytes: its size, or why it cannot be published."""
    if kind == "svg":
        size, problems = check_svg(data, shown)
        return (Image(name, kind, digest(data)[:16], *size) if size else None), problems
    try:
        with PilImage.open(io.BytesIO(data)) as picture:  # reads the header only
            found, (width, height) = (picture.format or "").lower(), picture.size
            if (too_big := oversized(width, height)) is not None:
                return None, [error(shown, 1, too_big)]
            turned = kind == "jpeg" and picture.getexif().get(0x0112) in TURNED  # PNG: reading EXIF decodes it all
            whole(picture, data)
    except (OSError, ValueError, SyntaxError, EOFError, PilImage.DecompressionBombError) as exc:
        return None, [error(shown, 1, f"cannot read the image ({exc}); save it again as PNG or JPEG")]
    if found != kind:
        return None, [error(shown, 1, f"the file is {found.upper() or 'not an image'} but its name says "
                                      f"{kind.upper()}; give it the right extension")]
    size = (height, width) if turned else (width, height)
    return Image(name, kind, digest(data, ENCODING)[:16], *size), []
