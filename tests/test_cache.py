"""The cache folder (rasd.cache) and what is kept in it: built once, read back, rebuilt
when corrupt, stale or missing, never a crash; the cached forms give the same answers as
freshly built ones."""

from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rasd import cache


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("RASD_CACHE", str(folder))
    return folder


def _counting_builder(calls: list[int], value: object):
    def build():
        calls.append(1)
        return value

    return build


def test_built_once_then_read(cache_folder: Path) -> None:
    calls: list[int] = []
    value = {"key": (1, 2, 3), "words": frozenset({"بغداد", "Baghdad"})}
    assert cache.cached("thing", "k1", _counting_builder(calls, value)) == value
    assert cache.cached("thing", "k1", _counting_builder(calls, value)) == value
    assert len(calls) == 1
    assert (cache_folder / "thing-k1.pickle").is_file()
    assert not list(cache_folder.glob("*.tmp"))  # the temporary file was renamed


def test_new_key_rebuilds(cache_folder: Path) -> None:
    calls: list[int] = []
    cache.cached("thing", "k1", _counting_builder(calls, 1))
    assert cache.cached("thing", "k2", _counting_builder(calls, 2)) == 2
    assert len(calls) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"garbage" * 10,  # not ours
        lambda data: data[:20] + b"\x00" * (len(data) - 20),  # zeroed after the header
        lambda data: b"",  # empty
    ],
)
def test_corrupt_file_is_rebuilt(cache_folder: Path, damage) -> None:
    calls: list[int] = []
    value = list(range(1000))
    cache.cached("thing", "k", _counting_builder(calls, value))
    path = cache_folder / "thing-k.pickle"
    path.write_bytes(damage(path.read_bytes()))
    assert cache.cached("thing", "k", _counting_builder(calls, value)) == value
    assert len(calls) == 2
    assert cache.cached("thing", "k", _counting_builder(calls, value)) == value  # and rewritten
    assert len(calls) == 2


def test_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RASD_CACHE", str(blocker / "cache"))
    calls: list[int] = []
    assert cache.cached("thing", "k", _counting_builder(calls, "value")) == "value"
    assert cache.cached("thing", "k", _counting_builder(calls, "value")) == "value"
    assert len(calls) == 2  # nothing could be kept, nothing failed


def test_fingerprint_follows_file_contents(tmp_path: Path) -> None:
    data = tmp_path / "table.tsv"
    data.write_text("form\tname\nبغداد\tBaghdad\n", encoding="utf-8")
    first = cache.fingerprint("v1", data)
    assert cache.fingerprint("v1", [data]) == first
    data.write_text("form\tname\nبغداد\tBaghdad\nالبصرة\tBasra\n", encoding="utf-8")
    assert cache.fingerprint("v1", data) != first
    assert cache.fingerprint("v2", data) != cache.fingerprint("v1", data)
    assert cache.fingerprint("v1", tmp_path / "missing.tsv") != cache.fingerprint("v1", data)


def test_prune_keeps_the_newest(cache_folder: Path) -> None:
    import os
    import time

    for n in range(6):
        cache.cached("thing", f"k{n}", lambda n=n: n)
        path = cache_folder / f"thing-k{n}.pickle"
        os.utime(path, (time.time() + n, time.time() + n))  # distinct modification times
    cache.cached("other", "k", lambda: 0)
    cache.prune(cache_folder / "thing-k5.pickle", keep=2)
    assert sorted(p.name for p in cache_folder.glob("thing-*")) == ["thing-k4.pickle", "thing-k5.pickle"]
    assert (cache_folder / "other-k.pickle").exists()


def _build_in_child(folder: str) -> int:
    import os

    os.environ["RASD_CACHE"] = folder
    from rasd import cache as child_cache

    value = child_cache.cached("race", "k", lambda: list(range(200_000)))
    return len(value)


def test_processes_building_at_once(tmp_path: Path) -> None:
    folder = str(tmp_path / "cache")
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        sizes = pool.map(_build_in_child, [folder] * 8)
    assert sizes == [200_000] * 8
    data = (Path(folder) / "race-k.pickle").read_bytes()
    assert pickle.loads(data[len(cache._MAGIC) :]) == list(range(200_000))
    assert not list(Path(folder).glob("*.tmp"))


# -- what is cached


def test_language_model_cache_matches_py3langid(cache_folder: Path) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from rasd.text import language

    samples = [
        "The ministry said the talks would resume next week in Geneva.",
        "Le ministère a déclaré que les pourparlers reprendraient la semaine prochaine.",
        "وزارت امور خارجه اعلام کرد که مذاکرات هفته آینده ادامه خواهد یافت",
        "قالت الوزارة إن المحادثات ستستأنف الأسبوع المقبل",
        "Das Ministerium sagte, die Gespräche würden nächste Woche fortgesetzt.",
        "abc",
    ]
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language.model_arrays.cache_clear()
    try:
        built = language.LanguageModel()  # decompresses py3langid's model, writes the cache
        path = language._model_cache_path()
        assert path.is_file() and path.parent == cache_folder
        language.model_arrays.cache_clear()
        read = language.LanguageModel()  # memory-mapped from the cache
        for model in (built, read):
            for text, ranked in zip(samples, model.classify(samples, top=3)):
                expected = reference.rank(text)[:3]
                assert [lang for lang, _ in ranked] == [lang for lang, _ in expected], text
                for (_, p), (_, q) in zip(ranked, expected):
                    assert p == pytest.approx(q, abs=1e-4)
        # a damaged file is rebuilt, not trusted
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
        language.model_arrays.cache_clear()
        assert language.LanguageModel().classify(samples[:1])[0][0][0] == "en"
        assert path.stat().st_size == len(data)
    finally:
        language.model_arrays.cache_clear()


def test_language_model_damaged_inside_is_rebuilt(cache_folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    import json

    from rasd.text import language

    language.model_arrays.cache_clear()
    try:
        language.LanguageModel()  # writes the cache
        path = language._model_cache_path()
        data = bytearray(path.read_bytes())
        at = len(language._MODEL_MAGIC)
        length = int.from_bytes(data[at : at + 8], "little")
        meta = json.loads(data[at + 8 : at + 8 + length])
        base = at + 8 + length
        base += -base % language._ALIGN
        offset = base + meta["layout"]["nextmove"][2]
        data[offset : offset + 4_000_000] = b"\xff" * 4_000_000  # transitions to no state
        path.write_bytes(bytes(data))
        language.model_arrays.cache_clear()
        model = language.LanguageModel()  # same size, consistent header: accepted on reading
        ranked = model.classify(["The ministry said the talks would resume next week in Geneva."])
        assert ranked[0][0][0] == "en"
        assert "language model cache damaged" in caplog.text
        assert path.read_bytes() != bytes(data)  # rewritten whole
    finally:
        language.model_arrays.cache_clear()


def test_arabic_text_never_loads_the_language_model() -> None:
    code = textwrap.dedent(
        """
        import sys
        from rasd.document import Document
        from rasd.text import prepare
        from rasd.text import language
        doc = prepare(Document("date 2021-11-07\\nقالت الشرطة إن انفجارا وقع في سوق ببغداد صباح الأحد.\\n\\n"
                               "وأضافت أن ثلاثة أشخاص أصيبوا بجروح."))
        assert {s.language for s in doc.segments} == {"ar"}, doc.segments
        print(language.model.cache_info().currsize, "py3langid" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]


def test_actor_lexicon_from_cache_matches_a_fresh_build(cache_folder: Path) -> None:
    from rasd.annotate import actor_lexicon

    text = " رئيس الوزراء العراقي مصطفى الكاظمي والخارجية الأمريكية وقوات الأمن في بغداد "
    fresh = actor_lexicon.build_lexicon("ar")
    actor_lexicon.lexicon.cache_clear()
    try:
        first = actor_lexicon.lexicon("ar")  # built and cached
        actor_lexicon.lexicon.cache_clear()
        second = actor_lexicon.lexicon("ar")  # read back
        assert first is not second
        assert list(cache_folder.glob("actors-ar-*.pickle"))

        def readable(lex):
            return [(start, length, hit.entries, hit.prefix, hit.proclitic) for start, length, hit in lex.matches(text)]

        assert readable(fresh) and readable(second) == readable(fresh) == readable(first)
        for field in ("words", "given_names", "persons", "adjective", "country_name", "head_first"):
            assert getattr(second, field) == getattr(fresh, field), field
    finally:
        actor_lexicon.lexicon.cache_clear()


def test_place_lexicon_from_cache_matches_a_fresh_build(cache_folder: Path) -> None:
    from rasd.annotate.places import lexicon as places_lexicon

    fresh = places_lexicon.build_lexicon()
    places_lexicon.lexicon.cache_clear()
    try:
        places_lexicon.lexicon()
        places_lexicon.lexicon.cache_clear()
        read = places_lexicon.lexicon()
        assert list(cache_folder.glob("places-lexicon-*.pickle"))
        for field in ("clitic_layers", "cues", "stop", "demonyms", "demonym_prefixes"):
            assert getattr(read, field) == getattr(fresh, field), field
    finally:
        places_lexicon.lexicon.cache_clear()
