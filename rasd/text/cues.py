"""Boilerplate and caption cues from the language packs, compiled once.

Each pack may have rasd/lang/<code>/boilerplate.tsv (columns: cue, match, kind, max_words,
open; the file's header comment explains them). Cues of every pack apply to every text:
an English "Share this article" is page furniture in an Arabic page too. Cues are folded
like the text (rasd.text.normalize) and compiled into one regular expression per match
mode; a named group per cue says which cue matched, so its limits can be checked.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.document import SegmentKind
from rasd.lang import all_tables
from rasd.text.normalize import normalize_term

log = logging.getLogger(__name__)

MODES = ("line", "prefix", "contains", "split", "suffix", "list")
_FINAL = frozenset(".!?؟…")
_CLOSERS = "\"'”’»)]} \t"
# How much of a sentence's end a suffix cue is looked for in.
_SUFFIX_WINDOW = 80


@dataclass(frozen=True, slots=True)
class Cue:
    text: str
    mode: str
    kind: SegmentKind
    max_words: int  # 0: any length
    open: bool  # only for units that do not end with sentence punctuation


@dataclass(frozen=True, slots=True)
class CueMatch:
    cue: Cue
    start: int  # span of the match in the folded text
    end: int


def terminated(text: str) -> bool:
    """Does the text end with sentence punctuation (closing quotes and brackets aside)?"""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL


def _pattern(folded: str, mode: str) -> str:
    parts: list[str] = []
    tokens = re.findall(r"\w+|\s+|[^\w\s]", folded)
    for i, token in enumerate(tokens):
        if token[0].isspace():
            neighbours = tokens[i - 1 : i] + tokens[i + 1 : i + 2]
            if all(n[0].isalnum() or n[0] == "_" for n in neighbours):
                parts.append(r"\s+")
        elif token[0].isalnum() or token[0] == "_":
            parts.append(re.escape(token))
        else:
            parts.append(r"\s*" + re.escape(token) + r"\s*")
    body = "".join(parts)
    word_start = folded[0].isalnum()
    word_end = folded[-1].isalnum()
    if mode == "contains" and word_start:
        body = r"(?<!\w)" + body
    if mode in ("prefix", "contains", "list") and word_end:
        body += r"(?!\w)"
    elif mode == "split" and word_end:  # may be glued to text in another script
        body += r"(?![a-z])" if folded[-1].isascii() else r"(?![^\W\da-z_])"
    if mode == "suffix" and word_start:
        body = r"(?<!\w)" + body
    return body


@dataclass(frozen=True, slots=True)
class _Compiled:
    """The cues of one match mode, grouped so that a unit is only tried against the cues
    that can match it: anchored modes by the cue's first word (or leading mark), contains
    and suffix by the cue's longest word. One alternation of every cue tried at every
    position would cost tens of microseconds per paragraph."""

    groups: dict[str, str]  # key -> regular expression (source)
    cues: dict[str, Cue]
    marks: frozenset[str]  # keys that are punctuation (looked up as substrings/leading marks)
    max_words: int  # no cue of this mode can match a unit with more words (0: no limit)
    # The expressions compiled so far: each is compiled the first time a unit could match
    # it, so a process pays only for the groups its texts reach (compiling all of them
    # costs ~50 ms at every start).
    compiled: dict[str, re.Pattern[str]]

    def pattern(self, key: str) -> re.Pattern[str] | None:
        found = self.compiled.get(key)
        if found is None:
            source = self.groups.get(key)
            if source is None:
                return None
            found = self.compiled[key] = re.compile(source)
        return found


_WORD = re.compile(r"\w+")
_FIRST_WORD = re.compile(r"[\W\d_]*?([^\W\d_]\w*)")
_ANCHORED = ("line", "prefix", "split", "list")


def _key(folded: str, mode: str) -> str:
    words = _WORD.findall(folded)
    if mode in _ANCHORED:
        return words[0] if words and folded[0].isalnum() else folded[0]
    return max(words, key=len) if words else folded.strip()


@lru_cache(maxsize=1)
def _compiled() -> dict[str, _Compiled]:
    by_mode: dict[str, list[Cue]] = {mode: [] for mode in MODES}
    for language, rows in all_tables("boilerplate").items():
        for row in rows:
            mode = row.get("match", "")
            cue_text = row.get("cue", "")
            if mode not in by_mode or not cue_text:
                log.warning("boilerplate.tsv (%s): ignored row %r", language, row)
                continue
            kind = SegmentKind(row.get("kind") or "boilerplate")
            cue = Cue(cue_text, mode, kind, int(row.get("max_words") or 0), row.get("open") == "1")
            by_mode[mode].append(cue)
            if mode == "list" and cue.max_words:  # "Also read: <headline>" on one line
                by_mode["prefix"].append(Cue(cue_text, "prefix", kind, cue.max_words, cue.open))
            if mode == "split":  # the notice on a line of its own
                by_mode["line"].append(Cue(cue_text, "line", kind, 0, False))
    compiled: dict[str, _Compiled] = {}
    for mode, cues in by_mode.items():
        cues.sort(key=lambda c: len(c.text), reverse=True)  # longest cue first
        names: dict[str, Cue] = {}
        grouped: dict[str, list[str]] = {}
        limits: list[int] = []
        for cue in cues:
            folded = normalize_term(cue.text)
            if not folded:
                continue
            name = f"c{len(names)}"
            names[name] = cue
            grouped.setdefault(_key(folded, mode), []).append(f"(?P<{name}>{_pattern(folded, mode)})")
            # a line cue is the whole unit (give or take digits and marks around it)
            limits.append(len(folded.split()) + 4 if mode in ("line", "list") else cue.max_words)
        groups = {}
        for key, branches in grouped.items():
            alternation = "|".join(branches)
            if mode in ("line", "list"):
                regex = rf"^[\W\d_]*?(?:{alternation})[\W\d_]*$"
            elif mode in ("prefix", "split"):
                regex = rf"^[\W\d_]*?(?:{alternation})"
            elif mode == "suffix":
                regex = rf"(?:{alternation})[\W\d_]*$"
            else:
                regex = alternation
            groups[key] = regex
        marks = frozenset(k for k in groups if not (k[:1].isalnum() or k[:1] == "_"))
        limit = 0 if not limits or 0 in limits else max(limits)
        compiled[mode] = _Compiled(groups, names, marks, limit, {})
    return compiled


def contains_max_words() -> int:
    """No contains cue applies to a unit with more words than this (0: any length)."""
    return _compiled()["contains"].max_words


def match(mode: str, folded: str, words: int, is_terminated: bool) -> CueMatch | None:
    """The cue of `mode` that applies to a unit (paragraph or sentence), if any.

    `folded` is the unit's normalised text, `words` its word count, `is_terminated`
    whether it ends with sentence punctuation.
    """
    table = _compiled()[mode]
    if not folded or (table.max_words and words > table.max_words):
        return None
    found = _find(table, mode, folded)
    if found is None or found.lastgroup is None:
        return None
    cue = table.cues[found.lastgroup]
    if cue.max_words and words > cue.max_words:
        return None
    if cue.open and is_terminated:
        return None
    start, end = found.span(found.lastgroup)
    return CueMatch(cue, start, end)


@lru_cache(maxsize=256)
def _opening(folded: str) -> tuple[str, str]:
    """(first word, marks before it): the keys an anchored cue can start with. Cached:
    each unit is tried against several modes in a row."""
    first = _FIRST_WORD.match(folded)
    word = first.group(1) if first is not None else ""
    lead = folded[: first.start(1) if first else 3].strip()[:3]
    return word, lead


def _find(table: _Compiled, mode: str, folded: str) -> re.Match[str] | None:
    groups = table.groups
    if mode in _ANCHORED:
        word, lead = _opening(folded)
        keys = [word] if word else []
        keys.extend(mark for mark in lead if mark in table.marks)
        for key in keys:
            pattern = table.pattern(key)
            if pattern is not None and (found := pattern.match(folded)) is not None:
                return found
        return None
    offset = max(0, len(folded) - _SUFFIX_WINDOW) if mode == "suffix" else 0
    region = folded[offset:] if offset else folded
    best: re.Match[str] | None = None
    for key in [k for k in groups if k in region]:  # substring tests: cheap, then the regex
        found = table.pattern(key).search(folded, offset)  # type: ignore[union-attr]
        if found is not None and (best is None or found.start() < best.start()):
            best = found
    return best
