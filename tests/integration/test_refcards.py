"""Controller reference cards over HTTP: upload → summary → every card URL is a valid image;
the same file twice gives the same id; bad files get 422/413; uploads survive a restart.
Uploads of several files: multipart with many parts, zips made here with Python's zipfile
(a DCS Config/Input folder, a BMS keyfile with its DeviceSorting.txt, IL-2's pair), the zip
limits (bomb, entries, paths), warnings, alike devices on their own cards, pages."""
import io
import json
import os
import sqlite3
import zipfile

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


def assert_every_binding_accounted(s):
    """Every binding is on exactly one card or listed as not shown, with a reason."""
    assert sum(d["bindings"] for d in s["devices"]) + len(s["not_shown"]) == s["bindings"], s
    assert all(n["reason"] for n in s["not_shown"])
    assert len({d["device"] for d in s["devices"]}) == len(s["devices"]), "card slugs must differ"
    for d in s["devices"]:
        assert d["pages"] >= 1 and d["title"] and "side" in d and "module" in d and "device_index" in d
    for w in s["warnings"]:
        assert set(w) == {"file", "line", "what", "why"} and w["why"], w


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
    assert_every_binding_accounted(s)
    again = server.get("/v1/refcards/" + s["id"])
    assert again.status_code == 200 and again.json() == s
    assert again.headers["Cache-Control"] == "public, max-age=86400"  # revalidated: see below
    for d in s["devices"]:
        for fmt, url in d["cards"].items():
            c = server.get(url)
            assert c.status_code == 200, (url, c.text[:200])
            assert c.headers["Cache-Control"] == "public, max-age=86400" and c.headers["ETag"]
            if fmt == "pdf":
                assert c.content.startswith(b"%PDF")
            else:
                assert Image.open(io.BytesIO(c.content)).size == (1920, 1080)


FIXTURES = sorted(n for n in os.listdir(DATA) if not n.startswith(("bad_", "README")))


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_accounted_and_every_page_drawn(server, name):
    """Whatever the fixture (others are refused with a reason), each binding is on one card or
    not shown with why, and every page of every card is an image."""
    r = upload(server, name)
    if r.status_code == 422:
        assert r.json()["error"]["message"]
        return
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert_every_binding_accounted(s)
    for d in s["devices"]:
        for p in range(1, d["pages"] + 1):
            c = server.get(d["cards"]["jpg"] + (f"?page={p}" if p > 1 else ""))
            assert c.status_code == 200 and c.headers["Content-Type"] == "image/jpeg", (d["device"], p, c.text[:200])


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
                                  "bad_truncated.diff.lua", "bad_garbage.bin",
                                  "bad_billion_laughs.xml", "bad_wrong_root.xml"])
def test_bad_files_422(server, name):
    r = upload(server, name)
    assert r.status_code == 422, r.text
    e = r.json()["error"]
    assert e["code"] == "unprocessable" and e["message"]
    if name not in ("bad_empty.binds",):
        assert "line" in e["message"] or "empty" in e["message"]


def test_truncated_profile_read_up_to_the_cut(server):
    """What the game would still read of a cut file gives cards; the cut is a warning with its line."""
    r = upload(server, "bad_truncated.profile")
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["devices"] and s["warnings"] and s["warnings"][-1]["line"] > 0
    assert s["warnings"][-1]["file"] == "bad_truncated.profile"
    assert_every_binding_accounted(s)


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


# ---- several files in one upload -------------------------------------------------------------

def post_files(server, files, **params):
    """One multipart upload of [(name, bytes)] as `file` parts."""
    parts = [("file", (name, data, "application/octet-stream")) for name, data in files]
    return requests.post(server.url + "/v1/refcards", files=parts, params=params, timeout=60)


def make_zip(entries, method=zipfile.ZIP_DEFLATED):
    """A zip of [(path, bytes)] ; a path ending in "/" is a folder."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            if name.endswith("/"):
                z.writestr(zipfile.ZipInfo(name), b"")
            else:
                z.writestr(name, data)
    return buf.getvalue()


WARTHOG_GUID = "{F3E8A0C0-1234-11e0-8001-444553540000}"

DCS_FOLDER = [
    ("Input/", b""),
    ("Input/F-16C_50/joystick/Joystick - HOTAS Warthog " + WARTHOG_GUID + ".diff.lua", read("dcs_warthog_stick.diff.lua")),
    ("Input/F-16C_50/keyboard/Keyboard.diff.lua", read("dcs_keyboard.diff.lua")),
    ("Input/A-10C_2/joystick/Joystick - HOTAS Warthog " + WARTHOG_GUID + ".diff.lua", read("dcs_warthog_stick.diff.lua")),
    ("Input/A-10C_2/keyboard/Keyboard.diff.lua", read("dcs_keyboard.diff.lua")),
]

IL2_PAIR = [("data/input/global.actions", read("il2_global.actions")),
            ("data/input/devices.txt", read("il2_devices.txt"))]


def check_cards(server, s, formats=("png",)):
    for d in s["devices"]:
        for fmt in formats:
            c = server.get(d["cards"][fmt])
            assert c.status_code == 200, (d["cards"][fmt], c.text[:300])
            if fmt == "png":
                assert Image.open(io.BytesIO(c.content)).size == (1920, 1080)


def test_multipart_several_files(server):
    files = [("msfs_warthog_stick.xml", read("msfs_warthog_stick.xml")),
             ("msfs_warthog_throttle.xml", read("msfs_warthog_throttle.xml")),
             ("msfs_keyboard.xml", read("msfs_keyboard.xml"))]
    r = post_files(server, files)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["game"] == "msfs2020"
    assert s["files"] == sorted(n for n, _ in files)
    assert {"warthog-stick", "warthog-throttle", "keyboard"} <= {d["device"] for d in s["devices"]}
    singles = sum(upload(server, n).json()["bindings"] for n, _ in files)
    assert s["bindings"] == singles
    assert_every_binding_accounted(s)
    check_cards(server, s)
    # The same files in another order: the same upload.
    again = post_files(server, list(reversed(files)))
    assert again.status_code == 200 and again.json()["id"] == s["id"]
    assert again.json() == s


def test_same_files_any_order_or_packing_same_id(server):
    a = post_files(server, IL2_PAIR).json()
    b = post_files(server, list(reversed(IL2_PAIR))).json()
    z = requests.post(server.url + "/v1/refcards", data=make_zip(list(reversed(IL2_PAIR))), timeout=30).json()
    assert a["id"] == b["id"] == z["id"], (a.get("error"), z.get("error"))
    # A byte changed is another upload.
    changed = [(IL2_PAIR[0][0], IL2_PAIR[0][1] + b"\n"), IL2_PAIR[1]]
    assert post_files(server, changed).json()["id"] != a["id"]


def test_zip_of_a_dcs_input_folder(server):
    body = make_zip(DCS_FOLDER + [("Input/A-10C_2/modifiers.lua", b"local modifiers = {}\nreturn modifiers\n"),
                                  ("Input/notes.txt", b"my binds\n")])
    r = requests.post(server.url + "/v1/refcards", data=body, params={"filename": "Input.zip"}, timeout=60)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["game"] == "dcs"
    assert len(s["files"]) == 6 and all(f.startswith("Input/") for f in s["files"])
    modules = {d["module"] for d in s["devices"]}
    assert {"F-16C_50", "A-10C_2"} <= modules, [(d["device"], d["module"]) for d in s["devices"]]
    sticks = [d for d in s["devices"] if d["registry"] == "warthog-stick"]
    assert len(sticks) == 2 and len({d["device"] for d in sticks}) == 2
    assert_every_binding_accounted(s)
    # DCS keeps modifiers.lua beside the diffs (passed over); a stray file is a warning.
    assert [w["file"] for w in s["warnings"]] == ["Input/notes.txt"], s["warnings"]
    check_cards(server, s)


def test_zip_of_a_bms_keyfile_and_device_sorting(server):
    body = make_zip([("User/Config/BMS - Auto.key", read("bms_auto.key")),
                     ("User/Config/DeviceSorting.txt", read("bms_DeviceSorting.txt"))])
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["game"] == "bms" and s["devices"]
    assert "User/Config/DeviceSorting.txt" in s["files"]
    assert not any(w["file"].endswith("DeviceSorting.txt") and w["line"] == 0 for w in s["warnings"]), s["warnings"]
    assert_every_binding_accounted(s)
    check_cards(server, s)


def test_zip_of_the_il2_pair_and_alike_devices_get_their_own_cards(server):
    r = requests.post(server.url + "/v1/refcards", data=make_zip(IL2_PAIR), timeout=60)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert s["game"] == "il2"
    # devices.txt lists two "Joystick - HOTAS Warthog": two cards, told apart in URL and title.
    sticks = sorted((d for d in s["devices"] if d["registry"] == "warthog-stick"), key=lambda d: d["device_index"])
    assert [d["device"] for d in sticks] == ["warthog-stick", "warthog-stick-2"], [d["device"] for d in s["devices"]]
    assert sticks[0]["title"] != sticks[1]["title"] and sticks[1]["device_index"] == 1
    assert_every_binding_accounted(s)
    check_cards(server, s)


def test_two_vjoy_devices_two_cards(server):
    s = upload(server, "sc_two_sticks.xml").json()
    vjoy = [d for d in s["devices"] if d["registry"] == "generic" and "vJoy" in d["title"]]
    assert len(vjoy) >= 2 and len({d["device"] for d in vjoy}) == len(vjoy), vjoy
    assert len({d["title"] for d in vjoy}) == len(vjoy)
    check_cards(server, s)


def test_left_and_right_vkb_two_cards(server):
    s = upload(server, "sc_actionmaps.xml").json()
    sides = {d["side"]: d for d in s["devices"] if d["side"]}
    assert set(sides) == {"left", "right"}, [(d["device"], d["side"]) for d in s["devices"]]
    assert sides["left"]["device"] != sides["right"]["device"]
    assert "left" in sides["left"]["title"].lower() and "right" in sides["right"]["title"].lower()
    check_cards(server, s)


def test_warnings_in_the_summary(server):
    nested = make_zip([("inner.binds", read("elite_warthog.binds"))])
    body = make_zip(IL2_PAIR + [("data/input/old.zip", nested), ("data/input/readme.txt", b"my bindings\n"),
                                ("__MACOSX/data/input/._global.actions", b"\0\5\26\7junk")])
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    by_file = {}
    for w in s["warnings"]:
        by_file.setdefault(w["file"], []).append(w)
    assert "zip inside the zip" in by_file["data/input/old.zip"][0]["why"]
    assert by_file["data/input/readme.txt"][0]["line"] == 0
    assert any(w["line"] > 0 for w in by_file["data/input/global.actions"]), by_file
    assert not any("__MACOSX" in f for f in s["files"] + list(by_file))
    assert "warnings_dropped" not in s
    assert_every_binding_accounted(s)


def test_warnings_past_the_cap_are_counted(server):
    lines = ["// Input map preset.", "&actions=action,command,invert|", "screenshot, key_sysrq, 0|"]
    lines += [f"act{i}, pad_a, 0|" for i in range(250)]
    r = post_files(server, [("global.actions", ("\r\n".join(lines) + "\r\n").encode())])
    assert r.status_code in (200, 201), r.text
    s = r.json()
    assert len(s["warnings"]) == 200 and s["warnings_dropped"] == 50, (len(s["warnings"]), s.get("warnings_dropped"))
    assert s["warnings"][0]["line"] == 4 and s["warnings"][0]["what"].startswith("act0")


def test_multipart_with_a_zip_part_and_a_file(server):
    files = [("il2.zip", make_zip(IL2_PAIR[:1])), ("data/input/devices.txt", IL2_PAIR[1][1])]
    s = post_files(server, files).json()
    assert s.get("files") == ["data/input/devices.txt", "data/input/global.actions"], s
    assert s["id"] == post_files(server, IL2_PAIR).json()["id"]


def test_zip_bomb_413(server):
    body = make_zip([("Input/F-16C_50/bomb.lua", b"\0" * (40 << 20))])
    assert len(body) < 200_000
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code == 413, r.text
    msg = r.json()["error"]["message"]
    assert "zip bomb" in msg and "100 times" in msg, msg


def test_zip_over_the_size_limit_413(start_server):
    # Bytes that do not compress, so the ratio is fine and only the sum is too much; the body
    # limit is raised so the zip itself gets in, and the memory budget so that it can hold the
    # 36 MiB body and its reading (four times the body, within half the budget: test_budget.py).
    srv = start_server("--max-body", str(64 << 20), "--memory-budget-mb", "512")
    noise = os.urandom(12 << 20)
    body = make_zip([("a.bin", noise), ("b.bin", noise), ("c.bin", noise)], method=zipfile.ZIP_STORED)
    r = requests.post(srv.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code == 413, r.text
    assert "32 MiB" in r.json()["error"]["message"]


def test_zip_too_many_entries_or_files_413(server):
    # Folders are entries too: a zip is refused on its entries before its files are counted.
    body = make_zip([(f"Input/d{i}/", b"") for i in range(2001)], method=zipfile.ZIP_STORED)
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code == 413, r.text
    assert "2000 entries" in r.json()["error"]["message"]
    body = make_zip([(f"Input/x{i}.lua", b"") for i in range(1001)], method=zipfile.ZIP_STORED)
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code == 413, r.text
    assert "1000 files" in r.json()["error"]["message"]
    r = post_files(server, [(f"x{i}.lua", b"-- x") for i in range(1001)])
    assert r.status_code == 413 and "1000 files" in r.json()["error"]["message"], r.text


@pytest.mark.parametrize("path", ["../evil.lua", "Input/../../evil.lua", "/etc/passwd", "..\\..\\evil.lua",
                                  "C:/Windows/evil.lua"])
def test_zip_path_outside_the_archive_422(server, path):
    body = make_zip(IL2_PAIR + [(path, b"x")])
    r = requests.post(server.url + "/v1/refcards", data=body, timeout=60)
    assert r.status_code == 422, r.text
    assert "path outside the archive" in r.json()["error"]["message"]


def test_empty_and_damaged_zips_422(server):
    r = requests.post(server.url + "/v1/refcards", data=make_zip([("Input/", b"")]), timeout=30)
    assert r.status_code == 422 and "no file" in r.json()["error"]["message"], r.text
    r = requests.post(server.url + "/v1/refcards", data=make_zip([]), timeout=30)
    assert r.status_code == 422, r.text
    r = requests.post(server.url + "/v1/refcards", data=b"PK\3\4" + b"\x55" * 100, params={"filename": "x.zip"}, timeout=30)
    assert r.status_code == 422 and "not a zip that can be read" in r.json()["error"]["message"], r.text


def busy_actionmaps(per_button=5, buttons=120):
    """A Star Citizen profile with many actions on every button of one vJoy device."""
    acts = [f'   <action name="v_custom_action_number_{i}"><rebind input="js1_button{i % buttons + 1}" /></action>'
            for i in range(per_button * buttons)]
    return ('<ActionMaps version="1" optionsVersion="2" rebindVersion="2" profileName="busy">\n'
            ' <actionmap name="spaceship_general">\n' + "\n".join(acts) + '\n </actionmap>\n'
            ' <options type="joystick" instance="1" Product="vJoy Device  {BEAD1234-0000-0000-0000-504944564944}" />\n'
            '</ActionMaps>\n').encode()


def test_pages_of_a_busy_card(server):
    r = requests.post(server.url + "/v1/refcards", data=busy_actionmaps(), params={"filename": "actionmaps.xml"}, timeout=60)
    assert r.status_code in (200, 201), r.text
    s = r.json()
    (d,) = s["devices"]
    assert d["bindings"] == 600
    assert d["pages"] >= 2, d
    assert d["more_pages"] == [d["cards"]["jpg"] + f"?page={p}" for p in range(2, d["pages"] + 1)]
    p1, p2 = server.get(d["cards"]["png"]), server.get(d["cards"]["png"] + "?page=2")
    assert p1.status_code == 200 and p2.status_code == 200, p2.text
    assert Image.open(io.BytesIO(p2.content)).size == (1920, 1080)
    assert p1.content != p2.content and p1.headers["ETag"] != p2.headers["ETag"]
    assert server.get(d["cards"]["png"] + "?page=1").content == p1.content
    past = server.get(d["cards"]["png"] + f"?page={d['pages'] + 1}")
    assert past.status_code == 400 and past.json()["error"]["param"] == "page"
    assert f"1..{d['pages']}" in past.json()["error"]["message"]
    assert server.get(d["cards"]["png"] + "?page=0").status_code == 400


def test_page_past_a_one_page_card_400(server):
    s = upload(server, "msfs_warthog_stick.xml").json()
    d = s["devices"][0]
    assert d["pages"] == 1 and d["more_pages"] == []
    r = server.get(d["cards"]["jpg"] + "?page=2")
    assert r.status_code == 400 and "1..1" in r.json()["error"]["message"]


def test_bundles_survive_restart(start_server, tmp_path):
    db = str(tmp_path / "keep.db")
    a = start_server("--db-path", db)
    s = requests.post(a.url + "/v1/refcards", data=make_zip(IL2_PAIR), timeout=60).json()
    before = {d["device"]: a.get(d["cards"]["png"]).content for d in s["devices"]}
    assert a.stop() == 0
    b = start_server("--db-path", db)
    assert b.get("/v1/refcards/" + s["id"]).json() == s
    for d in s["devices"]:
        c = b.get(d["cards"]["png"])
        assert c.status_code == 200 and c.content == before[d["device"]], d["device"]


def test_rows_stored_before_bundles_still_draw(start_server, tmp_path):
    """A row as the store wrote it when an upload was one file: its bytes and its name."""
    db = str(tmp_path / "old.db")
    a = start_server("--db-path", db)
    assert a.stop() == 0
    old_id = "0123456789abcdef01234567"
    summary = ('{"id":"%s","game":"msfs2020","game_name":"Microsoft Flight Simulator 2020","profile":"",'
               '"filename":"msfs_warthog_stick.xml","bindings":1,"devices":[{"device":"warthog-stick",'
               '"name":"Thrustmaster HOTAS Warthog Joystick","registry":"warthog-stick","game_device":"x",'
               '"device_index":0,"bindings":1,"cards":{"png":"/v1/refcards/%s/warthog-stick.png"}}],'
               '"not_shown":[]}' % (old_id, old_id))
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO uploads(id, game, filename, data, summary, created) VALUES (?, ?, ?, ?, ?, 0)",
                    (old_id, "", "msfs_warthog_stick.xml", read("msfs_warthog_stick.xml"), summary))
    b = start_server("--db-path", db)
    assert b.get("/v1/refcards/" + old_id).json()["id"] == old_id
    c = b.get(f"/v1/refcards/{old_id}/warthog-stick.png")
    assert c.status_code == 200, c.text[:300]
    assert Image.open(io.BytesIO(c.content)).size == (1920, 1080)
    assert b.get(f"/v1/refcards/{old_id}/warthog-stick.png?page=2").status_code == 400


def test_card_keys_follow_the_catalog(start_server, tmp_path):
    """A card's ETag (and cache key) carries what its bytes depend on: the same inputs give the
    same ETag across restarts; a changed device drawing or game table gives a new ETag and new
    bytes. Cards are not `immutable`: caches revalidate after --max-age (here 60 s) and so get
    the new drawing, which a year-long immutable card never would."""
    import shutil
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    tpl = tmp_path / "templates"
    shutil.copytree(os.path.join(root, "templates"), tpl)
    data = open(os.path.join(DATA, "elite_warthog.binds"), "rb").read()

    def card(server):
        s = requests.post(server.url + "/v1/refcards", data=data, timeout=30).json()
        url = next(d["cards"]["png"] for d in s["devices"] if d["device"] == "warthog-stick")
        r = server.get(url)
        assert r.status_code == 200
        return r.headers["ETag"], r.content

    db = str(tmp_path / "u.db")
    first = start_server("--templates-dir", str(tpl), "--db-path", db, "--max-age", "60")
    etag1, png1 = card(first)
    up = requests.post(first.url + "/v1/refcards", data=data, timeout=30).json()
    url = next(d["cards"]["png"] for d in up["devices"] if d["device"] == "warthog-stick")
    assert first.get(url).headers["Cache-Control"] == "public, max-age=60"
    assert first.get("/v1/refcards/" + up["id"]).headers["Cache-Control"] == "public, max-age=60"
    first.stop()
    again = start_server("--templates-dir", str(tpl), "--db-path", db)
    assert card(again)[0] == etag1  # a restart changes nothing
    again.stop()
    dev = tpl / "devices" / "warthog-stick.json"
    j = json.loads(dev.read_text())
    j["art"].append({"circle": [960, 540, 40], "fill": "dark"})  # a changed drawing
    dev.write_text(json.dumps(j))
    changed = start_server("--templates-dir", str(tpl), "--db-path", db)
    etag2, png2 = card(changed)
    assert etag2 != etag1 and png2 != png1
    changed.stop()
    game = tpl / "games" / "elite.json"
    g = json.loads(game.read_text())
    g["actions"]["PrimaryFire"] = "Fire the main guns"  # a changed label
    game.write_text(json.dumps(g))
    relabelled = start_server("--templates-dir", str(tpl), "--db-path", db)
    etag3, png3 = card(relabelled)
    assert etag3 not in (etag1, etag2) and png3 != png2
