"""Anonymise whole files: plain text, or Word documents paragraph by paragraph (tables included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.redaction.engine import RedactionEngine, RedactionOptions

SUPPORTED = (".txt", ".docx")


class DocumentError(ValueError):
    """The file cannot be anonymised: unsupported type, unreadable, or not valid for its extension."""


def anonymise_file(
    engine: RedactionEngine, source: Path, target: Path, options: RedactionOptions
) -> list[dict[str, Any]]:
    """Write the anonymised ``source`` to ``target`` (same format) and return every replacement made.

    For .docx each span carries the index of its paragraph; a paragraph's formatting is kept from its first run.
    """
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"unsupported file type {suffix or '(none)'}: use .txt or .docx")
    if target.suffix.lower() != suffix:
        raise DocumentError(f"the output must also be {suffix}")
    if suffix == ".txt":
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise DocumentError(f"cannot read {source.name} as UTF-8 text") from error
        result = engine.redact(text, options)
        target.write_text(result.text, encoding="utf-8")
        return [span.to_dict() for span in result.spans]
    return _anonymise_docx(engine, source, target, options)


def _anonymise_docx(
    engine: RedactionEngine, source: Path, target: Path, options: RedactionOptions
) -> list[dict[str, Any]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(source))
    except (PackageNotFoundError, OSError, KeyError, ValueError) as error:
        raise DocumentError(f"{source.name} is not a readable .docx file") from error
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    results = engine.redact_many([paragraph.text for paragraph in paragraphs], options)
    spans: list[dict[str, Any]] = []
    for index, (paragraph, result) in enumerate(zip(paragraphs, results, strict=True)):
        if not result.spans:
            continue
        runs = paragraph.runs
        if runs:
            runs[0].text = result.text
            for run in runs[1:]:
                run.text = ""
        spans += [{"paragraph": index, **span.to_dict()} for span in result.spans]
    document.save(str(target))
    return spans
