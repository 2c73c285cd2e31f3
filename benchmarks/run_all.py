"""Run every benchmark in turn (``make bench``)."""

from __future__ import annotations

from benchmarks import pipeline_timing


def main() -> None:
    pipeline_timing.main()


if __name__ == "__main__":
    main()
