"""casework classify and anonymise, from an argument, a file or standard input."""

from __future__ import annotations

import json

import docx


def test_classify_takes_text_as_an_argument_a_file_or_stdin(runner, cli_app, tmp_path):
    text = "My PIP assessment was a joke and the mandatory reconsideration took four months."
    from_argument = json.loads(runner.invoke(cli_app, ["classify", text]).stdout)
    (tmp_path / "c.txt").write_text(text, encoding="utf-8")
    from_file = json.loads(runner.invoke(cli_app, ["classify", "--file", str(tmp_path / "c.txt")]).stdout)
    from_stdin = json.loads(runner.invoke(cli_app, ["classify"], input=text).stdout)
    assert from_argument == from_file == from_stdin
    assert from_argument["sector"]["label"] == "benefits_pensions" and from_argument["model_version"]


def test_classify_refuses_empty_text(runner, cli_app):
    result = runner.invoke(cli_app, ["classify", "   "])
    assert result.exit_code == 2 and "empty" in result.stderr


def test_anonymise_a_text_file_writes_the_same_format_and_a_span_report(runner, cli_app, tmp_path):
    source = tmp_path / "letter.txt"
    source.write_text("Mrs Jane Smith rang 07700 900123 on 3 March 2023.", encoding="utf-8")
    result = runner.invoke(cli_app, ["anonymise", str(source)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "letter.anonymised.txt").read_text(
        encoding="utf-8"
    ) == "Mrs A rang [PHONE] on 3 March 2023."
    report = json.loads((tmp_path / "letter.anonymised.txt.spans.json").read_text(encoding="utf-8"))
    assert [span["type"] for span in report["spans"]] == ["PERSON", "PHONE_NUMBER"] and report["engine"]


def test_anonymise_a_word_document_keeps_paragraphs_and_tables(runner, cli_app, tmp_path):
    document = docx.Document()
    document.add_paragraph("Decision on the complaint of Mrs Jane Smith")
    document.add_paragraph("The Trust accepted the findings on 3 March 2023.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Phone"
    table.cell(0, 1).text = "07700 900123"
    source = tmp_path / "decision.docx"
    document.save(str(source))
    output = tmp_path / "published.docx"
    result = runner.invoke(cli_app, ["anonymise", str(source), "--output", str(output)])
    assert result.exit_code == 0, result.output
    published = docx.Document(str(output))
    paragraphs = [p.text for p in published.paragraphs]
    assert paragraphs == [
        "Decision on the complaint of Mrs A",
        "The Trust accepted the findings on 3 March 2023.",
    ]
    assert published.tables[0].cell(0, 1).text == "[PHONE]"


def test_anonymise_refuses_other_file_types(runner, cli_app, tmp_path):
    source = tmp_path / "x.pdf"
    source.write_bytes(b"%PDF-1.4")
    result = runner.invoke(cli_app, ["anonymise", str(source)])
    assert result.exit_code == 2 and ".txt or .docx" in result.stderr
