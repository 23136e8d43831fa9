"""The PLOVER -> ACLED / CAMEO taxonomy: the annotation guide's mapping, conditions, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd import taxonomy
from rasd.taxonomy import Coding, code, is_core, modes, types

# spec/event-record.md's list of types.
RECORD_TYPES = (
    "ASSAULT FIGHT PROTEST COERCE MOBILIZE DISAPPROVE DEMAND THREATEN REJECT INVESTIGATE AID "
    "AGREE CONSULT SUPPORT SANCTION CONCEDE RETREAT COOPERATE"
).split()

# ACLED's event types and their sub-event types (ACLED codebook).
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}

ER, VAC = "Explosions/Remote violence", "Violence against civilians"


def test_types_are_the_event_record_types() -> None:
    assert sorted(types()) == sorted(RECORD_TYPES)
    assert taxonomy.core_types() == ("ASSAULT", "FIGHT", "PROTEST", "COERCE")
    assert [t for t in types() if is_core(t)] == ["ASSAULT", "FIGHT", "PROTEST", "COERCE"]
    assert not is_core("DISAPPROVE") and not is_core("NOT-A-TYPE") and not is_core("")
    assert is_core("assault")  # case does not matter


def test_modes_follow_the_annotation_guide() -> None:
    assert set(modes("ASSAULT")) >= {
        "aerial", "explosion", "suicide", "firearms", "shelling", "beat", "kidnap", "sexual", "other"
    }
    assert set(modes("FIGHT")) == {"clash", "capture", "shelling", "aerial", "other"}
    assert set(modes("PROTEST")) == {"demonstrate", "riot", "strike", "sit-in", "other"}
    assert set(modes("COERCE")) == {"arrest", "raid", "seize", "curfew", "ban", "disperse", "other"}
    assert modes("DISAPPROVE") == ()
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        modes("BLAME")


@pytest.mark.parametrize(
    ("event_type", "mode", "kwargs", "acled_type", "acled_sub"),
    [
        ("ASSAULT", "aerial", {}, ER, "Air/drone strike"),
        ("ASSAULT", "shelling", {}, ER, "Shelling/artillery/missile attack"),
        ("ASSAULT", "explosion", {}, ER, "Remote explosive/landmine/IED"),
        ("ASSAULT", "suicide", {}, ER, "Suicide bomb"),
        ("ASSAULT", "firearms", {"target_sector": "CVL"}, VAC, "Attack"),
        ("ASSAULT", "firearms", {}, VAC, "Attack"),
        ("ASSAULT", "beat", {"target_sector": "CVL"}, VAC, "Attack"),
        ("ASSAULT", "other", {"target_sector": "GOV"}, VAC, "Attack"),
        ("ASSAULT", "kidnap", {}, VAC, "Abduction/forced disappearance"),
        ("ASSAULT", "sexual", {}, VAC, "Sexual violence"),
        ("FIGHT", "clash", {}, "Battles", "Armed clash"),
        ("FIGHT", "capture", {"actor_sector": "MIL"}, "Battles", "Government regains territory"),
        ("FIGHT", "capture", {"actor_sector": "REB"}, "Battles", "Non-state actor overtakes territory"),
        ("PROTEST", "demonstrate", {}, "Protests", "Peaceful protest"),
        ("PROTEST", "sit-in", {}, "Protests", "Peaceful protest"),
        ("PROTEST", "strike", {}, "Protests", "Peaceful protest"),
        ("PROTEST", "demonstrate", {"intervention": True}, "Protests", "Protest with intervention"),
        (
            "PROTEST",
            "demonstrate",
            {"intervention": True, "fatalities": 3},
            "Protests",
            "Excessive force against protesters",
        ),
        ("PROTEST", "riot", {}, "Riots", "Violent demonstration"),
        ("PROTEST", "riot", {"intervention": True, "fatalities": 2}, "Riots", "Violent demonstration"),
        ("COERCE", "arrest", {}, "Strategic developments", "Arrests"),
        ("COERCE", "raid", {}, "Strategic developments", "Other"),
        ("COERCE", "curfew", {}, "Strategic developments", "Other"),
        ("COERCE", "disperse", {}, "Strategic developments", "Other"),
    ],
)
def test_acled_mapping_of_the_annotation_guide(event_type, mode, kwargs, acled_type, acled_sub) -> None:
    coding = code(event_type, mode, **kwargs)
    assert (coding.acled_event_type, coding.acled_sub_event_type) == (acled_type, acled_sub)


def test_context_changes_the_acled_code() -> None:
    # gunfire at soldiers is a battle for ACLED, at civilians an attack
    assert code("ASSAULT", "firearms", target_sector="MIL").acled_event_type == "Battles"
    assert code("ASSAULT", "firearms", target_sector="cvl").acled_event_type == VAC
    # a capture with an unknown side stays a generic battle
    assert code("FIGHT", "capture").acled_sub_event_type == "Armed clash"
    # force without deaths is an intervention; deaths without force are not excessive force
    assert code("PROTEST", "demonstrate", fatalities=2).acled_sub_event_type == "Peaceful protest"
    assert code("PROTEST", "demonstrate", intervention=True, fatalities=0).acled_sub_event_type == (
        "Protest with intervention"
    )
    # a protest whose second actor is the police is one the police confronted (ACLED's practice)
    assert code("PROTEST", "demonstrate", target_sector="POL").acled_sub_event_type == (
        "Protest with intervention"
    )
    assert code("PROTEST", "demonstrate", target_sector="GOV").acled_sub_event_type == "Peaceful protest"


@pytest.mark.parametrize(
    ("event_type", "mode", "cameo"),
    [
        ("ASSAULT", "explosion", "18"),
        ("ASSAULT", "suicide", "18"),
        ("ASSAULT", "kidnap", "18"),
        ("ASSAULT", "aerial", "19"),  # CAMEO 195: employ aerial weapons
        ("ASSAULT", "shelling", "19"),  # CAMEO 194: fight with artillery
        ("FIGHT", "clash", "19"),
        ("PROTEST", "riot", "14"),
        ("COERCE", "arrest", "17"),
        ("MOBILIZE", None, "15"),
        ("DISAPPROVE", None, "11"),
        ("DEMAND", None, "10"),
        ("THREATEN", None, "13"),
        ("REJECT", None, "12"),
        ("INVESTIGATE", None, "09"),
        ("AID", None, "07"),
        ("AGREE", None, "03"),
        ("CONSULT", None, "04"),
        ("SUPPORT", None, "05"),
        ("SANCTION", None, "16"),
        ("CONCEDE", None, "08"),
        ("RETREAT", None, "08"),
        ("COOPERATE", None, "06"),
    ],
)
def test_cameo_roots(event_type, mode, cameo) -> None:
    assert code(event_type, mode).cameo == cameo


def test_every_type_and_mode_is_coded_consistently() -> None:
    for event_type in types():
        for mode in (None, *modes(event_type)):
            coding = code(event_type, mode)
            assert isinstance(coding, Coding)
            assert coding.cameo is not None and len(coding.cameo) == 2 and coding.cameo.isdigit()
            if not is_core(event_type):
                assert coding.acled_event_type is None and coding.acled_sub_event_type is None
            elif mode is not None:
                assert coding.acled_sub_event_type in ACLED[coding.acled_event_type]
    for sub in taxonomy.acled_sub_event_types():
        assert any(sub in subs for subs in ACLED.values()), sub
    assert taxonomy.acled_event_types() <= set(ACLED)


def test_unknown_type_or_mode_is_an_error_and_case_is_ignored() -> None:
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        code("SHOUT", None)
    with pytest.raises(ValueError, match="not a mode of ASSAULT"):
        code("ASSAULT", "clash")
    with pytest.raises(ValueError, match="not a mode of DISAPPROVE"):
        code("DISAPPROVE", "aerial")
    assert code("assault", "Aerial") == code("ASSAULT", "aerial")
    assert code("ASSAULT", "") == code("ASSAULT", None)
    assert code("ASSAULT", None).acled_event_type is None  # how is unknown: no ACLED guess


def test_documentation_names_every_type() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "TAXONOMY.md").read_text(encoding="utf-8")
    for event_type in types():
        assert event_type in text


def test_gold_acled_codes_follow_from_type_mode_and_context(shared_dir: Path) -> None:
    """The annotators' ACLED codes follow from PLOVER type, mode, sectors and fatalities."""
    disagreements = []
    total = 0
    for path in (shared_dir / "eval" / "dev.gold.jsonl", shared_dir / "examples" / "kadhimi-drone.gold.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for event in json.loads(line)["events"]:
                total += 1
                coding = code(
                    event["type"],
                    event["mode"],
                    target_sector=(event["actor2"] or {}).get("sector"),
                    actor_sector=(event["actor1"] or {}).get("sector"),
                    fatalities=event["fatalities"],
                )
                acled = event["acled"] or {}
                got = (coding.acled_event_type, coding.acled_sub_event_type)
                if got != (acled.get("event_type"), acled.get("sub_event_type")):
                    disagreements.append((event["type"], event["mode"], acled, got))
    assert total > 100
    assert not disagreements, disagreements
