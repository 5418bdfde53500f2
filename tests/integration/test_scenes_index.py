"""A folder of real raster files as STAC scenes: `cartouche scenes index DIR`, then the server
with --scenes DIR. Inputs are made here with gdal_translate/gdalwarp from a baked Blue Marble
tile: a UTM GeoTIFF (alpha, a sidecar STAC Item), a 16-bit GeoTIFF (TIFFTAG_DATETIME), a COG, a
JPEG 2000 (if GDAL has a JP2 driver), a PNG with a world file, and files the index must skip (a
broken TIFF, a truncated COG, a PNG without georeferencing). Checked: footprints against
gdalinfo's corners, datetimes and where they came from, bands, previews against gdal_translate
-outsize of the same file (PSNR, mean colour), the original bytes, search by
bbox/intersects/datetime/ids against shapely, paging, and
that Items validate against the STAC 1.0.0 schemas like the rest of /v1/stac; real clients read
it: GDAL's /vsicurl/ reads a COG asset by byte ranges, its STACIT driver mosaics a search."""
import io
import json
import math
import os
import shutil
import subprocess
import time

import numpy as np
import pytest
import requests
from PIL import Image

from conftest import BIN, Server, free_port
from test_stac import assert_valid, rels

HALF = 20037508.342789244


def run(*args):
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{args}: {out.stderr}"
    return out


def has_jp2():
    return "JP2OpenJPEG" in run("gdalinfo", "--formats").stdout


def index(d):
    return subprocess.run([BIN, "scenes", "index", str(d)], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, server):
    work = tmp_path_factory.mktemp("scenesrc")
    d = work / "imagery"
    d.mkdir()
    (work / "tile.png").write_bytes(server.get("/v1/tiles/bluemarble/3/4/2.png").content)
    size = 2 * HALF / 8
    w, n = -HALF + 4 * size, HALF - 2 * size
    # 900 px a side, so that previews (512) are smaller than the files.
    run("gdal_translate", "-q", "-a_srs", "EPSG:3857", "-a_ullr", w, n, w + size, n - size,
        "-outsize", 900, 900, "-r", "bilinear", work / "tile.png", work / "merc.tif")
    run("gdalwarp", "-q", "-t_srs", "EPSG:32633", "-r", "bilinear", "-dstalpha",
        work / "merc.tif", d / "utm.tif")
    (d / "utm.json").write_text(json.dumps({
        "type": "Feature", "stac_version": "1.0.0", "id": "S2B_utm_scene",
        "stac_extensions": ["https://stac-extensions.github.io/eo/v1.0.0/schema.json"],
        "properties": {"datetime": "2020-07-04T10:15:00Z", "eo:cloud_cover": 12.5,
                       "platform": "sentinel-2b", "cartouche:layer": "not-this",
                       "gsd": -10, "instruments": ["msi", 3]}}))
    run("gdal_translate", "-q", "-ot", "UInt16", "-scale", 0, 255, 300, 4000, "-mo",
        "TIFFTAG_DATETIME=2021:06:01 10:20:30", work / "merc.tif", d / "u16.tif")
    run("gdal_translate", "-q", "-of", "COG", "-srcwin", 0, 0, 600, 500, work / "merc.tif",
        d / "cog.tif")
    # A PNG in longitude/latitude with only a world file (no CRS: degrees are assumed).
    (d / "sub").mkdir()
    run("gdalwarp", "-q", "-t_srs", "EPSG:4326", "-r", "bilinear", work / "merc.tif",
        work / "lonlat.tif")
    run("gdal_translate", "-q", "-of", "PNG", "-co", "WORLDFILE=YES", "-srcwin", 300, 100, 400,
        300, work / "lonlat.tif", d / "sub" / "world.png")
    os.remove(d / "sub" / "world.png.aux.xml")
    if has_jp2():
        run("gdal_translate", "-q", "-of", "JP2OpenJPEG", "-co", "QUALITY=100", "-co",
            "REVERSIBLE=YES", work / "merc.tif", d / "tile.jp2")
        (d / "tile.jp2.json").write_text(json.dumps({
            "type": "Feature", "id": "jp2-scene", "properties": {
                "datetime": None, "start_datetime": "2019-03-01T00:00:00Z",
                "end_datetime": "2019-03-31T23:59:59Z"}}))
    # across the antimeridian: longitudes 170..190 in EPSG:4326
    run("gdal_translate", "-q", "-a_srs", "EPSG:4326", "-a_ullr", 170, 10, 190, 0,
        work / "tile.png", d / "dateline.tif")
    (d / "broken.tif").write_bytes(b"II*\x00" + b"\x07" * 400)
    # a COG cut short: GDAL opens it (the header is whole), its pixels fail to read
    (d / "truncated.tif").write_bytes((d / "cog.tif").read_bytes()[:200000])
    b = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(b, "PNG")
    (d / "plain.png").write_bytes(b.getvalue())
    (d / "README.txt").write_text("not imagery")
    out = index(d)
    assert out.returncode == 0, out.stderr
    return d, out


@pytest.fixture(scope="module")
def scenes(folder, tmp_path_factory):
    d, _ = folder
    s = Server("--scenes", str(d), tmp=str(tmp_path_factory.mktemp("scenesrv")))
    items = s.get("/v1/stac/search?collections=imagery&limit=100").json()["features"]
    yield s, {f["properties"]["cartouche:file"]: f for f in items}
    assert s.stop() == 0, s.logtext()


def gdalinfo(path):
    return json.loads(run("gdalinfo", "-json", path).stdout)


def rgba(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(float)


def reference(path, w, h, tmp, scale=None):
    """gdal_translate -outsize of the file as RGBA (alpha 255 where it has none)."""
    args = ["gdal_translate", "-q", "-outsize", w, h, "-r", "average", "-of", "GTiff"]
    if scale:
        args += ["-ot", "Byte"]
        for i, (lo, hi) in enumerate(zip(*scale)):
            args += [f"-scale_{i + 1}", lo, hi, 0, 255]
    run(*args, path, tmp)
    from osgeo import gdal
    a = gdal.Open(str(tmp)).ReadAsArray().astype(float).transpose(1, 2, 0)
    if a.shape[2] == 3:
        a = np.dstack([a, np.full(a.shape[:2], 255.0)])
    return np.clip(a, 0, 255)


def psnr(a, b):
    both = (a[:, :, 3] == 255) & (b[:, :, 3] == 255)
    assert both.mean() > 0.5
    mse = ((a[:, :, :3] - b[:, :, :3])[both] ** 2).mean()
    return 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


# ---- the index ------------------------------------------------------------------------------

def test_index_skips_bad_files_with_reasons(folder):
    d, out = folder
    log = out.stderr
    assert "skipped" in log and "broken.tif" in log and "GDAL cannot read it" in log
    assert "plain.png" in log and "no georeferencing" in log
    assert "truncated.tif" in log and "IReadBlock failed" in log
    assert "property gsd is not what STAC says it is" in log
    for name in ("README.txt", "utm.json", "tile.jp2.json"):  # not rasters: not tried
        assert f"skipped {d / name}" not in log
    n = 5 + has_jp2()
    assert f"{d}: {n} scenes" in out.stdout
    assert len(list((d / ".cartouche-scenes").glob("*.png"))) == n
    # A second run reads nothing again.
    again = index(d)
    assert again.returncode == 0 and f"({n} unchanged)" in again.stderr


def test_items_validate_and_link(scenes):
    s, items = scenes
    assert_valid(*[("item", f) for f in items.values()])
    coll = s.get("/v1/stac/collections/imagery").json()
    assert_valid(("collection", coll))
    landing = s.get("/v1/stac").json()
    assert "/v1/stac/collections/imagery" in [l["href"] for l in rels(landing)["child"]]
    for f in items.values():
        assert f["collection"] == "imagery"
        one = s.get(f"/v1/stac/collections/imagery/items/{f['id']}")
        assert one.status_code == 200 and one.json()["id"] == f["id"]
        assert set(f["assets"]) >= {"data", "thumbnail", "preview"} and "tiles" not in f["assets"]
        # the collection's extent holds every footprint
        cb = coll["extent"]["spatial"]["bbox"][0]
        assert cb[0] <= f["bbox"][0] and cb[2] >= f["bbox"][2]
        assert cb[1] <= f["bbox"][1] and cb[3] >= f["bbox"][3]


def test_footprints_are_gdals_corners(scenes, folder):
    s, items = scenes
    d, _ = folder
    for rel, f in items.items():
        if rel == "dateline.tif":
            continue
        info = gdalinfo(d / rel)
        ring = f["geometry"]["coordinates"][0]
        assert f["geometry"]["type"] == "Polygon" and ring[0] == ring[-1]
        # every corner gdalinfo gives is a vertex of the footprint (without a CRS, its corner
        # coordinates are the degrees)
        corners = (info["wgs84Extent"]["coordinates"][0] if "wgs84Extent" in info else
                   list(info["cornerCoordinates"].values())[:4])
        for lon, lat in corners:
            assert min(math.hypot(lon - x, lat - y) for x, y in ring) < 1e-7, (rel, lon, lat)
        # the bbox is the footprint's
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        assert f["bbox"] == pytest.approx([min(lons), min(lats), max(lons), max(lats)], abs=1e-9)
        # counterclockwise (RFC 7946)
        area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
        assert area > 0, rel
        p = f["properties"]
        assert p["proj:shape"] == [info["size"][1], info["size"][0]]
        gt = info["geoTransform"]
        assert p["proj:transform"] == pytest.approx([gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]])
    assert items["utm.tif"]["properties"]["proj:epsg"] == 32633
    assert items["u16.tif"]["properties"]["proj:epsg"] == 3857
    # across the antimeridian: the bbox has west > east and the footprint is its two halves
    dl = items["dateline.tif"]
    assert dl["bbox"] == pytest.approx([170, 0, -170, 10])
    assert dl["geometry"]["type"] == "MultiPolygon"
    assert sorted(round(p[0]) for p in dl["geometry"]["coordinates"][0][0]) == [170, 170, 170, 180, 180]
    # the UTM scene's edges curve: the footprint is not its bbox
    ring = items["utm.tif"]["geometry"]["coordinates"][0]
    assert len({round(p[0], 6) for p in ring}) > 8


def test_datetimes_and_their_sources(scenes):
    s, items = scenes
    u = items["utm.tif"]
    assert u["id"] == "S2B_utm_scene"  # the sidecar's id
    assert u["properties"]["datetime"] == "2020-07-04T10:15:00Z"
    assert u["properties"]["cartouche:datetime_source"] == "sidecar"
    assert u["properties"]["eo:cloud_cover"] == 12.5 and u["properties"]["platform"] == "sentinel-2b"
    assert u["properties"]["cartouche:layer"] == "imagery"  # reserved: not the sidecar's
    # values STAC would refuse are left out (the Item stays valid)
    assert "gsd" not in u["properties"] and "instruments" not in u["properties"]
    assert "https://stac-extensions.github.io/eo/v1.0.0/schema.json" in u["stac_extensions"]
    t = items["u16.tif"]["properties"]
    assert t["datetime"] == "2021-06-01T10:20:30Z"
    assert t["cartouche:datetime_source"] == "TIFFTAG_DATETIME"
    assert items["cog.tif"]["properties"]["cartouche:datetime_source"] == "file-mtime"
    if "tile.jp2" in items:
        j = items["tile.jp2"]
        assert j["id"] == "jp2-scene"
        assert j["properties"]["start_datetime"] == "2019-03-01T00:00:00Z"
        assert j["properties"]["end_datetime"] == "2019-03-31T23:59:59Z"


def test_bands_and_media_types(scenes, folder):
    s, items = scenes
    d, _ = folder
    assert [b["data_type"] for b in items["u16.tif"]["properties"]["raster:bands"]] == ["uint16"] * 3
    assert [b["data_type"] for b in items["utm.tif"]["properties"]["raster:bands"]] == ["uint8"] * 4
    cog = items["cog.tif"]["assets"]["data"]
    assert cog["type"] == "image/tiff; application=geotiff; profile=cloud-optimized"
    assert items["u16.tif"]["assets"]["data"]["type"] == "image/tiff; application=geotiff"
    for rel, f in items.items():
        r = s.get(f["assets"]["data"]["href"])
        assert r.status_code == 200 and r.content == (d / rel).read_bytes(), rel
        assert r.headers["Content-Type"] == f["assets"]["data"]["type"]
        assert f["assets"]["data"]["href"].endswith("/original." + rel.rsplit(".", 1)[1])
    if "tile.jp2" in items:
        assert items["tile.jp2"]["assets"]["data"]["type"] == "image/jp2"
    # the PNG's georeferencing files are served next to it, named as GDAL looks for them
    w = items["sub/world.png"]
    assert w["id"] == "sub.world"
    assert w["assets"]["data"]["type"] == "image/png"
    assert s.get(w["assets"]["worldfile"]["href"]).content == (d / "sub" / "world.wld").read_bytes()
    assert w["assets"]["worldfile"]["href"].endswith("/original.wld")
    assert w["properties"]["proj:epsg"] is None and "projection" not in w["assets"]
    assert s.get(f"/v1/scenes/{w['id']}/original.tif").status_code == 404
    r = s.get(w["assets"]["data"]["href"], headers={"If-None-Match": s.get(
        w["assets"]["data"]["href"]).headers["ETag"]})
    assert r.status_code == 304


def test_originals_are_read_in_parts(scenes, folder):
    """A COG is read by GIS clients with byte ranges: GDAL's /vsicurl/ opens the data asset and
    reads the same pixels as the local file."""
    s, items = scenes
    d, _ = folder
    href = items["cog.tif"]["assets"]["data"]["href"]
    whole = (d / "cog.tif").read_bytes()
    r = s.get(href, headers={"Range": "bytes=100-1099"})
    assert r.status_code == 206 and r.content == whole[100:1100]
    assert r.headers["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    r = s.get(href, headers={"Range": "bytes=-10"})
    assert r.status_code == 206 and r.content == whole[-10:]
    r = s.get(href, headers={"Range": f"bytes={len(whole)}-"})
    assert r.status_code == 416 and r.headers["Content-Range"] == f"bytes */{len(whole)}"
    r = s.get(href, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert r.status_code == 200 and r.content == whole  # If-Range no longer current: all of it
    r = s.get(href, headers={"Range": "bytes=0-9,20-29"})
    assert r.status_code == 200 and r.headers["Accept-Ranges"] == "bytes"
    env = dict(os.environ, GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR", CPL_VSIL_CURL_USE_HEAD="NO")
    remote = subprocess.run(["gdalinfo", "-json", "-checksum", f"/vsicurl/{s.url}{href}"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert remote.returncode == 0, remote.stderr
    local = gdalinfo(d / "cog.tif")
    j = json.loads(remote.stdout)
    assert j["size"] == local["size"] and j["geoTransform"] == local["geoTransform"]
    from osgeo import gdal
    ds = gdal.Open(str(d / "cog.tif"))
    assert [b["checksum"] for b in j["bands"]] == [
        ds.GetRasterBand(i + 1).Checksum() for i in range(ds.RasterCount)]


def test_gdal_stacit_reads_a_search(folder, tmp_path):
    """GDAL's STACIT driver, a real STAC client, mosaics what a search finds from the data assets
    (absolute links: --public-url)."""
    d, _ = folder
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "srv.log", "wb")
    p = subprocess.Popen([BIN, "--listen", f"127.0.0.1:{port}", "--scenes", str(d), "--public-url",
                          url, "--db-path", str(tmp_path / "u.db")], stdout=log,
                         stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if requests.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        out = subprocess.run(
            ["gdalinfo", "-json", "-checksum",
             f'STACIT:"{url}/v1/stac/search?collections=imagery&ids=u16":asset=data'],
            capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        j = json.loads(out.stdout)
        local = gdalinfo(d / "u16.tif")
        assert j["size"] == local["size"]
        assert j["geoTransform"] == pytest.approx(local["geoTransform"])
        from osgeo import gdal
        ds = gdal.Open(str(d / "u16.tif"))
        assert [b["checksum"] for b in j["bands"]] == [
            ds.GetRasterBand(i + 1).Checksum() for i in range(ds.RasterCount)]
    finally:
        p.terminate()
        p.wait(20)
        log.close()


def test_previews_are_the_files_pixels(scenes, folder, tmp_path):
    s, items = scenes
    d, _ = folder
    for rel, f in items.items():
        p = f["properties"]
        r = s.get(f["assets"]["preview"]["href"])
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
        assert f["assets"]["preview"]["href"] == f"/v1/scenes/{f['id']}/preview.png"
        mine = rgba(r.content)
        info = gdalinfo(d / rel)
        W, H = info["size"]
        # the file's own grid, 512 on its longer side (smaller files as they are)
        k = min(1.0, 512 / max(W, H))
        pw, ph = round(W * k), round(H * k)
        assert mine.shape[:2] == (ph, pw), rel
        stretch = p.get("cartouche:stretch")
        ref = reference(d / rel, pw, ph, tmp_path / "ref.tif",
                        (stretch["low"], stretch["high"]) if stretch else None)
        assert psnr(mine, ref) > 30, rel
        opaque = mine[:, :, 3] >= 128
        assert ((mine[:, :, 3] == 0) == (ref[:, :, 3] == 0)).mean() > 0.98, rel
        assert np.abs(mine[:, :, :3][opaque].mean(axis=0) - p["cartouche:mean_rgb"]).max() < 0.5
        assert p["cartouche:coverage"] == pytest.approx(opaque.mean(), abs=1e-6)
        # thumbnails are rendered from it on black, any width up to 512, keeping its shape
        on_black = (mine[:, :, :3] * mine[:, :, 3:] / 255).mean(axis=(0, 1))
        th = s.get(f["assets"]["thumbnail"]["href"])
        jpg = Image.open(io.BytesIO(th.content))
        assert jpg.format == "JPEG" and jpg.size == (256, round(256 * ph / pw)), rel
        assert np.abs(np.asarray(jpg.convert("RGB")).mean(axis=(0, 1)) - on_black).max() < 4, rel
        png = rgba(s.get(f"/v1/scenes/{f['id']}/thumbnail.png?w={pw}").content)
        assert psnr(png, np.dstack([mine[:, :, :3] * mine[:, :, 3:] / 255,
                                    np.full((ph, pw), 255.0)])) > 35, rel
    # UTM: the corners outside the rotated grid are transparent, as GDAL's alpha says
    assert 0.6 < items["utm.tif"]["properties"]["cartouche:coverage"] < 0.95
    assert s.get("/v1/scenes/S2B_utm_scene/thumbnail.gif").status_code == 404
    assert s.get("/v1/scenes/S2B_utm_scene/thumbnail.png?w=9000").status_code == 400


def test_16bit_stretch_is_the_percentiles(scenes, folder):
    s, items = scenes
    d, _ = folder
    st = items["u16.tif"]["properties"]["cartouche:stretch"]
    assert st["percentiles"] == [2, 98]
    from osgeo import gdal
    a = gdal.Open(str(d / "u16.tif")).ReadAsArray().astype(float)
    for band, lo, hi in zip(a, st["low"], st["high"]):
        want_lo, want_hi = np.percentile(band, 2), np.percentile(band, 98)
        assert abs(lo - want_lo) < 0.01 * 3700 and abs(hi - want_hi) < 0.01 * 3700


# ---- search ---------------------------------------------------------------------------------

def test_search_by_place_and_time(scenes):
    s, items = scenes
    ours = {f["id"] for f in items.values()}

    def found(path):
        r = s.get(path)
        assert r.status_code == 200, r.text
        return {f["id"] for f in r.json()["features"]} & ours

    # where every footprint overlaps (around Gdańsk), a box finds them all
    europe = {k: f for k, f in items.items() if k != "dateline.tif"}
    w = max(f["bbox"][0] for f in europe.values()); e = min(f["bbox"][2] for f in europe.values())
    s_ = max(f["bbox"][1] for f in europe.values()); n = min(f["bbox"][3] for f in europe.values())
    assert w < e and s_ < n
    assert found(f"/v1/stac/search?bbox={w + 0.1},{s_ + 0.1},{e - 0.1},{n - 0.1}&limit=100") == (
        ours - {items["dateline.tif"]["id"]})
    # the antimeridian scene from either side of it, and from a box across it
    for b in ("175,1,179,2", "-179,1,-175,2", "179,1,-179,2"):
        assert items["dateline.tif"]["id"] in found(f"/v1/stac/search?bbox={b}&limit=100"), b
    assert found("/v1/stac/search?bbox=-70,-30,-60,-20&limit=100") == set()  # South America
    # the PNG is a crop (about 12-28.5 E, 50-62.5 N): a box west of it does not find it
    world = items["sub/world.png"]
    assert 12 < world["bbox"][0] < world["bbox"][2] < 29
    assert "sub.world" not in found("/v1/stac/search?bbox=1,41,4,44&limit=100")
    assert "u16" in found("/v1/stac/search?bbox=1,41,4,44&limit=100")
    assert found("/v1/stac/search?datetime=2021-06-01T00:00:00Z/2021-06-02T00:00:00Z"
                 "&limit=100") == {items["u16.tif"]["id"]}
    assert found("/v1/stac/search?datetime=2020-07-04T10:15:00Z&limit=100") == {"S2B_utm_scene"}
    if "tile.jp2" in items:  # inside the interval, not at its ends
        assert "jp2-scene" in found("/v1/stac/search?datetime=2019-03-15T00:00:00Z&limit=100")
    r = requests.post(s.url + "/v1/stac/search", timeout=30, json={
        "collections": ["imagery"], "ids": ["S2B_utm_scene", "u16"],
        "intersects": {"type": "Point", "coordinates": [(w + e) / 2, (s_ + n) / 2]},
        "sortby": [{"field": "properties.datetime", "direction": "desc"}],
        "fields": {"include": ["id", "properties.cartouche:datetime_source"]}})
    assert r.status_code == 200, r.text
    j = r.json()
    assert [f["id"] for f in j["features"]] == ["u16", "S2B_utm_scene"]
    assert j["features"][0]["properties"]["cartouche:datetime_source"] == "TIFFTAG_DATETIME"
    r = requests.post(s.url + "/v1/stac/search", timeout=30, json={
        "bbox": [1, 41, 4, 44], "datetime": "2021-01-01T00:00:00Z/..", "limit": 100})
    j = r.json()
    assert r.status_code == 200 and {f["id"] for f in j["features"]} & ours == {"u16"}
    assert_valid(("itemcollection", j))


def test_search_meets_the_footprint_not_its_bbox(scenes):
    """A UTM scene fills about 3/4 of its bbox: bbox and intersects test the footprint itself,
    as shapely does."""
    from shapely.geometry import Point, box, shape
    s, items = scenes
    utm = items["utm.tif"]
    poly = shape(utm["geometry"])
    w, so, e, n = utm["bbox"]
    corner = Point(w + 0.3, n - 0.3)
    assert not poly.intersects(corner) and box(*utm["bbox"]).contains(corner)

    def ids_get(q):
        return {f["id"] for f in s.get(f"/v1/stac/search?collections=imagery&limit=100&{q}").json()["features"]}

    def ids_post(g):
        r = requests.post(s.url + "/v1/stac/search", timeout=30,
                          json={"collections": ["imagery"], "limit": 100, "intersects": g})
        assert r.status_code == 200, r.text
        return {f["id"] for f in r.json()["features"]}

    assert "S2B_utm_scene" not in ids_post({"type": "Point", "coordinates": [corner.x, corner.y]})
    assert "S2B_utm_scene" not in ids_get(f"bbox={w},{n - 0.5},{w + 0.5},{n}")
    inside = poly.representative_point()
    assert "S2B_utm_scene" in ids_post({"type": "Point", "coordinates": [inside.x, inside.y]})
    # boxes over the whole area: the server and shapely agree on every file scene
    import random
    rnd = random.Random(7)
    for _ in range(12):
        x, y = rnd.uniform(-16, 62), rnd.uniform(36, 68)
        b = (x, y, x + rnd.uniform(0.2, 4), y + rnd.uniform(0.2, 3))
        want = {f["id"] for k, f in items.items()
                if k != "dateline.tif" and shape(f["geometry"]).intersects(box(*b))}
        assert ids_get("bbox=" + ",".join(f"{v:.4f}" for v in b)) == want, b
        ring = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]
        assert ids_post({"type": "Polygon", "coordinates": [ring]}) == want, b


def test_paging_through_the_collection(scenes):
    s, items = scenes
    path, seen = "/v1/stac/collections/imagery/items?limit=2&sortby=id", []
    while path:
        page = s.get(path).json()
        assert_valid(("itemcollection", page))
        seen += [f["id"] for f in page["features"]]
        nxt = rels(page).get("next")
        path = nxt[0]["href"] if nxt else None
    assert seen == sorted(f["id"] for f in items.values())


# ---- what the server does with a stale or missing index --------------------------------------

def test_changed_files_are_skipped_until_indexed_again(tmp_path, folder):
    src, _ = folder
    d = tmp_path / "copy"
    shutil.copytree(src, d)  # mtimes kept: the copy's index holds
    s = Server("--scenes", str(d), tmp=str(tmp_path))
    try:
        got = s.get("/v1/stac/collections/copy/items?limit=100").json()["features"]
        n = len(got)
        href = [f for f in got if f["properties"]["cartouche:file"] == "cog.tif"][0]["assets"]["data"]["href"]
        assert s.get(href).status_code == 200
        with open(d / "cog.tif", "ab") as f:  # changed while served: refused, not sent half
            f.write(b"\0" * 16)
        r = s.get(href)
        assert r.status_code == 404 and "changed" in r.json()["error"]["message"]
    finally:
        s.stop()
    assert n >= 5
    s = Server("--scenes", str(d), tmp=str(tmp_path))
    try:
        got = s.get("/v1/stac/collections/copy/items?limit=100").json()["features"]
        assert len(got) == n - 1 and "cog.tif" not in {f["properties"]["cartouche:file"] for f in got}
        assert "cog.tif skipped: changed since it was indexed" in s.logtext()
    finally:
        s.stop()
    out = index(d)
    assert out.returncode == 0 and f"({n - 1} unchanged)" in out.stderr


def test_folder_without_index_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    out = subprocess.run([BIN, "--listen", "127.0.0.1:0", "--scenes", str(tmp_path / "empty")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "cartouche scenes index" in out.stderr
    out = subprocess.run([BIN, "--scenes", str(tmp_path / "nope")], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode != 0 and "not a folder" in out.stderr
