"""Tables: header scopes, column labels for narrow screens, an optional `Table: caption` paragraph, a box."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.i18n import TABLE
from healthsite.mdext.state import Hooked

CAPTION = "Table:"
# Narrow screens stack each row into a block, which takes a table's built-in semantics away in some browsers:
# explicit roles keep it a table for screen readers whatever the CSS does.
ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tr": "row", "th": "columnheader",
         "td": "cell"}


class TableProcessor(Hooked, Treeprocessor):
    """Gives each table header scopes, roles, column labels on its cells, its caption and a focusable box."""

    def run(self, root: etree.Element) -> None:
        """Process every table of the page in document order."""
        parents = {child: parent for parent in root.iter() for child in parent}
        for number, table in enumerate(list(root.iter("table")), start=1):
            self.scope_headers(table)
            self.label_cells(table)
            self.wrap(table, parents[table], number)

    def scope_headers(self, table: etree.Element) -> None:
        """Header cells name their columns; alignment becomes a class, not an inline style."""
        for cell in table.iter():
            if cell.tag == "th":
                cell.set("scope", "col")
            style = cell.attrib.pop("style", "")
            if style.startswith("text-align:"):
                cell.set("class", f"align-{style.split(':', 1)[1].strip().rstrip(';')}")

    def label_cells(self, table: etree.Element) -> None:
        """Every element gets its explicit role; each body cell gets its column's header text as `data-label`."""
        for element in table.iter():
            if element.tag in ROLES:
                element.set("role", ROLES[element.tag])
        header = table.find("thead/tr")
        labels = ["".join(cell.itertext()).strip() for cell in header] if header is not None else []
        for row in table.iterfind("tbody/tr"):
            for cell, label in zip(row, labels):
                if label:
                    cell.set("data-label", label)

    def wrap(self, table: etree.Element, parent: etree.Element, number: int) -> None:
        """Move a following `Table:` paragraph into a caption and box the table."""
        index = list(parent).index(table)
        box = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0"})
        following = parent[index + 1] if index + 1 < len(parent) else None
        if following is not None and following.tag == "p" and (following.text or "").startswith(CAPTION):
            caption = etree.Element("caption", {"id": f"table-{number}"})
            caption.text = following.text[len(CAPTION):].strip()
            caption.extend(list(following))
            table.insert(0, caption)
            parent.remove(following)
            box.set("aria-labelledby", f"table-{number}")
        else:
            label = self.extension.state.ask(self.extension.refs, "text", TABLE)
            box.set("aria-label", label % {"number": number})
        parent.remove(table)
        box.append(table)
        parent.insert(index, box)
