"""What a build reads, found and digested without loading the renderers: for the nothing-changed shortcut."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Mapping

from healthsite.reading import themefiles
from healthsite.reading.config import SiteConfig
from healthsite.reading.sourcefiles import SourceFile, Stat, read_articles
from healthsite.reading.digests import digest, engine_digest
from healthsite.reading.options import Options
from healthsite.reading.safeio import read_regular

WORDS_FILE = "content/words.txt"  # the site's own words for the spelling check (spelling.py)

IMAGES, CARE_CARDS = "images", "care"  # content/images/ and content/care/ (content/CODE/care/ for a translation)


def theme_files(root: Path) -> list[tuple[str, Path]]:
    """Every file of the theme (the site's templates and static files, then the packaged theme's), labelled."""
    return themefiles.all_files(root)


def image_files(root: Path) -> list[Path]:
    """Every file under content/images/, in a stable order."""
    folder = root / "content" / IMAGES
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def care_card_files(content_dir: Path) -> list[Path]:
    """The shared care card files of a content folder, in name order."""
    return sorted(p for p in (content_dir / CARE_CARDS).glob("*.md") if p.is_file())


def side_files(content_dir: Path) -> list[Path]:
    """The people and policy pages of a content folder (content/people/, content/pages/), in name order."""
    return sorted(p for folder in ("people", "pages") for p in (content_dir / folder).glob("*.md") if p.is_file())


def read_editions(root: Path, config: SiteConfig, known: Mapping[str, tuple[Stat, str]] | None = None,
                  since: int = 0) -> dict[str, list[SourceFile]]:
    """The article files of every edition: content/*.md for the default language, content/CODE/*.md for each
    translation; a file whose stat `known` recorded keeps its digest unread (see `sourcefiles.read_articles`)."""
    return {code: read_articles(root / "content" / code, root, known, since) for code in ("", *config.languages)}


def input_digest(root: Path, config: SiteConfig, options: Options, out: Path, articles: list[SourceFile]) -> str:
    """One digest of everything a build reads, for the nothing-changed shortcut."""
    return digest(*input_parts(root, config, options, out, articles))


def input_parts(root: Path, config: SiteConfig, options: Options, out: Path,
                articles: list[SourceFile]) -> list[str | bytes]:
    """Everything a build reads (names and bytes), as the parts of its input digest."""
    theme = theme_files(root)
    extra = image_files(root) + [p for p in (root / config.bibliography, options.config.resolve(), root / WORDS_FILE)
                                 if p.exists()] + \
        [p for code in ("", *config.languages) for p in care_card_files(root / "content" / code)] + \
        [p for code in ("", *config.languages) for p in side_files(root / "content" / code)] + \
        sorted(themefiles.LOCALES.glob("*/LC_MESSAGES/*.po"))
    return [engine_digest(), repr((options.drafts, str(out), options.search_index)), dt.date.today().isoformat(),
            os.environ.get("SOURCE_DATE_EPOCH", ""), *(f.shown for f in articles),
            *(f.digest for f in articles), *(label for label, _ in theme), *(str(p) for p in extra),
            *(_bytes(path) for _, path in theme), *(_bytes(p) for p in extra)]


def _bytes(path: Path) -> bytes:
    """A file's bytes for the digest; a pipe, device, folder or hard link is never read (the build reports it)."""
    try:
        return read_regular(path, follow=True)
    except OSError as exc:
        return f"\0unreadable: {exc}".encode()
