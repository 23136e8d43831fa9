"""Trigger lexicons and the trigger annotator: every family in both languages, Arabic
clitics and inflection, passive and nominal forms, phrases that only look like triggers,
original-text spans, and which segments are scanned. Fixtures are sentences written for
these tests."""

from __future__ import annotations

import pytest

from rasd.annotate.lexmatch import Lexicon, analyses, best_matches, words
from rasd.annotate.triggers import TriggerMention, find_triggers, trigger_lexicon
from rasd.document import Document, Segment, SegmentKind
from rasd.text import PreparedDocument, prepare
from rasd.text.normalize import normalize


def triggers_of(text: str) -> list[TriggerMention]:
    return find_triggers(prepare(Document(text=text)))


def types_of(text: str) -> set[str]:
    return {t.type for t in triggers_of(text)}


# --- word analysis --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, stem",
    [
        ("وباستهدافهم", "استهداف"),  # conjunction + preposition + noun + pronoun
        ("يستهدفون", "استهدف"),  # imperfect prefix restores the alef of form X
        ("واستهدفت", "استهدف"),  # perfect with subject suffix
        ("للاستهداف", "استهداف"),  # lam + article
        ("الاشتباكات", "اشتباك"),  # article + feminine plural
        ("غارتين", "غاره"),  # dual of a feminine noun (ة folded to ه)
        ("هجوما", "هجوم"),  # accusative tanween alef
    ],
)
def test_arabic_analyses_strip_clitics_and_inflection(word: str, stem: str) -> None:
    readings = {form for form, _ in analyses("ar", normalize(word).text)}
    assert stem in readings


@pytest.mark.parametrize(
    "word, stem",
    [("attacked", "attack"), ("clashes", "clash"), ("shelling", "shell"), ("stopped", "stop"), ("rallies", "rally")],
)
def test_english_analyses_strip_suffixes(word: str, stem: str) -> None:
    assert stem in {form for form, _ in analyses("en", word)}


def test_noun_entries_reject_verb_only_readings() -> None:
    lexicon = Lexicon.build("ar", [("هجوم", "noun", True, False), ("قصف", "verb", False, False)])
    # يقصفون is a verb form: the verb entry matches it, a noun entry would not
    found = [m.payload for m in lexicon.find(words(normalize("يقصفون").text))]
    assert found == ["verb"]
    found = [m.payload for m in lexicon.find(words(normalize("وبهجومهم").text))]
    assert found == ["noun"]


def test_phrase_with_a_gap_and_longest_match_wins() -> None:
    lexicon = Lexicon.build("ar", [("اطلق ... النار", "fire", False, False), ("اطلق سراح", "release", False, False)])
    text = normalize("أطلقت قوات الأمن النار ثم أطلق سراح المعتقلين").text
    found = sorted(m.payload for m in best_matches(lexicon.find(words(text))))
    assert found == ["fire", "release"]


def test_every_lexicon_loads_and_is_not_empty() -> None:
    for language in ("ar", "en"):
        lexicon = trigger_lexicon(language)
        assert lexicon is not None and len(lexicon) > 100


# --- one family at a time, in both languages ---------------------------------------------------

FAMILIES = [
    ("ASSAULT", "استهدفت طائرة مسيرة مقرا عسكريا في المدينة.", "A drone struck a military post in the city."),
    ("ASSAULT", "قتل ثلاثة أشخاص في تفجير سيارة مفخخة قرب السوق.", "Three people were killed in a car bombing near the market."),
    ("FIGHT", "اندلعت اشتباكات عنيفة بين الجيش ومسلحين قرب الحدود.", "Heavy clashes broke out between the army and gunmen near the border."),
    ("PROTEST", "تظاهر مئات الطلاب أمام مبنى الوزارة اليوم.", "Hundreds of students staged a protest outside the ministry today."),
    ("COERCE", "اعتقلت الشرطة خمسة ناشطين في العاصمة.", "Police arrested five activists in the capital."),
    ("DISAPPROVE", "أدانت وزارة الخارجية الهجوم على السفارة.", "The foreign ministry condemned the attack on the embassy."),
    ("DEMAND", "دعا رئيس الوزراء الأطراف إلى الحوار.", "The prime minister called on all parties to talk."),
    ("THREATEN", "هددت الجماعة بتصعيد عملياتها.", "The group threatened to escalate its operations."),
    ("INVESTIGATE", "فتحت السلطات تحقيقا في الحادث.", "The authorities opened an investigation into the incident."),
    ("AID", "قدمت عدة دول مساعدات عاجلة للمتضررين.", "The government offered help to the families."),
    ("MOBILIZE", "أرسل الجيش تعزيزات عسكرية إلى المنطقة.", "The army deployed reinforcements to the area."),
    ("RETREAT", "أطلق المسلحون سراح الرهائن الثلاثة.", "The gunmen released the three hostages on Monday."),
]


@pytest.mark.parametrize("kind, arabic, english", FAMILIES)
def test_each_family_in_both_languages(kind: str, arabic: str, english: str) -> None:
    assert kind in types_of(arabic), arabic
    assert kind in types_of(english), english


def test_modes_come_from_the_lexicon() -> None:
    modes = {(t.type, t.mode) for t in triggers_of("شنت الطائرات غارات على القرية وسط قصف مدفعي.")}
    assert ("ASSAULT", "aerial") in modes and ("ASSAULT", "shelling") in modes
    modes = {(t.type, t.mode) for t in triggers_of("Workers went on strike and later held a sit-in.")}
    assert ("PROTEST", "strike") in modes and ("PROTEST", "sit-in") in modes


# --- forms ------------------------------------------------------------------------------------


def test_english_passive() -> None:
    found = {t.text: t.form for t in triggers_of("The convoy was attacked by gunmen near the town.")}
    assert found["attacked"] == "passive"


def test_arabic_passive_light_verb_and_damma() -> None:
    found = {t.entry: t.form for t in triggers_of("تعرض موكب الوزير لهجوم مسلح أمس.")}
    assert found.get("هجوم مسلح") == "passive" or found.get("هجوم") == "passive"
    found = {t.entry: t.form for t in triggers_of("اُعتقل ثلاثة شبان. وقُتل قائد المجموعة.")}
    assert found.get("اعتقل") == "passive"


def test_nominal_and_phrase_forms() -> None:
    found = {t.entry: t.form for t in triggers_of("أدى استهداف الموكب إلى إطلاق نار كثيف.")}
    assert found["استهداف"] == "noun"
    assert found["اطلاق نار"] == "phrase"


# --- not triggers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "دعا الرئيس إلى ضبط النفس.",  # self-restraint, not a seizure
        "Supermarkets are locked in a price war.",
        "He suffered a heart attack on Sunday.",
        "دخل اتفاق وقف إطلاق النار حيز التنفيذ.",  # a ceasefire is not shooting
    ],
)
def test_fixed_phrases_are_not_triggers(text: str) -> None:
    assert not {t.type for t in triggers_of(text)} & {"ASSAULT", "COERCE"}


def test_spans_point_at_the_original_text() -> None:
    text = "وقُتِلَ جنديان بانفجارِ عبوةٍ ناسفة، وأُصيب آخرون."
    for trigger in triggers_of(text):
        assert text[trigger.start : trigger.end] == trigger.text
        assert trigger.text  # never empty


def test_captions_and_boilerplate_are_not_scanned() -> None:
    text = "قصف مدفعي على القرية. اقرأ أيضا: اشتباكات في المدينة."
    body = Segment(0, 22, SegmentKind.BODY, "ar", 0)
    teaser = Segment(23, len(text), SegmentKind.BOILERPLATE, "ar", 0)
    prepared = PreparedDocument(Document(text=text), [body, teaser], None, "ar")
    found = find_triggers(prepared)
    assert found and all(t.segment == 0 for t in found)


def test_unsupported_language_has_no_triggers() -> None:
    text = "انفجار انباری در بندر بیروت رخ داد و ساختمانهای زیادی را تخریب کرد."
    prepared = PreparedDocument(Document(text=text), [Segment(0, len(text), SegmentKind.BODY, "fa", 0)], None, "fa")
    assert find_triggers(prepared) == []


def test_long_repetitive_input_is_linear() -> None:
    import time

    text = "هجوم " * 40000  # 200 kB of one word
    started = time.perf_counter()
    found = triggers_of(text)
    assert time.perf_counter() - started < 20
    assert len(found) > 1000
