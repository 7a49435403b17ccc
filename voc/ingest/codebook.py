"""A researcher's codebook to start the themes from: a REFI-QDA codebook (`.qdc`), project
(`.qdpx`, each code's coded texts its examples) or a CSV with a `name` column and optional
`description` and `example` columns."""

from __future__ import annotations

from pathlib import Path

from voc.core.errors import VocError
from voc.ingest.qda import Code, read_qda

NAME_COLUMNS = ("name", "code", "theme", "label")


DESCRIPTION_COLUMNS = ("description", "definition", "memo")


EXAMPLE_COLUMNS = ("example", "examples", "quote")


def read_codebook(path: Path) -> list[Code]:
    """The codes of a REFI-QDA codebook (`.qdc`), project (`.qdpx`, with each code's coded
    texts as examples) or a CSV with a `name` column and optional `description` and
    `example` columns."""
    path = Path(path)
    if not path.is_file():
        raise VocError(f"Codebook {path} does not exist. Give a .qdc, .qdpx or .csv file.")
    suffix = path.suffix.lower()
    if suffix in (".qdc", ".qdpx"):
        codes = read_qda(path).codes
    elif suffix == ".csv":
        codes = read_csv_codebook(path)
    else:
        raise VocError(
            f"Codebook {path} is neither .qdc, .qdpx nor .csv. Export the codebook from your QDA "
            "tool as REFI-QDA, or write a CSV with a `name` column."
        )
    named: dict[str, Code] = {}
    for code in codes:
        name = code.name.strip()
        if not name:
            continue
        if name in named:  # the same code twice (e.g. under two groups): one theme
            named[name].examples += code.examples
            named[name].description = named[name].description or code.description
        else:
            named[name] = Code(name, code.description.strip(), list(code.examples))
    if not named:
        raise VocError(f"Codebook {path} holds no named codes. Add at least one code.")
    return list(named.values())


def read_csv_codebook(path: Path) -> list[Code]:
    import pandas as pd

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise VocError(f"Cannot read codebook {path} ({err}). Save it as UTF-8 CSV.") from None
    columns = {c.strip().lower(): c for c in table.columns}

    def column(names: tuple[str, ...]) -> str | None:
        return next((columns[n] for n in names if n in columns), None)

    name = column(NAME_COLUMNS)
    if name is None:
        raise VocError(
            f"Codebook {path} has columns {', '.join(map(str, table.columns)) or 'none'}; it "
            "needs a `name` column (and optionally `description` and `example`)."
        )
    description, example = column(DESCRIPTION_COLUMNS), column(EXAMPLE_COLUMNS)
    return [
        Code(
            row[name],
            row[description] if description else "",
            [row[example]] if example and row[example].strip() else [],
        )
        for _, row in table.iterrows()
    ]
