"""Health Markdown: Python-Markdown extensions for cross-links, care cards, citations, FAQ, tables and images."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from .carecards import CareCardProcessor
from .citations import CitationProcessor
from .claims import ClaimingAttrList, RawHtmlClaims
from .crosslinks import CrossLinkProcessor
from .facts import FactProcessor
from .faq import FaqProcessor
from .images import ImageProcessor
from .mentions import MentionProcessor
from .outline import OutlineProcessor
from .rules import RuleProcessor
from .shared import SharedCardProcessor
from .sanitize import sanitize
from .state import CardFact, Link, Mention, PageState, Refs, SharedCard, text_of
from .tables import TableProcessor

__all__ = ["CardFact", "HealthExtension", "Link", "Mention", "PageState", "Refs", "SharedCard", "sanitize", "text_of"]


class HealthExtension(Extension):
    """Registers every health addition; holds the site's references and the current page's state."""

    def __init__(self, refs: Refs) -> None:
        super().__init__()
        self.refs = refs
        self.state = PageState()

    def extendMarkdown(self, md: Markdown) -> None:
        """Hook the processors into Python-Markdown's pipeline."""
        md.registerExtension(self)
        md.preprocessors.register(SharedCardProcessor(md, self), "sharedcards", 25)
        md.inlinePatterns.register(CitationProcessor(self), "citation", 176)
        md.inlinePatterns.register(FactProcessor(self), "fact", 177)
        md.treeprocessors.register(CrossLinkProcessor(md, self), "crosslinks", 15)
        md.treeprocessors.register(CareCardProcessor(md, self), "carecards", 14)
        md.treeprocessors.register(TableProcessor(md, self), "tables", 13)
        md.treeprocessors.register(ImageProcessor(md, self), "images", 6)  # after attr_list (8)
        md.treeprocessors.register(FaqProcessor(md, self), "faq", 4)
        md.treeprocessors.register(OutlineProcessor(md, self), "outline", 3)
        md.treeprocessors.register(ClaimingAttrList(md, self), "attr_list", 8)  # replaces Python-Markdown's own
        md.treeprocessors.register(RawHtmlClaims(md, self), "claims", 2)
        md.treeprocessors.register(MentionProcessor(md, self), "mentions", 1)
        md.treeprocessors.register(RuleProcessor(md, self), "rules", 0)

    def reset(self) -> None:
        """Forget the previous page."""
        self.state = PageState()
