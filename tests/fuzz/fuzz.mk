# tests/fuzz/fuzz.mk — builds the libFuzzer targets with clang into build-fuzz/ (run from the
# repository root: make -f tests/fuzz/fuzz.mk -j2). Every src/**.c and tools/bake/*.c except main.c is compiled
# once with coverage instrumentation + ASan + UBSan into an archive, so each target links only
# the objects it needs; targets are tests/fuzz/fuzz_*.c.

FUZZ_CC   ?= clang
FUZZ_OUT  ?= build-fuzz
PKGS      := cairo cairo-ft cairo-pdf freetype2 harfbuzz fribidi libpng libturbojpeg libjpeg libevent \
             libevent_pthreads jansson expat sqlite3 libmemcached libarchive nettle
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FCFLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter -Isrc -Itools \
             $(shell pkg-config --cflags $(PKGS)) $(SAN)
FLIBS     := $(shell pkg-config --libs $(PKGS)) -lpthread -lm

SRCS      := $(filter-out src/main.c,$(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c tools/bake/*.c)))
OBJS      := $(SRCS:%.c=$(FUZZ_OUT)/%.o)
LIB       := $(FUZZ_OUT)/libcartouche-fuzz.a
TARGETS   := $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

all: $(TARGETS)

$(FUZZ_OUT)/%.o: %.c $(wildcard src/*.h src/*/*.h src/*/*/*.h tools/bake/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(LIB): $(OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(LIB)
	$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(FLIBS)

.PHONY: all
