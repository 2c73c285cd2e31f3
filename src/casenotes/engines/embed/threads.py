"""How many CPU threads PyTorch may use while a MiniLM model embeds text.

One. Measured on this project's 2-core machine while other work was running (load 5–6): one
short query took 452 ms on PyTorch's default two threads and 17.5 ms on one, and 32 long
passages 4.4 s against 2.6 s. Each operator of a small model is too short to share between
threads, and a busy machine makes every hand-over wait for a time slice. Torch's thread count
is process-wide, so it is set and restored under one lock around each call.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

EMBEDDING_THREADS = 1
_LOCK = threading.Lock()


@contextmanager
def torch_threads(count: int = EMBEDDING_THREADS) -> Iterator[None]:
    """Run the block with PyTorch limited to ``count`` threads (one caller at a time)."""
    import torch

    with _LOCK:
        before = torch.get_num_threads()
        if before != count:
            torch.set_num_threads(count)
        try:
            yield
        finally:
            if before != count:
                torch.set_num_threads(before)
