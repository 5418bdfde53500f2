"""Hostile input against the real binary on loopback: oversized and malformed requests, slow and
idle clients, absurd parameters and text, path traversal, request smuggling attempts, resets in
the middle of a render, and hostile binding uploads. Every case checks the status and that the
server still answers a normal request afterwards. Cases test_foundation.py and
test_refcards.py already cover are not repeated here (reliability_report.py lists them).

Bounded: every socket has a timeout, loops have a count, the slow cases take a few seconds."""
import http.client
import io
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests
from PIL import Image

from conftest import ROOT, flood_refusals, wait_for

pytest.register_assert_rewrite("reliability_report")
from reliability_report import case  # noqa: E402  (after the rewrite registration)

pytest_plugins = ["reliability_report"]
DATA = os.path.join(ROOT, "tests", "data", "bindings")


# ---------------------------------------------------------------- helpers

def exchange(port, data, timeout=10, expect=None):
    """Send raw bytes (in pieces, stopping early if the server answers first), then read until
    the server closes, `expect` whole responses have arrived, or timeout; returns the bytes."""
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            for i in range(0, len(data), 65536):
                if i and select.select([s], [], [], 0)[0]:
                    break  # answered (e.g. 413) before the whole request was sent
                s.sendall(data[i:i + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                c = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not c:
                break
            out += c
            if expect and len(statuses(out, complete=True)) >= expect:
                break
        return out


def statuses(raw, complete=False):
    """Status codes of the HTTP responses in raw (bodies skipped by Content-Length); with
    complete, only responses whose body has fully arrived."""
    codes, i = [], 0
    while True:
        j = raw.find(b"HTTP/1.", i)
        if j < 0:
            return codes
        head_end = raw.find(b"\r\n\r\n", j)
        if head_end < 0:
            return codes
        head = raw[j:head_end].decode("latin-1").split("\r\n")
        length = 0
        for h in head[1:]:
            k, _, v = h.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v.strip())
        if complete and len(raw) < head_end + 4 + length:
            return codes
        codes.append(int(head[0].split()[1]))
        i = head_end + 4 + length


def still_serves(server, observe=None):
    r = server.get("/healthz", timeout=10)
    assert r.status_code == 200, "server stopped answering"
    img = server.get("/v1/cards/og.png?text.title=still%20here", timeout=30)
    assert img.status_code == 200 and img.content.startswith(b"\x89PNG")
    if observe:
        observe("then /healthz 200 and a card 200")


def error_json(r, status):
    assert r.status_code == status, (r.status_code, r.text[:300])
    body = r.json()["error"]
    assert body["status"] == status and body["message"]
    assert r.headers.get("Cache-Control") == "no-store"
    return body


def pump_metric(conn, name):
    """Read one metric over an already open keep-alive connection (http.client)."""
    conn.request("GET", "/metrics")
    resp = conn.getresponse()
    text = resp.read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def read_binding(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


# ---------------------------------------------------------------- request size limits

@case(sends="raw GET whose path (not query) is 9 KB: /v1/cards/aaaa….png", expected="414; then 200")
def test_long_path_414(server, observe):
    out = exchange(server.port, b"GET /v1/cards/" + b"a" * 9200 + b".png HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    assert statuses(out) == [414], out[:200]
    observe("414")
    still_serves(server, observe)


@case(sends="100 KB of headers as 2 000 short lines (raw socket)", expected="431; then 200")
def test_many_header_lines_431(server, observe):
    headers = b"".join(b"X-%05d: %s\r\n" % (i, b"v" * 40) for i in range(2000))
    out = exchange(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + b"Connection: close\r\n\r\n")
    assert statuses(out) == [431], out[:200]
    observe("431")
    still_serves(server, observe)


@case(sends="POST declaring Content-Length: 50 MB, then only 64 KB of it (--max-body 65536)",
      expected="413 before the body is sent; then 200")
def test_body_over_limit_413_without_reading(start_server, observe):
    s = start_server("--max-body", "65536")
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
        c.sendall(b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                  b"Content-Length: 52428800\r\n\r\n")
        t0 = time.time()
        sent = 0
        try:
            for _ in range(16):
                if select.select([c], [], [], 0.02)[0]:
                    break  # answered already
                c.sendall(b"x" * 4096)
                sent += 4096
        except (BrokenPipeError, ConnectionResetError):
            pass
        c.settimeout(5)
        head = c.recv(4096)
        took = time.time() - t0
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    observe(f"413 after {sent // 1024} KB of 50 MB sent, in {took * 1000:.0f} ms")
    still_serves(s, observe)


@case(sends="with --memory-budget-mb 16: a 32 MB upload (over the budget's input share) and a 3 MB one over "
            "--max-body 1 MB, each sent whole by http.client before it reads the reply",
      expected="the 413 JSON error that says why, read by the client (no connection reset); then 200")
def test_refused_body_reply_reaches_client(start_server, observe):
    s = start_server("--memory-budget-mb", "16", "--max-body", str(64 << 20))
    s2 = start_server("--max-body", str(1 << 20))
    got = []
    for srv, size, words in ((s, 32 << 20, "memory budget"), (s2, 3 << 20, "larger than")):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        c.request("POST", "/v1/refcards", body=b"x" * size, headers={"Content-Type": "application/octet-stream"})
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        assert r.status == 413 and words in body["error"]["message"], (r.status, body)
        got.append(f"{r.status} {body['error']['message'][:60]}")
    observe("; ".join(got))
    still_serves(s, observe)


@case(sends="chunked POST whose first chunk header declares 6 MB (--max-body 65536)",
      expected="413 at once; then 200")
def test_chunked_over_limit_413(start_server, observe):
    s = start_server("--max-body", "65536")
    out = exchange(s.port, b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"600000\r\n" + b"x" * 1000, timeout=5)
    assert statuses(out) == [413], out[:200]
    observe("413")
    still_serves(s, observe)


# ---------------------------------------------------------------- slow and idle clients

def slowloris(port, first_line, results, idx, limit=8.0):
    """Send a request one byte per second; record how long until the server closed it."""
    t0 = time.time()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=limit) as c:
            for b in first_line + b"X-Slow: " + b"a" * 64:
                r, _, _ = select.select([c], [], [], 1.0)
                if r and c.recv(1024) == b"":
                    results[idx] = time.time() - t0
                    return
                if time.time() - t0 > limit:
                    break
                c.send(bytes([b]))
    except (BrokenPipeError, ConnectionResetError):
        results[idx] = time.time() - t0
        return
    results[idx] = None  # never closed


@case(sends="4 connections sending request headers (and one a body) 1 byte per second; "
            "--header-timeout-s 2; a normal client meanwhile",
      expected="each slow connection closed after ~2 s; normal requests all 200 meanwhile")
def test_slowloris_closed_after_header_timeout(start_server, observe):
    s = start_server("--header-timeout-s", "2")
    results = [None] * 4
    lines = [b"GET /healthz HTTP/1.1\r\nHost: x\r\n"] * 3 + \
            [b"POST /v1/cards/og.png HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"text\": "]
    ts = [threading.Thread(target=slowloris, args=(s.port, lines[i], results, i)) for i in range(4)]
    for t in ts:
        t.start()
    normal = []
    t_end = time.time() + 3.5
    while time.time() < t_end:
        t0 = time.time()
        normal.append((s.get("/healthz", timeout=5).status_code, time.time() - t0))
        time.sleep(0.25)
    for t in ts:
        t.join(15)
    assert all(r is not None for r in results), f"slow connections not closed: {results}"
    assert all(1.5 <= r <= 5.0 for r in results), results
    assert all(code == 200 for code, _ in normal)
    worst = max(dt for _, dt in normal)
    assert worst < 2.0, f"a normal request waited {worst:.2f}s behind the slow clients"
    observe(f"closed after {', '.join(f'{r:.1f}' for r in results)} s; {len(normal)} normal requests "
            f"200, slowest {worst * 1000:.0f} ms")
    still_serves(s, observe)


@case(sends="1 worker; a client requests a 2x PNG card (~1 MB) and reads it at 1 KB/s; "
            "3 other renders meanwhile",
      expected="the other renders answer 200 while the slow reader is still reading; no render in flight")
def test_slow_reader_does_not_hold_worker(start_server, observe):
    s = start_server("--threads", "1", "--deadline-ms", "20000")
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.settimeout(10)
    slow.connect(("127.0.0.1", s.port))
    slow.sendall(b"GET /v1/cards/w1.png?seed=777&scale=2 HTTP/1.1\r\nHost: x\r\n\r\n")
    got = slow.recv(1024)
    assert got.startswith(b"HTTP/1.1 200"), got[:100]
    length = int([h for h in got.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
    assert length > 300_000
    read = len(got)
    for _ in range(3):  # the slow reader is well under way before the others start
        read += len(slow.recv(1024))
        time.sleep(1.0)
    done = []

    def other(i):
        r = s.get(f"/v1/cards/w1.jpg?seed={9000 + i}", timeout=20)
        done.append((r.status_code, time.time()))

    t0 = time.time()
    ts = [threading.Thread(target=other, args=(i,)) for i in range(3)]
    for t in ts:
        t.start()
    while any(t.is_alive() for t in ts) and time.time() - t0 < 20:
        read += len(slow.recv(1024))
        time.sleep(1.0)
    for t in ts:
        t.join(1)
    in_flight = s.metric("cartouche_renders_in_flight")
    slow.close()
    assert [c for c, _ in done] == [200, 200, 200], done
    assert read < length, "the slow reader finished first: the test proves nothing"
    assert in_flight == 0
    observe(f"3 renders 200 within {(max(t for _, t in done) - t0) * 1000:.0f} ms while the slow reader had "
            f"{read // 1024} KB of {length // 1024} KB; renders in flight 0")
    still_serves(s, observe)


@case(sends="--max-connections 200: one keep-alive client, then 2 000 idle connections, then they close",
      expected="accept paused (cartouche_accept_paused 1); the keep-alive client still served; "
               "after the close accept resumes and new clients get 200")
def test_idle_connections_pause_accept(start_server, observe):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2300:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    s = start_server("--max-connections", "200", "--header-timeout-s", "60", "--io-timeout-s", "60")
    import http.client
    keep = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    assert pump_metric(keep, "cartouche_accept_paused") == 0
    idle = []
    try:
        for _ in range(2000):
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", s.port))
            idle.append(c)
        deadline = time.time() + 10
        while time.time() < deadline and pump_metric(keep, "cartouche_accept_paused") != 1:
            time.sleep(0.1)
        paused = pump_metric(keep, "cartouche_accept_paused")
        conns = pump_metric(keep, "cartouche_connections")
        keep.request("GET", "/v1/cards/og.jpg?text.title=while%20paused")
        r = keep.getresponse()
        body = r.read()
        assert paused == 1, "accept was not paused"
        assert conns <= 201, conns
        assert r.status == 200 and body[:2] == b"\xff\xd8"
        observe(f"paused with {conns:.0f} connections open; keep-alive card 200")
    finally:
        for c in idle:
            c.close()
    deadline = time.time() + 15
    while time.time() < deadline and pump_metric(keep, "cartouche_accept_paused") != 0:
        time.sleep(0.1)
    assert pump_metric(keep, "cartouche_accept_paused") == 0, "accept did not resume"
    keep.close()
    t0 = time.time()
    assert s.get("/healthz", timeout=10).status_code == 200
    observe(f"resumed; new connection answered in {(time.time() - t0) * 1000:.0f} ms")
    still_serves(s, observe)


# ---------------------------------------------------------------- absurd numbers

DIMENSIONS = [
    ("/v1/cards/w1.jpg?scale=1e9", "scale"),
    ("/v1/cards/w1.jpg?scale=99999999999999999999999", "scale"),
    ("/v1/cards/w1.jpg?scale=2.5", "scale"),
    ("/v1/cards/w1.jpg?scale=", "scale"),
    ("/v1/cards/w1.jpg?q=-2147483649", "q"),
    ("/v1/static?center=0,0&zoom=1&size=0x0", "size"),
    ("/v1/static?center=0,0&zoom=1&size=-100x100", "size"),
    ("/v1/static?center=0,0&zoom=1&size=1000000000x1000000000", "size"),
    ("/v1/static?center=0,0&zoom=1&size=99999999999999999999x10", "size"),
    ("/v1/static?center=0,0&zoom=1&size=1e9x1e9", "size"),
    ("/v1/static?center=0,0&zoom=1&size=100x", "size"),
    ("/v1/static?center=0,0&zoom=1&scale=0", "scale"),
    ("/v1/static?center=0,0&zoom=1&scale=-1", "scale"),
    ("/v1/static?center=0,0&zoom=1&scale=1e9", "scale"),
    ("/v1/static?center=0,0&zoom=-1", "zoom"),
    ("/v1/static?center=0,0&zoom=1e9", "zoom"),
    ("/v1/static?center=0,0&zoom=99999999999999999999", "zoom"),
    ("/v1/static?center=0,0&zoom=nan", "zoom"),
    ("/v1/static?center=nan,0&zoom=1", "center"),
    ("/v1/static?center=inf,-inf&zoom=1", "center"),
    ("/v1/static?center=1e308,1e308&zoom=1", "center"),
    ("/v1/static?bbox=0,0,0,0", "bbox"),
    ("/v1/static?bbox=-1e308,-90,1e308,90", "bbox"),
    ("/v1/static?center=0,0&zoom=1&marker=1e999,0", "marker"),
    ("/v1/scenes?limit=0", "limit"),
    ("/v1/scenes?limit=-1", "limit"),
    ("/v1/scenes?limit=99999999999999999999", "limit"),
    ("/v1/scenes?bbox=nan,nan,nan,nan", "bbox"),
    ("/v1/scenes/bluemarble-2-2-1/thumbnail.jpg?w=0", "w"),
    ("/v1/scenes/bluemarble-2-2-1/thumbnail.jpg?w=-1", "w"),
    ("/v1/scenes/bluemarble-2-2-1/thumbnail.jpg?w=1000000000", "w"),
    ("/v1/refcards/000000000000000000000000/keyboard.png?scale=1e9", "scale"),
]


@case(sends="each of width/height/size/scale/zoom/limit/w/center/bbox at 0, negative, 1e9, 20-digit "
            "overflow, NaN, inf, empty, fractional (32 URLs over cards, static maps, scenes, refcards)",
      expected="400 naming the parameter (refcards: 400 or 404 for the unknown id); then 200")
def test_absurd_dimensions_400(server, observe):
    bad = []
    for url, param in DIMENSIONS:
        r = server.get(url, timeout=20)
        if url.startswith("/v1/refcards/"):
            ok = r.status_code in (400, 404)
        else:
            ok = r.status_code == 400 and r.json()["error"].get("param") == param
        if not ok:
            bad.append((url, r.status_code, r.text[:120]))
    assert not bad, bad
    observe(f"{len(DIMENSIONS)} URLs, all 400 with the right param")
    still_serves(server, observe)


TILE_URLS = ["/v1/tiles/bluemarble/-1/0/0.jpg", "/v1/tiles/bluemarble/1000000000/0/0.jpg",
             "/v1/tiles/bluemarble/99999999999999999999/0/0.jpg", "/v1/tiles/bluemarble/2/4/0.jpg",
             "/v1/tiles/bluemarble/2/0/-1.jpg", "/v1/tiles/bluemarble/2/0/99999999999999999999.jpg",
             "/v1/tiles/bluemarble/1e1/0/0.jpg", "/v1/tiles/bluemarble/0x1/0/0.jpg",
             "/v1/tiles/bluemarble/1/0/0@3x.jpg", "/v1/tiles/bluemarble/1/0/0@0x.png"]


@case(sends="tile URLs with z/x/y negative, 1e9, 20-digit overflow, outside the zoom's range, "
            "hex/exponent forms, @3x/@0x", expected="400 or 404, never 200 or 5xx; then 200")
def test_absurd_tile_coordinates(server, observe):
    got = {u: server.get(u, timeout=10).status_code for u in TILE_URLS}
    assert all(c in (400, 404) for c in got.values()), got
    observe(", ".join(sorted({str(c) for c in got.values()})) + f" for {len(got)} URLs")
    still_serves(server, observe)


# ---------------------------------------------------------------- hostile text

BAD_UTF8 = {"surrogate": "%ED%A0%80", "above U+10FFFF": "%F4%90%80%80", "lone continuation": "%80",
            "truncated 3-byte": "x%E2%82", "5-byte form": "%F8%88%80%80%80", "FE/FF bytes": "%FE%FF",
            "overlong NUL": "%C0%80", "overlong 3-byte slash": "%E0%80%AF"}


@case(sends="text.l1 with UTF-8 surrogates, > U+10FFFF, lone continuation, truncated, 5-byte, FE/FF, "
            "overlong NUL and slash; the same as a static-map label",
      expected="400 naming the parameter; then 200")
def test_invalid_utf8_variants_400(server, observe):
    bad = []
    for what, enc in BAD_UTF8.items():
        r = server.get("/v1/cards/w1.jpg?text.l1=" + enc)
        if r.status_code != 400 or r.json()["error"].get("param") != "text.l1":
            bad.append((what, "card", r.status_code))
        r = server.get("/v1/static?center=0,0&zoom=1&size=64x64&label=0,0," + enc)
        if r.status_code != 400:
            bad.append((what, "static label", r.status_code))
    assert not bad, bad
    observe(f"{len(BAD_UTF8)} encodings x 2 routes: 400")
    still_serves(server, observe)


@case(sends="GET with 100 000 characters of text; POST JSON with 100 000 characters; "
            "POST JSON with 'a' + 10 000 combining marks", expected="414 / 400 naming text.l1; then 200")
def test_huge_text_refused(server, observe):
    r = server.get("/v1/cards/w1.jpg?text.l1=" + "x" * 100_000)
    assert r.status_code == 414
    t0 = time.time()
    r = requests.post(server.url + "/v1/cards/w1.jpg", json={"text": {"l1": "é" * 100_000}}, timeout=30)
    assert error_json(r, 400).get("param") == "text.l1"
    r = requests.post(server.url + "/v1/cards/w1.jpg", json={"text": {"l1": "a" + "\u0301" * 10_000}}, timeout=30)
    assert error_json(r, 400).get("param") == "text.l1"
    observe(f"414, 400, 400 in {(time.time() - t0) * 1000:.0f} ms")
    still_serves(server, observe)


@pytest.fixture
def stress_templates(tmp_path):
    """A copy of templates/ plus one template whose slot takes 100 000 characters."""
    d = tmp_path / "templates"
    shutil.copytree(os.path.join(ROOT, "templates"), d)
    (d / "stress.json").write_text(json.dumps({
        "name": "stress", "width": 800, "height": 400, "background": {"color": "#ffffff"},
        "formats": ["png"],
        "slots": [{"id": "t", "box": [20, 20, 760, 360], "font": "sans", "max_size": 48, "min_size": 8,
                   "color": "#000000", "wrap": True, "max_lines": 20, "max_length": 100000}]}))
    return str(d)


HOSTILE_TEXT = {
    "10 000 combining marks": "a" + "\u0301" * 10_000,
    "100 000 characters": "W" * 100_000,
    "bidi overrides": "\u202eevil\u202c \u2066isolate\u2069 \u200fRTL mark \u061cALM \u202dLRO",
    "zero-width and joiners": "a\u200d\u200c\u2060\ufeffb" * 200,
    "noncharacters and controls": "x\ufffe\uffff\u0001\u001f\u007f\u0085y",
    "4-byte emoji and tags": "\U0001F3F4\U000E0067\U000E0062\U000E007F" * 100,
    "mixed scripts and marks": "Zalgo" + "\u0336\u0337\u0338\u0489" * 500 + "ﷺ" * 50 + "𒐫" * 50,
}


@case(sends="POST JSON into a 100 000-character slot (private template, --max-text 100000): "
            "10 000 combining marks, 100 000 characters, bidi overrides, zero-width joiners, "
            "noncharacters, emoji tag sequences, Zalgo",
      expected="200 with a valid 800x400 PNG (or 400), each within the deadline; then 200")
def test_hostile_text_rendered_safely(start_server, stress_templates, observe):
    s = start_server("--templates", stress_templates, "--assets", os.path.join(ROOT, "assets"),
                     "--max-text", "100000", "--deadline-ms", "30000", "--max-body", "4194304")
    seen = []
    for what, text in HOSTILE_TEXT.items():
        t0 = time.time()
        r = requests.post(s.url + "/v1/cards/stress.png", json={"text": {"t": text}}, timeout=60)
        dt = time.time() - t0
        assert r.status_code in (200, 400), (what, r.status_code, r.text[:200])
        if r.status_code == 200:
            assert Image.open(io.BytesIO(r.content)).size == (800, 400), what
        seen.append(f"{what}: {r.status_code} {dt * 1000:.0f} ms")
    observe("; ".join(seen))
    still_serves(s, observe)


# ---------------------------------------------------------------- path traversal

TRAVERSALS = ["..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%252F..%252Fetc%252Fpasswd",
              "%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%5C..%5C..%5Cetc%5Cpasswd",
              "....%2F%2F....%2F%2Fetc%2Fpasswd", "og%00", "%00", "{secret}", "..%2F..%2F..%2F..%2F{secret_rel}"]
TRAVERSAL_ROUTES = ["/v1/cards/{p}.png", "/v1/templates/{p}", "/v1/tiles/{p}/1/0/0.jpg", "/v1/tiles/{p}.json",
                    "/v1/static?center=0,0&zoom=1&size=64x64&layer={p}", "/v1/refcards/{p}",
                    "/v1/refcards/{id}/{p}.png", "/v1/scenes/{p}/thumbnail.jpg", "/static/{p}"]
RAW_TRAVERSALS = [b"/v1/cards/../../../../etc/passwd.png", b"/static/../../../../etc/passwd",
                  b"/v1/tiles/../../../../../etc/passwd/1/0/0.jpg", b"/v1/templates/..",
                  b"/v1/refcards/../../etc/passwd", b"//etc/passwd", b"/static/%2e%2e/%2e%2e/etc/passwd"]


def strace_attach(pid, out):
    if not shutil.which("strace"):
        return None
    p = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=%file,accept,accept4", "-o", out, "-p", str(pid)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 5
    while time.time() < deadline:
        with open(f"/proc/{pid}/status") as f:
            if any(l.startswith("TracerPid:") and l.split()[1] != "0" for l in f):
                time.sleep(0.3)  # -f attaches the other threads right after the first
                return p
        if p.poll() is not None:
            return None  # no ptrace permission here
        time.sleep(0.05)
    p.kill()
    return None


@case(sends="template, layer, device, refcard id, scene id and static file names as ..%2f chains, "
            "absolute paths, double-encoded, backslashes, encoded NUL, a real secret file's path "
            "(10 payloads x 9 routes) and 7 raw ../ request targets; the server under strace",
      expected="400/404 for every one; no file outside the asset folders opened; then 200")
def test_path_traversal(start_server, tmp_path, observe):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not for you")
    s = start_server()
    up = requests.post(s.url + "/v1/refcards", data=read_binding("elite_warthog.binds"),
                       params={"filename": "../../../../" + str(secret)}, timeout=30)
    assert up.status_code in (200, 201), up.text
    rid = up.json()["id"]
    trace = str(tmp_path / "strace.txt")
    tracer = strace_attach(s.proc.pid, trace)
    rel = os.path.relpath(str(secret), os.path.join(ROOT, "templates")).lstrip("./")
    got = {}
    for route in TRAVERSAL_ROUTES:
        for p in TRAVERSALS:
            p = p.replace("{secret}", urllib.parse.quote(str(secret), safe="")) \
                 .replace("{secret_rel}", urllib.parse.quote(rel, safe=""))
            url = route.replace("{id}", rid).replace("{p}", p)
            got[url] = s.get(url, timeout=10).status_code
    for target in RAW_TRAVERSALS:
        out = exchange(s.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got[target.decode()] = (statuses(out) or [0])[0]
    opened, accepts = [], 0
    if tracer:
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        tracer.wait(10)
        with open(trace) as f:
            for line in f:
                if " accept" in line:
                    accepts += 1
                elif '"' in line:
                    opened.append(line.split('"')[1])
        assert accepts >= len(RAW_TRAVERSALS), "strace saw no connections: not attached?"
    bad = {u: c for u, c in got.items() if c not in (400, 404)}
    assert not bad, bad
    leaks = [p for p in opened if "passwd" in p or "secret" in p or ".." in p]
    assert not leaks, leaks
    outside = [p for p in opened if not p.startswith((ROOT, "/usr/share/fonts", "/proc/", "/sys/", "/dev/",
                                                      str(tmp_path), "/etc/localtime", "/usr/share/zoneinfo"))]
    assert not outside, outside
    how = f"strace saw {accepts} accepts and {len(opened)} file syscalls, none outside the assets" if tracer else \
        "strace unavailable: checked statuses only"
    observe(f"{len(got)} requests: " + ", ".join(f"{c} x{list(got.values()).count(c)}"
                                                 for c in sorted(set(got.values()))) + "; " + how)
    still_serves(s, observe)


# ---------------------------------------------------------------- methods and framing

@case(sends="TRACE, CONNECT and an unknown method (BREW) on several routes; PUT/DELETE on the upload "
            "and refcard routes", expected="405 with Allow (TRACE/PUT/DELETE); 400/405/501 otherwise; then 200")
def test_methods(server, observe):
    seen = []
    for path in ("/healthz", "/v1/cards/w1.jpg", "/v1/tiles/bluemarble/0/0/0.jpg", "/v1/static"):
        out = exchange(server.port, b"TRACE " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                       timeout=5)
        assert statuses(out) == [405] and b"\r\nAllow: " in out, (path, out[:200])
    seen.append("TRACE 405")
    r = requests.put(server.url + "/v1/refcards", data=b"x", timeout=10)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    r = requests.delete(server.url + "/v1/refcards/000000000000000000000000", timeout=10)
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
    seen.append("PUT/DELETE 405 with Allow")
    for m in (b"CONNECT", b"BREW"):
        t0 = time.time()
        out = exchange(server.port, m + b" /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5)
        codes = statuses(out)
        assert codes and codes[0] in (400, 405, 501), (m, out[:200])
        assert time.time() - t0 < 2, f"{m.decode()}: connection left open after 'Connection: close'"
        seen.append(f"{m.decode()} {codes[0]}, closed")
    observe(", ".join(seen))
    still_serves(server, observe)


SMUGGLE = b"GET /v1/templates HTTP/1.1\r\nHost: x\r\n\r\n"
FRAMING = {
    "two different Content-Length": b"Content-Length: 5\r\nContent-Length: %d\r\n" % (len(SMUGGLE) + 5),
    "Transfer-Encoding: gzip, chunked": b"Transfer-Encoding: gzip, chunked\r\n",
    "Transfer-Encoding: identity + Content-Length": b"Transfer-Encoding: identity\r\nContent-Length: 5\r\n",
    "Content-Length: -5": b"Content-Length: -5\r\n",
    "Content-Length: 5, 5": b"Content-Length: 5, 5\r\n",
    "Content-Length: +5": b"Content-Length: +5\r\n",
}


@pytest.mark.parametrize("what", list(FRAMING))
@case(sends="POST with conflicting or malformed body framing, a smuggled GET in the body",
      expected="400 (or 501), connection closed, the smuggled request never answered; then 200")
def test_request_smuggling_framing(server, observe, what):
    req = (b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\n" + FRAMING[what] + b"\r\n"
           b"0\r\n\r\n" + SMUGGLE)
    out = exchange(server.port, req, timeout=5)
    codes = statuses(out)
    assert codes and codes[0] in (400, 501), (what, out[:300])
    assert len(codes) == 1, f"{what}: the smuggled request was answered too: {codes}"
    observe(f"{codes}")
    still_serves(server, observe)


HOST_FRAMING = {
    "Host : x (space before the colon)": b"GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n" + SMUGGLE,
    "two Host headers": b"GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" + SMUGGLE,
    "HTTP/1.1 without Host": b"GET /healthz HTTP/1.1\r\nAccept: */*\r\n\r\n" + SMUGGLE,
    "header name with a tab": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A\tB: 1\r\n\r\n" + SMUGGLE,
}


@pytest.mark.parametrize("what", list(HOST_FRAMING))
@case(sends="GET with a malformed Host (space before the colon, twice, missing in HTTP/1.1) or a header "
            "name with whitespace, a pipelined GET behind it",
      expected="400 JSON naming the problem, connection closed, the pipelined request not answered; then 200")
def test_host_framing(server, observe, what):
    out = exchange(server.port, HOST_FRAMING[what], timeout=5)
    codes = statuses(out)
    assert codes == [400], (what, out[:300])
    body = out.partition(b"\r\n\r\n")[2]
    assert json.loads(body)["error"]["status"] == 400
    observe(json.loads(body)["error"]["message"])
    # HTTP/1.0 needs no Host
    assert statuses(exchange(server.port, b"GET /healthz HTTP/1.0\r\n\r\n")) == [200]
    still_serves(server, observe)


@case(sends="HTTP/1.0 HEAD of an image; HTTP/1.0 keep-alive pair; HTTP/0.9-style request line; "
            "4 pipelined requests (render, 404, 304-able, close)",
      expected="HEAD: headers with Content-Length, no body; 1.0 pair: two 200s; 0.9: 400 or closed; "
               "pipeline answered in order; then 200")
def test_http10_and_pipelining(server, observe):
    out = exchange(server.port, b"HEAD /v1/cards/w1.jpg?seed=31 HTTP/1.0\r\n\r\n")
    head, _, body = out.partition(b"\r\n\r\n")
    assert statuses(out) == [200] and b"Content-Length: " in head and body == b""
    out = exchange(server.port, b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                b"GET /readyz HTTP/1.0\r\n\r\n")
    assert statuses(out) == [200, 200], out[:300]
    out = exchange(server.port, b"GET /healthz\r\n\r\n", timeout=3)
    codes = statuses(out)
    assert codes in ([], [400]), out[:200]
    etag = server.get("/v1/cards/w1.jpg?seed=32").headers["ETag"].encode()
    out = exchange(server.port,
                   b"GET /v1/cards/w1.png?seed=33 HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /v1/cards/w1.jpg?seed=32 HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + b"\r\n\r\n"
                   b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=30)
    assert statuses(out) == [200, 404, 304, 200], statuses(out)
    observe(f"HEAD 200 no body; 1.0 pair 200,200; 0.9 {codes or 'closed'}; pipeline {statuses(out)}")
    still_serves(server, observe)


@case(sends="If-None-Match: 2 000-tag list, 6 KB of commas, unterminated quote, 'W/' alone, '*, *', "
            "tag with a NUL-free control byte; and a 500-tag list ending in the right tag",
      expected="200 for garbage; 304 for the list holding the tag; then 200")
def test_if_none_match_garbage(server, observe):
    url = "/v1/cards/w1.jpg?seed=41"
    tag = server.get(url).headers["ETag"]
    garbage = [", ".join(f'"{i:016x}"' for i in range(2000))[:12000], "," * 6000, '"unterminated',
               "W/", "*, *", '"a\x01b"', "W/W/" + tag]
    for g in garbage:
        r = server.get(url, headers={"If-None-Match": g})
        assert r.status_code in (200, 431) and (r.status_code == 431 or len(r.content) > 1000), (g[:40], r.status_code)
    r = server.get(url, headers={"If-None-Match": ", ".join(f'"{i:016x}"' for i in range(500)) + ", " + tag})
    assert r.status_code == 304
    observe("garbage 200 (or 431 over the header limit); 500-tag list with the tag 304")
    still_serves(server, observe)


# ---------------------------------------------------------------- resets mid-render

@case(sends="1 worker; 16 requests for distinct 2x JPEG cards, each connection reset (RST) right after "
            "sending, while the render runs",
      expected="no crash; renders in flight and queue back to 0; pool bytes minus cache back to the "
               "baseline; then 200")
def test_reset_mid_render(start_server, observe):
    s = start_server("--threads", "1", "--deadline-ms", "30000")
    # Warm up: the worker keeps one surface of the size it last drew.
    assert s.get("/v1/cards/w1.jpg?seed=500&scale=2").status_code == 200

    def pool_minus_cache():
        return s.metric("cartouche_pool_bytes") - s.metric("cartouche_cache_bytes")

    base, base_entries = pool_minus_cache(), s.metric("cartouche_cache_entries")
    for i in range(16):
        c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        c.sendall(f"GET /v1/cards/w1.jpg?seed={501 + i}&scale=2 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        time.sleep(0.01 if i % 2 else 0.15)
        c.close()  # RST
    deadline = time.time() + 60
    while time.time() < deadline and (s.metric("cartouche_renders_in_flight") or s.metric("cartouche_queue_depth")):
        time.sleep(0.2)
    assert s.proc.poll() is None, "server died: " + s.logtext()
    assert s.metric("cartouche_renders_in_flight") == 0 and s.metric("cartouche_queue_depth") == 0
    time.sleep(0.3)
    extra = pool_minus_cache() - base
    entries = s.metric("cartouche_cache_entries") - base_entries
    # Each cached result costs its blob header beyond cache_bytes; anything more is a leaked buffer.
    assert 0 <= extra <= 64 * max(entries, 0), (extra, entries)
    observe(f"in flight 0, queue 0; pool-minus-cache {base:.0f} -> {base + extra:.0f} B "
            f"({entries:.0f} results cached)")
    still_serves(s, observe)


# ---------------------------------------------------------------- hostile uploads

BILLION_LAUGHS_XML = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
                      b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                               for i in range(1, 10)) +
                      b']>\n<Root PresetName="x"><KeyBoard>&lol9;</KeyBoard></Root>\n')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<Root PresetName="&x;"><Device DeviceName="&x;"/></Root>\n')
DEEP_XML = b'<?xml version="1.0"?>\n<Root PresetName="x">' + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Root>"
DEEP_LUA = b"local diff = " + b"{" * 50_000 + b"}" * 50_000 + b"\nreturn diff\n"
LONG_LUA = b'local diff = {["keyDiffs"] = {["d1"] = {["name"] = "' + b"x" * 3_000_000 + b'"}}}\nreturn diff\n'


def elite_with(n):
    return read_binding("elite_warthog.binds").replace(b'PresetName="', b'PresetName="v%d-' % n, 1)


HOSTILE = (413, 422)
UPLOADS = {  # what: (body, query, statuses accepted)
    "billion laughs (.binds)": (read_binding("bad_billion_laughs.binds"), {}, HOSTILE),
    "billion laughs, 10^9 expansion": (BILLION_LAUGHS_XML, {}, HOSTILE),
    "external entity file:///etc/passwd": (XXE, {}, HOSTILE),
    "truncated in the middle of a tag": (elite_with(1)[:4097], {}, HOSTILE),
    "binary garbage as msfs": (bytes(range(256)) * 64, {"game": "msfs2020"}, HOSTILE),
    "multipart with an empty file": (None, {}, HOSTILE),
    # Not malformed, only large or deep: refused or accepted, but quickly and without a crash.
    "100 000 nested XML elements": (DEEP_XML, {}, (201, 413, 422)),
    "50 000 nested Lua tables": (DEEP_LUA, {"game": "dcs", "filename": "Joystick - X {1}.diff.lua"}, (201, 413, 422)),
    "3 MB Lua string": (LONG_LUA, {"game": "dcs", "filename": "Joystick - X {1}.diff.lua"}, (201, 413, 422)),
}


@pytest.mark.parametrize("what", list(UPLOADS))
@case(sends="POST /v1/refcards with a hostile binding file (entity expansion, external entity, "
            "truncation, garbage, an empty multipart file; deep nesting and a 3 MB string)",
      expected="422 (413 over the body limit) within 5 s, no /etc/passwd in the answer; deep/large "
               "files 422 or 201 within 5 s; then 200")
def test_hostile_uploads(server, observe, what):
    data, params, allowed = UPLOADS[what]
    t0 = time.time()
    if data is None:
        r = requests.post(server.url + "/v1/refcards", files={"file": ("empty.binds", b"")}, timeout=30)
    else:
        r = requests.post(server.url + "/v1/refcards", data=data, params=params, timeout=30)
    dt = time.time() - t0
    assert r.status_code in allowed, (what, r.status_code, r.text[:300])
    assert "root:" not in r.text
    assert dt < 5, f"{what} took {dt:.1f} s"
    j = r.json()
    said = j["error"]["message"] if "error" in j else f"{j.get('bindings')} bindings"
    observe(f"{r.status_code} in {dt * 1000:.0f} ms: {said[:80]}")
    still_serves(server, observe)


@case(sends="upload of 5 MB (--max-body 4194304 default) sent as one chunked body",
      expected="413; then 200")
def test_upload_over_limit_chunked(server, observe):

    def gen():
        for _ in range(80):
            yield b"x" * 65536

    try:
        r = requests.post(server.url + "/v1/refcards", data=gen(), timeout=30)
        code = r.status_code
    except requests.ConnectionError:
        code = "reset"  # the server answered 413 and closed while we were still sending
    assert code in (413, "reset"), code
    out = exchange(server.port, b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   (b"10000\r\n" + b"x" * 65536 + b"\r\n") * 70, timeout=10)
    assert statuses(out) == [413], out[:200]
    observe(f"requests: {code}; raw chunked: 413")
    still_serves(server, observe)


ELITE_NAMED = ('<?xml version="1.0" encoding="UTF-8" ?>\n<Root PresetName="{name}" MajorVersion="4" MinorVersion="0">\n'
               '<LandingGearToggle>\n<Primary Device="ThrustMasterWarthogJoystick" Key="Joy_2" />\n'
               '<Secondary Device="{{NoDevice}}" Key="" />\n</LandingGearToggle>\n</Root>\n')
DCS_DIFF = ('local diff = {\n\t["keyDiffs"] = {\n\t\t["d3001pnilu3001cd2vd1vpnilvunil"] = {\n'
            '\t\t\t["added"] = {\n\t\t\t\t[1] = {\n\t\t\t\t\t["key"] = "JOY_BTN2",\n\t\t\t\t},\n\t\t\t},\n'
            '\t\t\t["name"] = "Gear toggle",\n\t\t},\n\t},\n}\nreturn diff\n')


@case(sends="an Elite file whose PresetName is 50 × é (100 bytes), a DCS file named with 64 × é, a game "
            "name of 40 × é", expected="201 and every card 200; the bad game a 400 whose JSON is valid UTF-8")
def test_non_ascii_names_render(server, observe):
    up = requests.post(server.url + "/v1/refcards", data=ELITE_NAMED.format(name="é" * 50).encode(), timeout=30)
    assert up.status_code in (200, 201), up.text
    j = up.json()
    assert j["profile"].startswith("é") and "\ufffd" not in j["profile"]
    for d in j["devices"]:
        assert server.get(d["cards"]["png"]).status_code == 200
    name = "Joystick - " + "é" * 64 + " {8A7B1F30-8E46-11e9-8001-444553540000}.diff.lua"
    up = requests.post(server.url + "/v1/refcards", params={"filename": name}, data=DCS_DIFF.encode(), timeout=30)
    assert up.status_code in (200, 201), up.text
    devs = up.json()["devices"]
    assert devs and all(server.get(d["cards"]["png"]).status_code == 200 for d in devs)
    r = requests.post(server.url + "/v1/refcards", params={"game": "é" * 40}, data=b"x", timeout=30)
    assert r.status_code == 400 and r.json()["error"]["param"] == "game"
    observe("201, cards 200; bad game 400 with valid JSON")


@case(sends="POST /v1/cards/og.jpg with a 1.5 MB JSON body of 100 000 text keys; 600 URL parameters; "
            "/healthz at the same time", expected="413 naming QUERY_MAX_PARAMS for both; /healthz answers")
def test_many_keys_refused_fast(server, observe):
    body = json.dumps({"text": {f"k{i}": "x" for i in range(100000)}}).encode()
    done = {}

    def post():
        done["r"] = requests.post(server.url + "/v1/cards/og.jpg", data=body,
                                  headers={"Content-Type": "application/json"}, timeout=60)

    t = threading.Thread(target=post)
    t.start()
    while t.is_alive():
        assert server.get("/healthz", timeout=10).status_code == 200
        time.sleep(0.05)
    t.join()
    r = done["r"]
    assert r.status_code == 413 and "QUERY_MAX_PARAMS" in r.json()["error"]["message"], r.text[:200]
    q = "&".join(f"p{i}=1" for i in range(600))
    r = server.get("/v1/cards/og.jpg?" + q)
    assert r.status_code == 413 and "QUERY_MAX_PARAMS" in r.json()["error"]["message"]
    observe("413 both; /healthz answered throughout")


@case(sends="300 many-key bodies (413) from one address, 30 at a time, with /healthz and a card asked while they "
            "come; then 200 more to a server started with --refusal-rate 0",
      expected="every one answered 413 naming QUERY_MAX_PARAMS; past the burst they are answered at the rate "
               "(cartouche_refusals_paced_total counts them) while /healthz and the card are answered before the "
               "flood ends; with --refusal-rate 0 none is paced")
def test_refusal_flood_paced(start_server, observe):
    s = start_server("--refusal-rate", "50")
    seen = {}

    def meanwhile(got):
        assert wait_for(lambda: (s.metric("cartouche_refusals_paced_total") or 0) >= 30, 30), s.logtext()
        # Good requests from the same address are not paced: answered while the flood still waits.
        assert s.get("/healthz").status_code == 200
        assert s.get("/v1/cards/og.jpg", params={"text.title": "between"}).status_code == 200
        seen["answered"] = len(got)

    got = flood_refusals(s.url, 30, 10, meanwhile)
    answered = seen["answered"]
    assert answered < 300 and len(got) == 300 and set(got) == {(413, True)}, (answered, set(got))
    paced = s.metric("cartouche_refusals_paced_total")
    assert paced >= 150, paced  # 300 sent as fast as answered: all but the burst and a few wait
    off = start_server("--refusal-rate", "0")
    got = flood_refusals(off.url, 20, 10)
    assert len(got) == 200 and set(got) == {(413, True)} and off.metric("cartouche_refusals_paced_total") == 0
    observe(f"300 × 413, {paced:.0f} paced, /healthz and a card answered {answered} refusals in; rate 0: 200 × 413, "
            "none paced")


@case(sends="POST /v1/cards/og.png bodies with 1.5 MB of whitespace before their content (many pieces in memory): "
            "a title holding an escaped quote and a ':'; 600 keys; nesting 3 deep",
      expected="200 with the title drawn; 413 naming QUERY_MAX_PARAMS; 400 naming the depth")
def test_body_scanned_in_pieces(server, observe):
    pad = " " * 1_500_000

    def post(body):
        return requests.post(server.url + "/v1/cards/og.png", data=(pad + body).encode(),
                             headers={"Content-Type": "application/json"}, timeout=60)

    title = 'say \\"a:b\\" {x}'
    r = post('{"text": {"title": "%s"}}' % title)
    plain = server.get("/v1/cards/og.png", params={"text.title": json.loads('"%s"' % title)})
    assert r.status_code == 200 and plain.status_code == 200 and r.content == plain.content, r.text[:200]
    many = ", ".join('"k%d": "x"' % i for i in range(600))
    r = post('{"text": {%s}}' % many)
    assert r.status_code == 413 and "QUERY_MAX_PARAMS" in r.json()["error"]["message"], r.text[:200]
    r = post('{"text": {"title": {"deep": {"er": "x"}}}}')
    assert r.status_code == 400 and "nested deeper" in r.json()["error"]["message"], r.text[:200]
    observe("200 same bytes as the GET; 413; 400")


LIBEVENT_REFUSALS = {
    "HTTP/9.9": (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    "HTTP/0.9 request line": (b"GET /healthz\r\n\r\n", 400),
    "NUL in the path": (b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "unknown method": (b"BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    "chunk size zz": (b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    "Expect: teapot": (b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: teapot\r\n\r\nabc", 417),
    "request line of 140 000 bytes": (b"GET /" + b"a" * 140000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "header of 140 000 bytes": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 140000 + b"\r\n\r\n", 431),
    "Content-Length: -1": (b"POST /v1/refcards HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
}


@pytest.mark.parametrize("what", list(LIBEVENT_REFUSALS))
@case(sends="requests libevent itself refuses before any route: HTTP/9.9 and 0.9, NUL in the path, an unknown "
            "method, chunk size zz, Expect: teapot, a 140 000-byte request line or header, Content-Length: -1",
      expected="the right status (400/414/417/431/501) with a JSON error body and Cache-Control: no-store; then 200")
def test_every_error_is_json(server, observe, what):
    req, want = LIBEVENT_REFUSALS[what]
    out = exchange(server.port, req, timeout=5)
    assert statuses(out) == [want], (what, out[:300])
    head, _, body = out.partition(b"\r\n\r\n")
    assert b"Content-Type: application/json" in head and b"Cache-Control: no-store" in head, head
    err = json.loads(body)["error"]
    assert err["status"] == want and err["message"]
    observe(f"{want} {err['message']}")
    still_serves(server, observe)
