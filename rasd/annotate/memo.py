"""A dictionary memo read once for every word of a text (the phrase and place matchers).

Running text repeats its words, so each matcher remembers what a word form can start. Even
so, a Python-level lookup per word costs more than the few words that start anything: the
known words are read in one pass instead (`map` runs in C), and only the words seen for the
first time are worked out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def look_up_all(memo: dict[K, V], keys: Sequence[K], compute: Callable[[K], V], limit: int) -> list[V]:
    """memo[key] for every key, computing and remembering the missing ones (`compute` never
    returns None). The memo starts afresh once it holds more than `limit` keys, so its
    memory stays bounded."""
    if len(memo) > limit:
        memo.clear()
    found = list(map(memo.get, keys))
    for index in [i for i, value in enumerate(found) if value is None]:
        key = keys[index]
        value = memo.get(key)  # the same word earlier in this text
        if value is None:
            value = memo[key] = compute(key)
        found[index] = value  # type: ignore[call-overload]
    return found  # type: ignore[return-value]
