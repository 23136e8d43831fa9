"""Find place names in text: token n-grams (1-4 words) looked up in the gazetteer's key table.

Arabic tokens are tried with their proclitics peeled (ببغداد -> بغداد, للفلوجة -> الفلوجة);
Latin names must be capitalised and may carry the article (al-/el-/Al). At each token the
longest name wins. Multi-word names of things that are not places ("Washington Post") are
in the stop-list and block the shorter names inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.annotate.memo import look_up_all
from rasd.annotate.places.gazetteer import Candidate, Gazetteer
from rasd.annotate.places.keys import TOKEN, fold_token, is_arabic
from rasd.annotate.places.lexicon import Cue, Lexicon
from rasd.annotate.tokens import normalized

MAX_TOKENS = 5
# Between two words of one name: spaces, a hyphen or an apostrophe, nothing else.
_JOIN = re.compile(r"[\s\-'’]*")


@dataclass(slots=True)
class Token:
    start: int  # offsets in the ORIGINAL document text
    end: int
    norm: str  # normalised text of the token
    key: str  # folded key of the token
    arabic: bool
    segment: int  # index of the segment it came from
    upper: bool  # original starts with a capital letter
    caps: bool  # original is all capitals (an abbreviation: US, UK)
    gap_before: str  # original text between the previous token and this one


@dataclass(slots=True)
class Match:
    first: int  # token indices (inclusive)
    last: int
    start: int  # original span
    end: int
    key: str
    cost: int  # 0 as written, 1 clitic peeled, 2 article restored
    clitic: str  # the peeled proclitics, normalised ("" when none)
    demonym: str | None = None  # ISO alpha-3 when the match is a nationality word
    candidates: list[Candidate] = field(default_factory=list)


class TokenList:
    """The tokens of the scanned spans of a text. Offsets, keys and segment numbers are kept
    in flat lists (cheap for the scan); a `Token` with original offsets and case is built
    only when asked for (around matches)."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.text = text
        self.words: list[str] = []
        self.seg: list[int] = []
        self._nstart: list[int] = []
        self._nend: list[int] = []
        self._norms = []
        finditer = TOKEN.finditer
        for number, (seg_start, seg_end) in enumerate(spans):
            # the time and number taggers read the same segments next: share the work
            norm = normalized(text[seg_start:seg_end])
            self._norms.append((seg_start, norm))
            found = list(finditer(norm.text))
            if found:
                self.words += [m.group() for m in found]
                self._nstart += [m.start() for m in found]
                self._nend += [m.end() for m in found]
                self.seg += [number] * len(found)
        # an Arabic word is its own key (already folded by the normaliser)
        self.keys = [w if "\u0600" <= w[0] <= "\u06ff" else fold_token(w) for w in self.words]
        self._built: dict[int, Token] = {}

    def __len__(self) -> int:
        return len(self.words)

    def joined(self, j: int) -> bool:
        """Can token j continue a name that ends at token j-1 (same segment, only a space,
        hyphen or apostrophe between)?"""
        if self.seg[j] != self.seg[j - 1]:
            return False
        folded = self._norms[self.seg[j]][1].text
        gap = folded[self._nend[j - 1] : self._nstart[j]]
        if gap == "." and len(self.words[j]) == 1 and len(self.words[j - 1]) == 1:
            return True  # initials: U.S., U.K.
        return gap == " " or _JOIN.fullmatch(gap) is not None

    def _orig(self, i: int) -> tuple[int, int]:
        base, norm = self._norms[self.seg[i]]
        start, end = norm.to_original(self._nstart[i], self._nend[i])
        return base + start, base + end

    def __getitem__(self, i: int) -> Token:
        tok = self._built.get(i)
        if tok is None:
            start, end = self._orig(i)
            original = self.text[start:end]
            word = self.words[i]
            arabic = is_arabic(word)
            if i > 0 and self.seg[i - 1] == self.seg[i]:
                gap = self.text[self._orig(i - 1)[1] : start]
            else:
                gap = "\n"
            tok = Token(
                start=start, end=end, norm=word, key=self.keys[i], arabic=arabic,
                segment=self.seg[i], upper=(not arabic) and original[:1].isupper(),
                caps=(not arabic) and original.isupper(), gap_before=gap,
            )
            self._built[i] = tok
        return tok


def tokenize(text: str, spans: list[tuple[int, int]]) -> TokenList:
    """Tokens of the given (start, end) spans of `text`, in order."""
    return TokenList(text, spans)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def stems(token: Token, lex: Lexicon) -> tuple[tuple[str, int, int, str], ...]:
    """(key, cost, offset of the name in the token, peeled clitics) readings of a token."""
    if not token.arabic:
        return ((token.key, 0, 0, ""),)
    return word_stems(token.norm, lex)


@lru_cache(maxsize=100_000)
def word_stems(word: str, lex: Lexicon) -> tuple[tuple[str, int, int, str], ...]:
    """Readings of an Arabic word: as written, with proclitics peeled, with ال restored."""
    readings = [(word, 0, 0, "")]
    for layer in lex.clitic_layers:
        added = []
        for text, _cost, offset, clitic in readings:
            for prefix, replacement in layer:
                if text.startswith(prefix) and len(text) - len(prefix) >= 2:
                    rest = replacement + text[len(prefix):]
                    shift = len(prefix) - _common_suffix(prefix, replacement)
                    added.append((rest, 1, offset + shift, clitic + prefix))
        readings += added
    article = [
        ("ال" + text, 2, offset, clitic)
        for text, _cost, offset, clitic in readings
        if not text.startswith("ال") and len(text) >= 3
    ]
    return tuple(readings + article)


def cue_of(token: Token, lex: Lexicon) -> Cue | None:
    """The cue a token is, also under a proclitic (بمحافظة is محافظة)."""
    cue = lex.cues.get(token.norm)
    if cue is not None or not token.arabic:
        return cue
    for text, cost, _offset, _clitic in stems(token, lex):
        if cost == 1 and text in lex.cues:
            return lex.cues[text]
    return None


_STOP, _DEMONYM, _PLACE = "stop", "demonym", "place"
_RANK = {_STOP: 2, _DEMONYM: 1, _PLACE: 0}


def _kind(key: str, lex: Lexicon, gaz_keys) -> str | None:
    """What a key names: a stop-list entry, a demonym, a place (in that order), or nothing."""
    if key in lex.stop:
        return _STOP
    if key in lex.demonyms:
        return _DEMONYM
    if key in gaz_keys:
        return _PLACE
    return None


_OPENINGS_MAX = 1 << 17


@lru_cache(maxsize=4)
def _openings_memo(lex: Lexicon, gaz: Gazetteer) -> dict[str, tuple[tuple, ...]]:
    """Word -> `_openings`, for one lexicon and gazetteer: a plain dict, because a lookup
    per token is the recogniser's inner loop (an lru_cache call with four arguments costs
    several times more). Arabic words and Latin keys never collide (different scripts).
    Cleared when it grows past _OPENINGS_MAX words."""
    return {}


def _openings(word: str, arabic: bool, lex: Lexicon, gaz: Gazetteer) -> tuple[tuple, ...]:
    """The readings of one token that can begin a match: (key, cost, offset, clitic, kind,
    extends), where kind is what the reading names on its own (or None) and `extends` says
    whether a longer name may start with it. Most words have none. `word` is the token
    itself for Arabic, its folded key for Latin."""
    readings = word_stems(word, lex) if arabic else ((word, 0, 0, ""),)
    found = []
    for key, cost, offset, clitic in readings:
        kind = _kind(key, lex, gaz.keys)
        extends = key in gaz.prefixes or key in lex.demonym_prefixes
        if kind is not None or extends:
            found.append((key, cost, offset, clitic, kind, extends))
    return tuple(found)


def find_matches(tokens: TokenList, gaz: Gazetteer, lex: Lexicon) -> list[Match]:
    """Longest gazetteer/demonym/stop-list names, left to right, without overlaps."""
    keys_prefixes = gaz.prefixes
    gaz_keys = gaz.keys
    demonym_prefixes = lex.demonym_prefixes
    stop = lex.stop
    demonyms = lex.demonyms
    words, keys = tokens.words, tokens.keys
    out: list[Match] = []
    n = len(words)
    # what each token can open (an Arabic token is its own key, a Latin one its folded
    # key); most open nothing and are not visited
    opening_at = look_up_all(_openings_memo(lex, gaz), keys,
                             lambda key: _openings(key, is_arabic(key), lex, gaz), _OPENINGS_MAX)
    i = 0  # the first token not yet covered by a match
    for position in [k for k, found in enumerate(opening_at) if found]:
        if position < i:
            continue
        i = position
        word = words[i]
        arabic = "\u0600" <= word[0] <= "\u06ff"
        if not arabic and keys[i] == "al" and i + 1 < n and tokens.joined(i + 1):
            continue  # the article joins the next word's match
        openings = opening_at[i]
        best: tuple | None = None  # (length, -cost, kind_rank, last, key, cost, offset, clitic, kind)
        for key0, cost, offset, clitic, kind0, extends in openings:
            if kind0 is not None:
                option = (0, -cost, _RANK[kind0], i, key0, cost, offset, clitic, kind0)
                if best is None or option[:3] > best[:3]:
                    best = option
            if not extends:
                continue
            key, j = key0, i
            while j + 1 < n and j - i + 1 < MAX_TOKENS:
                if j > i and key not in keys_prefixes and key not in demonym_prefixes:
                    break
                if not tokens.joined(j + 1):
                    break
                j += 1
                key = key + " " + keys[j]
                kind = _kind(key, lex, gaz_keys)
                if kind is not None:
                    option = (j - i, -cost, _RANK[kind], j, key, cost, offset, clitic, kind)
                    if best is None or option[:3] > best[:3]:
                        best = option
        if best is None:
            continue
        _len, _c, _r, last, key, cost, offset, clitic, kind = best
        i_next = last + 1
        if kind == "stop" and stop[key] == "never":
            i = i_next
            continue
        tok = tokens[i]
        start = tok.start + offset
        if not arabic and i > 0 and keys[i - 1] == "al" and tokens.joined(i):
            prev = tokens[i - 1]
            if prev.norm in ("al", "el"):
                start = prev.start
        match = Match(i, last, start, tokens[last].end, key, cost, clitic)
        if kind == "demonym":
            match.demonym = demonyms[key][0]
        if _plausible(match, tokens, lex, kind):
            out.append(match)
        i = i_next
    return out


def _plausible(match: Match, tokens: TokenList, lex: Lexicon, kind: str) -> bool:
    """Surface checks: Latin names capitalised, abbreviations exact, no bare cue words."""
    first = tokens[match.first]
    single = match.first == match.last
    if single and match.cost == 0 and first.norm in lex.cues and kind != "demonym":
        return False
    if single and match.cost and match.key in lex.cues:
        return False
    if first.arabic:
        return len(match.key.replace(" ", "")) >= 3
    if not first.upper:
        return False
    if kind == "demonym" and lex.demonyms[match.key][1]:
        return all(tokens[k].caps for k in range(match.first, match.last + 1))
    return len(match.key.replace(" ", "")) >= 3
