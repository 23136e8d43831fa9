"""Actor recognition: who, with sector and country, in Arabic and English.

Every fixture is a sentence written for this test. Documents are built from one body segment
per paragraph, so the tests do not depend on the segmenter.
"""

from __future__ import annotations

import re

import pytest

from rasd.annotate.actors import ActorMention, find_actors, resolve_reference
from rasd.document import Document, Segment, SegmentKind
from rasd.text import PreparedDocument


def prepared(*paragraphs: str | tuple[str, str], kind: SegmentKind = SegmentKind.BODY) -> PreparedDocument:
    """A document of paragraphs; a paragraph is text, or (language, text) to force a language."""
    parts: list[tuple[str, str]] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, tuple):
            parts.append(paragraph)
        else:
            parts.append(("ar" if re.search(r"[\u0600-\u06ff]", paragraph) else "en", paragraph))
    text = "\n\n".join(p for _, p in parts)
    segments, cursor = [], 0
    for number, (language, paragraph) in enumerate(parts):
        start = text.index(paragraph, cursor)
        segments.append(Segment(start, start + len(paragraph), kind, language, number))
        cursor = start + len(paragraph)
    language = parts[0][0] if parts else "und"
    return PreparedDocument(Document(text), segments, None, language)


def actors(*paragraphs: str | tuple[str, str]) -> list[ActorMention]:
    return find_actors(prepared(*paragraphs))


def one(text: str, phrase: str) -> ActorMention:
    """The mention whose span is exactly `phrase`."""
    found = [m for m in actors(text) if m.text == phrase]
    assert found, f"no actor {phrase!r} in {[m.text for m in actors(text)]}"
    return found[0]


def spans(text: str) -> list[str]:
    return [m.text for m in actors(text)]


# ----------------------------------------------------------------------------- sectors


@pytest.mark.parametrize(
    ("text", "phrase", "sector"),
    [
        ("قال رئيس الوزراء إن الحكومة ستعمل بجد.", "رئيس الوزراء", "GOV"),
        ("انتشر الجيش في الشوارع صباحا.", "الجيش", "MIL"),
        ("فرقت الشرطة التجمع بالقوة.", "الشرطة", "POL"),
        ("أطلق مسلحون مجهولون النار على الحافلة.", "مسلحون مجهولون", "REB"),
        ("أعلن التيار الصدري مقاطعة الجلسة.", "التيار الصدري", "PTY"),
        ("رفضت المعارضة نتائج الاقتراع.", "المعارضة", "OPP"),
        ("خرج متظاهرون إلى الساحة الرئيسية.", "متظاهرون", "CVL"),
        ("ونقلت رويترز عن شهود قولهم إن الوضع هادئ.", "رويترز", "MED"),
        ("دعت الأمم المتحدة إلى ضبط النفس.", "الأمم المتحدة", "IGO"),
        ("قدم الصليب الأحمر مساعدات طبية.", "الصليب الأحمر", "NGO"),
        ("أوقفت أرامكو الضخ في المحطة.", "أرامكو", "BUS"),
        ("طالب رجال الدين بالتهدئة.", "رجال الدين", "REL"),
        ("The prime minister said the cabinet would meet.", "prime minister", "GOV"),
        ("The army deployed tanks to the border.", "army", "MIL"),
        ("Police arrested two men near the market.", "Police", "POL"),
        ("Gunmen stormed a village overnight.", "Gunmen", "REB"),
        ("The opposition rejected the budget.", "opposition", "OPP"),
        ("Protesters blocked the main road.", "Protesters", "CVL"),
        ("Two journalists were detained at the border.", "journalists", "MED"),
        ("The United Nations called for calm.", "United Nations", "IGO"),
        ("Amnesty International urged an inquiry.", "Amnesty International", "NGO"),
        ("Saudi Aramco resumed production.", "Saudi Aramco", "BUS"),
        ("Clerics called for restraint after the vote.", "Clerics", "REL"),
    ],
)
def test_each_sector_family(text: str, phrase: str, sector: str) -> None:
    assert one(text, phrase).sector == sector


def test_unidentified_gunmen_get_a_canonical_name() -> None:
    assert one("أطلق مسلحون مجهولون النار على الحافلة.", "مسلحون مجهولون").name == "unidentified gunmen"
    assert one("Unknown gunmen opened fire on the bus.", "Unknown gunmen").name == "unidentified gunmen"


# ----------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("text", "phrase", "country"),
    [
        ("قصف الجيش العراقي مواقع في الصحراء.", "الجيش العراقي", "IRQ"),  # masculine
        ("انتشرت قوات الأمن العراقية في الساحة.", "قوات الأمن العراقية", "IRQ"),  # feminine
        ("قال مسؤولون عراقيون إن الطريق أغلق.", "مسؤولون عراقيون", "IRQ"),  # plural
        ("أدانت وزارة الخارجية السعودية الهجوم.", "وزارة الخارجية السعودية", "SAU"),
        ("وصل وزير خارجية إيران إلى المطار.", "وزير خارجية إيران", "IRN"),  # construct state
        ("Iraqi security forces closed the bridge.", "Iraqi security forces", "IRQ"),
        ("Iraq's prime minister visited the site.", "Iraq's prime minister", "IRQ"),
        ("Iranian officials denied the report.", "Iranian officials", "IRN"),
        ("The president of Iraq met the envoy.", "president of Iraq", "IRQ"),
    ],
)
def test_country_from_demonym_possessive_or_genitive(text: str, phrase: str, country: str) -> None:
    mention = one(text, phrase)
    assert mention.country == country
    assert mention.sector is not None


def test_organisation_carries_its_own_country() -> None:
    assert one("قال حزب الله في بيان إنه لن يرد.", "حزب الله").country == "LBN"
    houthis = one("وأعلن الحوثيون مسؤوليتهم عن الهجوم.", "الحوثيون")
    assert (houthis.name, houthis.sector, houthis.country) == ("Houthis", "REB", "YEM")
    rsf = one("The Rapid Support Forces shelled the market.", "Rapid Support Forces")
    assert (rsf.sector, rsf.country) == ("REB", "SDN")
    assert one("Hezbollah said it would not respond.", "Hezbollah").country == "LBN"


def test_international_bodies_have_no_country() -> None:
    assert one("دعت الأمم المتحدة إلى ضبط النفس.", "الأمم المتحدة").country is None


def test_backer_is_not_the_actors_country() -> None:
    militias = one("Iran-backed militias fired rockets at the base.", "Iran-backed militias")
    assert militias.sector == "REB" and militias.country is None
    iraqi = one("Iran-backed Iraqi militias fired rockets at the base.", "Iran-backed Iraqi militias")
    assert iraqi.country == "IRQ"
    factions = one("هاجمت الفصائل الموالية لإيران القاعدة.", "الفصائل الموالية لإيران")
    assert factions.sector == "REB" and factions.country is None


def test_host_country_of_an_ambassador_is_not_his() -> None:
    ambassador = one("قال السفير الأمريكي لدى العراق إن بلاده تدعم الحوار.", "السفير الأمريكي لدى العراق")
    assert ambassador.country == "USA"


# ----------------------------------------------------------------------------- persons


def test_role_with_known_person() -> None:
    mention = one("نجا رئيس الوزراء العراقي مصطفى الكاظمي من الهجوم.", "رئيس الوزراء العراقي مصطفى الكاظمي")
    assert (mention.kind, mention.person, mention.sector, mention.country) == (
        "person",
        "Mustafa al-Kadhimi",
        "GOV",
        "IRQ",
    )
    english = one(
        "Prime Minister Mustafa al-Kadhimi survived the attack.", "Prime Minister Mustafa al-Kadhimi"
    )
    assert english.person == "Mustafa al-Kadhimi" and english.country == "IRQ"


def test_role_with_unknown_person_name() -> None:
    mention = one("وقال وزير الدفاع التركي خلوصي أكار إن العملية مستمرة.", "وزير الدفاع التركي خلوصي أكار")
    assert mention.kind == "person" and mention.person == "خلوصي أكار"
    assert (mention.sector, mention.country) == ("GOV", "TUR")
    given = one("وقال المحافظ أحمد سالم في تصريح إن الطرق مفتوحة.", "المحافظ أحمد سالم")
    assert given.person == "أحمد سالم"
    english = one("Spokesman John Carter said talks would resume.", "Spokesman John Carter")
    assert english.person == "John Carter"


def test_name_is_not_taken_from_ordinary_words_after_a_role() -> None:
    # a definite role followed by a verb phrase, a stop word or a genitive: no name
    assert one("قال رئيس الوزراء في بيان إن الوضع مستقر.", "رئيس الوزراء").person is None
    assert one("وأكد الرئيس أن البلاد بخير.", "الرئيس").person is None
    assert all(m.person is None for m in actors("وقال مدير ناحية الرشاد إن الطريق مقطوع."))


def test_spokesman_of_a_body() -> None:
    army = one("وقال المتحدث باسم الجيش العراقي إن العملية انتهت.", "المتحدث باسم الجيش العراقي")
    assert (army.sector, army.country) == ("MIL", "IRQ")
    state = one(
        "State Department spokesman Ned Price condemned the attack.", "State Department spokesman Ned Price"
    )
    assert (state.sector, state.country, state.person) == ("GOV", "USA", "Ned Price")
    houthi = one(
        "Houthi military spokesman Yahya Saree said drones hit the target.",
        "Houthi military spokesman Yahya Saree",
    )
    assert (houthi.sector, houthi.country) == ("REB", "YEM")


def test_members_of_an_organisation() -> None:
    members = one("اعتقلت الشرطة عناصر حزب الله في المدينة.", "عناصر حزب الله")
    assert (members.sector, members.country) == ("REB", "LBN")
    supporters = one("Supporters of Hezbollah marched in the capital.", "Supporters of Hezbollah")
    assert supporters.sector == "CVL"


def test_ambiguous_rank_needs_a_given_name() -> None:
    general = one("وقال الفريق عبد الفتاح البرهان إن الجيش سيحمي البلاد.", "الفريق عبد الفتاح البرهان")
    assert general.sector == "MIL" and general.kind == "person"
    officer = one("وأعلن الفريق أحمد صالح حالة التأهب.", "الفريق أحمد صالح")
    assert officer.sector == "MIL"
    assert actors("فاز الفريق على منافسه بهدفين.") == []


def test_no_actor_in_sport() -> None:
    text = "سجل مهاجم الفريق هدفين في المباراة، واحتفل لاعبو النادي مع الجماهير في الدوري."
    assert actors(text) == []
    text = "Al Shabab lodged a protest after the match, saying the referee cost them the league game."
    assert actors(text) == []
    football = "فاز الفريق في المباراة ضمن الدوري، وأهدى اللاعب الفريق أحمد هدفه للجماهير."
    assert all(m.sector != "MIL" for m in actors(football))


def test_no_false_actors_in_ordinary_sentences() -> None:
    assert actors("The football club lodged a protest about the price war with rival retailers.") == []
    assert actors("ارتفعت أسعار النفط في الأسواق العالمية اليوم.") == []
    assert actors("The official statement was published on Monday.") == []
    assert actors("عقد مؤتمر صحفي في الفندق مساء أمس.") == []


# ----------------------------------------------------------------------------- morphology


def test_arabic_clitics_and_article() -> None:
    assert one("وقالت مصادر إن الهجوم للحوثيين.", "للحوثيين").name == "Houthis"
    assert one("تصدت قوات الأمن للمتظاهرين عند الجسر.", "للمتظاهرين").sector == "CVL"
    assert one("وبالتزامن أعلن المتظاهرون الإضراب.", "المتظاهرون").sector == "CVL"
    assert one("وقال مسؤول وللجيش العراقي دور كبير.", "للجيش العراقي").country == "IRQ"
    assert one("ودعا والمحتجين إلى الهدوء.", "المحتجين").sector == "CVL"


def test_arabic_inflected_forms() -> None:
    for form in ("متظاهرون", "متظاهرين", "المتظاهرين", "محتجون"):
        assert one(f"وصل {form} إلى الساحة.", form).name == "protesters"
    for form in ("مسلحين", "المسلحون"):
        assert one(f"هاجم {form} القرية.", form).sector == "REB"


def test_diacritics_map_back_to_the_original_span() -> None:
    text = "وَأَعْلَنَ الجَيْشُ العِرَاقِيُّ انتهاءَ العملية."
    mention = actors(text)[0]
    assert mention.text == "الجَيْشُ العِرَاقِيُّ"
    assert text[mention.start : mention.end] == mention.text
    assert mention.country == "IRQ"


# ----------------------------------------------------------------------------- longest match


def test_longest_match_wins() -> None:
    kataib = one("أعلنت كتائب حزب الله مسؤوليتها.", "كتائب حزب الله")
    assert kataib.name == "Kataib Hezbollah" and kataib.country == "IRQ"
    state = one("وأدانت وزارة الخارجية الأمريكية الهجوم.", "وزارة الخارجية الأمريكية")
    assert (state.name, state.sector, state.country) == ("US State Department", "GOV", "USA")
    assert one("Kataib Hezbollah denied any role.", "Kataib Hezbollah").country == "IRQ"


def test_mentions_do_not_overlap_and_are_in_text_order() -> None:
    found = actors(
        "وأدانت وزارة الخارجية الأمريكية الهجوم، وقال رئيس الوزراء العراقي مصطفى الكاظمي إن قوات الأمن العراقية "
        "اعتقلت مسلحين من داعش."
    )
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# ----------------------------------------------------------------------------- governments


def test_country_name_as_actor() -> None:
    saudi = one("وأعلنت السعودية اعتراض صاروخ.", "السعودية")
    assert (saudi.kind, saudi.sector, saudi.country) == ("government", "GOV", "SAU")
    iran = one("Iran said it would respond.", "Iran")
    assert (iran.kind, iran.country) == ("government", "IRN")


def test_country_name_as_place_is_not_an_actor() -> None:
    assert spans("وقعت انفجارات في العراق أمس.") == []
    assert spans("The explosions took place in Iraq on Monday.") == []
    assert spans("Jordan Henderson joined the club.") == []


# ----------------------------------------------------------------------------- anaphora


def test_anaphor_takes_its_antecedent() -> None:
    found = actors(
        "وأدانت وزارة الخارجية الأمريكية الهجوم. وقال المتحدث باسم الوزارة نيد برايس إن بلاده مستعدة للمساعدة."
    )
    speaker = next(m for m in found if m.text.startswith("المتحدث"))
    assert (speaker.sector, speaker.country, speaker.person) == ("GOV", "USA", "Ned Price")
    assert "anaphor" in speaker.reason
    english = actors("The Iraqi interior ministry announced arrests.", "The ministry said more would follow.")
    ministry = next(m for m in english if m.text == "The ministry")
    assert (ministry.sector, ministry.country) == ("GOV", "IRQ")


def test_unresolved_group_anaphor_is_dropped() -> None:
    assert spans("The group said it would meet again next week.") == []


def test_repeated_description_takes_the_country_and_person() -> None:
    found = actors("نجا رئيس الوزراء العراقي مصطفى الكاظمي من الهجوم. وقال رئيس الوزراء إنه بخير.")
    second = [m for m in found if m.text == "رئيس الوزراء"][-1]
    assert (second.country, second.person) == ("IRQ", "Mustafa al-Kadhimi")
    forces = actors("Sudanese security forces fired tear gas.", "Security forces later withdrew.")
    assert forces[-1].country == "SDN"


def test_resolve_reference_helper() -> None:
    found = actors("وأدانت وزارة الخارجية الأمريكية الهجوم وقال رئيس الوزراء العراقي إنه بخير.")
    assert resolve_reference("ministry", found).name == "US State Department"
    assert resolve_reference("person", found).text == "رئيس الوزراء العراقي"
    assert resolve_reference("party", found) is None


# ----------------------------------------------------------------------------- documents


def test_mixed_language_document() -> None:
    found = actors(
        "وأدانت وزارة الخارجية الأمريكية الهجوم.", "We are in close touch with the Iraqi security forces."
    )
    assert {m.country for m in found} == {"USA", "IRQ"}


def test_boilerplate_and_unsupported_languages_are_skipped() -> None:
    assert find_actors(prepared("أعلن الجيش العراقي انتهاء العملية.", kind=SegmentKind.BOILERPLATE)) == []
    assert find_actors(prepared(("fa", "ارتش عراق اعلام کرد که عملیات پایان یافت."))) == []


def test_empty_and_repetitive_input() -> None:
    assert find_actors(prepared("")) == []
    text = "الجيش " * 20000
    found = find_actors(prepared(text))
    assert len(found) == 20000 and all(m.sector == "MIL" for m in found[:10])


def test_spans_are_original_text() -> None:
    text = "Iraqi Prime Minister Mustafa al-Kadhimi met UN envoy Jeanine Hennis-Plasschaert in Baghdad."
    for mention in actors(text):
        assert text[mention.start : mention.end] == mention.text
        assert mention.reason


# ----------------------------------------------------------------------------- the tables


def test_tables_use_known_sectors_and_agree_across_languages() -> None:
    from rasd.annotate.actor_lexicon import SECTORS
    from rasd.lang import table

    seen: dict[str, tuple[str, str]] = {}
    for language in ("ar", "en"):
        for name in ("roles", "organisations", "persons", "person_titles"):
            for row in table(language, name):
                assert row.get("sector", "") in SECTORS | {""}, (language, name, row)
                if name in ("organisations", "persons") and row.get("kind") != "block":
                    key = (row["sector"], row["country"])
                    assert seen.setdefault(row["name"], key) == key, (language, row)


@pytest.mark.parametrize(
    ("language", "template"), [("ar", "وقال {} في بيان إن الوضع هادئ."), ("en", "On Monday {} said it was ready.")]
)
def test_every_named_organisation_and_person_is_found(language: str, template: str) -> None:
    """Each form of the organisation and person tables, alone in a sentence, names its entry
    (persons marked alone=no are left out: their one-word forms need a title)."""
    from rasd.lang import table

    missed = []
    for name in ("organisations", "persons"):
        for row in table(language, name):
            if row.get("kind") == "block" or "ambiguous" in row.get("flags", ""):
                continue
            for form in row["form"].split("|"):
                if row.get("alone") == "no" and " " not in form.strip():
                    continue
                found = actors((language, template.format(form)))
                if row["name"] not in {m.name for m in found} | {m.person for m in found}:
                    missed.append(form)
    assert missed == []
