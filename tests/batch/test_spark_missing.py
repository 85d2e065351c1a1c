"""Without PySpark, --engine spark says how to install it (no Spark needed to run this test)."""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from service.cli import app


def test_engine_spark_without_pyspark_prints_how_to_install_it(complaints_jsonl, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    result = CliRunner().invoke(
        app, ["batch", str(complaints_jsonl), str(tmp_path / "out.csv"), "--engine", "spark", "--no-progress"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --engine spark needs PySpark: pip install 'casework-nlp[spark]' "
        "(in this repository: .venv/bin/pip install -e '.[spark]')"
    ]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.csv").exists()
