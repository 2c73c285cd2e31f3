"""Keep personal data out of third-party logs, even at DEBUG.

SQLAlchemy logs bound parameters (at INFO) and result rows (at DEBUG) when its engine loggers
are turned up; those are transcript text, names and the vault in plain words. The filter below
keeps each message's shape ("Row …", "[cached since …]") and replaces its arguments.
"""

from __future__ import annotations

import logging

#: Loggers whose arguments can carry stored data: SQLAlchemy's bound parameters and rows, and
#: Presidio's context words and decision traces (the words around a phone number, say).
DATA_LOGGERS = (
    "sqlalchemy.engine.Engine", "sqlalchemy.engine.Connection",
    "presidio-analyzer", "presidio-anonymizer", "decision_process",
)
REDACTED = "<redacted: may hold personal data>"


class RedactArguments(logging.Filter):
    """Drop every argument of a log record; the message template stays readable."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            template = str(record.msg)
            head = template.split("%", 1)[0]
            record.msg = f"{head}{REDACTED}"
            record.args = None
        return True


_FILTER = RedactArguments()


def install() -> None:
    """Attach the filter to the loggers that can carry data (safe to call more than once)."""
    for name in DATA_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
