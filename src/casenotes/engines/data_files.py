"""Word lists and thesauri that ship with an engine and that organisations extend.

A packaged YAML file is read first; a file of the same name in any folder the organisation
configured is read after it, so its entries add to (or extend) the packaged ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from casenotes.domain.errors import InvalidInput


def packaged_and_extra(package: str, name: str,
                       extra_dirs: Sequence[Path]) -> list[tuple[str, Any]]:
    """``(source, parsed YAML)`` for ``package``'s ``data/name`` and each ``extra_dirs/name``.

    A malformed extra file stops with a message naming it (start-up, not a stack trace).
    """
    packaged = resources.files(package).joinpath("data", name)
    docs: list[tuple[str, Any]] = [(name, yaml.safe_load(packaged.read_text(encoding="utf-8")))]
    for folder in extra_dirs:
        path = Path(folder) / name
        if path.is_file():
            try:
                docs.append((str(path), yaml.safe_load(path.read_text(encoding="utf-8"))))
            except yaml.YAMLError:
                raise InvalidInput(f"{path} is not valid YAML.",
                                   hint="Fix the file's syntax and restart.") from None
    return docs
