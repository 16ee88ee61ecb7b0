# duflame — hand-written GNU make. See README.md.
#   make            build/duflame
#   make check      every test (unit, CLI, browser), then again under ASan+UBSan, walker under TSan
#   make run        draw the current directory (ARGS=... to choose)
#   make bench      benchmarks against du, gdu, ncdu, bsdtar, flamegraph.pl where present
#   make fuzz       libFuzzer harnesses into build/fuzz/ (FUZZ_SECONDS=N runs each)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install missing Debian build/test dependencies (as root)
# B=DIR puts objects elsewhere (several builds side by side); SAN=asan|tsan.

B ?= build
SAN ?=
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
OPT ?= -O2 -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wimplicit-fallthrough -Wvla -Wundef
ifeq ($(CI),true)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

ARCHIVE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libarchive 2>/dev/null)
ARCHIVE_LIBS := $(shell $(PKG_CONFIG) --libs libarchive 2>/dev/null || echo -larchive)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

SAN_FLAGS :=
ifeq ($(SAN),asan)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifeq ($(SAN),tsan)
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
endif

ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude -I$(B)/gen \
              $(ARCHIVE_CFLAGS) $(OPT) $(WARN) $(SAN_FLAGS) -pthread -MMD -MP $(CFLAGS)
ALL_LDFLAGS := $(SAN_FLAGS) -pthread $(LDFLAGS)
# liblzma: arc_xz.c decodes a .tar.xz on several threads
# and, with zlib, arc_sniff.c peeks into compressed files during a scan; arc_dec.c
# decodes an outermost gzip, xz or zstd stream itself (libzstd)
LZMA_LIBS := $(shell $(PKG_CONFIG) --libs liblzma zlib libzstd 2>/dev/null || echo -llzma -lz -lzstd)
# libcrypto: image.c checks the sha256 of an image's blobs
CRYPTO_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
# libarchive and libcrypto are not linked: src/lazylib.c loads them on first
# use (their headers are still needed)
LIBS := $(LZMA_LIBS) -ldl -lm

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(B)/obj/%.o)
LIB_OBJS := $(filter-out $(B)/obj/main.o,$(OBJS))
ASSETS := $(sort $(wildcard src/assets/*.js src/assets/*.css))

# duflame-mpi: built when an MPI compiler wrapper is found (Debian:
# libopenmpi-dev, openmpi-bin); the rest of the build never needs it
MPICC ?= mpicc
HAVE_MPI := $(shell command -v $(MPICC) >/dev/null 2>&1 && echo yes)
MPI_SRCS := $(wildcard src/mpi/*.c)
MPI_OBJS := $(MPI_SRCS:src/mpi/%.c=$(B)/obj/mpi/%.o)
MPI_BIN := $(if $(HAVE_MPI),$(B)/duflame-mpi)
# the sanitizer builds leave MPI out (its own allocations are not theirs to judge)
ifneq ($(SAN),)
MPI_BIN :=
endif

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all check test test-unit test-cli test-browser test-san test-tsan run bench fuzz fuzz-run \
        install uninstall deps fmt fmt-check clean

all: $(B)/duflame $(MPI_BIN)
ifneq ($(HAVE_MPI),yes)
	@echo "duflame-mpi skipped: no MPI compiler '$(MPICC)' found (Debian: apt-get install libopenmpi-dev openmpi-bin, or make deps)"
endif

$(B)/duflame: $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(B)/duflame-mpi: $(LIB_OBJS) $(MPI_OBJS)
	$(MPICC) $(ALL_LDFLAGS) -o $@ $(LIB_OBJS) $(MPI_OBJS) $(LIBS)

$(B)/obj/mpi/%.o: src/mpi/%.c | $(B)/obj/mpi $(B)/gen/assets.i
	$(MPICC) $(ALL_CFLAGS) -Isrc/mpi -c -o $@ $<

$(B)/obj/%.o: src/%.c | $(B)/obj $(B)/gen/assets.i
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/assets.i: $(ASSETS) $(B)/tools/embed | $(B)/gen
	$(B)/tools/embed $@ $(ASSETS)

$(B)/tools/embed: tools/embed.c | $(B)/tools
	$(CC) -std=c17 -O1 -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJS) | $(B)/tests
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< $(LIB_OBJS) $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(LIBS) $(TEST_LIBS)

# test_arc writes its archives with libarchive's writer, linked as usual
$(B)/tests/test_arc: TEST_LIBS := $(ARCHIVE_LIBS)

$(B)/obj $(B)/obj/mpi $(B)/gen $(B)/tools $(B)/tests $(B)/fuzz:
	mkdir -p $@

# --- tests -------------------------------------------------------------------
check: deps-quiet
	$(MAKE) fmt-check
	$(MAKE) test
	$(MAKE) test-san
	$(MAKE) test-tsan
	$(MAKE) fuzz-run FUZZ_SECONDS=$${FUZZ_SECONDS:-20}
	@echo "make check: all suites passed"

test: test-unit test-cli test-browser

test-unit: $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

test-cli: $(B)/duflame $(MPI_BIN)
	@DUFLAME=$(abspath $(B)/duflame) DUFLAME_MPI=$(if $(MPI_BIN),$(abspath $(MPI_BIN))) tools/run-cli.sh tests/cli

test-browser: $(B)/duflame
	@DUFLAME=$(abspath $(B)/duflame) tests/browser/run.sh

# the unit and CLI suites again under ASan+UBSan, in their own build directory
test-san:
	$(MAKE) B=build/asan SAN=asan OPT="-O1 -g" test-unit test-cli

# the walker's tests under ThreadSanitizer
test-tsan:
	$(MAKE) B=build/tsan SAN=tsan OPT="-O1 -g" build/tsan/duflame $(filter %walk,$(UNIT_BINS:$(B)/%=build/tsan/%))
	@tools/run-unit.sh $(filter %walk,$(UNIT_BINS:$(B)/%=build/tsan/%))
	@DUFLAME=$(abspath build/tsan/duflame) TSAN_OPTIONS=halt_on_error=1 tools/run-cli.sh tests/cli 'scan_*'

# --- using it ----------------------------------------------------------------
run: deps-quiet $(B)/duflame
	@tools/run.sh $(B)/duflame $(ARGS)

bench: $(B)/duflame $(MPI_BIN)
	DUFLAME_MPI=$(if $(MPI_BIN),$(abspath $(MPI_BIN))) bench/run.sh $(abspath $(B)/duflame)

fuzz: | $(B)/fuzz
	$(MAKE) B=$(B)/fuzzobj CC=clang SAN=asan OPT="-O1 -g -fsanitize=fuzzer-no-link" $(LIB_OBJS:$(B)/%=$(B)/fuzzobj/%)
	@for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
	  echo "clang $$f -> $(B)/fuzz/$$n"; \
	  clang -std=c17 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude -I$(B)/fuzzobj/gen -O1 -g $(WARN) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $(B)/fuzz/$$n $$f \
	    $(LIB_OBJS:$(B)/%=$(B)/fuzzobj/%) $(LIBS) -pthread || exit 1; done

# run every harness for FUZZ_SECONDS (default 30) over its seed corpus
fuzz-run: fuzz
	@tools/run-fuzz.sh $(B)/fuzz $${FUZZ_SECONDS:-30}

install: $(B)/duflame $(MPI_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/duflame $(DESTDIR)$(BINDIR)/duflame
	$(if $(MPI_BIN),install -m 755 $(MPI_BIN) $(DESTDIR)$(BINDIR)/duflame-mpi)
	install -m 644 man/duflame.1 $(DESTDIR)$(MANDIR)/man1/duflame.1
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 completions/duflame.bash $(DESTDIR)$(BASHCOMPDIR)/duflame
	install -m 644 completions/_duflame $(DESTDIR)$(ZSHCOMPDIR)/_duflame

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/duflame $(DESTDIR)$(BINDIR)/duflame-mpi $(DESTDIR)$(MANDIR)/man1/duflame.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/duflame $(DESTDIR)$(ZSHCOMPDIR)/_duflame

deps:
	@tools/deps.sh

deps-quiet:
	@tools/deps.sh --quiet

fmt:
	clang-format -i src/*.c src/mpi/*.c src/mpi/*.h include/*.h tests/unit/*.c $(wildcard tests/fuzz/*.c) tools/*.c

fmt-check:
	clang-format --dry-run --Werror src/*.c src/mpi/*.c src/mpi/*.h include/*.h tests/unit/*.c $(wildcard tests/fuzz/*.c) tools/*.c

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(MPI_OBJS:.o=.d) $(UNIT_BINS:=.d)
