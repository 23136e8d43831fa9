"""Event extraction end to end on reports written for these tests: merging, separate events,
background, negation and denial, attribution, claims, embedded posts, quotes, context that
kills a trigger, and bad input."""

from __future__ import annotations

import time

import pytest

from rasd.event import Event
from rasd.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def events(pipeline: Pipeline, text: str, *, background: bool = False) -> list[Event]:
    result = pipeline.extract_text(text)
    assert result.error is None, result.error
    return [e for e in result.events if background or not e.background]


def of_type(found: list[Event], kind: str) -> list[Event]:
    return [e for e in found if e.type == kind]


# --- one attack told in several sentences is one event -----------------------------------------

AR_DRONE = (
    "date 2023-04-10\n"
    "استهدفت طائرة مسيرة مقر قيادة الشرطة في مدينة كركوك صباح اليوم الاثنين.\n\n"
    "وقالت مصادر أمنية إن الهجوم أسفر عن إصابة أربعة من عناصر الشرطة بجروح.\n\n"
    "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن."
)

EN_BOMB = (
    "date 2023-04-10\n"
    "A roadside bomb exploded near a police patrol in Kirkuk on Monday, officials said.\n\n"
    "Two policemen were killed in the blast and three others were wounded."
)


def test_arabic_attack_told_in_three_sentences_is_one_event(pipeline: Pipeline) -> None:
    found = events(pipeline, AR_DRONE)
    attacks = of_type(found, "ASSAULT")
    assert len(attacks) == 1
    attack = attacks[0]
    assert attack.mode == "aerial" and attack.weapon == "drone"
    assert attack.acled_sub_event_type == "Air/drone strike"
    assert attack.date is not None and attack.date.start == "2023-04-10"
    assert attack.location is not None and attack.location.country == "IRQ"
    assert attack.injured == 4
    assert attack.actor1 is not None and attack.actor1.sector == "REB"  # no claim: unidentified


def test_english_bombing_with_counts_in_a_later_sentence(pipeline: Pipeline) -> None:
    attacks = of_type(events(pipeline, EN_BOMB), "ASSAULT")
    assert len(attacks) == 1
    attack = attacks[0]
    assert attack.mode == "explosion"
    assert (attack.fatalities, attack.injured) == (2, 3)
    assert attack.location is not None and attack.location.country == "IRQ"


def test_every_filled_field_explains_itself(pipeline: Pipeline) -> None:
    attack = of_type(events(pipeline, AR_DRONE), "ASSAULT")[0]
    for name in ("type", "date", "location", "actor1", "mode", "injured"):
        assert name in attack.provenance, name
    assert attack.provenance["injured"].spans
    for evidence in attack.evidence:
        assert AR_DRONE[evidence.start : evidence.end] == evidence.text
    assert 0 < attack.confidence <= 1


# --- different places or days are different events -------------------------------------------


def test_strikes_on_two_towns_are_two_events(pipeline: Pipeline) -> None:
    text = "date 2020-02-03\nشنت طائرات حربية اليوم غارات على مدينتي سراقب وأريحا في ريف إدلب."
    strikes = of_type(events(pipeline, text), "ASSAULT")
    assert len(strikes) == 2
    assert len({e.location.name for e in strikes if e.location}) == 2
    assert all(e.mode == "aerial" for e in strikes)


def test_clashes_and_an_attack_on_other_days_stay_apart(pipeline: Pipeline) -> None:
    text = (
        "date 2022-08-27\n"
        "Heavy clashes between two armed groups erupted in Tripoli on Friday.\n\n"
        "On Saturday, gunmen opened fire on a checkpoint in Misrata, killing one guard."
    )
    found = events(pipeline, text)
    dates = {(e.type, e.date.start if e.date else None) for e in found}
    assert ("FIGHT", "2022-08-26") in dates
    assert ("ASSAULT", "2022-08-27") in dates or ("FIGHT", "2022-08-27") in dates


# --- history is background ------------------------------------------------------------------


def test_history_is_marked_background(pipeline: Pipeline) -> None:
    text = (
        "date 2024-05-20\n"
        "تظاهر مئات الطلاب اليوم الاثنين أمام جامعة بغداد للمطالبة بتوفير فرص العمل.\n\n"
        "وكانت قوات الأمن قد اعتقلت عشرات الناشطين في العام الماضي خلال احتجاجات مماثلة."
    )
    result = pipeline.extract_text(text)
    current = [e for e in result.events if not e.background]
    history = [e for e in result.events if e.background]
    assert any(e.type == "PROTEST" for e in current)
    assert any(e.type == "COERCE" for e in history)
    assert not any(e.type == "COERCE" for e in current)


def test_an_earlier_dated_event_is_background(pipeline: Pipeline) -> None:
    text = (
        "date 2019-09-14\n"
        "Drones attacked two oil plants in Abqaiq on Saturday, the interior ministry said.\n\n"
        "Last month, a drone attack hit two pumping stations near Riyadh."
    )
    result = pipeline.extract_text(text)
    assert any(e.type == "ASSAULT" and not e.background for e in result.events)
    assert any(e.type == "ASSAULT" and e.background for e in result.events)


# --- what did not happen -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "date 2024-01-02\nلم تسجل الشرطة أي اعتقالات خلال الاحتفالات في المدينة.",
        "date 2024-01-02\nPolice denied reports that activists were arrested in the capital.",
        "date 2024-01-02\nThe minister said troops would attack the camp if the talks failed.",
        "date 2024-01-02\nهدد قائد الفصيل باستهداف القواعد الأجنبية في حال عدم انسحابها.",
    ],
)
def test_negated_denied_and_hypothetical_acts_are_not_events(pipeline: Pipeline, text: str) -> None:
    found = events(pipeline, text)
    assert not of_type(found, "COERCE") and not of_type(found, "ASSAULT")


def test_a_threat_is_an_event_of_its_own(pipeline: Pipeline) -> None:
    found = events(pipeline, "date 2024-01-02\nهدد قائد الفصيل باستهداف القواعد الأجنبية في حال عدم انسحابها.")
    assert of_type(found, "THREATEN")


def test_a_failed_attempt_is_still_an_event(pipeline: Pipeline) -> None:
    text = "date 2016-01-17\nنجا مدير أمن المحافظة اليوم الأحد من محاولة اغتيال بسيارة مفخخة استهدفت منزله في عدن."
    attacks = of_type(events(pipeline, text), "ASSAULT")
    assert len(attacks) == 1 and attacks[0].mode == "explosion"


def test_attribution_keeps_the_event(pipeline: Pipeline) -> None:
    text = "date 2023-03-01\nAccording to local sources, gunmen abducted two aid workers in Sanaa on Wednesday."
    kidnaps = of_type(events(pipeline, text), "ASSAULT")
    assert kidnaps and kidnaps[0].mode == "kidnap"


# --- who did it --------------------------------------------------------------------------------


def test_claim_of_responsibility_names_the_attacker(pipeline: Pipeline) -> None:
    text = (
        "date 2017-04-09\n"
        "قتل 15 شخصا في تفجير سيارة مفخخة خارج قاعدة للجيش في مقديشو اليوم الأحد.\n\n"
        "وأعلنت حركة الشباب مسؤوليتها عن التفجير."
    )
    attack = of_type(events(pipeline, text), "ASSAULT")[0]
    assert attack.fatalities == 15
    assert attack.actor1 is not None and attack.actor1.sector == "REB"
    assert "claimed" in attack.provenance["actor1"].rule


def test_condemnation_targets_the_attacker(pipeline: Pipeline) -> None:
    text = (
        "date 2023-04-10\n"
        "A drone attack targeted a military base in Erbil on Monday.\n\n"
        "The United Nations condemned the attack."
    )
    found = events(pipeline, text)
    condemnation = of_type(found, "DISAPPROVE")[0]
    attack = of_type(found, "ASSAULT")[0]
    assert condemnation.actor1 is not None and condemnation.actor1.sector == "IGO"
    assert condemnation.actor2 is not None
    assert attack.actor1 is not None and condemnation.actor2.sector == attack.actor1.sector


def test_clash_with_protesters_is_a_riot(pipeline: Pipeline) -> None:
    text = "date 2021-11-05\nاندلعت اليوم الجمعة مواجهات بين قوات الأمن ومتظاهرين قرب المنطقة الخضراء في بغداد."
    found = events(pipeline, text)
    protests = of_type(found, "PROTEST")
    assert protests and protests[0].mode == "riot"
    assert protests[0].actor1 is not None and protests[0].actor1.sector == "CVL"
    assert not of_type(found, "FIGHT")


def test_force_against_protesters_is_part_of_the_protest(pipeline: Pipeline) -> None:
    text = (
        "date 2022-06-30\n"
        "Thousands of protesters marched in Omdurman on Thursday. "
        "Police fired tear gas to disperse the demonstrators."
    )
    found = events(pipeline, text)
    protests = of_type(found, "PROTEST")
    assert len(protests) == 1
    assert protests[0].acled_sub_event_type == "Protest with intervention"
    assert not of_type(found, "COERCE")


# --- embedded posts ----------------------------------------------------------------------------


def test_an_event_in_the_body_and_in_an_embedded_post_is_one_event(pipeline: Pipeline) -> None:
    text = (
        "date 2023-06-02\n"
        "شنت طائرات حربية غارة على بلدة الخيام جنوب لبنان ظهر اليوم الجمعة.\n\n"
        "An airstrike has just hit the town of Khiam in south Lebanon pic.twitter.com/abcdefgh12\n"
        "— Local Reporter (@localreporter) June 2, 2023\n\n"
        "ولم ترد أنباء عن إصابات."
    )
    strikes = of_type(events(pipeline, text), "ASSAULT")
    assert len(strikes) == 1


# --- quotes ------------------------------------------------------------------------------------


def test_quotes_name_their_speakers(pipeline: Pipeline) -> None:
    text = (
        "date 2023-04-10\n"
        "وقال وزير الداخلية العراقي في بيان إن \"قواتنا ستلاحق المنفذين أينما كانوا\".\n\n"
        "\"We will not be intimidated,\" the Iraqi prime minister said."
    )
    quotes = pipeline.extract_text(text).quotes
    speakers = {(q.speaker.sector, q.speaker.country) for q in quotes if q.speaker}
    assert ("GOV", "IRQ") in speakers
    assert any("intimidated" in q.text and q.language == "en" for q in quotes)
    assert any("المنفذين" in q.text and q.language == "ar" for q in quotes)


def test_a_condemnation_in_a_quote_points_to_it(pipeline: Pipeline) -> None:
    text = (
        "date 2023-04-10\n"
        "A car bomb exploded near a market in Baghdad on Monday, killing three people.\n\n"
        "\"We strongly condemn this cowardly attack,\" Iraq's foreign ministry said."
    )
    result = pipeline.extract_text(text)
    condemnations = [e for e in result.events if e.type == "DISAPPROVE"]
    assert condemnations and condemnations[0].quote is not None
    quote = result.quotes[condemnations[0].quote]
    assert "condemn" in quote.text and quote.speaker is not None and quote.speaker.sector == "GOV"


# --- context that kills a trigger ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "date 2024-02-01\nشن مهاجمو الفريق هجوما قويا في الشوط الثاني من المباراة وسجلوا هدف الفوز في الدوري.",
        "date 2024-02-01\nThe club lodged a protest with the league after the referee disallowed a goal in the match.",
        "date 2024-02-01\nSupermarkets launched a price war, cutting the prices of milk and bread.",
        "date 2024-02-01\nتوقعت الأرصاد هطول أمطار غزيرة وحذرت من السيول في عدة مناطق.",
    ],
)
def test_ordinary_news_gives_no_events(pipeline: Pipeline, text: str) -> None:
    assert events(pipeline, text) == []


def test_an_accidental_explosion_is_not_an_attack(pipeline: Pipeline) -> None:
    text = "date 2020-08-04\nA huge explosion caused by stored ammonium nitrate rocked a warehouse at the port, killing dozens."
    assert not of_type(events(pipeline, text), "ASSAULT")


# --- bad input -------------------------------------------------------------------------------


def test_a_document_with_no_events(pipeline: Pipeline) -> None:
    result = pipeline.extract_text("date 2024-01-01\nافتتح معرض الكتاب أبوابه أمام الزوار اليوم في بغداد.")
    assert result.error is None and result.events == []


def test_an_unsupported_language_invents_nothing(pipeline: Pipeline) -> None:
    text = "انفجار انباری حاوی نیترات آمونیوم در بندر بیروت رخ داد و ساختمانهای زیادی را تخریب کرد و دستکم ۱۳۵ نفر کشته شدند."
    result = pipeline.extract_text(text)
    assert result.error is None
    assert result.events == []
    assert result.language not in ("ar", "en")


def _extract_without_gazetteer(text: str):
    """Prepare, find triggers, times and numbers, and extract: the stages these bounds are about
    (the gazetteer and actor recognisers have their own limits)."""
    from rasd.annotate import Annotations
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.times import find_times
    from rasd.annotate.triggers import find_triggers
    from rasd.document import Document
    from rasd.extract import extract_events
    from rasd.text import prepare

    prepared = prepare(Document(text=text))
    annotations = Annotations(times=find_times(prepared), numbers=find_numbers(prepared),
                              triggers=find_triggers(prepared))
    return extract_events(prepared, annotations)


def test_one_megabyte_of_one_word_does_not_hang() -> None:
    started = time.perf_counter()
    found, _ = _extract_without_gazetteer("هجوم " * 200_000)
    assert time.perf_counter() - started < 90
    assert len(found) <= 5  # one word repeated is not a thousand events


def test_ten_thousand_sentences_do_not_hang() -> None:
    sentence = "Police arrested two men in Basra on Monday. "
    started = time.perf_counter()
    found, _ = _extract_without_gazetteer("date 2024-01-01\n" + sentence * 10_000)
    assert time.perf_counter() - started < 90
    assert 1 <= len(found) <= 10  # one arrest told ten thousand times


def test_the_python_api_can_be_called_again_and_again() -> None:
    import rasd

    for _ in range(2):  # importing the extract package must not hide the function
        found = rasd.extract("Police arrested five men in Basra on Monday.", published="2024-05-06")
        assert [e.type for e in found] == ["COERCE"]
        assert found[0].date is not None and found[0].date.start == "2024-05-06"


def test_counts_belong_to_their_own_casualty_word(pipeline: Pipeline) -> None:
    text = "date 2024-05-02\nقتل جنديان وأصيب ثلاثة آخرون في هجوم بعبوة ناسفة استهدف دورية للجيش في الرمادي اليوم."
    attack = of_type(events(pipeline, text), "ASSAULT")[0]
    assert (attack.fatalities, attack.injured, attack.weapon) == (2, 3, "IED")


@pytest.mark.parametrize("text", [
    "The weather in Basra was hot on Monday, with 45 degrees at noon.",
    "كان الطقس في البصرة حارا يوم الاثنين وبلغت الحرارة 45 درجة.",
])
def test_a_report_without_a_trigger_skips_the_argument_taggers_only_for_events(text: str) -> None:
    from rasd.annotate import annotate
    from rasd.document import Document
    from rasd.text import prepare

    prepared = prepare(Document(text=text))
    full = annotate(prepared)
    assert not full.triggers and full.places and full.times and full.numbers
    for_events = annotate(prepared, for_events=True)
    assert (for_events.places, for_events.times, for_events.numbers) == ([], [], [])
    assert for_events.actors == full.actors


def test_worker_processes_give_the_same_records_and_storage_still_gets_segments(pipeline: Pipeline) -> None:
    from rasd.document import Document

    texts = [AR_DRONE, EN_BOMB, "The weather in Basra was hot on Monday."] * 12
    documents = [Document(text=text, input_id=str(i)) for i, text in enumerate(texts)]
    alone = [r.to_dict() for r in pipeline.run(documents, workers=1)]
    assert [r.to_dict() for r in pipeline.run(documents, workers=2)] == alone
    assert any(record["events"] for record in alone)
    analysed = list(pipeline.run_analysed(documents, workers=2))
    assert [p.result.to_dict() for p in analysed] == alone
    assert all(p.segments and p.document is d for p, d in zip(analysed, documents))
