"""Golden images: fixed renders compared with small committed references by PSNR.

The references in tests/golden/ are the renders shrunk to 480 px wide (PNG). A render passes when
every 24x24 block of its shrunk version has a PSNR of at least 30 dB against the reference
(identical renders are infinite; a label moved by a few pixels or a missing glyph drops well
below, while small antialiasing differences between library versions stay above).
Regenerate after an intended visual change with:
    GOLDEN_UPDATE=1 /usr/bin/python3 -m pytest tests/integration/test_golden.py
and look at the new PNGs before committing them."""
import io
import math
import os

import pytest
import requests
from PIL import Image, ImageChops, ImageStat

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden")
BINDINGS = os.path.join(os.path.dirname(__file__), "..", "data", "bindings")
MIN_PSNR = 30.0

CASES = {
    "w1_seed1": "/v1/cards/w1.png?seed=1",
    "og_mixed_scripts": "/v1/cards/og.png?text.title=Fahrwerk%20%E8%B5%B7%E8%90%BD%E6%9E%B6%20%D7%A9%D7%9C%D7%95%D7%9D"
                        "%20%E2%80%94%20a%20long%20headline%20that%20wraps&text.subtitle=%D8%A7%D9%84%D8%B9%D8%AC%D9%84"
                        "%D8%A7%D8%AA%20%C2%B7%20%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80%20%C2%B7%20"
                        "%E0%B9%84%E0%B8%97%E0%B8%A2&text.site=example.org",
    "refcard_template": "/v1/cards/refcard.png?text.title=Editor%20keys&text.k0=Ctrl%2BS&text.a0=Save&text.k1="
                        "Ctrl%2BShift%2BP&text.a1=Command%20palette%20with%20a%20long%20description%20that%20wraps",
}


def shrink(png_bytes):
    im = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    return im.resize((480, round(480 * im.height / im.width)), Image.LANCZOS)


def psnr(a, b):
    """The worst PSNR over 24x24 blocks: a local change (a moved or missing label) cannot hide
    in the average of a large image."""
    if a.size != b.size:
        return 0.0
    diff = ImageChops.difference(a, b)
    worst = float("inf")
    for y in range(0, a.height, 24):
        for x in range(0, a.width, 24):
            block = diff.crop((x, y, min(x + 24, a.width), min(y + 24, a.height)))
            mse = sum(v * v for v in ImageStat.Stat(block).rms) / 3
            if mse:
                worst = min(worst, 20 * math.log10(255 / math.sqrt(mse)))
    return worst


def check(name, png_bytes):
    got = shrink(png_bytes)
    path = os.path.join(GOLDEN, name + ".png")
    if os.environ.get("GOLDEN_UPDATE"):
        got.save(path, optimize=True)
        return
    assert os.path.exists(path), f"no golden {path}; run with GOLDEN_UPDATE=1"
    ref = Image.open(path).convert("RGB")
    score = psnr(got, ref)
    if score < MIN_PSNR:
        got.save(os.path.join(GOLDEN, name + ".actual.png"))
    assert score >= MIN_PSNR, f"{name}: PSNR {score:.1f} dB < {MIN_PSNR} (see {name}.actual.png)"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_cards(server, name):
    r = server.get(CASES[name])
    assert r.status_code == 200
    check(name, r.content)


REFCARDS = {  # golden name: (fixture, card)
    "refcard_elite_warthog-stick": ("elite_warthog.binds", "warthog-stick"),
    "refcard_elite_keyboard": ("elite_warthog.binds", "keyboard"),
    "refcard_sc_vkb-gladiator-nxt-evo": ("sc_layout_exported.xml", "vkb-gladiator-nxt-evo"),
    "refcard_il2_generic": ("il2_global.actions", "generic-joystick-1"),
}


@pytest.mark.parametrize("name", sorted(REFCARDS))
def test_golden_refcards(server, name):
    fixture, device = REFCARDS[name]
    with open(os.path.join(BINDINGS, fixture), "rb") as f:
        s = requests.post(server.url + "/v1/refcards", params={"filename": fixture}, data=f.read(), timeout=30).json()
    url = next(d["cards"]["png"] for d in s["devices"] if d["device"] == device)
    r = server.get(url)
    assert r.status_code == 200
    check(name, r.content)


def test_golden_detects_a_change(server):
    """The comparison must fail for a visibly different render."""
    ref = shrink(server.get(CASES["w1_seed1"]).content)
    other = shrink(server.get("/v1/cards/w1.png?seed=1&text.l9=Something%20else%20entirely").content)
    assert psnr(ref, ref) == float("inf")
    assert psnr(ref, other) < MIN_PSNR


@pytest.mark.parametrize("fmt", ["jpg", "png", "pdf"])
def test_every_template_every_format(server, fmt, tmp_path):
    import subprocess
    for t in server.get("/v1/templates").json()["templates"]:
        if fmt not in t["formats"]:
            continue
        params = {f"text.{s['id']}": "Sample" for s in t["slots"] if s.get("required")}
        r = server.get(f"/v1/cards/{t['name']}.{fmt}", params=params)
        assert r.status_code == 200, (t["name"], fmt, r.text[:200])
        if fmt == "pdf":
            pdf = tmp_path / f"{t['name']}.pdf"
            pdf.write_bytes(r.content)
            subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / t["name"])], check=True,
                           timeout=60)
            pages = [p for p in os.listdir(tmp_path) if p.startswith(t["name"]) and p.endswith(".png")]
            assert len(pages) == 1
        else:
            assert Image.open(io.BytesIO(r.content)).size == (t["width"], t["height"])
