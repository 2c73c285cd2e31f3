"""Run every benchmark in turn (``make bench``)."""

from __future__ import annotations

from benchmarks import asr as asr_bench
from benchmarks import checks as checks_bench
from benchmarks import drafting, governance, letters, pii, pipeline_timing
from benchmarks import search as search_bench


def main() -> None:
    pipeline_timing.main()
    pii.main()
    drafting.main()
    letters.main()  # plain-language letters (issue 6)
    governance.main()  # records governance (issue 8)
    checks_bench.main()  # checks (issue 7)
    __import__("benchmarks.blind_visits").blind_visits.main()  # issues 6 and 7, blind cases
    search_bench.main()  # search and knowledge (issue 9)
    asr_bench.main()  # on-device transcription (issue 4)
    __import__("benchmarks.translation").translation.main()  # letter translation (issue 11)


if __name__ == "__main__":
    main()
