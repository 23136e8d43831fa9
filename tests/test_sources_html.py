"""HTML pages, from files and from a local web server; URL lists; the failures of bad pages.

Every page here was written for these tests.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rasd.document import Document, Failure
from rasd.ingest import ReadLimits, read, read_stream
from rasd.ingest.fetch import FetchConfig
from rasd.ingest.html import decode_html, sniff
from tests.local_web import LocalSite, Reply, SilentServer, endless, redirect

FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.4, total_timeout=5.0, retries=0, host_delay=0.0)
LIMITS = ReadLimits(fetch=FAST)

AR_BODY = (
    "<p>أعلنت مديرية الصحة في الموصل، مساء السبت، أن ثلاثة مدنيين أصيبوا بجروح في انفجار عبوة ناسفة "
    "قرب سوق شعبي في الجانب الأيمن من المدينة.</p>\n"
    "<p>وقال متحدث باسم الشرطة إن التحقيق ما زال جاريًا ولم تتبنَّ أي جهة الهجوم حتى الآن، مضيفًا أن "
    "قوات الأمن طوقت المكان ومنعت الاقتراب منه.</p>\n"
)
AR_PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><title>انفجار في الموصل | جريدة المثال</title>
<link rel="canonical" href="https://news.example/ar/2022/03/05/mosul">
<meta property="article:published_time" content="2022-03-05T09:30:00+03:00">
</head><body>
<nav><ul><li><a href="/">الصفحة الرئيسية</a></li><li><a href="/iraq">أخبار العراق</a></li></ul></nav>
<article><h1>انفجار قرب سوق شعبي في الموصل</h1>
{AR_BODY}</article>
<aside><h3>اقرأ أيضا</h3><ul><li><a href="/x">أسعار النفط ترتفع في الأسواق</a></li></ul></aside>
<footer>جميع الحقوق محفوظة لجريدة المثال</footer></body></html>"""

EN_PAGE = """<html lang="en-GB"><head><meta charset="utf-8">
<title>Clashes in Tripoli leave two dead - The Example Post</title>
<meta name="description" content="Fighting between armed groups.">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-08-15T18:00:00Z"}</script>
</head><body>
<div class="menu"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></div>
<main><h1>Clashes in Tripoli leave two dead</h1>
<p>Two people were killed and five wounded on Tuesday when rival armed groups clashed in the centre
of the Libyan capital, Tripoli, the health ministry said in a statement.</p>
<p>Residents said heavy gunfire was heard for several hours near the old port before a ceasefire
brokered by local elders took hold in the evening.</p>
</main>
<div class="share">Share this article on social media</div></body></html>"""

NO_DATE_PAGE = """<html><head><title>Market reopens</title></head><body><article>
<h1>Market reopens</h1>
<p>The central market reopened after repairs that lasted since 12 January 2020, traders said on
Monday, adding that most of the shops were open again and that prices had been stable all week.</p>
<p>The municipality said that further repairs to the roads around the market would start soon.</p>
</article></body></html>"""


def only(items: list) -> Document | Failure:
    assert len(items) == 1, items
    return items[0]


@pytest.fixture(scope="module")
def site():
    with LocalSite() as running:
        yield running


def test_an_arabic_page_file_keeps_title_date_canonical_url_and_language(tmp_path: Path) -> None:
    path = tmp_path / "mosul.html"
    path.write_text(AR_PAGE, encoding="utf-8")
    document = only(list(read([str(path)])))
    assert isinstance(document, Document)
    assert document.title == "انفجار قرب سوق شعبي في الموصل"
    assert document.text.startswith("انفجار قرب سوق شعبي في الموصل\n\nأعلنت مديرية الصحة")
    assert "ومنعت الاقتراب منه." in document.text
    assert document.published_hint == "2022-03-05"
    assert document.url == "https://news.example/ar/2022/03/05/mosul"
    assert document.language_hint == "ar"
    assert document.origin == str(path)
    for furniture in ("الصفحة الرئيسية", "اقرأ أيضا", "أسعار النفط", "جميع الحقوق"):
        assert furniture not in document.text


def test_an_english_page_over_http(site: LocalSite) -> None:
    url = site.page("/world/tripoli.html", EN_PAGE)
    document = only(list(read([url], limits=LIMITS)))
    assert isinstance(document, Document), document
    assert document.origin == url and document.url == url  # no canonical link: where it was read
    assert document.title == "Clashes in Tripoli leave two dead"
    assert document.published_hint == "2023-08-15"
    assert document.language_hint == "en"
    assert "Two people were killed and five wounded" in document.text
    assert "Share this article" not in document.text and "Sport" not in document.text


def test_no_date_is_guessed_from_the_body() -> None:
    document = only(list(read_stream(io.BytesIO(NO_DATE_PAGE.encode()), "<page>", ReadLimits())))
    assert isinstance(document, Document)
    assert document.published_hint is None  # "12 January 2020" is in a sentence, not metadata
    assert document.text.startswith("Market reopens\n\nThe central market")


def test_the_same_page_read_twice_is_the_same_document(tmp_path: Path, site: LocalSite) -> None:
    url = site.page("/again.html", AR_PAGE)
    path = tmp_path / "again.html"
    path.write_text(AR_PAGE, encoding="utf-8")
    from_file, from_web = only(list(read([str(path)]))), only(list(read([url], limits=LIMITS)))
    assert from_file.id == from_web.id


def test_a_cp1256_page_without_any_charset_reads_as_arabic(site: LocalSite) -> None:
    page = AR_PAGE.replace('<html lang="ar" dir="rtl">', "<html>")
    url = site.page("/old-site.html", page.encode("cp1256"), content_type="text/html")
    document = only(list(read([url], limits=LIMITS)))
    assert isinstance(document, Document), document
    assert "أعلنت مديرية الصحة في الموصل" in document.text
    assert document.language_hint is None


def test_charset_from_the_server_then_the_meta_tag() -> None:
    page = AR_PAGE.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
    data = page.encode("cp1256")
    assert "مديرية الصحة" in decode_html(data)  # from <meta>
    assert "مديرية الصحة" in decode_html(data, "windows-1256")  # from the server
    assert "مديرية الصحة" in decode_html(AR_PAGE.encode(), "iso-8859-1")  # a wrong label falls back
    latin = "<html><body><p>café déjà vu</p></body></html>".encode("cp1252")
    assert "café" in decode_html(latin, "iso-8859-1")


def test_undecodable_bytes_without_a_charset_fail_naming_the_offset(site: LocalSite) -> None:
    data = b"<html><body><p>" + "caf\u00e9 cr\u00e8me".encode("latin-1") + b"</p></body></html>"
    url = site.page("/latin.html", data, content_type="text/html")
    failure = only(list(read([url], limits=LIMITS)))
    assert isinstance(failure, Failure)
    assert failure.origin == url
    assert failure.reason == "not an HTML page: undecodable bytes at offset 18 (not UTF-8, UTF-16 or Windows-1256)"


@pytest.mark.parametrize(
    "body, reason",
    [
        ("Just a line of plain words that claims to be a page.", "not HTML: no markup found"),
        ('{"error": "this is JSON"}', "not HTML: no markup found"),
        (b"%PDF-1.4\n\x00\x01\x02binary", "not an HTML page: binary file (NUL bytes and no UTF-16 byte-order mark)"),
        ("<html><head><title></title></head><body><div> </div><script>var a = 1;</script></body></html>", "no article text found in the page"),
    ],
    ids=["text", "json", "pdf", "empty-page"],
)
def test_html_that_is_not_html_is_a_failure_with_its_reason(site: LocalSite, body, reason: str) -> None:
    url = site.page("/not-html", body)
    failure = only(list(read([url], limits=LIMITS)))
    assert isinstance(failure, Failure)
    assert (failure.origin, failure.stage, failure.reason) == (url, "read", reason)


def test_bad_urls_fail_one_by_one_and_the_good_ones_still_read(site: LocalSite) -> None:
    site.route("/huge", endless(declare_length=False))
    site.route("/loop-a", redirect("/loop-b"))
    site.route("/loop-b", redirect("/loop-a"))
    site.route("/error", Reply("boom", status=500, content_type="text/plain"))
    good = site.page("/good.html", EN_PAGE)
    with SilentServer() as silent:
        sources = [site.url("/huge"), site.url("/loop-a"), silent.url("/hung"), site.url("/error"), good, site.url("/nothing")]
        found = list(read(sources, limits=ReadLimits(max_bytes=1024 * 1024, fetch=FAST)))
    assert [type(item).__name__ for item in found] == ["Failure"] * 4 + ["Document", "Failure"]
    reasons = [item.reason for item in found if isinstance(item, Failure)]
    assert "over the size limit of 1,048,576 bytes" in reasons[0]
    assert reasons[1].startswith("redirect loop: ")
    assert reasons[2].startswith("timed out")
    assert reasons[3].startswith("HTTP 500")
    assert reasons[4].startswith("HTTP 404")
    assert [item.origin for item in found] == sources


def test_a_url_list_file(tmp_path: Path, site: LocalSite) -> None:
    ar = site.page("/list/ar.html", AR_PAGE)
    en = site.page("/list/en.html", EN_PAGE)
    listing = tmp_path / "today.urls"
    listing.write_text(f"# pages to read\n{ar}\n\n{en}\nnews.example/not-a-url\n", encoding="utf-8")
    found = list(read([str(listing)], limits=LIMITS))
    assert [type(item).__name__ for item in found] == ["Document", "Document", "Failure"]
    assert found[0].origin == ar and found[1].origin == en
    assert found[2].origin == f"{listing}:line 5"
    assert found[2].reason == "not an http(s) URL: 'news.example/not-a-url'"


def test_a_folder_reads_html_files_but_never_url_lists(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(AR_PAGE, encoding="utf-8")
    (tmp_path / "b.htm").write_text(EN_PAGE, encoding="utf-8")
    (tmp_path / "c.urls").write_text("http://127.0.0.1:9/never\n", encoding="utf-8")
    found = list(read([str(tmp_path)]))
    assert [Path(item.origin).name for item in found] == ["a.html", "b.htm"]


def test_html_is_recognised_by_its_first_bytes() -> None:
    assert sniff(b"<!DOCTYPE html><html>") and sniff(b"\xef\xbb\xbf  <html lang='ar'>")
    assert sniff(b"<!-- saved page -->\n<html>")
    assert not sniff(b"<rss version='2.0'>") and not sniff(b"date 2022-01-01\nText")
    document = only(list(read_stream(io.BytesIO(EN_PAGE.encode()), "<stdin>", ReadLimits())))
    assert isinstance(document, Document) and document.title == "Clashes in Tripoli leave two dead"


def test_a_page_over_the_size_limit_in_a_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "<p>word</p>" * 200_000 + "</body></html>", encoding="utf-8")
    failure = only(list(read([str(path)], limits=ReadLimits(max_bytes=100_000))))
    assert isinstance(failure, Failure) and "over the size limit of 100,000 bytes" in failure.reason


def test_rasd_ingest_reads_urls_and_url_lists(tmp_path: Path, site: LocalSite) -> None:
    from click.testing import CliRunner

    from rasd.cli import main
    from rasd.store.database import open_database
    from rasd.store.schema import DocumentRow, FailureRow

    page = site.page("/cli/en.html", EN_PAGE)
    listing = tmp_path / "more.urls"
    listing.write_text(site.page("/cli/ar.html", AR_PAGE) + "\n" + site.url("/cli/missing.html") + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'rasd.db'}"
    result = CliRunner().invoke(main, ["ingest", page, str(listing), "--db", db])
    assert result.exit_code == 1  # one URL is missing
    assert "2 new documents" in result.output
    database = open_database(db)
    with database.transaction() as session:
        stored = {row.origin: (row.url, row.title) for row in session.query(DocumentRow)}
        failures = [(f.origin, f.reason) for f in session.query(FailureRow)]
    database.close()
    assert stored[page] == (page, "Clashes in Tripoli leave two dead")
    assert stored[site.url("/cli/ar.html")] == ("https://news.example/ar/2022/03/05/mosul", "انفجار قرب سوق شعبي في الموصل")
    assert len(failures) == 1 and failures[0][0] == site.url("/cli/missing.html") and "HTTP 404" in failures[0][1]
