"""Match keys for place names: one spelling-insensitive key per name, the same for text.

The gazetteer is indexed by keys and text n-grams are turned into keys the same way, so
"Al-Fallujah", "al Fallujah" and "Fallujah", or "Basra" and "Basrah", meet. Arabic is
folded by `rasd.text.normalize` (hamza seats, alef maqsura, ta marbuta, diacritics);
Latin tokens are additionally stripped of accents and apostrophes, doubled letters are
collapsed and a final vowel+h is dropped; the Arabic article written in Latin letters
(the list is data: rasd/lang/*/place_translit.tsv) is dropped at the start of a name and
written "al" inside it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rasd import lang
from rasd.text.normalize import normalize_term

# A token: a run of letters (any script), Latin ones possibly joined by an apostrophe
# (Sana'a), but not a possessive 's.
TOKEN = re.compile(r"[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*")  # "Lebanon's" -> Lebanon
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


@lru_cache(maxsize=1)
def latin_articles() -> frozenset[str]:
    """The Arabic article as written in Latin script (al, el, ash, ...)."""
    return frozenset(
        row["form"]
        for rows in lang.all_tables("place_translit").values()
        for row in rows
        if row.get("kind") == "article"
    )


def is_arabic(token: str) -> bool:
    """Does the token start with a letter of the Arabic block (U+0600-06FF)?"""
    return "\u0600" <= token[:1] <= "\u06ff"


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """Key form of one normalised token (Arabic is already folded by the normaliser)."""
    if _ARABIC.match(token):
        return token
    text = unicodedata.normalize("NFKD", token)
    text = "".join(c for c in text if c.isascii() and c.isalpha())
    text = _DOUBLE.sub(r"\1", text)
    text = _FINAL_H.sub("", text)
    if text in latin_articles():
        return "al"
    return text


def key_tokens(tokens: list[str]) -> list[str]:
    """Fold tokens and drop a leading Latin article when a name follows it."""
    folded = [fold_token(t) for t in tokens]
    folded = [t for t in folded if t]
    while len(folded) > 1 and folded[0] == "al" and not is_arabic(tokens[0]):
        folded = folded[1:]
    return folded


def name_key(name: str) -> str:
    """The index key of a gazetteer name ("" when it has no letters)."""
    tokens = TOKEN.findall(normalize_term(name).replace("-", " "))
    return " ".join(key_tokens(tokens))
