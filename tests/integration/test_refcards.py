"""Controller reference cards over HTTP: upload → summary → every card URL is a valid image;
the same file twice gives the same id; bad files get 422/413; uploads survive a restart."""
import io
import os

import pytest
import requests
from PIL import Image

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "bindings")

GOOD = [
    ("elite_warthog.binds", "elite", {"warthog-stick", "warthog-throttle", "keyboard"}),
    ("msfs_warthog_stick.xml", "msfs2020", {"warthog-stick"}),
    ("squadrons_warthog.profile", "squadrons", {"keyboard"}),
    ("dcs_warthog_stick.diff.lua", "dcs", set()),
]


def read(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


def upload(server, name, **params):
    params.setdefault("filename", name)
    return requests.post(server.url + "/v1/refcards", data=read(name), params=params, timeout=30)


@pytest.mark.parametrize("name,game,expect_devices", GOOD)
def test_upload_summary_and_cards(server, name, game, expect_devices):
    r = upload(server, name)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["game"] == game and s["bindings"] > 0
    assert r.headers["Location"] == "/v1/refcards/" + s["id"]
    got = {d["device"] for d in s["devices"]}
    assert expect_devices <= got, got
    assert sum(d["bindings"] for d in s["devices"]) + len(s["not_shown"]) >= s["bindings"] - len(s["not_shown"])
    again = server.get("/v1/refcards/" + s["id"])
    assert again.status_code == 200 and again.json() == s
    assert "immutable" in again.headers["Cache-Control"]
    for d in s["devices"]:
        for fmt, url in d["cards"].items():
            c = server.get(url)
            assert c.status_code == 200, (url, c.text[:200])
            assert "immutable" in c.headers["Cache-Control"] and c.headers["ETag"]
            if fmt == "pdf":
                assert c.content.startswith(b"%PDF")
            else:
                assert Image.open(io.BytesIO(c.content)).size == (1920, 1080)


def test_same_file_same_id(server):
    a = upload(server, "msfs_warthog_throttle.xml").json()
    b = upload(server, "msfs_warthog_throttle.xml")
    assert b.status_code == 200 and b.json()["id"] == a["id"]


def test_multipart_upload(server):
    files = {"file": ("elite_warthog.binds", read("elite_warthog.binds"), "application/octet-stream")}
    r = requests.post(server.url + "/v1/refcards", files=files, timeout=30)
    assert r.status_code in (200, 201)
    raw = upload(server, "elite_warthog.binds").json()
    assert r.json()["id"] == raw["id"]


def test_generic_card_for_unknown_device(server):
    body = read("elite_warthog.binds").replace(b'ThrustMasterWarthogJoystick', b'FooBarStick')
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=30)
    assert r.status_code in (200, 201)
    generic = [d for d in r.json()["devices"] if d["registry"] == "generic"]
    assert generic and generic[0]["device"].startswith("generic-")
    c = server.get(generic[0]["cards"]["png"])
    assert c.status_code == 200 and Image.open(io.BytesIO(c.content)).size == (1920, 1080)


def test_scale_2_card(server):
    s = upload(server, "msfs_warthog_stick.xml").json()
    url = s["devices"][0]["cards"]["jpg"] + "?scale=2"
    c = server.get(url)
    assert c.status_code == 200 and Image.open(io.BytesIO(c.content)).size == (3840, 2160)


@pytest.mark.parametrize("name", ["bad_empty.binds", "bad_blank.binds", "bad_truncated.binds",
                                  "bad_truncated.profile", "bad_truncated.diff.lua", "bad_garbage.bin",
                                  "bad_billion_laughs.xml", "bad_wrong_root.xml"])
def test_bad_files_422(server, name):
    r = upload(server, name)
    assert r.status_code == 422, r.text
    e = r.json()["error"]
    assert e["code"] == "unprocessable" and e["message"]
    if name not in ("bad_empty.binds",):
        assert "line" in e["message"] or "empty" in e["message"]


def test_forced_game(server):
    r = upload(server, "elite_warthog.binds", game="msfs2020")
    assert r.status_code == 422
    r = upload(server, "elite_warthog.binds", game="nosuchgame")
    assert r.status_code == 400 and r.json()["error"]["param"] == "game"
    r = upload(server, "elite_warthog.binds", game="elite")
    assert r.status_code in (200, 201)


def test_too_large_413(start_server):
    s = start_server("--max-body", "4096")
    r = requests.post(s.url + "/v1/refcards", data=read("elite_warthog.binds"), timeout=30)
    assert r.status_code == 413


def test_unknown_ids_and_devices(server):
    assert server.get("/v1/refcards/0123456789abcdef01234567").status_code == 404
    assert server.get("/v1/refcards/..%2f..%2fetc").status_code == 404
    assert server.get("/v1/refcards/zz").status_code == 404
    s = upload(server, "msfs_warthog_stick.xml").json()
    assert server.get(f"/v1/refcards/{s['id']}/nope.png").status_code == 404
    assert server.get(f"/v1/refcards/{s['id']}/warthog-stick.gif").status_code == 404
    assert server.get(f"/v1/refcards/{s['id']}/warthog-stick.png?zoom=1").status_code == 400


def test_devices_and_games(server):
    devs = server.get("/v1/devices").json()["devices"]
    ids = {d["id"] for d in devs}
    assert {"warthog-stick", "warthog-throttle", "keyboard", "xbox-gamepad"} <= ids
    assert any(d.get("usb") for d in devs)
    games = {g["id"] for g in server.get("/v1/games").json()["games"]}
    assert {"elite", "msfs2020", "squadrons", "dcs"} <= games


def test_uploads_survive_restart(start_server, tmp_path):
    db = str(tmp_path / "keep.db")
    a = start_server("--db-path", db)
    s = upload(a, "elite_warthog.binds").json()
    assert a.stop() == 0
    b = start_server("--db-path", db)
    r = b.get("/v1/refcards/" + s["id"])
    assert r.status_code == 200 and r.json() == s
    assert b.get(s["devices"][0]["cards"]["png"]).status_code == 200


def test_file_binding_nothing_422(server):
    body = b'<?xml version="1.0" encoding="UTF-8" ?>\n<Root PresetName="Empty" MajorVersion="4" MinorVersion="0">\n' \
           b'  <LandingGearToggle>\n    <Primary Device="{NoDevice}" Key="" />\n    <Secondary Device="{NoDevice}" Key="" />\n' \
           b'  </LandingGearToggle>\n</Root>\n'
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=30)
    assert r.status_code == 422 and "binds nothing" in r.json()["error"]["message"], r.text
