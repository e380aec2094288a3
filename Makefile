# ipcscope — plain Makefile. See README.md.
#
#   make            build ./ipcscope
#   make deps       install missing Debian packages (idempotent)
#   make run        deps, build, open the main job on the pool_callback scenario
#   make test       unit tests (cmocka) + scenario / runtime / UI tests
#   make asan       the tests under AddressSanitizer + UBSan (build/asan)
#   make bench      side-by-side benchmarks (not part of make test)
#   make fuzz       libFuzzer targets in fuzz/ (clang), FUZZ_SECONDS each
#   make valgrind   every bundled scenario headless under valgrind memcheck
#   make load       1,000 processes, 1M queue messages, 100k pool tasks (tests/load)
#   make install PREFIX=/usr/local DESTDIR=
#   make WERROR=1   warnings are errors

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g

PKGS := ncursesw libproc2 inih jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wwrite-strings -Wformat=2 -Wundef -Wcast-qual \
        -Wmissing-noreturn -Winit-self -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif

VERSION := 0.1.0
override CPPFLAGS += -D_GNU_SOURCE -DINI_HANDLER_LINENO=1 -Isrc -Iui \
                     -DIPCSCOPE_VERSION='"$(VERSION)"' \
                     -DIPCSCOPE_DATADIR='"$(PREFIX)/share/ipcscope"'
override CFLAGS += -std=c11 -pthread $(WARN) -MMD -MP $(PKG_CFLAGS) $(SANFLAGS)
override LDFLAGS += -pthread $(SANFLAGS)
LDLIBS := $(PKG_LIBS) -lm

CMD_SRC    := src/main.c $(sort $(wildcard src/cmd/*.c))
ENGINE_SRC := $(filter-out $(CMD_SRC),$(sort $(wildcard src/*.c src/*/*.c)))
UI_SRC     := $(sort $(wildcard ui/*.c))
TEST_SRC   := $(sort $(wildcard tests/unit/test_*.c))
TEST_HELP  := $(filter-out $(TEST_SRC),$(sort $(wildcard tests/unit/*.c)))

ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ     := $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ   := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_BIN   := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HOBJ  := $(TEST_HELP:%.c=$(BUILD)/%.o)
ENGINE_LIB := $(BUILD)/libipcscope_engine.a

ifeq ($(BUILD),build)
BIN := ipcscope
else
BIN := $(BUILD)/ipcscope
endif

.PHONY: all deps run test test-run unit check-tests asan bench fuzz fuzz-build valgrind load install uninstall clean FORCE
all: $(BIN)

$(BIN): $(MAIN_OBJ) $(UI_OBJ) $(ENGINE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(UI_OBJ) $(ENGINE_LIB) $(LDLIBS)

$(ENGINE_LIB): $(ENGINE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The installed-data folder is compiled in: rebuild its user when PREFIX
# changes (make install PREFIX=/tmp/x after a plain make).
$(BUILD)/.prefix: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
$(BUILD)/src/scenario/resolve.o: $(BUILD)/.prefix

# The engine must build without curses: ui/ is the only user of <curses.h>.
$(ENGINE_OBJ): override CPPFLAGS += -DIPCSCOPE_ENGINE

$(BUILD)/tests/%: tests/unit/%.c $(TEST_HOBJ) $(ENGINE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_HOBJ) $(ENGINE_LIB) $(TEST_LIBS) $(LDLIBS)

deps:
	@sh tools/deps.sh

# deps first, then a fresh make: pkg-config flags are computed when the
# Makefile is read, so they must be read after the packages are installed.
run:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory all
	./$(BIN) pool_callback

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "== $$t"; ./$$t || fail=1; \
	done; exit $$fail

test:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory test-run

test-run: all unit
	@IPCSCOPE=$(abspath $(BIN)) sh tests/run.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# libFuzzer (clang + libclang-rt-14-dev): the engine built with coverage
# and ASan + UBSan, one binary per fuzz/fuzz_*.c, each run FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRC     := $(sort $(wildcard fuzz/fuzz_*.c))
ifeq ($(wildcard src/trace/reader.h),)
FUZZ_SRC     := $(filter-out fuzz/fuzz_trace.c,$(FUZZ_SRC))   # the reader is not here yet
endif
FUZZ_BIN     := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANFLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined" fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_SRC:fuzz/%.c=build/fuzz/fuzz/%)

fuzz-build: $(FUZZ_BIN)

$(BUILD)/fuzz/%: fuzz/%.c $(ENGINE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(ENGINE_LIB) $(LDLIBS)

# The load test: every message and task accounted for, the dashboard's keys.
load: all
	@IPCSCOPE=$(abspath $(BIN)) sh tests/load/run.sh

# valgrind memcheck over every bundled scenario, headless (tests/valgrind.sh).
valgrind: all
	@IPCSCOPE=$(abspath $(BIN)) sh tests/valgrind.sh

bench:
	@$(MAKE) --no-print-directory BUILD=build/bench CFLAGS="-O2 -g -DNDEBUG" all
	@sh bench/run.sh build/bench/ipcscope

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ipcscope/scenarios \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ipcscope
	install -m 644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/ipcscope/scenarios/
	if [ -f docs/ipcscope.1 ]; then install -m 644 docs/ipcscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ipcscope $(DESTDIR)$(PREFIX)/share/man/man1/ipcscope.1
	rm -rf $(DESTDIR)$(PREFIX)/share/ipcscope

clean:
	rm -rf build ipcscope

-include $(ENGINE_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
