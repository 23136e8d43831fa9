"""The language of each segment, decided per paragraph and script.

py3langid (which ships its model) says `ar` for a whole mixed Arabic/English string, so
text is first split by script: each segment counts its Arabic-script, Latin-script and
other letters (URLs, handles and e-mail addresses aside), and the segments of one
paragraph that share a script are judged together, cheapest evidence first:

* Arabic-script text without the letters only Persian, Urdu, Kurdish or Pashto use (the
  block U+0680-06FF: پ چ ژ گ ک ی ے ...) is Arabic;
* text in which one language pack's function words (rasd/lang/<code>/function_words.tsv)
  are common enough is that language;
* a short group, or one where the document's language for that script still has fairly
  common function words, takes the document's language for that script;
* the rest goes to the model, in one batch per document, with samples capped in length
  (its cost is linear in bytes). An answer below MIN_CONFIDENCE is not trusted.

A piece that is left without a language takes its neighbour's.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5
UNDETERMINED = "und"
_MIN_LETTERS = 12  # fewer letters than this: not worth asking the model
_SAMPLE = 150  # characters of a paragraph-script group sent to the model
_ASK_LETTERS = 80  # a shorter group inherits its script's language when the document has one
_CONFIDENT_LENGTH = 40  # a sample this long is judged by the model alone
# Function-word shortcut: at least this many words, this share of them function words of
# one language, and this many different ones (English news: ~2/3 of paragraphs; Nigerian
# Pidgin, the nearest case seen, stays below 0.27).
_FUNCTION_MIN_TOKENS = 8
_FUNCTION_SHARE = 0.3
_FUNCTION_SHARE_ATTACHING = 0.15  # Arabic-script text (Persian seen: 0.01 of Arabic's list)
_FUNCTION_DISTINCT = 3
_WORDS = re.compile(r"[^\W\d_]+")
_ASCII_WORDS = re.compile(r"[a-z]+")
_PACK_PRIOR = 0.02  # on shorter samples, a language with a pack among the best three wins

_ARABIC_RANGES = (
    "\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
_LATIN_RANGES = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
ARABIC = re.compile(f"[{_ARABIC_RANGES}]+")
LATIN = re.compile(f"[{_LATIN_RANGES}]+")
# Letters of other scripts: Greek, Cyrillic, Armenian, Hebrew, Syriac, Thaana, the Indic
# and South-East Asian scripts, Georgian, Hangul, Ethiopic, kana and CJK ideographs.
_OTHER_RANGES = (
    "\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u05d0-\u05ea\u0710-\u074f\u0780-\u07b1"
    "\u0900-\u0dff\u0e01-\u0e5b\u0e81-\u0edf\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff"
    "\u1100-\u11ff\u1200-\u137f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
)
OTHER = re.compile(f"[{_OTHER_RANGES}]+")
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+|\b(?:pic\.twitter\.com|t\.co)/\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+"  # an address only from its start
)


class Letters(NamedTuple):
    """Letters by script in a piece of text (approximate: see `letters`). A named tuple:
    built for every segment, and a frozen dataclass costs several times more to make."""

    arabic: int
    latin: int
    other: int
    extended: int = 0  # Arabic-script letters that only Persian, Urdu, Kurdish... use

    @property
    def script(self) -> str | None:
        """'arab', 'latn' or 'other': the script with most letters (None: no letters)."""
        best = max(self.arabic, self.latin, self.other)
        if best == 0:
            return None
        if best == self.arabic:
            return "arab"
        return "latn" if best == self.latin else "other"


def _byte_classes() -> bytes:
    """UTF-8 byte -> script class of the character it starts: a (Arabic, U+0600-067F),
    x (Arabic-script letters of other languages, U+0680-06FF), l (ASCII letters and the
    Latin-1/Latin Extended blocks), o (Greek, Cyrillic, Armenian, Hebrew, Syriac, Indic,
    East Asian...), space for everything else (digits, punctuation, symbols, emoji and
    continuation bytes)."""
    table = bytearray(b" " * 256)
    for byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
        table[byte] = ord("l")
    for lead, cls in (
        (range(0xC3, 0xCA), "l"),  # U+00C0-027F
        (range(0xCE, 0xD8), "o"),  # U+0380-05FF
        (range(0xD8, 0xDA), "a"),  # U+0600-067F
        (range(0xDA, 0xDC), "x"),  # U+0680-06FF
        (range(0xDC, 0xE2), "o"),  # U+0700-1FFF
        (range(0xE3, 0xEE), "o"),  # U+3000-DFFF
    ):
        for byte in lead:
            table[byte] = ord(cls)
    return bytes(table)


_CLASSES = _byte_classes()


def letters(text: str) -> Letters:
    """Letters of `text` by script, counted from the lead bytes of its UTF-8 encoding:
    one C-speed translation and four counts, whatever the length. Approximate on purpose
    (Arabic punctuation, digits and diacritics count as Arabic letters, Vietnamese as
    other): enough to tell which script a piece of text is written in, and how much."""
    classes = text.encode("utf-8", "surrogatepass").translate(_CLASSES)
    extended = classes.count(b"x")
    if extended or "\u067e" in text or "\u0679" in text:  # پ and ٹ sit below U+0680
        extended += text.count("\u067e") + text.count("\u0679")
    arabic = classes.count(b"a") + classes.count(b"x")
    return Letters(arabic, classes.count(b"l"), classes.count(b"o"), extended)


def content(text: str) -> str:
    """The words of `text` without URLs, e-mail addresses and @handles."""
    return _NOT_WORDS.sub(" ", text) if ("/" in text or "@" in text) else text


def not_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and @handles in text[start:end]."""
    chunk = text[start:end]
    if "/" not in chunk and "@" not in chunk:
        return []
    return [(start + m.start(), start + m.end()) for m in _NOT_WORDS.finditer(chunk)]


class LanguageModel:
    """py3langid's model, loaded once, classifying many short texts in one batch."""

    def __init__(self) -> None:
        self._cached = True  # read from the cache folder (see model_arrays)
        self._load(model_arrays())

    def _load(self, arrays: tuple) -> None:
        from py3langid.langid import LanguageIdentifier

        ptc, pc, classes, nextmove, row, output = arrays
        self._identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
        identifier = self._identifier
        self._batch = all(
            hasattr(identifier, name)
            for name in ("tk_nextmove", "_rowbase", "tk_output", "nb_ptc", "nb_pc", "nb_classes", "_encode")
        )
        if self._batch:
            import numpy as np

            self._labels = list(identifier.nb_classes)
            first: dict[str, int] = {}
            self._alias = []
            for i, label in enumerate(self._labels):
                if label in first:
                    self._alias.append((first[label], i))
                else:
                    first[label] = i
            self._np = np

    def classify(self, texts: Sequence[str], top: int = 3) -> list[list[tuple[str, float]]]:
        """The `top` likeliest (language, probability) for each text, best first, with
        the probabilities py3langid's classify/rank give."""
        try:
            return self._classify(texts, top)
        except IndexError as error:
            if not self._cached:
                raise
            # the cached copy passed the checks on reading but is damaged inside: rebuild
            # it from py3langid's own file (rewriting the cache) and carry on
            log.warning("language model cache damaged (%s): rebuilding it", error)
            _model_cache_path().unlink(missing_ok=True)
            model_arrays.cache_clear()
            self._cached = False
            self._load(_decompressed())
            return self._classify(texts, top)

    def _classify(self, texts: Sequence[str], top: int) -> list[list[tuple[str, float]]]:
        if not texts:
            return []
        if not self._batch:  # another py3langid version: one call per text
            return [self._identifier.rank(t)[:top] for t in texts]
        from py3langid.langid import visit_counts

        np = self._np
        identifier = self._identifier
        features: list[int] = []
        counts: list[int] = []
        bounds = [0]
        scale: list[float] = []
        for text in texts:
            encoded = identifier._encode(text)
            visits = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, encoded)
            if visits:
                features.extend(visits.keys())
                counts.extend(visits.values())
            bounds.append(len(features))
            scale.append(1.0 / math.sqrt(len(encoded) or 1))
        classes = len(self._labels)
        scores = np.zeros((len(texts), classes), dtype=np.float32)
        if features:
            weights = np.log1p(np.asarray(counts, dtype=np.float32))
            rows = identifier.nb_ptc[np.asarray(features, dtype=np.intp)].astype(np.float32)
            rows *= weights[:, None]
            starts = np.asarray(bounds[:-1])
            present = starts < np.asarray(bounds[1:])
            if present.any():
                scores[present] = np.add.reduceat(rows, starts[present], axis=0)
            scores[present] += identifier.nb_pc
        scores *= np.asarray(scale, dtype=np.float32)[:, None]
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in self._alias:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        order = np.argsort(-scores, axis=1)[:, :top] if top > 1 else scores.argmax(axis=1)[:, None]
        return [[(self._labels[k], float(scores[n, k])) for k in row] for n, row in enumerate(order)]


@lru_cache(maxsize=1)
def model() -> LanguageModel:
    """The language model, loaded on first use and kept. Only text that the cheaper
    evidence leaves undecided needs it (a pure Arabic or English report does not)."""
    log.debug("loading py3langid model")
    return LanguageModel()


def _classify(samples: list[str]) -> list[list[tuple[str, float]]]:
    """The model's ranking of each sample; the model is not even loaded for none."""
    return model().classify(samples) if samples else []


# py3langid ships its model LZMA-compressed (4 MB): decompressing it takes about a second at
# every start. The arrays are kept decompressed in the cache folder instead, in one file
# that is memory-mapped (pages are read as the model touches them, and shared by workers).
_MODEL_MAGIC = b"rasd-langid/1\n"
_ALIGN = 64


def _model_source() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path = Path(MODEL_FILE)
    return path if path.is_absolute() else Path(MODEL_DIR) / path


def _model_cache_path() -> Path:
    from rasd.cache import cache_dir, fingerprint, package_stamp

    source = _model_source()
    try:
        stat = source.stat()
        stamp = f"{source}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        stamp = str(source)
    return cache_dir() / f"langid-{fingerprint(_MODEL_MAGIC, package_stamp('py3langid'), stamp)}.bin"


@lru_cache(maxsize=1)
def model_arrays() -> tuple:
    """(nb_ptc, nb_pc, classes, tk_nextmove, tk_row, tk_output) as LanguageIdentifier takes
    them: from the decompressed copy in the cache, written there on first use."""
    path = _model_cache_path()
    try:
        return _read_model(path)
    except FileNotFoundError:
        pass
    except Exception as error:  # truncated or corrupt: rebuild it
        log.warning("language model cache %s unreadable (%s): rebuilding it", path, error)
    return _decompressed()


def _decompressed() -> tuple:
    """The arrays from py3langid's own (compressed) file, written to the cache."""
    from py3langid.modelio import load_model

    path = _model_cache_path()
    ptc, pc, classes, nextmove, row, output = load_model(_model_source())
    try:
        _write_model(path, ptc, pc, classes, nextmove, row, output)
    except OSError as error:
        log.info("could not cache the language model at %s (%s)", path, error)
    return ptc, pc, classes, nextmove, row, output


def _write_model(path: Path, ptc, pc, classes, nextmove, row, output) -> None:
    import json

    import numpy as np

    from rasd.cache import write_atomic

    arrays = {
        "ptc": np.ascontiguousarray(ptc),
        "pc": np.ascontiguousarray(pc),
        "classes": np.asarray(classes, dtype="U8"),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "output": np.asarray(output, dtype=np.int32),
    }
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = [array.dtype.str, list(array.shape), offset]
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({"layout": layout, "size": offset}).encode()
    head = _MODEL_MAGIC + len(header).to_bytes(8, "little") + header
    head += b"\0" * (-len(head) % _ALIGN)

    def chunks():
        yield head
        for array in arrays.values():
            data = array.tobytes()
            yield data
            yield b"\0" * (-len(data) % _ALIGN)

    write_atomic(path, chunks())


def _read_model(path: Path) -> tuple:
    import json
    import mmap

    import numpy as np

    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[: len(_MODEL_MAGIC)] != _MODEL_MAGIC:
        raise ValueError("not a rasd language model file")
    at = len(_MODEL_MAGIC)
    length = int.from_bytes(mapped[at : at + 8], "little")
    meta = json.loads(mapped[at + 8 : at + 8 + length])
    base = at + 8 + length
    base += -base % _ALIGN
    if len(mapped) != base + meta["size"]:
        raise ValueError(f"size {len(mapped)}, expected {base + meta['size']}")
    arrays = {}
    for name, (dtype, shape, offset) in meta["layout"].items():
        count = 1
        for n in shape:
            count *= n
        arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=base + offset).reshape(shape)
    row, output, ptc = arrays["row"], arrays["output"], arrays["ptc"]
    # cheap consistency checks (the big transition table is checked as it is used: see
    # LanguageModel.classify)
    if (
        len(row) != len(output)
        or ptc.ndim != 2
        or not ptc.shape[1] == len(arrays["pc"]) == len(arrays["classes"])
        or int(row.max()) * 256 + 255 >= len(arrays["nextmove"])
        or int(output.max()) >= ptc.shape[0]
    ):
        raise ValueError("inconsistent arrays")
    nextmove = memoryview(arrays["nextmove"]).cast("B").cast(_CODES[arrays["nextmove"].itemsize])
    return (
        ptc, arrays["pc"], arrays["classes"].tolist(), nextmove,
        row.tolist(), memoryview(output).cast("B").cast("i"),
    )


_CODES = {2: "H", 4: "I", 8: "Q"}


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE:
        return text
    cut = text.rfind(" ", _SAMPLE // 2, _SAMPLE)
    return text[: cut if cut > 0 else _SAMPLE]


@dataclass(slots=True)
class Piece:
    """What the language stage needs to know about one segment."""

    paragraph: int
    start: int
    end: int
    exclude: tuple[tuple[int, int], ...] = ()  # spans not to judge: URLs, handles, attribution
    follows: int | None = None  # take the language of this piece (e.g. an attribution line)


def words_of(text: str, piece: Piece) -> str:
    """The text of a piece with its excluded spans blanked out."""
    if not piece.exclude:
        return text[piece.start : piece.end]
    parts, at = [], piece.start
    for a, b in sorted(piece.exclude):
        a, b = max(a, at), min(b, piece.end)
        if a > at:
            parts.append(text[at:a])
        at = max(at, b)
    parts.append(text[at : piece.end])
    return " ".join(parts)


def assign(text: str, pieces: Sequence[Piece], hint: str | None = None) -> list[str]:
    """A language code for every piece of `text` (ISO 639-1 where the model has one,
    else 'und'). `hint`: a language the input declared, used only where nothing in the
    text decides."""
    if not pieces:
        return []
    counted = [letters(words_of(text, p)) for p in pieces]
    scripts = [c.script for c in counted]
    groups: dict[tuple[int, str], list[int]] = {}
    for i, (piece, script) in enumerate(zip(pieces, scripts)):
        if script is not None and piece.follows is None:
            groups.setdefault((piece.paragraph, script), []).append(i)
    decided: dict[tuple[int, str], str | None] = {}
    pending: list[tuple[tuple[int, str], str, int, dict[str, float]]] = []
    for key, members in groups.items():
        script = key[1]
        amount = sum(getattr(counted[i], _FIELD[script]) for i in members)
        if script == "arab" and not any(counted[i].extended for i in members):
            decided[key] = "ar"
            continue
        joined = " ".join(words_of(text, pieces[i]) for i in members)
        shares = _function_shares(joined, script)
        if cheap := _by_function_words(shares, script):
            decided[key] = cheap
        elif amount >= _MIN_LETTERS:
            pending.append((key, joined, amount, shares))
        else:
            decided[key] = None
    # Where the document already has a language for a script, a group in that script takes
    # it (below) if it is short, or if that language's function words are at least fairly
    # common in it; the model is asked about the rest, and about scripts not yet placed.
    known: dict[str, dict[str, int]] = {}
    for key, language in decided.items():
        if language:
            tally = known.setdefault(key[1], {})
            tally[language] = tally.get(language, 0) + 1
    ask: list[tuple[int, str]] = []
    samples: list[str] = []
    for key, joined, amount, shares in pending:
        usual = max(known[key[1]].items(), key=lambda item: item[1])[0] if key[1] in known else None
        if usual and (amount < _ASK_LETTERS or shares.get(usual, 0.0) >= _share(key[1]) / 2):
            decided[key] = None
        else:
            ask.append(key)
            samples.append(_sample(_only(joined, key[1])))
    weak: dict[tuple[int, str], str | None] = {}  # short samples: the document's say first
    for key, sample, ranked in zip(ask, samples, _classify(samples)):
        if len(sample) >= _CONFIDENT_LENGTH:
            decided[key] = _decide(ranked, len(sample))
        else:
            decided[key] = None
            weak[key] = _decide(ranked, len(sample))
    by_script = _document_languages(text, pieces, counted, scripts, groups, decided)
    result: list[str | None] = []
    for i, piece in enumerate(pieces):
        script = scripts[i]
        if piece.follows is not None or script is None:
            result.append(None)
            continue
        key = (piece.paragraph, script)
        result.append(decided.get(key) or by_script.get(script) or weak.get(key))
    for i, piece in enumerate(pieces):  # attribution lines and the like follow their post
        if piece.follows is not None and 0 <= piece.follows < len(result):
            result[i] = result[piece.follows]
    return _fill(result, hint or UNDETERMINED)


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    from rasd.lang import all_tables
    from rasd.text.normalize import normalize_term

    return {
        code: frozenset(normalize_term(row["word"]) for row in rows if row.get("word"))
        for code, rows in all_tables("function_words").items()
    }


def _function_shares(text: str, script: str) -> dict[str, float]:
    """For each language pack with function words: their share of the words of `text`
    (0 unless at least _FUNCTION_DISTINCT different ones occur among enough words)."""
    tables = _function_words()
    if not tables:
        return {}
    if text.isascii():
        tokens = _ASCII_WORDS.findall(text.lower())
    else:
        from rasd.text.normalize import fold

        tokens = _WORDS.findall(fold(text))
    if len(tokens) < _FUNCTION_MIN_TOKENS:
        return {}
    shares: dict[str, float] = {}
    for code, words in tables.items():
        hits = [t for t in tokens if t in words]
        if len(set(hits)) >= _FUNCTION_DISTINCT:
            shares[code] = len(hits) / len(tokens)
    return shares


def _share(script: str) -> float:
    """The share of function words that settles a language. Arabic-script languages
    attach their conjunctions and prepositions to the next word (و، ب، ل، ف), so fewer of
    their words stand alone: less is asked of them."""
    return _FUNCTION_SHARE_ATTACHING if script == "arab" else _FUNCTION_SHARE


def _by_function_words(shares: dict[str, float], script: str) -> str | None:
    """A language whose commonest words (rasd/lang/<code>/function_words.tsv) make up a
    large share of the text: decided without the model."""
    if not shares:
        return None
    code, share = max(shares.items(), key=lambda item: item[1])
    return code if share >= _share(script) else None


def _decide(ranked: list[tuple[str, float]], length: int) -> str | None:
    """The model's answer if it is sure on enough text; on short or unsure text, a
    language with a language pack among its three best guesses (a short English date
    line is otherwise often called Nigerian Pidgin); else its answer if it is sure."""
    language, confidence = ranked[0]
    usable = language not in ("zxx", UNDETERMINED)
    if usable and confidence >= MIN_CONFIDENCE and length >= _CONFIDENT_LENGTH:
        return language
    packs = _packs()
    for candidate, probability in ranked[:3]:
        if candidate in packs and probability >= _PACK_PRIOR:
            return candidate
    return language if usable and confidence >= MIN_CONFIDENCE else None


@lru_cache(maxsize=1)
def _packs() -> frozenset[str]:
    from rasd.lang import languages

    return frozenset(languages())


_FIELD = {"arab": "arabic", "latn": "latin", "other": "other"}
_ONLY = {"arab": ARABIC, "latn": LATIN, "other": OTHER}


def _only(text: str, script: str) -> str:
    """The text's words in one script (so that a Latin name does not sway an Arabic sample)."""
    return " ".join(_ONLY[script].findall(text))


def _document_languages(
    text: str,
    pieces: Sequence[Piece],
    counted: Sequence[Letters],
    scripts: Sequence[str | None],
    groups: dict[tuple[int, str], list[int]],
    decided: dict[tuple[int, str], str | None],
) -> dict[str, str]:
    """The language of each script across the document: the majority of the decided
    groups by letters; for a script no group decided, the model on all its text at once."""
    votes: dict[str, dict[str, int]] = {}
    for key, members in groups.items():
        language = decided.get(key)
        if language:
            amount = sum(getattr(counted[i], _FIELD[key[1]]) for i in members)
            tally = votes.setdefault(key[1], {})
            tally[language] = tally.get(language, 0) + amount
    result = {script: max(tally.items(), key=lambda item: item[1])[0] for script, tally in votes.items()}
    missing = [s for s in ("arab", "latn", "other") if s not in result and s in scripts]
    if missing:
        asked, samples = [], []
        for script in missing:
            words = (_only(words_of(text, pieces[i]), script) for i, s in enumerate(scripts) if s == script)
            sample = _sample(" ".join(words))
            if len(sample) >= _MIN_LETTERS:
                asked.append(script)
                samples.append(sample)
        for script, sample, ranked in zip(asked, samples, _classify(samples)):
            language = _decide(ranked, len(sample))
            if language:
                result[script] = language
        if "arab" in missing and "arab" not in result:
            result["arab"] = "ar"  # Arabic script the model could not place: Arabic by default
    return result


def _fill(languages: list[str | None], default: str = UNDETERMINED) -> list[str]:
    """Pieces without a language take the previous piece's, else the next one's, else
    `default`."""
    filled: list[str] = []
    last: str | None = None
    for language in languages:
        last = language or last
        filled.append(last or "")
    following: str | None = None
    for i in range(len(filled) - 1, -1, -1):
        if languages[i]:
            following = languages[i]
        if not filled[i]:
            filled[i] = following or default
    return filled


def dominant(languages: Sequence[str], weights: Sequence[int]) -> str:
    """The language with the most weight (characters), 'und' when there is none."""
    totals: Counter[str] = Counter()
    for language, weight in zip(languages, weights):
        if language != UNDETERMINED:
            totals[language] += weight
    return totals.most_common(1)[0][0] if totals else UNDETERMINED
