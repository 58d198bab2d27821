"""What a build reads, found and digested without loading the renderers: for the nothing-changed shortcut."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .config import SiteConfig
from .content import SourceFile, read_articles
from .digests import digest, engine_digest
from .options import Options

LOCALES = Path(__file__).parent / "locale"
IMAGES, CARDS = "images", "care"  # content/images/ and content/care/ (content/CODE/care/ for a translation)


def theme_files(root: Path) -> list[Path]:
    """Every file of the theme (templates and static files), in a stable order."""
    return sorted(p for folder in ("templates", "static") for p in (root / folder).rglob("*") if p.is_file())


def image_files(root: Path) -> list[Path]:
    """Every file under content/images/, in a stable order."""
    folder = root / "content" / IMAGES
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def card_files(content_dir: Path) -> list[Path]:
    """The shared card files of a content folder, in name order."""
    return sorted(p for p in (content_dir / CARDS).glob("*.md") if p.is_file())


def read_editions(root: Path, config: SiteConfig) -> dict[str, list[SourceFile]]:
    """The article files of every edition: content/*.md for the default language, content/CODE/*.md for each
    translation."""
    return {code: read_articles(root / "content" / code, root) for code in ("", *config.languages)}


def input_digest(root: Path, config: SiteConfig, options: Options, out: Path, articles: list[SourceFile]) -> str:
    """One digest of everything a build reads, for the nothing-changed shortcut."""
    return digest(*input_parts(root, config, options, out, articles))


def input_parts(root: Path, config: SiteConfig, options: Options, out: Path,
                articles: list[SourceFile]) -> list[str | bytes]:
    """Everything a build reads (names and bytes), as the parts of its input digest."""
    theme = theme_files(root) + image_files(root)
    extra = [p for p in (root / config.bibliography, options.config.resolve()) if p.exists()] + \
        [p for code in ("", *config.languages) for p in card_files(root / "content" / code)] + \
        sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))
    return [engine_digest(), repr((options.drafts, str(out), options.search_index)), dt.date.today().isoformat(),
            os.environ.get("SOURCE_DATE_EPOCH", ""), *(f.shown for f in articles),
            *(f.data for f in articles), *(str(p) for p in theme + extra),
            *(p.read_bytes() for p in theme + extra)]
