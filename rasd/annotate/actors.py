"""Actors: who acts or is acted upon, with sector and country, in Arabic and English.

No NER model for Arabic names of people and organisations works offline, so actors are found
with the language pack's lexicons and a small phrase grammar over their matches:

- heads: roles (رئيس الوزراء، "spokesman"), collectives (متظاهرون، "gunmen"), institutions
  (وزارة الخارجية، "the army"), named organisations (الحوثيون، "Hezbollah"), known persons,
  country names used for their government (أعلنت السعودية، "Iran said");
- a head takes a country from a demonym (قوات الأمن العراقية، "Iraqi security forces"), a
  possessive ("Iraq's prime minister"), a genitive (وزير خارجية إيران) or a connector
  (رئيس الحكومة في العراق، "president of Iraq"), but not from a backer (الفصائل الموالية
  لإيران، "Iran-backed militias");
- a role takes the body it speaks or acts for (المتحدث باسم الجيش، "State Department
  spokesman", "Hezbollah leader"), and then its sector and country;
- a role or title takes the personal name after it (رئيس الوزراء مصطفى الكاظمي، "Prime
  Minister Mustafa al-Kadhimi"): a known person, or 1–3 name words bounded by stop words;
- definite descriptions point back (الوزارة، "the ministry", "the group"; a second "prime
  minister" is the first one), so they inherit the antecedent's name, sector and country.

Everything language-specific is data in `rasd/lang/<code>/` (see `actor_lexicon`). Matches are
found in the normalised text and reported as spans of the original.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.annotate.actor_coref import Draft, resolve, resolve_reference
from rasd.annotate.actor_lexicon import (
    ANAPHOR,
    BLOCK,
    COLLECTIVE,
    DEMONYM,
    GOVERNMENT,
    HEAD_KINDS,
    ORGANISATION,
    PERSON,
    ROLE,
    TITLE,
    ActorLexicon,
    Entry,
    Hit,
    delimit,
    domain_cues,
    kinds_of,
    lexicon,
)
from rasd.document import SegmentKind
from rasd.text.normalize import Normalized, normalize

if TYPE_CHECKING:
    from rasd.text import PreparedDocument

__all__ = ["ActorMention", "find_actors", "resolve_reference"]

_UNDETERMINED = frozenset({"und", "xx", "zxx", ""})
_KINDS_READ = frozenset({SegmentKind.BODY, SegmentKind.POST, SegmentKind.QUOTE})
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
_GAP_TOKEN = re.compile(r"'s|[^\W_]+|\S")
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
_SPACE = re.compile(r"[ \t]*")
_MAX_NAME_WORDS = 3
_STATE_SECTORS = frozenset({"GOV", "MIL", "POL"})


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text: span of the original text, canonical name, sector, country."""

    start: int
    end: int
    text: str  # span of the ORIGINAL text covering the whole actor phrase
    name: str  # canonical English name
    sector: str | None  # GOV MIL POL REB PTY OPP CVL MED IGO NGO BUS REL OTH
    country: str | None  # ISO 3166-1 alpha-3
    kind: str  # "organisation" | "role" | "person" | "collective" | "government"
    person: str | None = None  # personal name attached to a role
    # lexicon entries and rules that produced it, joined by "+" ("roles:رئيس الوزراء+
    # demonyms:العراقي+persons:مصطفى الكاظمي", "...+anaphor->US State Department"), then the
    # classes that anaphora may match, in brackets ("[person]", "[group|movement]")
    reason: str = ""


# --------------------------------------------------------------------------- matching


@dataclass(slots=True)
class _Atom:
    """One lexicon match in a segment (normalised offsets)."""

    kstart: int  # start of the key, proclitics included
    start: int  # start of the entry proper
    end: int
    hit: Hit
    by_kind: dict[str, Entry]  # the readings of the match, first entry of each kind

    def reading(self, *kinds: str) -> Entry | None:
        """The first reading of one of `kinds` (in the order asked), or None."""
        by_kind = self.by_kind
        for kind in kinds:
            entry = by_kind.get(kind)
            if entry is not None:
                return entry
        return None


def _case_ok(entry: Entry, original: str) -> bool:
    if entry.exact_case is not None:
        return original == entry.exact_case
    if entry.capital:
        return original[:1].isupper()
    return True


def _atoms(lex: ActorLexicon, norm: Normalized, padded: str) -> list[_Atom]:
    """Leftmost-longest, non-overlapping lexicon matches of whole words (`padded` is the
    delimited normalised text with a space on each side)."""
    text = norm.text
    # (start, -length, hit): two keys never share both start and length (they would be the
    # same string), so sorting never compares hits; the order is leftmost, then longest
    found = lex.found(padded)
    if not found:
        return []
    found.sort()
    atoms: list[_Atom] = []
    taken = 0
    particles = lex.words.get("particle", frozenset())
    for start, negative, hit in found:
        if start < taken:
            continue
        end = start - negative - 2
        if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
            if _last_word(text[max(0, start - 12) : start - 1]) not in particles:
                continue  # second half of a compound: pro-Iran, anti-government (not al-Quds)
        if hit.multiword and "\n" in text[start:end]:
            continue  # a line break separates the words: not one name
        entry_start = start + hit.prefix
        by_kind = hit.by_kind
        if hit.cased:
            o_start, o_end = norm.to_original(entry_start, end)
            original = norm.original[o_start:o_end]
            entries = tuple(e for e in hit.entries if _case_ok(e, original))
            if not entries:
                continue
            by_kind = kinds_of(entries)
        if BLOCK not in by_kind:
            atoms.append(_Atom(start, entry_start, end, hit, by_kind))
        taken = end
    return atoms


_WORD = re.compile(r"[^\W\d_]+")
_TRAILING = re.compile(r"[^\W_]+$")


def _last_word(text: str, strip: bool = True) -> str:
    """The last word of `text` (after trailing punctuation and spaces when `strip`)."""
    if strip:
        text = text.rstrip(" \t\n.,;:!?()[]\"'«»“”،؛؟-")
    match = _TRAILING.search(text, max(0, len(text) - 30))
    return match.group() if match else ""


_MAX_GAP = 40  # characters between two parts of one actor phrase ("المدعومة من", "for the")


def _gap(text: str, start: int, end: int) -> list[str] | None:
    """The words between two matches, or None when punctuation or distance separates them."""
    if end < start or end - start > _MAX_GAP or "\n" in text[start:end]:
        return None
    tokens = _GAP_TOKEN.findall(text, start, end) if end > start else []
    for token in tokens:
        if not (token[0].isalnum() or token in ("-", "'s", "'")):
            return None
    return tokens


# --------------------------------------------------------------------------- phrases


@dataclass(slots=True)
class _Phrase:
    """An actor phrase being assembled from atoms."""

    start: int  # normalised offsets within the segment
    end: int
    head: Entry
    reasons: list[str]
    country: str | None = None
    body: Entry | None = None  # the organisation a role or collective belongs to
    body_anaphor: bool = False
    person_entry: Entry | None = None
    person_text: str | None = None
    title: Entry | None = None
    definite: bool = False  # last word carries the article (no construct state after it)
    classes: tuple[str, ...] = ()
    post_body: bool = False  # the body came after the head through a connector ("head of X")
    open_of: bool = False  # an unknown body follows ("a spokesperson for the junta")

    @property
    def kind(self) -> str:
        return self.head.kind


class _SegmentParser:
    """Assembles actor phrases in one segment, from the document's atoms that fall inside it."""

    def __init__(
        self, lex: ActorLexicon, norm: Normalized, atoms: list[_Atom], limit: int, original_piece: str
    ) -> None:
        self.lex = lex
        self.norm = norm
        self.text = norm.text
        self.atoms = atoms
        self.limit = limit  # end of the segment in the normalised text
        self.article = "ال" if lex.head_first else ""
        self._piece = original_piece
        self._title_case: bool | None = None
        words = lex.words
        empty: frozenset[str] = frozenset()
        self.modifier_det = words.get("modifier+det", empty)
        self.of_det = words.get("of+det", empty)
        self.in_det = words.get("in+det", empty)
        self.host_det = words.get("host+det", empty)
        self.patron = words.get("patron", empty)
        self.link = words.get("link", empty)

    @property
    def title_case(self) -> bool:
        """Is the segment a headline in Title Case (where capitals say nothing about names)?"""
        if self._title_case is None:
            self._title_case = not self.lex.head_first and _looks_title_case(self._piece)
        return self._title_case

    # ---- helpers

    def words_in(self, start: int, end: int) -> list[str] | None:
        return _gap(self.text, start, end)

    def only(self, words: list[str], *roles: str) -> bool:
        return all(any(self.lex.has(r, w) for r in roles) for w in words)

    def strip_modifiers(self, words: list[str]) -> list[str]:
        return [w for w in words if not (self.lex.has("modifier", w) or self.lex.has("det", w))]

    def last_word_definite(self, start: int, end: int) -> bool:
        if not self.article:
            return False
        last = self.text.rfind(" ", start, end) + 1 or start
        return self.text.startswith(self.article, last)

    def preceding_word(self, position: int) -> str | None:
        return _last_word(self.text[max(0, position - 40) : position]) or None

    # ---- main loop

    def parse(self) -> list[_Phrase]:
        phrases: list[_Phrase] = []
        atoms = self.atoms
        i = 0
        while i < len(atoms):
            phrase, i = self.parse_at(i)
            if phrase is not None:
                phrases.append(phrase)
        return phrases

    def parse_at(self, i: int) -> tuple[_Phrase | None, int]:
        atom = self.atoms[i]
        if not self.lex.head_first:
            chained = self.pre_head_chain(i)
            if chained is not None:
                return chained
        head = atom.reading(*HEAD_KINDS)
        if head is not None:
            phrase = _Phrase(atom.start, atom.end, head, [head.source], classes=head.classes)
            phrase.country = head.country
            phrase.definite = self.last_word_definite(atom.start, atom.end)
            return phrase, self.extend(phrase, i + 1)
        person = atom.reading(PERSON)
        if person is not None:
            if not person.alone:
                return None, i + 1
            phrase = _Phrase(atom.start, atom.end, person, [person.source], classes=("person",))
            phrase.person_entry = person
            phrase.country = person.country
            return phrase, i + 1
        title = atom.reading(TITLE)
        if title is not None:
            phrase = _Phrase(atom.start, atom.end, title, [title.source], classes=("person",))
            phrase.title = title
            following = self.attach_person(phrase, i + 1)
            if phrase.person_entry is None and phrase.person_text is None:
                return None, i + 1
            return phrase, following
        government = atom.reading(GOVERNMENT)
        if government is not None and self.government_ok(atom):
            phrase = _Phrase(
                atom.start, atom.end, government, [government.source], classes=government.classes
            )
            phrase.country = government.country
            return phrase, i + 1
        demonym = atom.reading(DEMONYM)
        if demonym is not None and demonym.plural:
            adjective = self.lex.adjective.get(demonym.country or "", demonym.name)
            head = Entry(
                kind=COLLECTIVE,
                name=f"{adjective} people",
                sector="CVL",
                country=demonym.country,
                classes=("civilians",),
                source=demonym.source,
            )
            phrase = _Phrase(
                atom.start, atom.end, head, [demonym.source], country=demonym.country, classes=("civilians",)
            )
            return phrase, i + 1
        return None, i + 1

    # ---- country names used as actors

    def government_ok(self, atom: _Atom) -> bool:
        if atom.hit.proclitic:  # بالعراق، للعراق: 'in/to Iraq', a place
            return False
        government = atom.reading(GOVERNMENT)
        if atom.hit.cased and government is not None and government.exact_case is None:
            o_start, o_end = self.norm.to_original(atom.start, atom.end)
            written = self.norm.original[o_start:o_end]
            if len(written) > 3 and written.isupper():
                return False  # a dateline: "CAIRO (Reuters) -
        if atom.end < len(self.text) and self.text[atom.end] == "-":
            return False  # Iran-backed, US-led: a modifier
        previous = self.preceding_word(atom.kstart)
        if previous is not None and self.lex.has("locative", previous):
            return False
        if not self.lex.head_first and (self._in_name(atom.start, -1) or self._in_name(atom.end, 1)):
            return False  # Jordan Henderson, Michael Jordan: part of a personal name
        return True

    def _in_name(self, position: int, direction: int) -> bool:
        """Is the word right before (-1) or after (+1) `position` a capitalised word that no
        lexicon entry claims (so the country name is part of a longer proper name)?"""
        text = self.text
        if direction > 0:
            if position + 1 >= self.limit or text[position : position + 1] != " ":
                return False
            match = _WORD.match(text, position + 1)
            if match is None:
                return False
            start, word = position + 1, match.group()
        else:
            if position < 2 or text[position - 1] != " ":
                return False
            word = _last_word(text[max(0, position - 40) : position - 1], strip=False)
            if not word:
                return False
            start = position - 1 - len(word)
        if any(a.kstart <= start < a.end for a in self.atoms):
            return False
        if self.lex.has("stop", word) or self.lex.has("modifier", word) or self.lex.has("det", word):
            return False
        o_start, _ = self.norm.to_original(start, start + 1)
        return self.norm.original[o_start : o_start + 1].isupper() and not self.title_case

    # ---- English: modifiers before the head

    def pre_head_chain(self, i: int) -> tuple[_Phrase | None, int] | None:
        """Iraqi Prime Minister, Iraq's prime minister, Iran-backed militias, Hezbollah leader."""
        atoms = self.atoms
        if i + 1 >= len(atoms) or atoms[i + 1].kstart - atoms[i].end > _MAX_GAP:
            return None
        chain: list[tuple[Entry, bool]] = []  # reading, backer (a patron, not the actor's own)
        j = i
        while j + 1 < len(atoms):
            atom = atoms[j]
            reading = atom.reading(DEMONYM, GOVERNMENT, ORGANISATION)
            if reading is None:
                return None
            words = self.words_in(atom.end, atoms[j + 1].kstart)
            if words is None:
                return None
            backer = any(self.lex.has("patron", w) for w in words)
            possessive = "'s" in words or "'" in words
            rest = [w for w in words if w not in ("-", "'s", "'") and not self.lex.has("patron", w)]
            if not self.only(rest, "modifier", "det"):
                return None
            if reading.kind == GOVERNMENT and rest and not possessive and not backer:
                return None
            if reading.kind == ORGANISATION and (possessive or backer):
                return None
            chain.append((reading, backer))
            j += 1
            following = atoms[j]
            head = following.reading(ROLE, COLLECTIVE, ORGANISATION, ANAPHOR)
            if head is None or following.reading(DEMONYM, GOVERNMENT) is not None:
                continue
            if chain[-1][0].kind == ORGANISATION and head.kind not in (ROLE, COLLECTIVE):
                return None
            return self.build_pre_head(atoms[i], chain, following, head, j)
        return None

    def build_pre_head(
        self, first: _Atom, chain: list[tuple[Entry, bool]], atom: _Atom, head: Entry, j: int
    ) -> tuple[_Phrase, int]:
        phrase = _Phrase(first.start, atom.end, head, [], classes=head.classes)
        for reading, backer in chain:
            phrase.reasons.append(reading.source + ("(backer)" if backer else ""))
            if backer:
                continue
            if reading.kind == ORGANISATION:
                phrase.body = reading
                phrase.country = reading.country or phrase.country
            elif reading.country:
                phrase.country = reading.country
        phrase.reasons.append(head.source)
        if head.country:
            phrase.country = head.country
        return phrase, self.extend(phrase, j + 1)

    # ---- after the head

    def extend(self, phrase: _Phrase, k: int) -> int:
        """Attach demonyms, countries, bodies and a person after the head; returns the next atom."""
        atoms = self.atoms
        lex = self.lex
        while k < len(atoms):
            atom = atoms[k]
            if atom.kstart - phrase.end > _MAX_GAP or atom.hit.conjunction:
                break  # too far to belong; ووسائل الإعلام: a coordinated actor, not a part
            words = self.words_in(phrase.end, atom.kstart)
            if words is None:
                break
            core = [w for w in words if w not in self.modifier_det] if words else words
            if core:
                patron = self.patron
                backer = any(w in patron for w in core)
                core_no_link = [w for w in core if not (w in patron or (backer and w in self.link))]
            else:
                backer, core_no_link = False, core
            proclitic = atom.hit.proclitic
            demonym = atom.reading(DEMONYM)
            government = atom.reading(GOVERNMENT)
            body = atom.reading(ORGANISATION, ANAPHOR)
            person = atom.reading(PERSON)
            if backer and not core_no_link and (demonym or government or body):
                phrase.end = atom.end
                phrase.reasons.append((demonym or government or body).source + "(backer)")
                k += 1
                continue
            # a nationality adjective after its noun (Arabic)
            if demonym is not None and lex.head_first and not core and not proclitic:
                if phrase.country is None or phrase.head.kind in (ROLE, COLLECTIVE) and phrase.body is None:
                    phrase.country = demonym.country
                phrase.end = atom.end
                phrase.reasons.append(demonym.source)
                phrase.definite = self.last_word_definite(atom.start, atom.end)
                k += 1
                continue
            construct = lex.head_first and not core and not phrase.definite and not proclitic
            of_link = bool(core) and all(w in self.of_det for w in core)
            in_link_words = bool(core) and all(w in self.in_det for w in core)
            # مصدر في الشرطة, "a source in the ministry": only sources sit 'in' a body
            in_body = in_link_words and "source" in phrase.head.classes
            # المتحدث الرسمي للجيش: a role 'of' a body through the proclitic ل; but قالت مصادر
            # لقناة العربية is 'told Al Arabiya' (media are the addressee, not the body)
            lam_link = (
                proclitic == "ل"
                and not core
                and phrase.head.kind == ROLE
                and (body_reading := atom.reading(ORGANISATION, ANAPHOR)) is not None
                and "media" not in body_reading.classes
            )
            in_link = in_link_words or (proclitic == "ب" and not core)
            host = bool(core) and all(w in self.host_det for w in core)
            if government is not None and phrase.head.kind != GOVERNMENT:
                if host:
                    phrase.end = atom.end
                    phrase.reasons.append(government.source + "(host)")
                    k += 1
                    continue
                if construct or of_link or in_link or (proclitic == "ل" and not core):
                    if phrase.country is None:
                        phrase.country = government.country
                    phrase.end = atom.end
                    phrase.reasons.append(government.source)
                    phrase.definite = True
                    k += 1
                    continue
            if (
                body is not None
                and phrase.head.kind in (ROLE, COLLECTIVE)
                and phrase.body is None
                and phrase.person_entry is None
                and body.kind in (ORGANISATION, ANAPHOR)
                and (construct or of_link or lam_link or in_body)
            ):
                phrase.body = body
                phrase.body_anaphor = body.kind == ANAPHOR
                phrase.post_body = True
                if body.country and not phrase.country:
                    phrase.country = body.country
                phrase.end = atom.end
                phrase.reasons.append(body.source)
                phrase.definite = self.last_word_definite(atom.start, atom.end)
                k += 1
                continue
            if (
                not lex.head_first
                and phrase.head.kind == ORGANISATION
                and not core
                and (role := atom.reading(ROLE, COLLECTIVE)) is not None
                and atom.reading(ORGANISATION) is None
            ):
                # State Department spokesman, Hezbollah leader, Hamas fighters
                phrase.body = phrase.head
                phrase.head = role
                phrase.classes = role.classes
                phrase.end = atom.end
                phrase.reasons.append(role.source)
                k += 1
                continue
            if (
                person is not None
                and phrase.person_entry is None
                and phrase.head.kind in (ROLE, TITLE)
                and (not core and all(w == "," for w in words) or not words)
            ):
                phrase.person_entry = person
                phrase.end = atom.end
                phrase.reasons.append(person.source)
                return k + 1
            break
        if phrase.body is None and phrase.head.speaker:
            following = (
                _WORD.match(self.text, phrase.end + 1)
                if self.text[phrase.end : phrase.end + 1] == " "
                else None
            )
            phrase.open_of = following is not None and following.group() in self.lex.words.get("of", ())
        if (
            phrase.person_entry is None
            and phrase.head.kind in (ROLE, TITLE)
            and phrase.head.classes[:1] == ("person",)
            and (lex.head_first and phrase.definite or not lex.head_first and not phrase.post_body)
        ):
            # Arabic: a name follows a definite role (رئيس الوزراء مصطفى الكاظمي); after an
            # indefinite one comes its genitive (مدير ناحية ...). English: "Prime Minister X",
            # but not "head of the IRGC al-Quds Force".
            return self.attach_person(phrase, k)
        return k

    # ---- personal names

    def attach_person(self, phrase: _Phrase, k: int) -> int:
        """A known person right after the phrase, or 1–3 name words; returns the next atom."""
        atoms = self.atoms
        if k < len(atoms):
            atom = atoms[k]
            person = atom.reading(PERSON)
            words = self.words_in(phrase.end, atom.kstart)
            if person is not None and words is not None and not self.strip_modifiers(words):
                phrase.person_entry = person
                phrase.end = atom.end
                phrase.reasons.append(person.source)
                return k + 1
        limit = atoms[k].kstart if k < len(atoms) else self.limit
        found = self.scan_name(phrase.end, limit, phrase)
        if found is None:
            return k
        start, end = found
        phrase.end = end
        phrase.person_entry = self.lex.persons.get(self.text[start:end])
        phrase.reasons.append("name-after-title")
        if (
            k < len(atoms)
            and (person := atoms[k].reading(PERSON)) is not None
            and not self.text[end : atoms[k].kstart].strip()
        ):
            # a given name followed by a known surname: Prime Minister Adel Abdul-Mahdi
            phrase.end = atoms[k].end
            phrase.person_entry = person
            phrase.reasons.append(person.source)
            k += 1
        o_start, o_end = self.norm.to_original(start, phrase.end)
        phrase.person_text = self.norm.original[o_start:o_end]
        return k

    def _words_from(self, position: int, limit: int):
        """(start, end, word) of the words after `position`, each separated by spaces only."""
        cursor = position
        while cursor < limit:
            space = _SPACE.match(self.text, cursor, limit)
            start = space.end()
            if start >= limit or (start == cursor and cursor != position):
                return
            match = _NAME_TOKEN.match(self.text, start, limit)
            if match is None:
                return
            yield start, match.end(), match.group()
            cursor = match.end()

    def _name_ends_after(self, position: int, limit: int, stops: frozenset[str]) -> bool:
        """Does nothing but punctuation, a stop word or the end of the segment follow?"""
        rest = self.text[position:limit].lstrip(" ")
        if not rest or not rest[0].isalnum():
            return True
        match = _WORD.match(rest)
        return match is not None and match.group() in stops

    def _capitalised(self, start: int, word: str, particles: frozenset[str]) -> bool:
        if word in particles or word.split("-", 1)[0] in particles:
            return True
        o_start, _ = self.norm.to_original(start, start + 1)
        return self.norm.original[o_start : o_start + 1].isupper()

    def scan_name(self, position: int, limit: int, phrase: _Phrase) -> tuple[int, int] | None:
        """1–3 words of a personal name after a role or title, or None.

        Arabic has no capitals: a name starts with a known given name (then up to three
        words, ending at a family name with the article), or is two words that are neither
        stop words nor words starting like a clitic or a verb (نيد برايس). English names are
        capitalised words, with al-, bin, Abu ... particles.
        """
        lex = self.lex
        stops = lex.words.get("stop", frozenset())
        particles = lex.words.get("particle", frozenset())
        suffixes = lex.words.get("name_suffix", frozenset())
        modifiers = lex.words.get("modifier", frozenset())
        given = lex.given_names
        ambiguous = (phrase.title is not None and phrase.title.ambiguous) or phrase.head.ambiguous
        parts: list[str] = []
        first_start = last_end = -1
        core = 0  # words that are neither particles nor suffixes
        strong = False
        leading = True
        for start, end, word in self._words_from(position, limit):
            if leading and word in modifiers:
                continue  # رئيس الوزراء السابق ...: the adjective before the name
            leading = False
            pending = bool(parts) and parts[-1] in particles
            if not pending:
                if word in stops and not (parts and word in given):  # على = علي (Ali) once folded
                    break
                if not lex.head_first and not self._capitalised(start, word, particles):
                    break
                banned = lex.not_name_part if parts else lex.not_name_initial
                if (
                    banned
                    and word not in given
                    and word not in particles
                    and word not in suffixes
                    and word.startswith(banned)
                ):
                    break
            if not parts:
                first_start = start
                strong = word in given or word in particles
                if not strong and (ambiguous or self.title_case):
                    return None
            elif (
                lex.head_first
                and core == 2
                and not pending
                and word not in given
                and word not in suffixes
                and not word.startswith(self.article)
                and not self._name_ends_after(end, limit, stops)
            ):
                break  # a third word must be a given name, a family name or end the name
            parts.append(word)
            last_end = end
            if word in particles or (word in suffixes and len(parts) > 1 and not pending):
                continue
            core += 1
            if core >= (_MAX_NAME_WORDS if strong or not lex.head_first else 2):
                break
            if lex.head_first and word.startswith(self.article) and not pending:
                break  # a family name with the article ends an Arabic name
        while parts and parts[-1] in particles:
            parts.pop()
            matches = list(self._words_from(first_start, last_end))
            last_end = matches[len(parts) - 1][1] if parts else -1
        if not parts or core == 0:
            return None
        if lex.head_first and not strong:
            words = [w for w in parts if w not in particles]
            if len(words) < 2 or any(w.startswith(self.article) for w in words[:-1]):
                return None
        if (
            lex.head_first
            and strong
            and len(parts) == 1
            and parts[0].startswith(self.article)
            and phrase.title is None
        ):
            return None
        return first_start, last_end


# --------------------------------------------------------------------------- composing


def _english_adjective(lex: ActorLexicon, country: str | None) -> str | None:
    if not country:
        return None
    return lex.adjective.get(country) or lex.country_name.get(country)


def _compose(lex: ActorLexicon, phrase: _Phrase, norm: Normalized) -> Draft:
    head = phrase.head
    body = None if phrase.body_anaphor else phrase.body
    person = phrase.person_entry
    country = phrase.country
    sector = head.sector
    if body is not None and head.kind in (ROLE, COLLECTIVE):
        # a role or group acting for a body takes the body's sector, except a group of
        # civilians (supporters, protesters) that stays civilian
        # (a role with a sector of its own keeps it inside a state body: the occupation's
        # prime minister is GOV, the army's commander MIL, an emir of ISIS REB)
        if head.sector == "CVL" or (head.sector and body.sector in _STATE_SECTORS):
            sector = head.sector
        else:
            sector = body.sector or head.sector
        country = country or body.country
    if person is not None:
        # a known person's curated sector describes him better than a word before his name
        # ("cleric Muqtada al-Sadr" leads a party), unless he acts for a named body
        sector = sector if body is not None and sector else person.sector or sector
        country = country or person.country
    adjective = _english_adjective(lex, country)
    if head.kind == GOVERNMENT or head.kind == PERSON:
        name = head.name
    elif person is not None:
        name = person.name
    else:
        name = head.name
        if body is not None:
            if head.kind == COLLECTIVE and head.sector == "CVL":
                name = f"{name} of {body.name}"
            elif head.name.lower() in body.name.lower():
                name = body.name  # قوات قسد: "forces" of the Syrian Democratic Forces
            else:
                name = f"{body.name} {name}"
            if body.country and body.country == country:
                adjective = None
        if head.country:
            adjective = None  # the organisation's own name says it
        if adjective:
            name = f"{adjective} {name}"
    kind = head.kind
    if person is not None or phrase.person_text is not None or head.kind in (PERSON, TITLE):
        kind = "person"
    elif kind == ANAPHOR:
        kind = ORGANISATION
    o_start, o_end = norm.to_original(phrase.start, phrase.end)
    generic = (
        phrase.country is None
        and body is None
        and not phrase.body_anaphor
        and person is None
        and phrase.person_text is None
        and head.kind in (ROLE, COLLECTIVE, ORGANISATION)
    )
    return Draft(
        start=o_start,
        end=o_end,
        name=name,
        sector=sector,
        country=country,
        kind=kind,
        person=(person.name if person is not None else phrase.person_text),
        reason="+".join(phrase.reasons),
        head=head.name,
        classes=phrase.classes or head.classes,
        generic=generic,
        self_anaphor=head.kind == ANAPHOR,
        body_anaphor=phrase.body_anaphor,
        anaphor_classes=head.classes
        if head.kind == ANAPHOR
        else (phrase.body.classes if phrase.body_anaphor and phrase.body is not None else ()),
        needs_body=head.kind in (ROLE, COLLECTIVE)
        and sector is None
        and body is None
        and not phrase.body_anaphor
        and person is None
        and phrase.person_text is None,
        may_look_back=head.speaker and not phrase.open_of and (phrase.definite or not lex.head_first),
        named=head.source.startswith("organisations:"),
        ambiguous=(head.ambiguous and body is None and person is None)
        or (phrase.title is not None and phrase.title.ambiguous and person is None),
    )


def _valid(phrase: _Phrase) -> bool:
    head = phrase.head
    if head.kind in (ROLE, COLLECTIVE, ORGANISATION) and not head.bare:
        return (
            phrase.country is not None
            or phrase.body is not None
            or phrase.person_entry is not None
            or phrase.person_text is not None
        )
    return True


# --------------------------------------------------------------------------- entry point


def _segment_language(segment_language: str, text: str, default: str) -> str | None:
    """The language pack to read a segment with: its own language when a pack exists (a
    Persian segment gets none: no actors invented), the document's for undetermined ones,
    else the script's."""
    if segment_language and segment_language not in _UNDETERMINED:
        return segment_language if lexicon(segment_language) is not None else None
    if default and default not in _UNDETERMINED and lexicon(default) is not None:
        return default
    if _ARABIC.search(text):
        return "ar"
    if _LATIN.search(text):
        return "en"
    return None


def _looks_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'\-]{3,}", text)
    if len(words) < 3:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals / len(words) > 0.6


def _to_public(mention: Draft, original: str) -> ActorMention:
    return ActorMention(
        start=mention.start,
        end=mention.end,
        text=original[mention.start : mention.end],
        name=mention.name,
        sector=mention.sector,
        country=mention.country,
        kind=mention.kind,
        person=mention.person,
        reason=f"{mention.reason}[{'|'.join(mention.classes)}]",
    )


_SPORTS_CUES_NEEDED = 2  # distinct sport words that make a document about sport


def _about_sport(normalised: str, languages: set[str]) -> bool:
    """Does the document talk about sport (so Al Shabab is a club and مهاجم a striker)?"""
    found: set[str] = set()
    for language in languages:
        pattern = domain_cues(language, "sports")
        if pattern is not None:
            found.update(pattern.findall(normalised))
    return len(found) >= _SPORTS_CUES_NEEDED


def _normalised_offset(norm: Normalized, original: int) -> int:
    """The offset in the normalised text of an offset of the original."""
    starts = norm._starts
    return original if starts is None else bisect_left(starts, original)


def find_actors(prepared: PreparedDocument) -> list[ActorMention]:
    """Actor mentions of the body, post and quote segments, in text order, non-overlapping."""
    text = prepared.document.text
    default = prepared.language
    chosen: list[tuple[int, int, str, str]] = []  # original start, end, language, piece
    for segment in prepared.segments:
        if segment.kind not in _KINDS_READ or segment.end <= segment.start:
            continue
        piece = text[segment.start : segment.end]
        language = _segment_language(segment.language, piece, default)
        if language is not None:
            chosen.append((segment.start, segment.end, language, piece))
    if not chosen:
        return []
    shared = getattr(prepared, "normalized", None)  # made once per document by the text stage
    norm = shared() if callable(shared) else normalize(text)
    padded = f" {delimit(norm.text)} "
    atoms_by_language = {lang: _atoms(lexicon(lang), norm, padded) for lang in {c[2] for c in chosen}}
    starts_by_language = {lang: [a.kstart for a in atoms] for lang, atoms in atoms_by_language.items()}
    mentions: list[Draft] = []
    for start, end, language, piece in chosen:
        lex = lexicon(language)
        n_start, n_end = _normalised_offset(norm, start), _normalised_offset(norm, end)
        atoms, starts = atoms_by_language[language], starts_by_language[language]
        first, last = bisect_left(starts, n_start), bisect_left(starts, n_end)
        inside = [a for a in atoms[first:last] if a.end <= n_end]
        if not inside:
            continue
        parser = _SegmentParser(lex, norm, inside, n_end, piece)
        for phrase in parser.parse():
            if not _valid(phrase):
                continue
            mention = _compose(lex, phrase, norm)
            resolve(mention, mentions)
            if not mention.dropped:
                mentions.append(mention)
    if any(m.ambiguous for m in mentions) and _about_sport(norm.text, {c[2] for c in chosen}):
        mentions = [m for m in mentions if not m.ambiguous]
    mentions.sort(key=lambda m: (m.start, -m.end))
    result: list[ActorMention] = []
    last_end = -1
    for mention in mentions:
        if mention.start < last_end:
            continue
        result.append(_to_public(mention, text))
        last_end = mention.end
    return result
