"""Settings of a process that runs the pipeline over many documents.

CPython's cycle collector runs a young-generation pass every 700 net allocations, and every
tenth of those an older one. The pipeline allocates thousands of small containers per
document (words, matches, mentions) that live until the document is done, so most passes
find nothing to free: at the default threshold collecting takes ~5 % of a batch run, at
10,000 under 2 %. Only the processes that rasd itself runs are set this way (the `rasd`
command, its worker processes, Spark executors): a library call leaves its caller's
interpreter as it found it.
"""

from __future__ import annotations

import gc

BATCH_THRESHOLD = 10_000  # allocations between young-generation collections


def use_batch_collection() -> None:
    """Make young-generation collections rarer in this process (older generations keep
    their ratios). Memory held by garbage cycles is freed a little later; nothing else
    changes."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(BATCH_THRESHOLD, middle, old)
