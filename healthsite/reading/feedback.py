"""Reader feedback: the "Report a problem with this page" link and the optional "Was this page helpful?" links,
plain links to a mailto: address or a form (no script: nothing is sent until the reader clicks and sends)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from healthsite.reading.typed import field


def _target(value: str) -> str | None:
    """Check a feedback target: a mailto: address or an https:// URL."""
    parts = urlsplit(value)
    if parts.scheme == "mailto" and "@" in parts.path:
        return None
    if parts.scheme == "https" and parts.netloc:
        return None
    return f"must be a mailto: address or an https:// form URL, not '{value}'"


@dataclass(frozen=True)
class Feedback:
    """Where readers can tell the publisher about a page."""

    report: str = field("where \"Report a problem with this page\" leads on every article: a mailto: address or an "
                        "https:// form URL (the page's address and title are filled in); empty: no link", "",
                        lambda value: _target(value) if value else None)
    helpful: bool = field("also ask \"Was this page helpful?\" with two plain links (Yes, No) to the same target, "
                          "the answer filled in", False)


@dataclass(frozen=True)
class Links:
    """The feedback links of one article: report, and yes and no (empty when not asked)."""

    report: str
    yes: str = ""
    no: str = ""


def links(feedback: Feedback, url: str, title: str, catalog: gettext.NullTranslations) -> Links | None:
    """An article's feedback links, or None when site.yaml sets no target."""
    if not feedback.report:
        return None
    _ = catalog.gettext
    report = _link(feedback.report, url, title, _("Problem with page: %(title)s") % {"title": title},
                   _("What is wrong or unclear on this page?"), "")
    if not feedback.helpful:
        return Links(report)
    yes, no = (_link(feedback.report, url, title, _("Was this page helpful? %(answer)s: %(title)s")
                     % {"answer": answer, "title": title}, "", value)
               for answer, value in ((_("Yes"), "yes"), (_("No"), "no")))
    return Links(report, yes, no)


def _link(target: str, url: str, title: str, subject: str, prompt: str, answer: str) -> str:
    """A link to the target with the page filled in: a message's subject and body, or a form's query."""
    joiner = "&" if "?" in target else "?"
    if target.startswith("mailto:"):
        body = f"{url}\n\n{prompt}\n" if prompt else url
        return f"{target}{joiner}subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    query = {"page": url, "title": title, **({"helpful": answer} if answer else {})}
    return f"{target}{joiner}{urlencode(query)}"
