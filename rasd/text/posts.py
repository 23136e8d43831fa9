"""Embedded social-media posts: the tweet text, its attribution line and its links.

A pasted tweet looks like

    The #Iraqi Prime Minister ... survived a murder attempt.
    Picture of Kadhimi's house after the attack. pic.twitter.com/kDXfCfj9jf
    — Sarwan Wllatzheri (@SarwanBarzani_) November 7, 2021

or all on one line. The attribution "— Name (@handle) Month D, YYYY" belongs to the post and
gives its author, handle and date (month names come from every language pack's
calendar.tsv). Walking back from an attribution line, the paragraph right before it is the
post's text, and earlier paragraphs join while they look like the same post: hashtags,
handles, tweet links or emoji, or a script other than the article's. A paragraph with a
t.co / pic.twitter.com link, or a short one in another script addressed with @handles,
is a post even without an attribution line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rasd.document import PostInfo
from rasd.lang import all_tables
from rasd.text.normalize import normalize_term

TWEET_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:t\.co|pic\.twitter\.com|(?:mobile\.)?twitter\.com|x\.com)/[^\s\"'”<>)]+",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,30}\b")
HASHTAG = re.compile(r"(?<![\w&#])#[^\W\d_]\w*")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff]")
_URL = re.compile(r"(?:https?://|www\.)[^\s\"'”<>)]+")
# At most this many paragraphs before an attribution line are taken as the post's text.
_MAX_POST_PARAGRAPHS = 4
# A post without an attribution line is at most this long (a tweet, not an article).
_MAX_UNATTRIBUTED = 700


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution line found at the end of a paragraph."""

    start: int  # where the dash starts (absolute offset)
    end: int
    author: str | None
    handle: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Post:
    """One embedded post: the paragraphs it covers and what is known about it."""

    paragraphs: tuple[int, ...]
    info: PostInfo
    attribution: Attribution | None


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for rows in all_tables("calendar").values():
        for row in rows:
            if row.get("kind") == "month" and row.get("form"):
                months[normalize_term(row["form"])] = int(row["value"])
    return months


@lru_cache(maxsize=1)
def _attribution_pattern() -> re.Pattern[str]:
    names = sorted(_months(), key=len, reverse=True)
    month = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    date = (
        rf"(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
        rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{month})\.?,?\s+(?P<y2>\d{{4}})"
    )
    return re.compile(
        r"(?:^|(?<=\s))(?:[—–―]|--?)\s*(?P<author>[^\n()—–]{0,80}?)\s*"
        r"\(\s*@(?P<handle>[A-Za-z0-9_]{1,30})\s*\)"
        rf"\s*(?:{date})?[\s.]*$",
        re.IGNORECASE,
    )


def find_attribution(text: str, start: int, end: int) -> Attribution | None:
    """The attribution line ending the paragraph text[start:end], if there is one."""
    chunk = text[start:end]
    if "@" not in chunk:
        return None
    match = _attribution_pattern().search(chunk)
    if match is None:
        return None
    date = None
    day, month, year = (match["d1"], match["m1"], match["y1"]) if match["m1"] else (
        match["d2"], match["m2"], match["y2"])
    if month:
        number = _months().get(normalize_term(month))
        if number and 1 <= int(day) <= 31:
            date = f"{int(year):04d}-{number:02d}-{int(day):02d}"
    author = (match["author"] or "").strip() or None
    return Attribution(start + match.start(), start + match.end(), author, match["handle"], date)


def links(text: str) -> list[str]:
    """Tweet links and other URLs in `text`, in order, without repeats."""
    found = [m.group().rstrip(".,،;:!?") for m in TWEET_LINK.finditer(text)]
    found += [m.group().rstrip(".,،;:!?") for m in _URL.finditer(text)]
    return list(dict.fromkeys(sorted(found, key=text.find)))


def looks_posted(chunk: str) -> bool:
    """Marks of social-media text: hashtags, handles, tweet links, emoji."""
    return bool(
        ("#" in chunk and HASHTAG.search(chunk))
        or ("@" in chunk and HANDLE.search(chunk))
        or ("/" in chunk and TWEET_LINK.search(chunk))
        or EMOJI.search(chunk)
    )


def find_posts(
    text: str,
    spans: Sequence[tuple[int, int]],
    script_of: Callable[[int], str | None],
    main_script: str | None,
    excluded: Callable[[int], bool],
) -> list[Post]:
    """Posts among the paragraphs `spans` (start, end) of `text`.

    `script_of(i)`: the script most of paragraph i is in ('arab', 'latn', 'other', None);
    `main_script`: the article's. `excluded(i)`: paragraph i cannot be part of a post
    (page debris, the date header).
    """

    def foreign(i: int) -> bool:
        return script_of(i) not in (None, main_script)

    posts: list[Post] = []
    taken: set[int] = set()
    for i, (start, end) in enumerate(spans):
        if i in taken or excluded(i):
            continue
        attribution = find_attribution(text, start, end)
        if attribution is None:
            continue
        members = [i]
        if text[start : attribution.start].strip() == "":  # the line is the attribution alone
            j = i - 1
            post_script: str | None = None
            while j >= 0 and len(members) <= _MAX_POST_PARAGRAPHS and j not in taken and not excluded(j):
                chunk = text[spans[j][0] : spans[j][1]]
                first = len(members) == 1
                if first:
                    post_script = script_of(j)
                elif script_of(j) != post_script or not (looks_posted(chunk) or foreign(j)):
                    break  # earlier paragraphs join only in the post's script, marked as posted
                if not first and find_attribution(text, *spans[j]):
                    break
                members.insert(0, j)
                j -= 1
        # a link-only line right after the attribution belongs to it too
        if i + 1 < len(spans) and not excluded(i + 1) and _link_only(text, *spans[i + 1]):
            members.append(i + 1)
        taken.update(members)
        body = " ".join(text[spans[k][0] : spans[k][1]] for k in members)
        info = PostInfo(attribution.author, attribution.handle, attribution.date, tuple(links(body)))
        posts.append(Post(tuple(members), info, attribution))
    for i, (start, end) in enumerate(spans):
        if i in taken or excluded(i) or end - start > _MAX_UNATTRIBUTED:
            continue
        chunk = text[start:end]
        tweet_link = "/" in chunk and TWEET_LINK.search(chunk) is not None and any(
            host in chunk.lower() for host in ("t.co/", "pic.twitter.com/", "/status/")
        )
        addressed = "@" in chunk and HANDLE.search(chunk) is not None and (
            foreign(i) or chunk.lstrip().startswith("@") or HASHTAG.search(chunk) is not None
        )
        if tweet_link or addressed:
            taken.add(i)
            posts.append(Post((i,), PostInfo(links=tuple(links(chunk))), None))
    posts.sort(key=lambda post: post.paragraphs[0])
    return posts


def _link_only(text: str, start: int, end: int) -> bool:
    chunk = text[start:end]
    return TWEET_LINK.fullmatch(chunk.strip()) is not None
