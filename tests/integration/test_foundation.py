"""The HTTP/CDN contract of the foundation issue, against the real binary."""
import io
import json
import socket
import threading
import time

import pytest
import requests
from PIL import Image


def error_of(r, status, param=None):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["Cache-Control"] == "no-store"
    body = r.json()["error"]
    assert body["status"] == status
    assert body["message"]
    if param is not None:
        assert body.get("param") == param, body
    return body


def test_health_and_ready(server):
    r = server.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert server.get("/readyz").status_code == 200


def test_metrics_prometheus(server):
    server.get("/healthz")
    text = server.get("/metrics").text
    assert 'cartouche_requests_total{route="healthz",status="200"}' in text
    for name in ("cartouche_request_duration_seconds_bucket", "cartouche_queue_depth",
                 "cartouche_renders_in_flight", "cartouche_workers", "process_resident_memory_bytes"):
        assert name in text
    assert server.metric("cartouche_workers") >= 1
    assert server.metric("process_resident_memory_bytes") > 1e6


def test_templates_listing(server):
    r = server.get("/v1/templates")
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    names = [t["name"] for t in r.json()["templates"]]
    assert "w1" in names
    w1 = server.get("/v1/templates/w1").json()
    assert (w1["width"], w1["height"]) == (1920, 1080)
    assert len(w1["slots"]) == 64 and "jpg" in w1["formats"]
    error_of(server.get("/v1/templates/nope"), 404)


def test_w1_card_headers_and_image(server):
    r = server.get("/v1/cards/w1.jpg?seed=1")
    assert r.status_code == 200
    h = r.headers
    assert h["Content-Type"] == "image/jpeg"
    assert h["Cache-Control"].startswith("public, max-age=")
    assert h["Access-Control-Allow-Origin"] == "*"
    assert h["ETag"].startswith('"') and h["ETag"].endswith('"')
    assert int(h["Content-Length"]) == len(r.content) > 50000
    img = Image.open(io.BytesIO(r.content))
    assert img.size == (1920, 1080) and img.format == "JPEG"


def test_etag_depends_on_parameters(server):
    a = server.get("/v1/cards/w1.jpg?seed=1").headers["ETag"]
    b = server.get("/v1/cards/w1.jpg?seed=2").headers["ETag"]
    c = server.get("/v1/cards/w1.jpg?seed=1&q=85").headers["ETag"]
    d = server.get("/v1/cards/w1.jpg?q=85&seed=1").headers["ETag"]
    assert a != b
    assert c == d  # canonical: order does not matter


def test_head_same_headers_no_body(server):
    g = server.get("/v1/cards/w1.jpg?seed=7")
    h = requests.head(server.url + "/v1/cards/w1.jpg?seed=7", timeout=30)
    assert h.status_code == 200 and h.content == b""
    for k in ("ETag", "Content-Length", "Content-Type", "Cache-Control"):
        assert h.headers[k] == g.headers[k]


@pytest.mark.parametrize("inm", ["{tag}", '"zzz", {tag}', "W/{tag}", "*", '"a",W/{tag} '])
def test_if_none_match_304(server, inm):
    tag = server.get("/v1/cards/w1.jpg?seed=3").headers["ETag"]
    r = server.get("/v1/cards/w1.jpg?seed=3", headers={"If-None-Match": inm.format(tag=tag)})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["ETag"] == tag
    assert r.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize("inm", ['"nope"', "garbage", 'W/"x", garbage', ""])
def test_if_none_match_other_200(server, inm):
    r = server.get("/v1/cards/w1.jpg?seed=3", headers={"If-None-Match": inm})
    assert r.status_code == 200 and len(r.content) > 0


def test_unknown_and_duplicate_parameters(server):
    e = error_of(server.get("/v1/cards/w1.jpg?sed=1"), 400, "sed")
    assert "sed" in e["message"]
    error_of(server.get("/v1/cards/w1.jpg?seed=1&seed=2"), 400, "seed")
    error_of(server.get("/v1/cards/w1.jpg?text.nope=x"), 400, "text.nope")


@pytest.mark.parametrize("qs,param,needle", [
    ("q=0", "q", "1..100"), ("q=101", "q", "1..100"), ("q=abc", "q", "1..100"),
    ("scale=3", "scale", "1..2"), ("scale=0", "scale", "1..2"), ("scale=-1", "scale", "1..2"),
    ("subsampling=422", "subsampling", "420|444"), ("seed=-5", "seed", None),
    ("seed=1e9", "seed", None),
])
def test_bad_values(server, qs, param, needle):
    e = error_of(server.get("/v1/cards/w1.jpg?" + qs), 400, param)
    if needle:
        assert needle in e["message"]


def test_not_found(server):
    error_of(server.get("/nope"), 404)
    error_of(server.get("/v1/cards/nope.jpg"), 404)
    error_of(server.get("/v1/cards/w1.gif"), 404)
    error_of(server.get("/v1/cards/w1"), 404)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_method_not_allowed(server, method):
    r = requests.request(method, server.url + "/v1/cards/w1.jpg", timeout=10)
    e = error_of(r, 405)
    assert r.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    r = requests.request(method, server.url + "/healthz", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("path,allow", [("/v1/cards/og.jpg", "GET, HEAD, POST, OPTIONS"),
                                        ("/v1/refcards", "POST, OPTIONS"),
                                        ("/healthz", "GET, HEAD, OPTIONS")])
def test_cors_preflight(server, path, allow):
    """A page on another site may POST cards and uploads: its browser asks first."""
    r = requests.options(server.url + path, timeout=10, headers={
        "Origin": "https://blog.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204 and r.content == b""
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Methods"] == allow and r.headers["Allow"] == allow
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    assert int(r.headers["Access-Control-Max-Age"]) > 0
    assert requests.options(server.url + "/nope", timeout=10).status_code == 404


def test_formats_png_pdf(server):
    r = server.get("/v1/cards/w1.png?seed=9")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size == (1920, 1080)
    r = server.get("/v1/cards/w1.pdf?seed=9")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    error_of(server.get("/v1/cards/w1.png?q=50"), 400, "q")


def test_scale_2(server):
    r = server.get("/v1/cards/w1.jpg?seed=1&scale=2")
    assert r.status_code == 200
    assert Image.open(io.BytesIO(r.content)).size == (3840, 2160)


def test_post_json_body(server):
    body = {"text": {"l1": "Posted label"}, "seed": 4, "q": 70}
    r = requests.post(server.url + "/v1/cards/w1.jpg", json=body, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/jpeg"
    g = server.get("/v1/cards/w1.jpg?text.l1=Posted%20label&seed=4&q=70")
    assert g.headers["ETag"] == r.headers["ETag"]  # same canonical request
    error_of(requests.post(server.url + "/v1/cards/w1.jpg", data=b"{nope", timeout=10,
                           headers={"Content-Type": "application/json"}), 400)
    error_of(requests.post(server.url + "/v1/cards/w1.jpg?seed=1", json={"seed": 2}, timeout=10), 400, "seed")
    error_of(requests.post(server.url + "/v1/cards/w1.jpg", json={"text": {"l1": 5}}, timeout=10), 400, "text.l1")


def test_invalid_utf8_text(server):
    error_of(server.get("/v1/cards/w1.jpg?text.l1=%C3%28"), 400, "text.l1")
    error_of(server.get("/v1/cards/w1.jpg?text.l1=%C0%AF"), 400, "text.l1")  # overlong '/'
    error_of(server.get("/v1/cards/w1.jpg?text.l1=a%00b"), 400, "text.l1")
    error_of(server.get("/v1/cards/w1.jpg?text.l1=" + "x" * 201), 400, "text.l1")


def raw(server, data, read=65536):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(data)
        chunks = b""
        while True:
            try:
                c = s.recv(read)
            except socket.timeout:
                break
            if not c:
                break
            chunks += c
        return chunks


def test_request_line_too_long_414(server):
    r = server.get("/v1/cards/w1.jpg?text.l1=" + "a" * 9000)
    error_of(r, 414)


def test_headers_too_large_431(server):
    error_of(server.get("/healthz", headers={f"X-H{i}": "v" for i in range(1000)}), 431)
    error_of(server.get("/healthz", headers={"X-Big": "v" * 100000}), 431)
    assert server.get("/healthz").status_code == 200


def test_body_too_large_413(start_server):
    s = start_server("--max-body", "2048")
    r = requests.post(s.url + "/v1/cards/w1.jpg", data=b"x" * 100000, timeout=10,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert s.get("/healthz").status_code == 200


def test_http10_and_keepalive(server):
    out = raw(server, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert out.startswith(b"HTTP/1.0 200") or out.startswith(b"HTTP/1.1 200")
    # two pipelined HTTP/1.1 requests on one connection
    out = raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert out.count(b"HTTP/1.1 200") == 2
    with requests.Session() as sess:  # keep-alive reuse
        for _ in range(3):
            assert sess.get(server.url + "/healthz", timeout=5).status_code == 200


def test_conflicting_length_and_chunked_400(server):
    out = raw(server, b"POST /v1/cards/w1.jpg HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
    assert out.split(b"\r\n")[0].split()[1] == b"400"


def test_queue_full_503(start_server):
    s = start_server("--threads", "1", "--queue-depth", "1")
    results = []

    def hit(i):
        try:
            r = s.get(f"/v1/cards/w1.png?seed={i}&scale=2")
            results.append((r.status_code, r.headers.get("Retry-After"), r.headers.get("Cache-Control")))
        except requests.RequestException as e:
            results.append((str(e), None, None))

    ts = [threading.Thread(target=hit, args=(i,)) for i in range(12)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    codes = [r[0] for r in results]
    assert set(codes) <= {200, 503}, codes
    assert 503 in codes and 200 in codes
    for code, retry, cc in results:
        if code == 503:
            assert retry and cc == "no-store"
    assert s.get("/healthz").status_code == 200


def test_identical_concurrent_requests_one_render(start_server):
    s = start_server("--threads", "1")
    before = s.metric("cartouche_renders_total")
    out = []
    ts = [threading.Thread(target=lambda: out.append(s.get("/v1/cards/w1.jpg?seed=424242"))) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert all(r.status_code == 200 for r in out)
    assert len({r.headers["ETag"] for r in out}) == 1
    assert len({r.content for r in out}) == 1
    assert s.metric("cartouche_renders_total") - before == 1


def test_bad_flags_exit_2(tmp_path):
    import subprocess
    from conftest import BIN, ROOT
    for args in (["--threads", "x"], ["--nope"], ["--listen", "nowhere"]):
        p = subprocess.run([BIN] + args, cwd=ROOT, capture_output=True, timeout=10)
        assert p.returncode == 2, args
        assert b"cartouche:" in p.stderr
    cfg = tmp_path / "bad.json"
    cfg.write_text('{"max_age": "soon"}')
    p = subprocess.run([BIN, "--config", str(cfg)], cwd=ROOT, capture_output=True, timeout=10)
    assert p.returncode == 2 and b"max_age" in p.stderr


def test_config_file(start_server, tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"max_age": 123}))
    s = start_server("--config", str(cfg))
    assert s.get("/v1/cards/w1.jpg?seed=1").headers["Cache-Control"] == "public, max-age=123"


def test_surface_reuse_is_exact(start_server):
    """Workers restore only the label boxes between cards; the bytes must equal a fresh render."""
    a = start_server("--threads", "1")
    for seed in (11, 12, 13):
        a.get(f"/v1/cards/w1.png?seed={seed}&text.l5=Long%20label%20number%20{seed}%20goes%20here")
    reused = a.get("/v1/cards/w1.png?seed=99").content
    b = start_server("--threads", "1")
    fresh = b.get("/v1/cards/w1.png?seed=99").content
    assert reused == fresh


def test_web_page_and_static_files(server):
    r = server.get("/")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert server.get("/static/app.js").status_code == 200
    img = server.get("/static/leaflet/images/marker-icon.png")
    assert img.status_code == 200 and img.headers["Content-Type"] == "image/png"
    # Only files read at start-up are served: nothing reaches the filesystem from a path.
    for path in ("/static/nope.js", "/static/..%2f..%2fMakefile", "/static/leaflet/..%2f..%2f..%2fREADME.md",
                 "/static/%2fetc%2fpasswd", "/static/leaflet/images/x%00.png"):
        assert server.get(path).status_code in (400, 404), path


def test_defaults_and_number_forms_share_one_etag(server):
    """Caches must not fragment: a default spelled out, or a number written another way, is the
    same request (same ETag, served from the same cache entry)."""
    base = server.get("/v1/cards/w1.jpg?seed=5")
    assert base.status_code == 200
    for same in ("?seed=5&q=85", "?seed=5&scale=1&subsampling=420", "?q=085&seed=005&scale=1"):
        r = server.get("/v1/cards/w1.jpg" + same)
        assert r.status_code == 200 and r.headers["ETag"] == base.headers["ETag"], same
    assert server.get("/v1/cards/w1.jpg?seed=5&q=86").headers["ETag"] != base.headers["ETag"]
    for bad in ("q=0x55", "q=+85", "q=%2085", "scale=1.0"):
        r = server.get("/v1/cards/w1.jpg?seed=5&" + bad)
        assert r.status_code == 400, bad


def test_idle_server_never_503s_for_budget(start_server):
    """Each worker keeps its last surface for reuse; at 2x two of them filled most of the 64 MiB
    budget, so every other request waited out its deadline on an idle server (200, 503, 200,
    503). Workers now give cached surfaces back when a reservation must wait."""
    s = start_server("--memory-budget-mb", "64", "--threads", "2")
    codes = [s.get(f"/v1/cards/w1.png?scale=2&seed={i}").status_code for i in range(1, 7)]
    assert codes == [200] * 6, codes


def test_body_over_the_input_share_refused_and_counted(start_server):
    """Bodies may hold at most half the budget, reading included (4x their size): with 16 MiB, a
    declared 3 MiB upload is refused before it is sent (413 naming the budget) and counted."""
    s = start_server("--memory-budget-mb", "16")
    assert s.metric("cartouche_bodies_refused_total") == 0
    r = requests.post(s.url + "/v1/refcards", data=b"x" * (3 << 20), timeout=30)
    e = error_of(r, 413)
    assert "memory budget" in e["message"]
    assert s.metric("cartouche_bodies_refused_total") == 1
    assert requests.post(s.url + "/v1/refcards", data=b"<Root/>", timeout=30).status_code in (200, 201, 422)
    assert s.metric("cartouche_bodies_refused_total") == 1


def test_reader_that_stops_reading_is_closed_and_counted(start_server):
    """A client asks for a 20 MB PNG (more than the kernel buffers hold) and stops reading: after
    --io-timeout-s its connection is closed (the reply's bytes go back to the budget) and counted;
    other clients are unaffected."""
    s = start_server("--io-timeout-s", "1", "--memory-budget-mb", "256")
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(("127.0.0.1", s.port))
    c.sendall(b"GET /v1/static?center=0,0&zoom=3&size=2048x2048&scale=2&format=png HTTP/1.1\r\nHost: x\r\n\r\n")
    deadline = time.time() + 20
    while s.metric("cartouche_slow_readers_closed_total") == 0 and time.time() < deadline:
        time.sleep(0.2)
    assert s.metric("cartouche_slow_readers_closed_total") == 1
    assert s.get("/healthz").status_code == 200
    c.close()


def test_image_over_the_whole_budget_is_refused_up_front(server):
    r = server.get("/v1/static?center=0,0&zoom=3&size=2048x2048&scale=2")
    e = error_of(r, 413)
    assert "memory budget" in e["message"] and "MiB" in e["message"]
    assert r.headers["Cache-Control"] == "no-store"
    assert server.get("/v1/static?center=0,0&zoom=3&size=2048x2048").status_code == 200
