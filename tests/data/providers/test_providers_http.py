"""HTTP layer: retries with backoff, timeouts, truncated bodies, rate limiting, cache."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from _provider_replay import Reply

from crashlens.data.providers import HttpClient, ResponseCache, RetryPolicy, TokenBucket
from crashlens.errors import ProviderError


def client(sleeps=None, **kw) -> HttpClient:
    kw.setdefault("retry", RetryPolicy(max_retries=2, backoff_s=0.5, backoff_factor=2.0))
    kw.setdefault("cache", ResponseCache())
    kw.setdefault("timeout_s", 2.0)
    if sleeps is not None:
        kw["sleep"] = sleeps
    return HttpClient("testprov", **kw)


def test_500_then_success_is_retried_with_exponential_backoff(server, sleeps):
    server.add("/x", Reply(500, b"boom"), Reply(503, b"busy"), Reply(200, b"ok"))
    resp = client(sleeps).get(server.url + "/x")
    assert resp.body == b"ok"
    assert server.count("/x") == 3
    # Backoff schedule 0.5 * 2**k, written out by hand.
    assert sleeps.waits == [0.5, 1.0]


def test_persistent_500_raises_naming_provider_url_and_status(server, sleeps):
    server.add("/x", Reply(500, b"Internal Server Error"))
    with pytest.raises(ProviderError) as exc:
        client(sleeps).get(server.url + "/x", {"id": "DGS10"})
    msg = str(exc.value)
    assert msg.startswith("testprov:")
    assert f"{server.url}/x?id=DGS10" in msg
    assert "HTTP 500" in msg and "gave up after 3 attempts" in msg
    assert server.count("/x") == 3


def test_404_is_not_retried(server, sleeps):
    server.add("/x", Reply(404, b'{"error":"not found"}'))
    with pytest.raises(ProviderError, match="HTTP 404"):
        client(sleeps).get(server.url + "/x")
    assert server.count("/x") == 1
    assert sleeps.waits == []


def test_429_honours_retry_after(server, sleeps):
    server.add("/x", Reply(429, b"slow down", {"Retry-After": "3"}), Reply(200, b"ok"))
    assert client(sleeps).get(server.url + "/x").body == b"ok"
    assert sleeps.waits == [3.0]  # max(backoff 0.5, Retry-After 3)


def test_slow_endpoint_times_out(server):
    server.add("/slow", Reply(200, b"late", delay=1.5))
    c = client(timeout_s=0.2, retry=RetryPolicy(max_retries=1, backoff_s=0.0))
    t0 = time.monotonic()
    with pytest.raises(ProviderError, match=r"timed out after 0.2 s.*/slow"):
        c.get(server.url + "/slow")
    assert time.monotonic() - t0 < 1.4  # gave up well before the server answered
    assert server.count("/slow") == 2


def test_truncated_body_is_an_error(server, sleeps):
    server.add("/t", Reply(200, b'{"a": [1, 2, 3, 4, 5]}', truncate_to=7))
    with pytest.raises(ProviderError, match="truncated"):
        client(sleeps).get(server.url + "/t")
    assert server.count("/t") == 3  # retried, like a connection error


def test_truncated_then_complete_succeeds(server, sleeps):
    body = b'{"a": [1, 2, 3]}'
    server.add("/t", Reply(200, body, truncate_to=5), Reply(200, body))
    assert client(sleeps).get(server.url + "/t").body == body


def test_connection_refused(sleeps):
    with pytest.raises(ProviderError, match="connection error"):
        client(sleeps).get("http://127.0.0.1:9/nothing")


def test_cache_hit_makes_no_second_request(server, tmp_path: Path):
    server.add("/c", Reply(200, b"first"), Reply(200, b"second"))
    c = client()
    a = c.get(server.url + "/c", {"b": 2, "a": 1})
    b = c.get(server.url + "/c", {"a": 1, "b": 2})  # same URL, other param order
    assert server.count("/c") == 1
    assert (a.from_cache, b.from_cache) == (False, True)
    assert b.body == b"first" and b.fetched_at == a.fetched_at
    # The entry lives under CRASHLENS_HOME/cache/http (set by the autouse fixture).
    files = sorted(p.suffix for p in (tmp_path / "home" / "cache" / "http").iterdir())
    assert files == [".body", ".json"]


def test_cache_ttl_expiry_and_bypass(server):
    server.add("/c", Reply(200, b"first"), Reply(200, b"second"), Reply(200, b"third"))
    expired = client(cache_ttl_s=0.0)
    expired.get(server.url + "/c")
    time.sleep(0.01)
    assert expired.get(server.url + "/c").body == b"second"
    fresh = client()
    assert fresh.get(server.url + "/c", use_cache=False).body == b"third"
    assert server.count("/c") == 3


def test_cache_clear(server, tmp_path: Path):
    server.add("/c", Reply(200, b"x"))
    c = client()
    c.get(server.url + "/c", {"i": 1})
    c.get(server.url + "/c", {"i": 2})
    assert c.cache is not None
    assert c.cache.clear(older_than_s=3600) == 0  # both fresh
    assert c.cache.clear() == 2
    assert list((tmp_path / "home" / "cache" / "http").iterdir()) == []
    c.get(server.url + "/c", {"i": 1})
    assert server.count("/c") == 3


def test_error_responses_are_not_cached(server, sleeps):
    server.add("/e", Reply(404, b"no"), Reply(200, b"yes"))
    c = client(sleeps)
    with pytest.raises(ProviderError):
        c.get(server.url + "/e")
    assert c.get(server.url + "/e").body == b"yes"


def test_token_bucket_waits_by_hand_computed_amounts():
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    bucket = TokenBucket(2.0, capacity=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.acquire()
    # Two tokens in the bucket, then one every 1/2 s: three waits of 0.5 s.
    assert waits == pytest.approx([0.5, 0.5, 0.5])
    now[0] += 10.0  # idle: refills to capacity only
    bucket.acquire()
    bucket.acquire()
    assert len(waits) == 3
    bucket.acquire()
    assert waits[-1] == pytest.approx(0.5)


def test_rate_limit_observed_by_the_server(server):
    server.add("/r", Reply(200, b"ok"))
    c = client(limiter=TokenBucket(10.0), cache=None)
    c.get(server.url + "/r", {"i": "warm-up"})  # the first request also opens the pool
    for i in range(4):
        c.get(server.url + "/r", {"i": i})
    times = [h.t for h in server.hits[1:]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 3
    # 10 requests/s -> arrivals about 0.1 s apart. The span of three gaps is the rate check;
    # one gap may shrink when a loaded machine delays the request before it (seen on 2 cores).
    assert times[-1] - times[0] > 0.27
    assert min(gaps) > 0.04


def test_bad_settings_rejected():
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError):
        TokenBucket(0.0)
    with pytest.raises(ValueError):
        HttpClient("x", timeout_s=0)
