"""When was a document published? The most specific date that the evidence agrees on.

Evidence, most trusted first: a date the input declared (`Document.published_hint`), the
`date YYYY[-MM[-DD]]` header line, a labelled time stamp ("Published: 16:36, February 10,
2025", "تاريخ النشر : الأحد 01:37 28-6-2026", ISO stamps), the URL (`/2021/11/07/`,
`-20211108-`), a dateline opening a line in the first few hundred characters ("نينوى، 15
كانون الثاني 2020", "Friday July 01 2022"), "today" + weekday + date in the first
sentences, the date of the latest embedded social-media post, and dates in the file names
of images at the top. Dates elsewhere in those first lines only support others.

Each piece votes for the pieces it is consistent with and against the ones it contradicts.
The best-supported piece anchors the answer; the most specific piece consistent with it
gives the value. So a post's day that falls inside a `date 2021-11` header wins over the
header, and a page widget at the very top ("Thursday, August 15, 2024" above a 2022
story) neither stands alone nor outvotes the article's own date. A weekday that does not
fit its date, a date before 1990 or one that does not exist lowers or removes the piece.
With no day-level evidence the answer stays at month or year precision.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from rasd.document import DatePrecision, Document, PublicationDate, Segment, SegmentKind, Span
from rasd.text.dates_lexicon import lexicon
from rasd.text.dates_scan import DateMention, Window, fold, scan, today_weekday
from rasd.text.dates_url import url_date, valid_date

log = logging.getLogger(__name__)

HEAD_CHARS = 600  # datelines and time stamps are looked for this far into the body
TAIL_CHARS = 400  # a labelled time stamp may also close the page
MIN_STRENGTH = 2.0  # trust plus agreeing support an answer needs
MIN_TRUST = 1.5  # a piece below this only ever supports others
SUPPORT_CAP = 1.0  # many passing mentions of one date add up to at most this
MAX_POSTS = 100  # attribution lines read per document (bounded work on absurd input)

# How far each kind of evidence is believed on its own.
TRUST_INPUT = 6.0
TRUST_HEADER = 5.0
TRUST_PUBLISHED_LABEL = 4.5
TRUST_URL = 4.0
TRUST_ISO_STAMP = 4.0
TRUST_DATELINE = 3.0  # opens a line, "today <weekday> <date>", a short line with a clock time
TRUST_WEEKDAY_DATE = 1.5  # "<weekday> <date>" inside a sentence: needs some support
TRUST_UPDATED_LABEL = 2.0  # "Updated: ..." is later than the publication, often by days
TRUST_POST = 2.0  # the latest embedded post: the article cannot be older
TRUST_IMAGE_URL = 1.5  # upload date of an image at the top
TRUST_SUPPORT = 0.5  # a widget line, a date in a sentence, an older post
WEEKDAY_MISMATCH = 0.3  # factor when the written weekday does not fit the date
TODAY_WEEKDAY = 1.0  # bonus/malus from "today is <weekday>" for day-level pieces

_HEADER = re.compile(
    r"\A[\ufeff \t]*date[ \t]+(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?(?![\d\-])",
    re.IGNORECASE,
)
_ISO_HINT = re.compile(r"\s*(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?(?:[T ][\d:.+\-Z]*)?\s*\Z")
# "— Sarwan Wllatzheri (@SarwanBarzani_) " : the date follows
_ATTRIBUTION = re.compile(r"[—–][ \t]?[^\n()—–]{0,80}?\(@[A-Za-z0-9_]{1,15}\)[ \t]*")
_YEAR_DIGITS = re.compile(r"\d{4}")  # any script's digits: a cheap test before folding text
_URL_IN_TEXT = re.compile(r"https?://[^\s()<>\"'\]]+")
_IMAGE = re.compile(r"\.(?:jpe?g|png|webp|gif)(?:[?#]|$)", re.IGNORECASE)
_PRECISION_RANK = {DatePrecision.DAY: 3, DatePrecision.WEEK: 2, DatePrecision.MONTH: 1, DatePrecision.YEAR: 0}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence for the publication date."""

    value: dt.date
    precision: DatePrecision
    source: str  # "input", "header", "url", "metadata", "dateline", "post"
    trust: float
    span: Span | None = None
    note: str = ""  # what kind of piece it is, for explanations and logs

    @property
    def claims(self) -> bool:
        return self.trust >= MIN_TRUST

    @property
    def interval(self) -> tuple[dt.date, dt.date]:
        if self.precision is DatePrecision.DAY:
            return self.value, self.value
        if self.precision is DatePrecision.WEEK:
            return self.value, self.value + dt.timedelta(days=6)
        if self.precision is DatePrecision.MONTH:
            nxt = dt.date(self.value.year + self.value.month // 12, self.value.month % 12 + 1, 1)
            return self.value, nxt - dt.timedelta(days=1)
        return dt.date(self.value.year, 1, 1), dt.date(self.value.year, 12, 31)


def find_publication_date(document: Document, segments: list[Segment]) -> PublicationDate | None:
    """The document's publication date, its precision and its evidence; None if unknown."""
    evidence, head = _collect(document, segments)
    today = None
    if any(piece.precision is DatePrecision.DAY for piece in evidence):
        today = today_weekday(head or fold(document.text, *_head(document.text)[1:]))
    chosen = decide(evidence, today)
    if chosen is None:
        return None
    log.debug("%s: publication date %s from %s (%s)", document.label, chosen.value, chosen.source, chosen.note)
    return PublicationDate(chosen.value, chosen.precision, chosen.source, chosen.span)


def collect_evidence(document: Document, segments: Sequence[Segment] = ()) -> list[Evidence]:
    """Every piece of date evidence in the document, in no particular order."""
    return _collect(document, segments)[0]


def _collect(document: Document, segments: Sequence[Segment]) -> tuple[list[Evidence], Window | None]:
    """The evidence, and the folded head of the body when it had to be folded."""
    text = document.text
    found: list[Evidence] = []
    if document.published_hint:
        found.extend(_from_hint(document.published_hint))
    header, body_start, head_end = _head(text)
    if header:
        piece = _ymd(header["y"], header["m"], header["d"])
        if piece:
            found.append(Evidence(*piece, "header", TRUST_HEADER, Span(header.start("y"), header.end()), "header line"))
    if document.url:
        hit = url_date(document.url)
        if hit:
            found.append(Evidence(hit.value, hit.precision, "url", TRUST_URL, None, "document URL"))
    posts = _post_evidence(text, segments)
    found.extend(posts)
    found.extend(_image_evidence(text, body_start, head_end))
    language_at = _language_lookup(segments)
    head = None
    if _YEAR_DIGITS.search(text, body_start, head_end):  # no year, no full date: skip folding
        head = fold(text, body_start, head_end)
        skip = [(s.start, s.end) for s in segments if s.kind is SegmentKind.POST]
        skip += [(p.span.start, p.span.end) for p in posts if p.span]
        for mention in scan(head, language_at=language_at):
            if not _inside(mention, skip):
                found.append(_from_mention(mention))
    tail_start = max(head_end, len(text) - TAIL_CHARS)
    if _YEAR_DIGITS.search(text, tail_start) and lexicon().label_hint.search(text, tail_start):
        tail = fold(text, tail_start, len(text))
        for mention in scan(tail, language_at=language_at, labelled_only=True):
            found.append(_from_mention(mention))
    return found, head


def decide(evidence: Sequence[Evidence], today: int | None = None) -> Evidence | None:
    """The piece whose date is the answer, or None when nothing is believable enough.

    `today` is the weekday the text calls today (0 = Monday), if it says so.
    """
    if not evidence:
        return None
    strength: list[float] = []
    score: list[float] = []
    for i, piece in enumerate(evidence):
        support = passing = against = 0.0
        for j, other in enumerate(evidence):
            if i == j:
                continue
            if _compatible(piece, other):
                if other.claims:
                    support += other.trust
                else:
                    passing += other.trust
            elif other.claims:
                against += other.trust
        total = piece.trust + support + min(passing, SUPPORT_CAP)
        if today is not None and piece.precision is DatePrecision.DAY:
            total += TODAY_WEEKDAY if piece.value.weekday() == today else -TODAY_WEEKDAY
        strength.append(total)
        score.append(total - against)
    anchors = [i for i, p in enumerate(evidence) if p.claims and strength[i] >= MIN_STRENGTH]
    if not anchors:
        return None
    # Ties go to the earlier date: a later one is what page widgets and updates show.
    anchor = max(anchors, key=lambda i: (score[i], evidence[i].trust, -evidence[i].value.toordinal()))
    pool = [
        i
        for i, p in enumerate(evidence)
        if p.claims and (i == anchor or _compatible(evidence[anchor], p))
    ]
    best = max(
        pool,
        key=lambda i: (
            _PRECISION_RANK[evidence[i].precision],
            score[i],
            evidence[i].trust,
            -evidence[i].value.toordinal(),
        ),
    )
    return evidence[best]


def _compatible(a: Evidence, b: Evidence) -> bool:
    """Do two pieces agree? Days within one day of each other do (time zones)."""
    if a.precision is DatePrecision.DAY and b.precision is DatePrecision.DAY:
        return abs((a.value - b.value).days) <= 1
    a_lo, a_hi = a.interval
    b_lo, b_hi = b.interval
    return a_lo <= b_hi and b_lo <= a_hi


def _from_mention(mention: DateMention) -> Evidence:
    """Weigh a date found in the text by where it stands and how it is written."""
    span = Span(mention.start, mention.end)
    if mention.label == "published":
        source, trust, note = "metadata", TRUST_PUBLISHED_LABEL, "published label"
    elif mention.iso:
        source, trust, note = "metadata", TRUST_ISO_STAMP, "ISO time stamp"
    elif mention.label == "updated":
        source, trust, note = "metadata", TRUST_UPDATED_LABEL, "updated label"
    elif mention.line_start and mention.first_line and mention.standalone and mention.weekday is not None:
        # A lone "weekday, date" line above everything else is the site's today-widget.
        source, trust, note = "dateline", TRUST_SUPPORT, "widget-like top line"
    elif mention.line_start or mention.today or mention.stamp:
        note = "dateline" if mention.line_start else "today + date" if mention.today else "time stamp line"
        source, trust = "dateline", TRUST_DATELINE
    elif mention.weekday is not None:
        source, trust, note = "dateline", TRUST_WEEKDAY_DATE, "weekday + date in a sentence"
    else:
        source, trust, note = "dateline", TRUST_SUPPORT, "date in a sentence"
    if mention.weekday_agrees is False:
        trust *= WEEKDAY_MISMATCH
        note += ", weekday does not fit"
    return Evidence(mention.value, DatePrecision.DAY, source, trust, span, note)


def _post_evidence(text: str, segments: Sequence[Segment]) -> list[Evidence]:
    """Dates of embedded posts: the latest one claims, older ones only support."""
    dated: dict[dt.date, Span | None] = {}
    for segment in segments:
        if segment.kind is SegmentKind.POST and segment.post and segment.post.date:
            try:
                value = dt.date.fromisoformat(segment.post.date[:10])
            except ValueError:
                continue
            if valid_date(value.year, value.month, value.day):
                dated.setdefault(value, segment.span)
    for count, match in enumerate(_ATTRIBUTION.finditer(text)):
        if count == MAX_POSTS:
            break
        end = match.end()
        for mention in scan(fold(text, end, min(len(text), end + 40))):
            if mention.start == end:
                dated[mention.value] = Span(mention.start, mention.end)  # the date itself
            break
    if not dated:
        return []
    latest = max(dated)
    return [
        Evidence(value, DatePrecision.DAY, "post", TRUST_POST if value == latest else TRUST_SUPPORT, span, "embedded post")
        for value, span in dated.items()
    ]


def _image_evidence(text: str, start: int, end: int) -> Iterable[Evidence]:
    for match in _URL_IN_TEXT.finditer(text, start, end):
        if not _IMAGE.search(match.group()):
            continue
        hit = url_date(match.group())
        if hit:
            span = Span(match.start() + hit.start, match.start() + hit.end)
            yield Evidence(hit.value, hit.precision, "url", TRUST_IMAGE_URL, span, "image file name")


def _from_hint(hint: str) -> list[Evidence]:
    match = _ISO_HINT.match(hint)
    if match:
        piece = _ymd(match["y"], match["m"], match["d"])
        return [Evidence(*piece, "input", TRUST_INPUT, None, "input field")] if piece else []
    mentions = scan(fold(hint, 0, len(hint)))
    if mentions:
        return [Evidence(mentions[0].value, DatePrecision.DAY, "input", TRUST_INPUT, None, "input field")]
    log.debug("unreadable published hint %r", hint)
    return []


def _ymd(year: str, month: str | None, day: str | None) -> tuple[dt.date, DatePrecision] | None:
    if day:
        value = valid_date(int(year), int(month or 0), int(day))
        return (value, DatePrecision.DAY) if value else None
    if month:
        value = valid_date(int(year), int(month))
        return (value, DatePrecision.MONTH) if value else None
    value = valid_date(int(year), 1)
    return (value, DatePrecision.YEAR) if value else None


def _head(text: str) -> tuple[re.Match[str] | None, int, int]:
    """The header match, where the body starts, and where the searched head ends."""
    header = _HEADER.match(text)
    start = header.end() if header else 0
    return header, start, _line_end(text, min(len(text), start + HEAD_CHARS))


def _line_end(text: str, offset: int, reach: int = 200) -> int:
    """Extend `offset` to the end of its line, but never by more than `reach` characters."""
    newline = text.find("\n", offset, offset + reach)
    return newline if newline >= 0 else min(len(text), offset + reach)


def _language_lookup(segments: Sequence[Segment]) -> Callable[[int], str | None] | None:
    """Language of the segment covering an offset (how numeric dates are read there)."""
    if not segments:
        return None
    ordered = sorted(segments, key=lambda s: s.start)
    starts = [s.start for s in ordered]

    def language_at(offset: int) -> str | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and ordered[i].start <= offset < ordered[i].end:
            return ordered[i].language
        return None

    return language_at


def _inside(mention: DateMention, spans: list[tuple[int, int]]) -> bool:
    return any(start <= mention.start and mention.end <= end for start, end in spans)
