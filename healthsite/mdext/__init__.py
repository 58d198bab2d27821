"""Health Markdown: Python-Markdown extensions for cross-links, care cards, citations, FAQ, tables and images."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from healthsite.mdext.carecards import CareCardProcessor
from healthsite.mdext.citations import CitationProcessor
from healthsite.mdext.claims import ClaimingAttrList, RawHtmlClaims
from healthsite.mdext.crosslinks import CrossLinkProcessor
from healthsite.mdext.facts import FactProcessor
from healthsite.mdext.faq import FaqProcessor
from healthsite.mdext.images import ImageProcessor
from healthsite.mdext.mentions import MentionProcessor
from healthsite.mdext.outline import OutlineProcessor
from healthsite.mdext.rules import RuleProcessor
from healthsite.mdext.shared import CareCardUseProcessor
from healthsite.mdext.sanitize import sanitize
from healthsite.mdext.state import CareCardFact, Link, Mention, PageState, Refs, CareCard, text_of
from healthsite.mdext.tables import TableProcessor

__all__ = ["CareCardFact", "HealthExtension", "Link", "Mention", "PageState", "Refs", "CareCard", "sanitize", "text_of"]


class HealthExtension(Extension):
    """Registers every health addition; holds the site's references and the current page's state."""

    def __init__(self, refs: Refs) -> None:
        super().__init__()
        self.refs = refs
        self.state = PageState()

    def extendMarkdown(self, md: Markdown) -> None:
        """Hook the processors into Python-Markdown's pipeline."""
        md.registerExtension(self)
        md.preprocessors.register(CareCardUseProcessor(md, self), "sharedcards", 25)
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
