"""One Spark session (master local[2]) shared by every Spark test; its scratch space stays in pytest's temp."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A local[2] session with few shuffle partitions, stopped at the end of the run."""
    pytest.importorskip("pyspark")
    from service.batch.spark_job import start_session

    scratch = tmp_path_factory.mktemp("spark")
    session = start_session(
        "local[2]",
        {
            "spark.sql.shuffle.partitions": "4",
            "spark.local.dir": str(scratch / "local"),
            "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        },
    )
    yield session
    session.stop()


from tests.cli.conftest import complaints_jsonl  # noqa: E402, F401  (the same small input as the CLI tests)
