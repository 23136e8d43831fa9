"""Which paragraphs are the article's own voice, and which are page furniture.

Two kinds of evidence:

* cues — words that mark teasers, share/ad/cookie/subscribe text, bylines, credits,
  captions ("اقرأ أيضا", "Share this article", "Photo:", "تصوير:"): data in
  rasd/lang/<code>/boilerplate.tsv, compiled by rasd.text.cues;
* structure — code that knows no language: CSS/JS debris and shortcodes (symbol density,
  braces), lines that are only URLs, markdown images or dates (month and weekday names
  from the calendar tables), one-word labels, short "Agency - City" credit lines, runs of
  short unpunctuated lines (lists of other headlines) above, below or inside the article,
  bulleted link lists, a repeated paragraph, a caption line doubled just before its
  caption, a paragraph standing as a quotation.

Headlines and the lede stay body: a short title line above the article is not a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.document import SegmentKind
from rasd.lang import all_tables
from rasd.text import cues
from rasd.text.cues import terminated
from rasd.text.normalize import normalize_term

BODY, BOILERPLATE, CAPTION, QUOTE = (
    SegmentKind.BODY,
    SegmentKind.BOILERPLATE,
    SegmentKind.CAPTION,
    SegmentKind.QUOTE,
)

# A paragraph with at least this many words, or a shorter one that ends a sentence with
# at least SUBSTANTIAL_TERMINATED words, is article text: it bounds the page's top and bottom.
SUBSTANTIAL = 15
SUBSTANTIAL_TERMINATED = 8
HEADLINE_WORDS = 16  # a headline-like line: at most this many words, no final punctuation
LABEL_WORDS = 3  # section names, one-word menus, lone names above or below the article
CREDIT_WORDS = 5  # "شفق نيوز - بغداد", "Reuters, Iraq"
LIST_ITEM_WORDS = 25  # items of a related-articles list (teasers may be cut mid-sentence)
CAPTION_WORDS = 25  # a line under an image
CREDIT_LINE_WORDS = 8  # a photo credit on a line of its own
CAPTION_TEXT_WORDS = 40  # ... and the caption above it
TAG_ITEMS = 3  # a tag list has at least this many comma-separated items
DATE_TOKENS = 10  # a date line has at most this many words (numbers aside)
DEBRIS_PROSE_WORDS = 6  # code with fewer words of prose around it is debris
CAPTION_SENTENCES = 2  # a caption cue in a longer paragraph marks only its own sentence
MIDDLE_RUN = 3  # this many headline-like lines in a row inside the article are a list

_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\s]{0,2000}\)")
# A token that is a link, an address or a handle (tried at the start of each token only,
# so a long unbroken run of dotted words costs time in proportion to its length).
_LINK_TOKEN = re.compile(r"https?://|www\.|@\w|#\w|!\[|[\w-]+(?:\.[\w-]+)+(?:/|$)|\(?https?://")
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
_BULLET = re.compile(r"^[•·▪►◄●○■□◆◇✓✔*\-–—]\s")
_CREDIT_SEPARATOR = re.compile(r"[/|:]|\s[-–—_]\s?|[-–—_]\s")
_PHOTO_CREDIT = re.compile(r"\b[A-Z][A-Z.]+/[A-Z]|\b[A-Z][a-z]+ [A-Z][a-z]+/[A-Z]{2,}\b")
_CSS_RULE = re.compile(r"[\w\-.#:\]\)]\s*\{[^{}]{0,400}?[:;][^{}]{0,400}(?:\}|$)")
# Markup and code: HTML tags, JavaScript, WordPress shortcodes, CSS selectors. Each is a
# separate expression starting with a literal, so that prose is rejected fast.
_CODE = (
    re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]{0,2000})?>"),
    re.compile(
        r"\bfunction\s*\([^)]{0,400}\)\s*\{?|\bvar\s+\w+\s*=|=>\s*\{|\b(?:document|window)\.[\w.]+"
        r"|\}\s*\)\s*;"
    ),
    re.compile(r"\[[a-z][\w-]*(?:\s+[\w-]+\s*=[^\]]{0,2000}(?:\]|$)|\])"),
    re.compile(r"^\s*[.#][a-z][\w-]*(?:\s*[.#:>][\w-]+)*(?=\s*[{,])"),
)
_SYMBOLS = re.compile(r"[{}\[\]<>=;|\\^~$]")
_SYMBOL = re.compile(r"[{}\[\]<>=;|\\^~$]")
_PROSE_TOKEN = re.compile(r"[^\W\d_]{3,}[.,،:;!?؟)»”\"']*")
_LETTERS = (
    re.compile(r"[^\W\d_]"),
    re.compile(r"[^\W\d_][\W\d_]*[^\W\d_]"),
    re.compile(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){2}"),
)
_MOJIBAKE = re.compile(r"^[À-ÿ]+$")
_DIGIT = re.compile(r"\d")
_NOT_LETTER_BYTES = bytes(b for b in range(128) if not chr(b).isalpha())
_TAG_SEPARATOR = re.compile(r"\s*[,،|]\s*")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_QUOTE_OPEN = {"“": "”\"", "«": "»", '"': '"”', "„": "“”\""}
QUOTE_WORDS = 3  # a standalone quotation has at least this many words


@dataclass(slots=True)
class Features:
    """What the classifiers look at in one paragraph (or sentence)."""

    text: str
    folded: str
    words: int
    terminated: bool


def features(text: str, folded: str) -> Features:
    return Features(text, folded, len(text.split()), terminated(text))


@lru_cache(maxsize=1)
def _date_words() -> frozenset[str]:
    """Month and weekday names (each word of them) and the words that go with dates."""
    words: set[str] = set()
    for rows in all_tables("calendar").values():
        for row in rows:
            words.update(normalize_term(row.get("form", "")).split())
    for rows in all_tables("datewords").values():
        for row in rows:
            words.update(normalize_term(row.get("word", "")).replace(".", " ").split())
    return frozenset(words)


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    words: set[str] = set()
    for rows in all_tables("calendar").values():
        for row in rows:
            words.update(normalize_term(row.get("form", "")).split())
    return frozenset(words)


def has_letters(text: str, count: int = 3) -> bool:
    """Does `text` have at least `count` (1-3) letters? Stops at the third."""
    return _LETTERS[count - 1].search(text) is not None


def is_debris(text: str) -> bool:
    """CSS, JavaScript, HTML or shortcode left in the text by the scraper, with little
    prose around it (a paragraph of real text with a few inline tags is not debris)."""
    if _SYMBOL.search(text) is None:
        return False
    symbols = len(_SYMBOLS.findall(text))
    if symbols >= 4 and symbols >= 0.06 * len(text):
        return True
    found = [p for p in _CODE if p.search(text)]
    if not (("{" in text and _CSS_RULE.search(text)) or found):
        return False
    rest = _CSS_RULE.sub(" ", text)
    for pattern in found:
        rest = pattern.sub(" ", rest)
    return len(rest.split()) < DEBRIS_PROSE_WORDS


def is_link_only(text: str) -> bool:
    """Nothing but URLs, markdown images and handles (fewer than three letters besides)."""
    tokens = text.split()
    for token in tokens:
        if _PROSE_TOKEN.fullmatch(token):
            return False  # a plain word: prose (the common case, decided at once)
    if "![" in text:
        tokens = _IMAGE.sub(" ", text).split()
    rest = " ".join(token for token in tokens if not _LINK_TOKEN.match(token))
    return not has_letters(rest)


def is_image(text: str) -> bool:
    return "![" in text and _IMAGE.search(text) is not None and not has_letters(_IMAGE.sub(" ", text))


def is_date_only(folded: str, words: int) -> bool:
    """A date or time widget: month/weekday names, numbers, date words, at most one other."""
    if words > DATE_TOKENS + 6:  # numbers and separators count as words here
        return False
    tokens = [t for t in _WORD_TOKEN.findall(folded) if not _MOJIBAKE.match(t)]
    if len(tokens) > DATE_TOKENS:
        return False
    has_digit = _DIGIT.search(folded) is not None
    date_words = _date_words()
    calendar = _calendar_words()
    other = [t for t in tokens if t not in date_words and len(t) > 1]
    named = any(t in calendar for t in tokens)
    if not other:
        return has_digit or named
    # "AFP, Thursday 13 Oct 2016", "Baghdad 7 November 2021": one more word at an edge
    edge = other[0] in (tokens[0], tokens[-1])
    return len(other) == 1 and edge and named and _YEAR.search(folded) is not None


def is_tag_list(f: Features) -> bool:
    """Keywords or tags: at least three comma-separated items of one or two words."""
    if f.terminated or f.words > 3 * TAG_ITEMS * 2:
        return False
    items = _TAG_SEPARATOR.split(f.text)
    return len(items) >= TAG_ITEMS and all(0 < len(item.split()) <= 2 for item in items)


def is_bulleted(text: str) -> bool:
    return _BULLET.match(text) is not None


def headline_like(f: Features) -> bool:
    return f.words <= HEADLINE_WORDS and not f.terminated


def substantial(f: Features) -> bool:
    return f.words >= SUBSTANTIAL or (f.words >= SUBSTANTIAL_TERMINATED and f.terminated)


def is_credit_line(f: Features) -> bool:
    """Short 'Agency - City' / 'Name – Place' / 'Agency:' lines."""
    return f.words <= CREDIT_WORDS and _CREDIT_SEPARATOR.search(f.text) is not None


def is_photo_credit(f: Features) -> bool:
    """'REUTERS/Mussa Qawasma', 'AMIR COHEN/REUTERS' near the end of a short paragraph."""
    return f.words <= 60 and _PHOTO_CREDIT.search(f.text[-60:]) is not None


def is_standalone_quote(text: str) -> bool:
    """A paragraph that is a quotation and nothing else (no 'he said' outside it)."""
    if len(text.split()) < QUOTE_WORDS:
        return False
    stripped = text.lstrip("-–—•* ")
    if not stripped or stripped[0] not in _QUOTE_OPEN:
        return False
    closers = _QUOTE_OPEN[stripped[0]]
    close = -1
    for i in range(1, len(stripped)):
        if stripped[i] in closers:
            close = i
            break
    if close < 0:
        return True  # a quotation that goes on in the next paragraph
    rest = stripped[close + 1 :]
    return rest.strip(" .,،;؛:!?؟…\"”»") == ""


def cue_match(f: Features, contains: bool = True) -> cues.CueMatch | None:
    """The line, prefix or (if `contains`) contains cue that makes `f` boilerplate or a
    caption."""
    for mode in ("line", "prefix", "contains") if contains else ("line", "prefix"):
        found = cues.match(mode, f.folded, f.words, f.terminated)
        if found is not None:
            return found
    return None


def cue_kind(f: Features) -> SegmentKind | None:
    """Boilerplate or caption by a cue (line, prefix or contains)."""
    found = cue_match(f)
    return found.cue.kind if found else None


def _bare_credit(f: Features) -> bool:
    """A line that is only a photo credit ("Photo credit: Jane Doe | Agency"): short, and
    opening with its caption cue."""
    if f.words > CREDIT_LINE_WORDS:
        return False
    found = cue_match(f)
    lead = len(f.folded) - len(f.folded.lstrip(" ([|-"))
    return found is not None and found.cue.kind is CAPTION and found.start <= lead


def caption_in_passing(f: Features) -> bool:
    """A caption cue inside the paragraph ("... Image credit: X") rather than one that
    opens it: in a longer paragraph it marks only its own sentence."""
    found = cue_match(f)
    return found is not None and found.cue.kind is CAPTION and found.cue.mode == "contains"


def structural_kind(f: Features) -> SegmentKind | None:
    """Page furniture recognisable without any words: debris, links, dates, bare labels."""
    if not has_letters(f.text) or is_link_only(f.text) or is_debris(f.text):
        return BOILERPLATE
    if f.words <= 1:
        return BOILERPLATE
    if is_date_only(f.folded, f.words) or is_tag_list(f):
        return BOILERPLATE
    return None


def _clean(folded: str) -> str:
    """The text without white space, digits and punctuation: the same paragraph
    punctuated differently is the same paragraph (bytes.translate: C speed)."""
    for mark in "،؛؟«»“”’…–—•·▪■►":
        if mark in folded:
            folded = folded.replace(mark, "")
    data = folded.encode("utf-8", "surrogatepass").translate(None, _NOT_LETTER_BYTES)
    return data.decode("utf-8", "replace")


def paragraph_kinds(paragraphs: list[Features], fixed: list[SegmentKind | None]) -> list[SegmentKind]:
    """A kind for every paragraph; `fixed[i]` (posts, the date header) is kept as given."""
    n = len(paragraphs)
    kinds: list[SegmentKind | None] = list(fixed)
    list_heads: set[int] = set()
    for i, f in enumerate(paragraphs):
        if kinds[i] is not None:
            continue
        if cues.match("list", f.folded, f.words, f.terminated):
            kinds[i] = BOILERPLATE
            list_heads.add(i)
            continue
        glued = cues.match("split", f.folded, f.words, f.terminated)
        if glued is not None and has_letters(f.folded[glued.end :]):
            continue  # a notice glued to real text: cut apart sentence by sentence
        kinds[i] = structural_kind(f) or cue_kind(f)
    # a related-articles list: the heading and the headline-like lines under it
    for head in sorted(list_heads):
        j = head + 1
        while j < n and (kinds[j] is None or kinds[j] is BOILERPLATE):
            f = paragraphs[j]
            if kinds[j] is None:
                item = (f.words <= LIST_ITEM_WORDS and not f.terminated) or is_bulleted(f.text)
                if not item:
                    break
                kinds[j] = BOILERPLATE
            j += 1
    # captions: lines under an image; a line repeated just before its caption; photo credits
    for i, f in enumerate(paragraphs):
        if kinds[i] is not None:
            continue
        if i > 0 and is_image(paragraphs[i - 1].text) and f.words <= CAPTION_WORDS and not substantial(f):
            kinds[i] = CAPTION
        elif is_photo_credit(f):
            kinds[i] = CAPTION
    for i in range(n - 1):
        if kinds[i] is None and kinds[i + 1] is CAPTION and paragraphs[i].words >= 3:
            line = _clean(paragraphs[i].folded)
            if line and _clean(paragraphs[i + 1].folded).startswith(line):
                kinds[i] = CAPTION  # the caption said twice, the second time with its credit
            elif _bare_credit(paragraphs[i + 1]) and paragraphs[i].words <= CAPTION_TEXT_WORDS:
                kinds[i] = CAPTION  # "Photo credit: X" on a line of its own, under its caption
    # a paragraph said twice: the second time is page furniture
    seen: set[str] = set()
    for i, f in enumerate(paragraphs):
        key = _clean(f.folded)
        if kinds[i] is None and f.words >= 2 and key and key in seen:
            kinds[i] = BOILERPLATE
        if kinds[i] in (None, BODY):
            seen.add(key)
    _regions(paragraphs, kinds)
    for i, f in enumerate(paragraphs):
        if kinds[i] is None:
            kinds[i] = QUOTE if is_standalone_quote(f.text) else BODY
    return kinds  # type: ignore[return-value]


def _regions(paragraphs: list[Features], kinds: list[SegmentKind | None]) -> None:
    """Above and below the article text, short lines are page furniture; inside it, so
    are runs of headline-like lines and of bulleted short lines."""
    n = len(paragraphs)
    article = [i for i, f in enumerate(paragraphs) if kinds[i] is None and substantial(f)]
    first = article[0] if article else n
    last = article[-1] if article else -1

    def furniture(f: Features) -> bool:
        return (f.words <= LABEL_WORDS and not f.terminated) or is_credit_line(f)

    for i in range(first):  # above: labels and credits go, the title stays
        if kinds[i] is None and furniture(paragraphs[i]):
            kinds[i] = BOILERPLATE
    below = [i for i in range(last + 1, n) if kinds[i] is None]
    headlines = {i for i in below if headline_like(paragraphs[i])}
    for i in below:
        if furniture(paragraphs[i]) or (len(headlines) >= 2 and i in headlines):
            kinds[i] = BOILERPLATE
    # anywhere: two or more bulleted short lines in a row (menus, link lists)
    run: list[int] = []
    for i in range(n + 1):
        if i < n and kinds[i] is BOILERPLATE:
            continue
        if i < n and kinds[i] is None and is_bulleted(paragraphs[i].text) and headline_like(paragraphs[i]):
            run.append(i)
            continue
        if len(run) >= 2:
            for k in run:
                kinds[k] = BOILERPLATE
        run = []
    # inside: runs of headline-like lines
    i = first
    while i <= last:
        run = []
        j = i
        while j <= last and (kinds[j] is BOILERPLATE or (kinds[j] is None and headline_like(paragraphs[j]))):
            if kinds[j] is None:
                run.append(j)
            j += 1
        if len(run) >= MIDDLE_RUN:
            for k in run:
                kinds[k] = BOILERPLATE
        i = j + 1 if j > i else i + 1
