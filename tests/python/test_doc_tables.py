"""The generated Markdown tables keep their columns: a `|` inside a cell (choices such as
"land | sea | air") is escaped, so no row is cut or spills into extra columns."""
import re

import pytest

from conftest import ROOT


@pytest.mark.parametrize("doc", ["scenario-reference.md", "output-format.md"])
def test_every_table_row_has_the_columns_of_its_header(doc):
    columns = None
    for number, line in enumerate((ROOT / "docs" / doc).read_text().splitlines(), 1):
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line)) - 1
        if columns is None:
            columns = cells  # the header of a new table
        assert cells == columns, f"{doc}:{number}: {cells} cells where the header has {columns}"
