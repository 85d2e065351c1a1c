"""``casework batch --engine spark`` as a spark-submit application (master and resources from spark-submit).

spark-submit [spark options] service/batch/spark_submit.py INPUT OUTPUT [casework batch options]
"""

from __future__ import annotations

import sys


def main(arguments: list[str] | None = None) -> None:
    """Run ``casework batch ARGUMENTS --engine spark`` in the session spark-submit set up."""
    from service.cli import app

    app(
        ["batch", *(sys.argv[1:] if arguments is None else arguments), "--engine", "spark"],
        prog_name="casework",
    )


if __name__ == "__main__":
    main()
