"""Sentences inside one paragraph, for Arabic and Latin-script text.

Breaks come after . ! ? ؟ ؛ (the Arabic comma ، never ends a sentence), and where a
scraper glued two sentences or headlines together ("rocks.Officers", "سوريا.جاء",
"clashesIraq", "2019Attachments", "Read this story in Englishأعلنت"). No break after an
abbreviation or initial ("U.S.", "Dr.", "No. 5", "J. Smith", "د."), inside a number
(3.5), URL, e-mail, @handle or #hashtag, before a lower-case word, after an ellipsis that
does not open a new capitalised sentence, inside a word cut with tatweel-dot ("مقـ.ـتل"),
or inside a quotation that closes within the paragraph (« », “ ”, "...").

Abbreviations are data: rasd/lang/<code>/abbreviations.tsv.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from rasd.lang import all_tables
from rasd.text.layout import trim

# A segment never grows past this many characters: a 10 MB line without punctuation is
# cut at white space so that later stages work on bounded pieces.
MAX_SEGMENT = 3000
# A quotation longer than this is not held together (it is more likely a stray mark).
_MAX_QUOTE = 600

_AR = "\u0621-\u063a\u0641-\u064a"  # Arabic letters without tatweel
# Sentence punctuation followed by white space or the end (tried only where a run of marks
# begins, and without giving marks back, so a long run of dots costs linear time).
_TERMINAL = re.compile(r"(?<![.!?؟؛…])([.!?؟؛…]++)([\"'”’»)\]]*+)(?=\s|$)")
# Places where a scraper glued two sentences or headlines together. Each expression starts
# with a rare character class (so the scan skips ahead fast) and each candidate is checked
# in Python (see _glue_breaks).
_GLUED_MARK = re.compile(rf"[.!?؟](?=[A-Z{_AR}])")  # rocks.Officers, سوريا.جاء
_GLUED_CAPITAL = re.compile(r"[A-Z](?<=[a-z\d][A-Z])(?=[a-z])")  # clashesIraq, 2019Attachments
_GLUED_SCRIPT = re.compile(rf"[A-Za-z](?=[{_AR}])")  # Read this story in Englishأعلنت
# Tokens inside which nothing is a sentence break: links, e-mail, handles, hashtags.
_DOMAIN = re.compile(r"\.(?:com|org|net|gov|edu|int|info|news|tv|co|io|me|ly)\b")
_ADDRESS = re.compile(r"\w@\w")
_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\s]{0,2000}\)")
_TOKEN_REACH = 300  # a link token is looked for this far around a candidate break
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ARABIC_LETTER = re.compile(f"[{_AR}]")
_OPENERS = "([{\"'“‘«„"


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(always non-final, non-final before a number), lower-cased, from every language pack."""
    always: set[str] = set()
    before_digit: set[str] = set()
    for rows in all_tables("abbreviations").values():
        for row in rows:
            word = row.get("abbreviation", "").strip().rstrip(".").lower()
            if word:
                (before_digit if row.get("before") == "digit" else always).add(word)
    return frozenset(always), frozenset(before_digit)


def _quote_regions(text: str) -> "_Spans":
    """Spans of quotations that open and close within `text` (and are not too long)."""
    regions: list[tuple[int, int]] = []
    guillemet: list[int] = []
    open_at = -1  # the “ ” " family, one level
    for match in re.finditer(r"[«»“”\"„]", text):
        char, at = match.group(), match.start()
        if char == "«":
            guillemet.append(at)
            continue
        if char == "»":
            if guillemet:
                regions.append((guillemet.pop(), at))
            continue
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        opening_context = before.isspace() or before in "([{:،,–—-"
        closing_context = after.isspace() or not after.isalnum()
        if open_at < 0:
            if char == "”" and not opening_context and closing_context:
                continue  # a stray closing mark
            open_at = at
        elif char in "“„" and opening_context and not closing_context:
            open_at = at  # the previous opening mark was stray
        else:
            regions.append((open_at, at))
            open_at = -1
    return _Spans([(a, b) for a, b in regions if b - a <= _MAX_QUOTE])


class _Spans:
    """Sorted, merged half-open-on-the-left spans (a, b]: is a position inside one?"""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def __contains__(self, position: int) -> bool:
        i = bisect_left(self._starts, position) - 1
        return i >= 0 and position <= self._ends[i]


def _next_visible(text: str, position: int) -> str:
    stripped = text[position : position + 8].lstrip()
    return stripped[:1]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether a run of sentence punctuation (followed by space or the end) ends a sentence."""
    marks = match.group(1)
    following = _next_visible(text, match.end())
    if not following:
        return True
    if following.islower() or following in ",;:،)]}":
        return False
    if "…" in marks or marks.startswith(".."):
        return following.isupper()  # Arabic and lower-case text go on after an ellipsis
    if marks != ".":
        return True
    before = text[max(0, match.start() - 40) : match.start()]
    if not before or before[-1].isspace():
        return True
    token = before.split()[-1].lstrip(_OPENERS)
    if len(token) == 1 and token.isalpha():
        return False  # an initial, or a one-letter Arabic abbreviation (د. م.)
    if _ACRONYM.fullmatch(token):
        return False  # U.S. a.m. ق.م
    always, before_digit = _abbreviations()
    lowered = token.lower()
    if lowered in always:
        return False
    return not (lowered in before_digit and following.isdigit())


def _token_at(text: str, position: int) -> str:
    """The token (between spaces or line breaks) around `position`."""
    left, right = max(0, position - _TOKEN_REACH), position + _TOKEN_REACH
    start = max(text.rfind(" ", left, position), text.rfind("\n", left, position), left - 1) + 1
    ends = [e for e in (text.find(" ", position, right), text.find("\n", position, right)) if e >= 0]
    return text[start : min(ends) if ends else min(len(text), right)]


def _in_link(text: str, position: int) -> bool:
    """Is `position` inside a URL, domain, e-mail address, @handle, #hashtag or image?"""
    token = _token_at(text, position)
    if len(token) <= 4:
        return False
    return (
        "://" in token
        or token.startswith(("www.", "@", "#", "!["))
        or ("@" in token and _ADDRESS.search(token) is not None)
        or _DOMAIN.search(token) is not None
    )


def _glue_breaks(text: str) -> list[int]:
    breaks: list[int] = []
    for match in _GLUED_MARK.finditer(text):
        at = match.end()
        before = match.start()
        # two letters before the mark ("U.S", "e.g" have one), none of them tatweel
        if before < 2 or not (text[before - 1].isalpha() and text[before - 2].isalpha()):
            continue
        if text[at].isupper() and not text[before - 1].islower():
            continue
        if text[at].isupper() and not (at + 1 < len(text) and text[at + 1].islower()):
            continue
        breaks.append(at)
    for match in _GLUED_CAPITAL.finditer(text):
        at = match.start()
        previous = text[at - 1]
        if previous.isdigit():  # 2019Attachments: four digits, a year
            if at < 4 or not text[at - 4 : at].isdigit() or (at >= 5 and text[at - 5].isdigit()):
                continue
        else:  # clashesIraq: a lower-case word of two letters or more before the capital
            word_start = at - 1
            while word_start > 0 and text[word_start - 1].islower():
                word_start -= 1
            if at - word_start < 2 or (word_start > 0 and text[word_start - 1].isalpha()):
                continue  # iPhone, McDonald, YouTube
        breaks.append(at)
    if not text.isascii():  # English glued to Arabic needs Arabic (isascii is O(1))
        for match in _GLUED_SCRIPT.finditer(text):
            at = match.end()
            window = max(0, at - 200)  # only after a few English words on this line
            line_start = text.rfind("\n", window, at) + 1 or window
            arabic = None
            for arabic in _ARABIC_LETTER.finditer(text, line_start, at):
                pass
            since = arabic.end() if arabic else line_start
            if len(_LATIN_WORD.findall(text, since, at)) >= 3:
                breaks.append(at)
    return [at for at in breaks if not _in_link(text, at)]


def split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (trimmed, in order) of the paragraph text[start:end]."""
    chunk = text[start:end]
    candidates = [
        m.end()
        for m in _TERMINAL.finditer(chunk)
        if m.end() < len(chunk) and _ends_sentence(chunk, m) and not _in_link(chunk, m.start(1))
    ]
    candidates += _glue_breaks(chunk)
    breaks: set[int] = set()
    if candidates:  # quotations matter only when there is somewhere to break
        quotes = _quote_regions(chunk)
        breaks.update(p for p in candidates if p not in quotes)
    if "![" in chunk:
        for image in _IMAGE.finditer(chunk):  # an image inside text is a piece of its own
            breaks.update((image.start(), image.end()))
    spans: list[tuple[int, int]] = []
    previous = 0
    for position in sorted(breaks) + [len(chunk)]:
        if position <= previous:
            continue
        a, b = trim(chunk, previous, position)
        if b > a:
            spans.extend(_bounded(chunk, a, b))
        previous = position
    return [(start + a, start + b) for a, b in spans]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SEGMENT at white space (or hard, if there is none)."""
    if end - start <= MAX_SEGMENT:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SEGMENT:
        cut = text.rfind(" ", start + MAX_SEGMENT // 2, start + MAX_SEGMENT)
        if cut <= start:
            cut = start + MAX_SEGMENT
        a, b = trim(text, start, cut)
        if b > a:
            pieces.append((a, b))
        start, _ = trim(text, cut, end)
    if end > start:
        pieces.append((start, end))
    return pieces
