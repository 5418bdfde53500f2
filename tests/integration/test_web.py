"""The web page at / in real headless Chromium (Debian chromium + chromedriver, driven by selenium)
against the real binary: upload a binding file through the page's file input and see every card
load; several files at once, a folder (the folder picker) and dropped files and zips, with the
upload's warnings shown beside the cards; the Leaflet map's tiles load (and come back 200); the static-map builder and the card
playground previews load and follow edits; errors and shared #id links. Screenshots of each
section go to build/screenshots/ for a person to look at.

Each test is bounded by an alarm (the suite must not hang on a stuck browser); without chromium,
chromedriver or selenium the tests are skipped with the reason (`make test-deps` installs them)."""
import base64
import io
import os
import shutil
import signal
import tempfile
import time
import zipfile

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = os.path.join(ROOT, "build", "screenshots")
BINDS = os.path.join(ROOT, "tests", "data", "bindings")
TEST_BUDGET_S = 55

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    SELENIUM_ERROR = None
except ImportError as e:  # reported as the skip reason
    SELENIUM_ERROR = str(e)


def missing_browser():
    if SELENIUM_ERROR:
        return "python3-selenium is not installed (" + SELENIUM_ERROR + "); run `make test-deps`"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return path + " is not installed (Debian chromium, chromium-driver); run `make test-deps`"
    return None


class Budget(Exception):
    pass


@pytest.fixture
def chromium():
    """launch(scale=1) starts headless Chromium (new profile each time) at that device scale."""
    reason = missing_browser()
    if reason:
        pytest.fail(reason + " (make test-deps installs chromium and chromium-driver)")

    def over(signum, frame):
        raise Budget(f"browser test took longer than {TEST_BUDGET_S} s")

    old = signal.signal(signal.SIGALRM, over)
    signal.alarm(TEST_BUDGET_S)
    drivers, profiles = [], []

    def launch(scale=1):
        profile = tempfile.mkdtemp(prefix="cartouche-chromium-")
        profiles.append(profile)
        opts = Options()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1280,1000",
                  f"--force-device-scale-factor={scale}", "--user-data-dir=" + profile):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        drivers.append(driver)
        driver.set_page_load_timeout(20)
        driver.set_script_timeout(20)
        return driver

    try:
        yield launch
    finally:
        for d in drivers:
            d.quit()
        for p in profiles:
            shutil.rmtree(p, ignore_errors=True)
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def wait_js(driver, script, timeout=60, what=None):
    """Waits until the JavaScript expression `script` is truthy; returns its value."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script("return " + script))
    except Exception:
        errors = page_errors(driver)
        raise AssertionError(f"timed out waiting for {what or script}" + (f"; page errors: {errors}" if errors else ""))


def page_errors(driver):
    try:
        return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:
        return []


def shoot(driver, name, element_id=None):
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name + ".png")
    if element_id:
        driver.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", element_id)
        time.sleep(0.2)
        driver.find_element(By.ID, element_id).screenshot(path)
    else:
        driver.save_screenshot(path)
    assert os.path.getsize(path) > 1000
    return path


def shoot_full_page(driver, name):
    """The whole page in one image (Chrome DevTools capture beyond the viewport)."""
    w, h = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": w, "height": min(h, 8000), "scale": 1}})
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name + ".png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return path


def set_input(driver, element_id, text):
    e = driver.find_element(By.ID, element_id)
    e.clear()
    e.send_keys(text)


ALL_CARDS_LOADED = """(() => {
  const imgs = [...document.querySelectorAll('#card-grid img')];
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) && imgs.length;
})()"""

DROP_FILE = """
const [name, text] = arguments;
const zone = document.getElementById('drop-zone');
const dt = new DataTransfer();
dt.items.add(new File([text], name, {type: 'text/xml'}));
for (const type of ['dragenter', 'dragover', 'drop'])
  zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
"""

DROP_FILES = """
const [files] = arguments;  // [[name, base64]]
const zone = document.getElementById('drop-zone');
const dt = new DataTransfer();
for (const [name, b64] of files) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  dt.items.add(new File([bytes], name));
}
for (const type of ['dragenter', 'dragover', 'drop'])
  zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
"""

TILES_LOADED = """((layer) => {
  const tiles = [...document.querySelectorAll('#leaflet-map img.leaflet-tile')];
  const mine = tiles.filter(t => t.src.includes('/v1/tiles/' + layer + '/'));
  return mine.length >= 4 && mine.every(t => t.complete && t.classList.contains('leaflet-tile-loaded')) &&
    mine.map(t => ({src: t.src, w: t.naturalWidth, h: t.naturalHeight}));
})(%r)"""


def test_page_upload_map_static_playground(start_server, chromium):
    srv = start_server()
    d = chromium()
    d.get(srv.url + "/")
    assert "cartouche" in d.title

    # 1. reference cards: the page's own file input, multipart upload, one <img> per device card.
    wait_js(d, "document.querySelectorAll('#game-select option').length > 1", what="game list")
    d.find_element(By.ID, "file-input").send_keys(os.path.join(BINDS, "elite_warthog.binds"))
    n = wait_js(d, ALL_CARDS_LOADED, what="every card image loaded")
    with open(os.path.join(BINDS, "elite_warthog.binds"), "rb") as f:
        summary = requests.post(srv.url + "/v1/refcards", files={"file": ("elite_warthog.binds", f)}, timeout=30).json()
    assert n == len(summary["devices"]) >= 4
    assert d.execute_script("return location.hash") == "#" + summary["id"]
    assert d.find_element(By.ID, "sum-game").text == summary["game_name"]
    assert d.find_element(By.ID, "sum-bindings").text == str(summary["bindings"])
    assert d.find_element(By.ID, "share-link").get_attribute("value") == srv.url + "/#" + summary["id"]
    sizes = d.execute_script("return [...document.querySelectorAll('#card-grid img')].map(i => [i.naturalWidth, i.naturalHeight])")
    assert all(w >= 800 and h >= 400 for w, h in sizes), sizes
    links = d.execute_script("return [...document.querySelectorAll('#card-grid .pill')].map(a => a.href)")
    for dev in summary["devices"]:
        for fmt in ("jpg", "png", "pdf"):
            assert srv.url + dev["cards"][fmt] in links
    pdf = requests.get(next(l for l in links if l.endswith(".pdf")), timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if summary["not_shown"]:
        assert d.find_element(By.ID, "not-shown-body").get_attribute("childElementCount") == str(len(summary["not_shown"]))
    shoot(d, "web-refcards", "refcards")

    # 2. map: Leaflet over /v1/tiles with place labels; every tile an image of 256 px that answered 200.
    tiles = wait_js(d, TILES_LOADED % "bluemarble", what="bluemarble tiles")
    assert all(t["w"] == 256 and t["h"] == 256 for t in tiles), tiles
    assert all("labels=places" in t["src"] for t in tiles)
    statuses = d.execute_script("""return performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/v1/tiles/') && !e.name.endsWith('.json')).map(e => e.responseStatus)""")
    assert statuses and all(s == 200 for s in statuses), statuses
    assert requests.get(tiles[0]["src"], timeout=30).status_code == 200
    attribution = d.find_element(By.CSS_SELECTOR, "#leaflet-map .leaflet-control-attribution").text
    assert "NASA" in attribution

    # The static-map builder follows the view: its preview is the requested size and its URL works.
    wait_js(d, "(() => { const i = document.getElementById('st-preview'); return i.complete && i.naturalWidth === 640 && i.naturalHeight === 400; })()",
            what="static map preview 640x400")
    url = d.find_element(By.ID, "st-url").get_attribute("value")
    assert url.startswith(srv.url + "/v1/static?center=") and "zoom=2" in url and "size=640x400" in url
    assert "marker=45.8326,6.8652,Mont%20Blanc" in url and "label=35,-40,North%20Atlantic" in url
    r = requests.get(url, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/jpeg"

    # Clicking the map adds a marker; a new size and a joining path reach the preview.
    rows = len(d.find_elements(By.CSS_SELECTOR, "#st-points .pt-row"))
    ActionChains(d).move_to_element_with_offset(d.find_element(By.ID, "leaflet-map"), -150, 60).click().perform()
    wait_js(d, f"document.querySelectorAll('#st-points .pt-row').length === {rows + 1}", what="a marker added by a click")
    set_input(d, "st-width", "520")
    d.find_element(By.ID, "st-path").click()
    wait_js(d, "(() => { const i = document.getElementById('st-preview'); return i.complete && i.naturalWidth === 520 && i.src.includes('path='); })()",
            what="static map preview 520 wide with a path")
    url = d.find_element(By.ID, "st-url").get_attribute("value")
    assert url.count("marker=") == 2 and "size=520x400" in url
    assert requests.get(url, timeout=30).status_code == 200
    shoot(d, "web-map", "map")

    # The layer switcher moves the map to City Lights tiles.
    for label in d.find_elements(By.CSS_SELECTOR, "#leaflet-map .leaflet-control-layers-base label"):
        if "ight" in label.text:
            label.click()
            break
    else:
        raise AssertionError("no City Lights entry in the layer switcher")
    wait_js(d, TILES_LOADED % "citylights", what="citylights tiles")
    wait_js(d, "document.getElementById('st-url').value.includes('layer=citylights')", what="static map on citylights")

    # 3. playground: preview of the template at its size; typing changes the URL and the image.
    tpl = requests.get(srv.url + "/v1/templates/og", timeout=30).json()
    wait_js(d, f"(() => {{ const i = document.getElementById('play-preview'); return i.complete && i.naturalWidth === {tpl['width']}; }})()",
            what="playground preview")
    set_input(d, "slot-title", "Typed in a real browser")
    wait_js(d, "document.getElementById('play-url').value.includes('text.title=Typed%20in%20a%20real%20browser')",
            what="playground URL follows the title")
    wait_js(d, "(() => { const i = document.getElementById('play-preview'); return i.complete && i.naturalWidth > 0 && i.src.includes('Typed'); })()",
            what="playground preview of the new title")
    play_url = d.find_element(By.ID, "play-url").get_attribute("value")
    r = requests.get(play_url, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    shoot(d, "web-playground", "playground")

    # Another template: one input per slot, the preview at that template's size.
    refcard = requests.get(srv.url + "/v1/templates/refcard", timeout=30).json()
    Select(d.find_element(By.ID, "tpl-select")).select_by_value("refcard")
    assert len(d.find_elements(By.CSS_SELECTOR, "#tpl-slots .slot-input")) == len(refcard["slots"])
    wait_js(d, f"(() => {{ const i = document.getElementById('play-preview'); return i.complete && i.src.includes('/v1/cards/refcard.png') && i.naturalWidth === {refcard['width']}; }})()",
            what="refcard template preview")
    shoot(d, "web-playground-refcard", "playground")
    shoot_full_page(d, "web-page")
    assert not page_errors(d), page_errors(d)


def test_page_shared_link_and_errors(start_server, chromium):
    srv = start_server()
    d = chromium()
    with open(os.path.join(BINDS, "squadrons_warthog.profile"), "rb") as f:
        summary = requests.post(srv.url + "/v1/refcards", data=f.read(), timeout=30).json()

    # A shared link (#id) shows the same cards, also after a reload.
    d.get(srv.url + "/#" + summary["id"])
    assert wait_js(d, ALL_CARDS_LOADED, what="cards of the shared id") == len(summary["devices"])
    d.refresh()
    assert wait_js(d, ALL_CARDS_LOADED, what="cards after a reload") == len(summary["devices"])
    assert d.find_element(By.ID, "sum-profile").text == (summary.get("profile") or "—")

    # A broken file: the 422's line and reason are on the page, the old cards are gone.
    d.find_element(By.ID, "file-input").send_keys(os.path.join(BINDS, "bad_truncated.binds"))
    wait_js(d, "!document.getElementById('upload-error').hidden", what="the upload error")
    text = d.find_element(By.ID, "upload-error").text
    assert "bad_truncated.binds" in text and "line 240" in text and "unclosed token" in text, text
    assert not d.find_element(By.ID, "refcard-result").is_displayed()
    shoot(d, "web-upload-error", "refcards")

    # Drag and drop, with the game forced to the wrong one: the error says so; back to detection,
    # the same dropped file is sent again and read.
    Select(d.find_element(By.ID, "game-select")).select_by_value("elite")
    with open(os.path.join(BINDS, "msfs_warthog_stick.xml"), encoding="utf-8") as f:
        xml = f.read()
    d.execute_script(DROP_FILE, "msfs_warthog_stick.xml", xml)
    wait_js(d, "!document.getElementById('upload-error').hidden", what="the forced-game error")
    text = d.find_element(By.ID, "upload-error").text
    assert "msfs_warthog_stick.xml" in text and "line " in text and "set by hand" in text, text
    Select(d.find_element(By.ID, "game-select")).select_by_value("")
    # (the re-sent upload answers after the select: wait for its summary, then for its cards)
    wait_js(d, "document.getElementById('sum-game').textContent === 'Microsoft Flight Simulator 2020'",
            what="the summary of the re-sent file")
    wait_js(d, ALL_CARDS_LOADED, what="cards of the dropped file")
    assert d.find_element(By.ID, "sum-game").text == "Microsoft Flight Simulator 2020"
    assert d.find_element(By.ID, "upload-error").is_displayed() is False

    # An id this server never saw.
    d.get(srv.url + "/#00000000deadbeef00000000")
    wait_js(d, "!document.getElementById('upload-error').hidden", what="the unknown-id error")
    assert "No cards with the id 00000000deadbeef00000000" in d.find_element(By.ID, "upload-error").text


def test_map_high_dpi_tiles(start_server, chromium):
    """On a 2x screen Leaflet asks for the @2x tiles (512 px for the same z/x/y)."""
    srv = start_server()
    d = chromium(scale=2)
    d.get(srv.url + "/#map")
    assert d.execute_script("return window.devicePixelRatio") == 2
    tiles = wait_js(d, TILES_LOADED % "bluemarble", what="@2x tiles")
    assert all("@2x.jpg" in t["src"] and t["w"] == 512 and t["h"] == 512 for t in tiles), tiles
    shoot(d, "web-map-2x", "map")


def drop_paths(driver, paths):
    """A real drag and drop of files or folders from disk onto the drop zone (Chrome DevTools
    Input.dispatchDragEvent): folders arrive as directory entries, as when a player drags one."""
    x, y = driver.execute_script(
        "const r = document.getElementById('drop-zone').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]")
    data = {"items": [], "files": [str(p) for p in paths], "dragOperationsMask": 1}
    for kind in ("dragEnter", "dragOver", "drop"):
        driver.execute_cdp_cmd("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})


def read_bindings(name):
    with open(os.path.join(BINDS, name), "rb") as f:
        return f.read()


def shown_cards(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#card-grid .device-card')].map(f => f.dataset.device)")


def shown_warnings(driver):
    return driver.execute_script("""return [...document.querySelectorAll('#warnings-list li')].map(li => ({
        file: li.querySelector('.warn-file').textContent,
        line: li.querySelector('.line-badge') ? li.querySelector('.line-badge').textContent : '',
        why: li.querySelector('.warn-why').textContent}))""")


def test_page_several_files_folder_and_zip(start_server, chromium, tmp_path):
    srv = start_server()
    d = chromium()
    d.get(srv.url + "/")
    wait_js(d, "document.querySelectorAll('#game-select option').length > 1", what="game list")

    # 1. Several files picked at once: one upload, one id, every card.
    names = ["msfs_warthog_stick.xml", "msfs_warthog_throttle.xml", "msfs_keyboard.xml"]
    d.find_element(By.ID, "file-input").send_keys("\n".join(os.path.join(BINDS, n) for n in names))
    n = wait_js(d, ALL_CARDS_LOADED, what="every card of the three files")
    parts = [("file", (name, read_bindings(name))) for name in names]
    summary = requests.post(srv.url + "/v1/refcards", files=parts, timeout=30).json()
    assert d.execute_script("return location.hash") == "#" + summary["id"]
    assert n == len(summary["devices"]) and sorted(shown_cards(d)) == sorted(x["device"] for x in summary["devices"])
    assert d.find_element(By.ID, "sum-file").text == "3"
    assert d.find_element(By.ID, "sum-devices").text == str(len(summary["devices"]))
    shoot(d, "web-refcards-several-files", "refcards")

    # 2. A game's input folder through the folder picker: IL-2's data/input with a stray file.
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "global.actions").write_bytes(read_bindings("il2_global.actions"))
    (folder / "devices.txt").write_bytes(read_bindings("il2_devices.txt"))
    (folder / "notes.txt").write_bytes(b"my IL-2 bindings, 2024\n")
    d.find_element(By.ID, "folder-input").send_keys(str(folder))
    wait_js(d, "location.hash !== '#%s'" % summary["id"], what="the folder's upload")
    n = wait_js(d, ALL_CARDS_LOADED, what="every card of the folder")
    fid = d.execute_script("return location.hash").lstrip("#")
    s = requests.get(srv.url + "/v1/refcards/" + fid, timeout=30).json()
    assert s["game"] == "il2" and n == len(s["devices"])
    assert sorted(s["files"]) == ["input/devices.txt", "input/global.actions", "input/notes.txt"]
    assert {"warthog-stick", "warthog-stick-2"} <= set(shown_cards(d))
    titles = d.execute_script("return [...document.querySelectorAll('#card-grid h3')].map(h => h.textContent)")
    assert len(set(titles)) == len(titles), titles
    # The warnings sit beside the cards: every one of the summary's, with its file and line.
    assert d.find_element(By.ID, "warnings").is_displayed()
    warnings = shown_warnings(d)
    assert len(warnings) == len(s["warnings"]) > 0
    assert any(w["file"] == "input/notes.txt" for w in warnings), warnings
    assert any(w["line"].startswith("line ") for w in warnings), warnings
    grid = d.find_element(By.ID, "card-grid").rect
    aside = d.find_element(By.ID, "upload-notes").rect
    assert aside["x"] >= grid["x"] + grid["width"] - 1 and aside["y"] < grid["y"] + grid["height"], (grid, aside)
    assert d.find_element(By.ID, "sum-warnings").text == str(len(s["warnings"]))
    shoot(d, "web-refcards-folder", "refcards")
    shoot_full_page(d, "web-refcards-folder-page")

    # 2b. A DCS Config/Input folder with two aircraft dragged onto the page: walked as a folder,
    # the cards under one heading per aircraft.
    dcs = tmp_path / "Input"
    guid = "{F3E8A0C0-1234-11e0-8001-444553540000}"
    for aircraft in ("F-16C_50", "A-10C_2"):
        (dcs / aircraft / "joystick").mkdir(parents=True)
        (dcs / aircraft / "keyboard").mkdir()
        (dcs / aircraft / "joystick" / f"Joystick - HOTAS Warthog {guid}.diff.lua").write_bytes(
            read_bindings("dcs_warthog_stick.diff.lua"))
        (dcs / aircraft / "keyboard" / "Keyboard.diff.lua").write_bytes(read_bindings("dcs_keyboard.diff.lua"))
    d.execute_script("document.getElementById('drop-zone').scrollIntoView({block: 'center'})")
    drop_paths(d, [dcs])
    wait_js(d, "location.hash !== '#%s'" % fid, what="the dropped DCS folder's upload")
    n = wait_js(d, ALL_CARDS_LOADED, what="every card of the DCS folder")
    heads = d.execute_script("return [...document.querySelectorAll('#card-grid .module-head')].map(h => h.textContent)")
    assert heads == ["A-10C_2", "F-16C_50"] and n == 4, (heads, n)
    files = d.execute_script("return [...document.querySelectorAll('#files-list li')].map(l => l.textContent)")
    assert len(files) == 4 and all(f.startswith("Input/") and f.endswith(".diff.lua") for f in files), files
    assert not d.find_element(By.ID, "warnings").is_displayed()
    shoot(d, "web-refcards-dcs-folder", "refcards")

    # 3. A zip and a plain file dropped together: the zip's entries join the file.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/input/global.actions", read_bindings("il2_global.actions"))
    dropped = [["il2.zip", base64.b64encode(buf.getvalue()).decode()],
               ["devices.txt", base64.b64encode(read_bindings("il2_devices.txt")).decode()]]
    dcs_id = d.execute_script("return location.hash").lstrip("#")  # before the drop: it may answer at once
    d.execute_script(DROP_FILES, dropped)
    wait_js(d, "location.hash !== '#%s'" % dcs_id, what="the dropped zip's upload")
    wait_js(d, ALL_CARDS_LOADED, what="cards of the dropped zip")
    zid = d.execute_script("return location.hash").lstrip("#")
    z = requests.get(srv.url + "/v1/refcards/" + zid, timeout=30).json()
    assert z["files"] == ["data/input/global.actions", "devices.txt"]
    assert "warthog-stick-2" in shown_cards(d)

    # 4. A zip that leaves its folder: the page says why, no cards.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../evil.lua", b"x")
    d.execute_script(DROP_FILES, [["evil.zip", base64.b64encode(buf.getvalue()).decode()]])
    wait_js(d, "!document.getElementById('upload-error').hidden", what="the zip's error")
    text = d.find_element(By.ID, "upload-error").text
    assert "evil.zip" in text and "path outside the archive" in text, text
    assert not d.find_element(By.ID, "refcard-result").is_displayed()
    errors = [e for e in page_errors(d) if "status of 422" not in e]  # the refused upload itself
    assert not errors, errors
