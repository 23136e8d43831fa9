"""RSS and Atom feeds, from files and from a local web server. Feeds and pages written here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rasd.document import Document, Failure
from rasd.ingest import ReadLimits, read, read_stream
from rasd.ingest.feed import parse, sniff
from rasd.ingest.fetch import FetchConfig
from tests.local_web import LocalSite, Reply

FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.4, total_timeout=5.0, retries=0, host_delay=0.0)
LIMITS = ReadLimits(fetch=FAST)

AR_ARTICLE = """<html lang="ar"><head><title>اشتباكات في درعا</title>
<meta property="article:published_time" content="2021-07-29T08:00:00+03:00"></head><body>
<nav><a href="/">الرئيسية</a></nav><article><h1>اشتباكات في درعا البلد</h1>
<p>قُتل أربعة أشخاص وأصيب آخرون، صباح الخميس، في اشتباكات بين قوات الحكومة ومسلحين محليين في حي درعا البلد
جنوبي سوريا، بحسب ما أفاد مرصد محلي.</p>
<p>وأضاف المصدر أن المفاوضات بين الطرفين توقفت بعد ساعات من بدء الاشتباكات.</p></article></body></html>"""


def rss(base: str, extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>أخبار المثال</title><link>{base}/</link><language>ar-SY</language>
<item><title>اشتباكات في درعا</title><link>{base}/daraa.html</link><guid>daraa-1</guid>
<pubDate>Thu, 29 Jul 2021 01:30:00 +0300</pubDate><description>ملخص قصير عن الاشتباكات.</description></item>
<item><title>وقفة احتجاجية في السويداء</title><guid isPermaLink="false">sweida-2</guid>
<pubDate>Fri, 30 Jul 2021 12:00:00 +0300</pubDate>
<content:encoded><![CDATA[<p>نظم عشرات من أهالي السويداء <b>وقفة احتجاجية</b> أمام مبنى المحافظة.</p><p>وطالب المحتجون بتحسين الخدمات.</p><script>alert(1)</script>]]></content:encoded></item>
<item><title>خبر بلا صفحة</title><link>{base}/gone.html</link><guid>gone-3</guid>
<description>&lt;p&gt;أعلنت وزارة الصحة تسجيل إصابات جديدة.&lt;/p&gt;</description></item>
{extra}</channel></rss>"""


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>Example Wire</title><id>urn:example:wire</id><updated>2023-08-16T10:00:00Z</updated>
<entry><title>Protest in Amman over prices</title><id>urn:example:1</id>
<updated>2023-08-16T09:00:00+03:00</updated>
<summary>Hundreds protest in Amman.</summary>
<content type="html">&lt;p&gt;Hundreds of people protested in central Amman on Wednesday against rising fuel prices.&lt;/p&gt;&lt;p&gt;Police watched but did not intervene.&lt;/p&gt;</content></entry>
<entry><title>Storm closes Aqaba port</title><id>urn:example:2</id><published>2023-08-15T23:30:00-02:00</published>
<summary>A storm closed the port of Aqaba on Tuesday night.</summary></entry>
</feed>"""


@pytest.fixture(scope="module")
def site():
    with LocalSite() as running:
        running.page("/daraa.html", AR_ARTICLE)
        running.route("/feed.xml", Reply(rss(running.base), content_type="application/rss+xml; charset=utf-8"))
        yield running


def test_a_feed_url_fetches_each_item_page_else_uses_the_item_text(site: LocalSite) -> None:
    found = list(read([site.url("/feed.xml")], limits=LIMITS))
    assert [type(item).__name__ for item in found] == ["Document"] * 3
    page, own, fallback = found
    # the first item's page, extracted; the feed's date and language stand in where the page has none
    assert page.origin == site.url("/daraa.html") and page.url == site.url("/daraa.html")
    assert page.title == "اشتباكات في درعا البلد"
    assert "قُتل أربعة أشخاص" in page.text and "الرئيسية" not in page.text
    assert page.published_hint == "2021-07-29"  # the page's own metadata
    assert page.language_hint == "ar"
    # no link: the item's own content, tags and scripts gone, one paragraph per block
    assert own.origin == site.url("/feed.xml") + "#item 2" and own.url is None
    assert own.text == "وقفة احتجاجية في السويداء\n\nنظم عشرات من أهالي السويداء وقفة احتجاجية أمام مبنى المحافظة.\n\nوطالب المحتجون بتحسين الخدمات."
    assert own.published_hint == "2021-07-30" and own.language_hint == "ar"
    # the link is a 404: the item's summary is the document
    assert fallback.origin == site.url("/gone.html")
    assert fallback.text == "خبر بلا صفحة\n\nأعلنت وزارة الصحة تسجيل إصابات جديدة."


def test_a_feed_file_does_not_touch_the_network_unless_asked(tmp_path: Path, site: LocalSite) -> None:
    path = tmp_path / "saved.rss"
    path.write_text(rss(site.base), encoding="utf-8")
    before = len(site.hits("/daraa.html"))
    offline = list(read([str(path)]))
    assert len(site.hits("/daraa.html")) == before
    assert [item.text.split("\n")[0] for item in offline] == ["اشتباكات في درعا", "وقفة احتجاجية في السويداء", "خبر بلا صفحة"]
    assert offline[0].text == "اشتباكات في درعا\n\nملخص قصير عن الاشتباكات."
    assert offline[0].published_hint == "2021-07-29"  # 01:30 +03:00 is still the 29th where it was written
    online = list(read([str(path)], limits=LIMITS))
    assert "قُتل أربعة أشخاص" in online[0].text


def test_an_item_with_only_a_link_and_fetching_off_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "links.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>t</title><item><title>x</title><link>http://127.0.0.1:9/a</link></item></channel></rss>'
    )
    failure = list(read([str(path)]))[0]
    assert isinstance(failure, Failure) and failure.origin == "http://127.0.0.1:9/a"
    assert failure.reason == "the item has no content of its own and fetching its link is off"


def test_an_atom_feed_with_content_and_summaries() -> None:
    found = list(read_stream(io.BytesIO(ATOM.encode()), "<stdin>", ReadLimits()))
    assert [type(item).__name__ for item in found] == ["Document", "Document"]
    first, second = found
    assert first.text.startswith("Protest in Amman over prices\n\nHundreds of people protested in central Amman")
    assert first.published_hint == "2023-08-16" and first.language_hint == "en"
    assert second.text == "Storm closes Aqaba port\n\nA storm closed the port of Aqaba on Tuesday night."
    assert second.published_hint == "2023-08-15"  # local date of the entry, not UTC's 16th


def test_items_have_stable_keys() -> None:
    feed = parse(ATOM.encode())
    assert not isinstance(feed, str)
    assert [item.key for item in feed.items] == ["urn:example:1", "urn:example:2"]
    no_ids = parse(b'<rss version="2.0"><channel><item><title>A</title><description>b</description></item></channel></rss>')
    assert not isinstance(no_ids, str) and no_ids.items[0].key.startswith("sha1:")


@pytest.mark.parametrize(
    "body, reason",
    [
        ("<html><body><p>a page, not a feed</p></body></html>", "not an RSS or Atom feed"),
        ("<rss version='2.0'><channel><item><title>broken", None),
        ("\x00\x01 binary", "not an RSS or Atom feed"),
    ],
    ids=["html", "truncated", "binary"],
)
def test_a_malformed_feed(tmp_path: Path, body: str, reason: str | None) -> None:
    path = tmp_path / "bad.rss"
    path.write_text(body)
    found = list(read([str(path)]))
    if reason is None:  # read leniently: the broken item keeps what it has, or nothing comes out
        assert all(isinstance(item, (Document, Failure)) for item in found)
        return
    assert len(found) == 1 and isinstance(found[0], Failure)
    assert found[0].reason.startswith(reason)


def test_a_feed_that_returns_500_is_a_failure(site: LocalSite) -> None:
    site.route("/broken-feed.xml", Reply("server error", status=500, content_type="text/plain"))
    failure = list(read([site.url("/broken-feed.xml")], limits=LIMITS))[0]
    assert isinstance(failure, Failure) and failure.reason.startswith("HTTP 500")


def test_feeds_are_recognised_by_their_first_bytes() -> None:
    assert sniff(b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<rss version="2.0">')
    assert sniff(b'<feed xmlns="http://www.w3.org/2005/Atom">') and sniff(b"<rdf:RDF xmlns:rdf='x'>")
    assert not sniff(b"<?xml version='1.0'?><html>") and not sniff(b"<html><body>rss</body></html>")
