"""The HTTP client: politeness, bounds, retries and conditional requests, against a real
local server on 127.0.0.1 (tests/local_web.py)."""

from __future__ import annotations

import resource
import time

import pytest

from rasd.ingest.fetch import FetchConfig, Fetcher, FetchError, default_user_agent
from tests.local_web import LocalSite, Reply, SilentServer, endless, redirect

FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.5, total_timeout=5.0, retries=0, host_delay=0.0, backoff=0.01)
PAGE = "<html><head><title>t</title></head><body><p>نص الصفحة</p></body></html>"


@pytest.fixture
def site():
    with LocalSite() as running:
        yield running


def fetcher(**changes) -> Fetcher:
    from dataclasses import replace

    return Fetcher(replace(FAST, **changes))


def test_a_page_comes_back_with_its_type_and_the_user_agent_names_rasd(site: LocalSite) -> None:
    site.page("/a", PAGE.encode("cp1256"), content_type="text/html; charset=windows-1256")
    with fetcher() as client:
        page = client.get(site.url("/a"))
    assert page.status == 200 and page.content == PAGE.encode("cp1256")
    assert (page.media_type, page.charset) == ("text/html", "windows-1256")
    agent = site.hits("/a")[0].headers["User-Agent"]
    assert agent == default_user_agent() and agent.startswith("rasd/") and "(+https://" in agent


def test_redirects_are_followed_to_the_final_url(site: LocalSite) -> None:
    site.page("/final", PAGE)
    site.route("/old", redirect("/middle", 301))
    site.route("/middle", redirect(site.url("/final")))
    with fetcher() as client:
        assert client.get(site.url("/old")).url == site.url("/final")


def test_a_redirect_loop_and_too_many_redirects_fail_with_their_reason(site: LocalSite) -> None:
    site.route("/a", redirect("/b"))
    site.route("/b", redirect("/a"))
    for i in range(10):
        site.route(f"/hop{i}", redirect(f"/hop{i + 1}"))
    with fetcher(max_redirects=3) as client:
        with pytest.raises(FetchError, match=r"redirect loop: .*/a -> .*/b -> .*/a"):
            client.get(site.url("/a"))
        with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
            client.get(site.url("/hop0"))
    assert len(site.hits("/a")) == 1  # the loop is seen, not walked again


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_2gb_page_stops_at_the_size_cap(site: LocalSite, declared: bool) -> None:
    site.route("/huge", endless(declare_length=declared))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with fetcher() as client:
        with pytest.raises(FetchError, match="over the size limit of 1,048,576 bytes") as caught:
            client.get(site.url("/huge"), max_bytes=1024 * 1024)
    assert time.monotonic() - started < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100  # the page was not loaded
    assert ("2,147,483,648 bytes" in caught.value.reason) == declared


def test_a_server_that_never_answers_times_out() -> None:
    with SilentServer() as silent, fetcher(robots=False, read_timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out \(no answer\)") as caught:
            client.get(silent.url("/news"))
        assert time.monotonic() - started < 3
    assert caught.value.transient


def test_the_robots_txt_of_a_server_that_never_answers_times_out_too() -> None:
    with SilentServer() as silent, fetcher(read_timeout=0.3) as client:
        with pytest.raises(FetchError, match=r"timed out .*robots\.txt"):
            client.get(silent.url("/news"))


def test_transient_errors_are_retried_with_backoff_then_reported(site: LocalSite) -> None:
    site.route("/down", Reply("oops", status=503, content_type="text/plain"))
    waits: list[float] = []
    with Fetcher(FetchConfig(retries=2, backoff=0.5, host_delay=0.0), sleep=waits.append) as client:
        with pytest.raises(FetchError, match="HTTP 503") as caught:
            client.get(site.url("/down"))
    assert len(site.hits("/down")) == 3
    assert waits == [0.5, 1.0]
    assert caught.value.status == 503 and caught.value.transient


def test_retry_after_is_honoured_and_a_retry_can_succeed(site: LocalSite) -> None:
    calls = []

    def flaky(request) -> None:
        calls.append(1)
        if len(calls) == 1:
            request.send_response(429)
            request.send_header("Retry-After", "3")
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        body = PAGE.encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    site.route("/flaky", flaky)
    waits: list[float] = []
    with Fetcher(FetchConfig(retries=1, backoff=0.1, host_delay=0.0), sleep=waits.append) as client:
        assert client.get(site.url("/flaky")).content == PAGE.encode()
    assert waits == [3.0]


def test_a_404_is_not_retried(site: LocalSite) -> None:
    waits: list[float] = []
    with Fetcher(FetchConfig(retries=3, host_delay=0.0), sleep=waits.append) as client:
        with pytest.raises(FetchError, match="HTTP 404") as caught:
            client.get(site.url("/missing"))
    assert waits == [] and not caught.value.transient


def test_requests_to_one_host_are_spaced_by_the_polite_delay(site: LocalSite) -> None:
    site.page("/a", PAGE)
    with fetcher(host_delay=0.4) as client:
        for _ in range(3):
            client.get(site.url("/a"))
    times = [r.at for r in site.requests]  # robots.txt, then /a three times
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 4 and min(gaps) >= 0.35


def test_robots_txt_is_obeyed_and_its_crawl_delay_used() -> None:
    with LocalSite(robots="User-agent: rasd\nDisallow: /private/\nCrawl-delay: 1\n\nUser-agent: *\nDisallow: /\n") as site:
        site.page("/private/x", PAGE)
        site.page("/public", PAGE)
        with fetcher() as client:
            with pytest.raises(FetchError, match="robots.txt does not allow"):
                client.get(site.url("/private/x"))
            client.get(site.url("/public"))
            client.get(site.url("/public"))
        assert site.hits("/private/x") == []
        first, second = site.hits("/public")
        assert second.at - first.at >= 0.95
        assert len(site.hits("/robots.txt")) == 1  # cached


def test_robots_txt_missing_allows_and_broken_forbids() -> None:
    with LocalSite(robots=None) as site:
        site.page("/a", PAGE)
        with fetcher() as client:
            assert client.get(site.url("/a")).status == 200
        site.route("/robots.txt", Reply("down", status=500, content_type="text/plain"))
        with fetcher() as client:
            with pytest.raises(FetchError, match=r"robots.txt does not allow .*HTTP 500"):
                client.get(site.url("/a"))


def test_robots_can_be_switched_off(site: LocalSite) -> None:
    site.route("/robots.txt", Reply("User-agent: *\nDisallow: /\n", content_type="text/plain"))
    site.page("/a", PAGE)
    with fetcher(robots=False) as client:
        assert client.get(site.url("/a")).status == 200
    assert site.hits("/robots.txt") == []


def test_conditional_requests_get_304_when_nothing_changed(site: LocalSite) -> None:
    site.route("/feed", Reply("<rss version='2.0'><channel></channel></rss>", content_type="application/rss+xml", conditional=True))
    with fetcher() as client:
        first = client.get(site.url("/feed"))
        assert first.etag and first.last_modified and not first.not_modified
        again = client.get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    assert site.hits("/feed")[1].headers["If-None-Match"] == first.etag


def test_only_http_urls_are_fetched() -> None:
    with fetcher() as client:
        for bad in ("file:///etc/passwd", "ftp://example.org/x", "http://", "news.html"):
            with pytest.raises(FetchError, match="not an http"):
                client.get(bad)


def test_a_redirect_to_another_scheme_is_refused(site: LocalSite) -> None:
    site.route("/sneaky", redirect("file:///etc/passwd"))
    with fetcher() as client:
        with pytest.raises(FetchError, match="redirect to an unusable URL"):
            client.get(site.url("/sneaky"))


def test_a_refused_connection_is_a_clear_failure() -> None:
    with SilentServer() as silent:
        url = silent.url("/x")
    with fetcher() as client:  # the port is closed now
        with pytest.raises(FetchError, match="connection failed"):
            client.get(url)
