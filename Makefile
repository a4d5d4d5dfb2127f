# qpc — GNU make build.  `make run` and `make check` are all a new machine needs.
#
# Objects go under $(BUILD) (default build/); the sanitizer build lives in
# build/asan/.  Missing Debian packages are installed on first use: `make
# run` (and any build) installs only what building and running need, `make
# check`, `make lint` and the other test targets the test tools as well.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
# shell completion, where bash-completion and Debian's zsh look for it
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
DESTDIR  ?=
BUILD    ?= build
VERSION  := 0.1.0

CC       ?= cc
ifeq ($(origin CC),default)
CC       := cc
endif
PKG_CONFIG ?= pkg-config

# Packages by Debian name: what building and running qpc needs, and what
# its tests, sanitizers, fuzzers and linters add.
RUN_PACKAGES  := build-essential pkg-config libncurses-dev libsqlite3-dev libcsv-dev libpq-dev
TEST_PACKAGES := valgrind check tmux sqlite3 clang libclang-rt-dev cppcheck clang-tidy \
                 postgresql postgresql-contrib
DEB_PACKAGES  := $(RUN_PACKAGES) $(TEST_PACKAGES)

# Evaluated lazily (=), so that pkg-config runs after the packages exist.
# Check is asked apart: building qpc must not need a test package (pkg-config
# prints nothing at all when one package of several is missing).
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw sqlite3 libpq 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs ncursesw sqlite3 libpq 2>/dev/null) -lcsv -lm -pthread
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wundef
OPT      ?= -O2 -g
SAN      ?=
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DQPC_VERSION='"$(VERSION)"'
ALL_CFLAGS = -std=c11 $(WARN) $(OPT) $(SAN) $(CFLAGS) $(PKG_CFLAGS) -pthread -MMD -MP
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard src/core/*.c src/store/*.c src/io/*.c src/tui/*.c \
                              src/cli/cmd_*.c src/cli/cli_*.c data/*.c))
MAIN_SRC := src/cli/main.c
TEST_SRC := $(sort $(wildcard tests/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libqpc.a
BIN      := $(BUILD)/qpc
TEST_BIN := $(BUILD)/check_qpc
DEPS_RUN_OK := build/.deps-run-ok
DEPS_OK  := build/.deps-ok
DEPS_DEB_OK := build/.deps-deb-ok

DEMO_DB  ?= $(BUILD)/demo.db

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all run check check-unit check-cli check-cli-pg check-tui check-tui-pg check-pg check-asan check-valgrind bench install \
  asan-build check-asan-unit check-asan-cli check-asan-tui check-asan-pg \
        uninstall clean deps deps-run demo demo-db deb check-deb
.PHONY: bench-tools fuzz fuzz-build fuzz-smoke
.PHONY: stress lint cppcheck tidy fold-table
.DEFAULT_GOAL := all

all: $(BIN)

# --- dependencies --------------------------------------------------------
# Installs what is missing with apt-get (through sudo when not root).  When
# that is impossible it stops and prints the exact command to run.  Two
# stamps: $(DEPS_RUN_OK) for building and running (every object waits for
# it), $(DEPS_OK) for the tests and tools (their targets wait for it).
deps: $(DEPS_OK)
deps-run: $(DEPS_RUN_OK)
$(DEPS_RUN_OK): PACKAGES = $(RUN_PACKAGES)
$(DEPS_OK): PACKAGES = $(DEB_PACKAGES)
$(DEPS_RUN_OK) $(DEPS_OK) $(DEPS_DEB_OK):
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "qpc: installing missing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "qpc: cannot install packages; run as root:"; \
	       echo "    apt-get update && apt-get install -y$$missing"; exit 1; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "qpc: apt-get not found; install the equivalents of:$$missing"; exit 1; fi; \
	  { $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing; } \
	  || { echo "qpc: package install failed; run:"; \
	       echo "    sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; }; \
	fi
	@mkdir -p $(@D) && touch $@

# --- build ---------------------------------------------------------------
$(BUILD)/%.o: %.c | $(DEPS_RUN_OK)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# the unit tests include Check's header
$(TEST_OBJ): | $(DEPS_OK)
$(TEST_OBJ): ALL_CFLAGS += $(CHECK_CFLAGS)

$(TEST_BIN): $(TEST_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

# --- run -----------------------------------------------------------------
# `make run` opens the dashboard on the demo database, made the first time
# and kept after: what you edit in it is there the next time.  `make demo`
# throws it away and makes a fresh one.
demo: $(BIN)
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN) --db $(DEMO_DB) init --demo

demo-db: $(BIN)
	@if [ ! -f $(DEMO_DB) ]; then $(BIN) --db $(DEMO_DB) init --demo; \
	else echo "qpc: opening $(DEMO_DB) as it was left ('make demo' makes a fresh one)"; fi

run: demo-db
	$(BIN) --db $(DEMO_DB)

# --- tests ---------------------------------------------------------------
# Every test runs twice: a normal build and an ASan+UBSan build.  The test
# tools (tmux, sqlite3, valgrind...) are installed before any test runs.
ASAN_CHECKS := check-asan-unit check-asan-cli check-asan-tui check-asan-pg
check check-unit check-cli check-cli-pg check-tui check-tui-pg check-pg check-valgrind check-asan \
  asan-build $(ASAN_CHECKS) stress bench: | $(DEPS_OK)
# After the unit and CLI tests (quick to fail), every other suite shares
# the cores, three at a time (the dashboard's suites wait on the screen
# much of the time), the longest first: a suite that ends leaves its slot
# to the next, where steps of fixed pairs left a core idle for minutes.
CHECK_REST := check-asan-tui check-tui-pg check-asan-cli check-cli-pg check-tui \
  check-asan-pg check-asan-unit check-pg
check: $(BIN) $(TEST_BIN)
	$(MAKE) --no-print-directory check-unit check-cli
	$(MAKE) --no-print-directory --output-sync=target -j3 $(CHECK_REST)

check-unit: $(TEST_BIN)
	CK_DEFAULT_TIMEOUT=60 $(TEST_BIN)

check-cli: $(BIN)
	QPC=$(abspath $(BIN)) sh tests/cli/run.sh

# The same tests against a team server, each database they name a
# database of its own there; their checks of files and of SQLite alone
# run on a file only.  (In the normal build: the server's own suite runs
# under the sanitizers too.)
check-cli-pg: $(BIN)
	QPC=$(abspath $(BIN)) sh tests/cli/server.sh

check-tui: $(BIN)
	@if [ -x tests/tui/run.sh ] || [ -f tests/tui/run.sh ]; then \
	  QPC=$(abspath $(BIN)) sh tests/tui/run.sh; fi

# The dashboard's tests against a team server, as check-cli-pg does for
# the command line's; cases about a file alone say so and are skipped.
check-tui-pg: $(BIN)
	QPC=$(abspath $(BIN)) sh tests/tui/server.sh

# The team server: a throwaway PostgreSQL cluster in a temporary folder
# (tests/pg/cluster.sh; the server runs as a non-root user), stopped
# however the tests end.
check-pg: $(BIN)
	QPC=$(abspath $(BIN)) sh tests/pg/run.sh

# The unit tests under Valgrind's memcheck, unforked so that it sees them
# all: any error or definite leak fails the run.  (CI: .ci/run.)
check-valgrind: $(TEST_BIN)
	CK_FORK=no CK_DEFAULT_TIMEOUT=1200 QPC_CHECK_SAMPLE=1 valgrind --quiet --error-exitcode=99 \
	  --leak-check=full --show-leak-kinds=definite,indirect \
	  --errors-for-leak-kinds=definite,indirect $(TEST_BIN)

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=24
ASAN_MAKE := $(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" SAN="$(SAN_FLAGS)"
# The unit, CLI, dashboard and server suites in the ASan+UBSan build
# (build/asan), each a target of its own so that make check can share
# them out.  The unit tests run unforked, as under Valgrind: a forked
# test's exit under ASan is a leak check of its own, and 374 of them took
# half the run.
check-asan: $(ASAN_CHECKS)
asan-build:
	+$(ASAN_MAKE) build/asan/qpc build/asan/check_qpc
check-asan-unit: asan-build
	$(ASAN_ENV) CK_FORK=no $(ASAN_MAKE) check-unit
check-asan-cli: asan-build
	$(ASAN_ENV) $(ASAN_MAKE) check-cli
check-asan-tui: asan-build
	$(ASAN_ENV) $(ASAN_MAKE) check-tui
check-asan-pg: asan-build
	$(ASAN_ENV) $(ASAN_MAKE) check-pg

# --- stress --------------------------------------------------------------
# Minutes, not seconds (tests/stress/run.sh): imports and edits killed at
# random moments, eight processes on one file at once, a full disk.  Knobs
# such as STRESS_SEED and STRESS_PARTS are listed at the top of the script.
stress: $(BIN)
	QPC=$(abspath $(BIN)) sh tests/stress/run.sh

# --- bench ---------------------------------------------------------------
bench: $(BIN)
	@if [ -f bench/run.sh ]; then QPC=$(abspath $(BIN)) BUILD=$(BUILD) sh bench/run.sh; \
	else echo "no benchmarks yet"; fi

# Helpers the benchmarks run, built with the project's flags: a data
# generator, a timer that reports peak memory (wait4), and csvscan, which
# times qpc's CSV reader alone (the work of an import's reading thread).
BENCH_TOOLS := $(BUILD)/bench/gen_accounts $(BUILD)/bench/runstat $(BUILD)/bench/csvscan
bench-tools: $(BENCH_TOOLS)
bench: $(BENCH_TOOLS)
$(BUILD)/bench/gen_accounts $(BUILD)/bench/runstat: $(BUILD)/bench/%: $(BUILD)/bench/%.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $<
$(BUILD)/bench/csvscan: $(BUILD)/bench/csvscan.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The dashboard's benchmark (bench/bench_tui.sh, and bench_time.sh reads
# the same database): a generator of a large database, linked with the
# library to compute what qpc's writes keep, and a driver that times the
# real views headless.
TUI_BENCH_TOOLS := $(BUILD)/bench/tui_gen $(BUILD)/bench/tui_drive
bench-tools: $(TUI_BENCH_TOOLS)
bench: $(TUI_BENCH_TOOLS)
$(BUILD)/bench/tui_gen: $(BUILD)/bench/tui_gen.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/bench/tui_drive: $(BUILD)/bench/tui_drive.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lutil

# --- fuzz ----------------------------------------------------------------
# libFuzzer targets (tests/fuzz/fuzz_<name>.c) over the parsing code, the
# command line and the migrations on damaged databases, built with clang
# and ASan+UBSan into $(BUILD)/fuzz/.  `make fuzz` runs each for
# FUZZ_SECONDS, `make fuzz-smoke` (CI) for FUZZ_SMOKE_SECONDS.  Each starts
# from its checked-in seeds (tests/fuzz/corpus/<name>/, never written to)
# and from what earlier runs found ($(BUILD)/fuzz/corpus/<name>/); a crash
# or a broken invariant fails the run and leaves the input in
# $(BUILD)/fuzz/crash-<name>-*.  Replay one: $(BUILD)/fuzz/fuzz_<name> FILE.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_PARSER_NAMES  := csvread amount dateparse textenc
# These two run the whole program (the command line; opening and migrating
# the store), linked with all of qpc built for fuzzing.  They work in a
# scratch folder under $FUZZ_TMPDIR, else /dev/shm, else /tmp.
FUZZ_FULL_NAMES    := cli migrate
FUZZ_NAMES         := $(FUZZ_PARSER_NAMES) $(FUZZ_FULL_NAMES)
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=all \
                      -fno-omit-frame-pointer
FUZZ_CFLAGS         = -std=c11 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                      $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
FUZZ_LIB_SRC       := src/core/error.c src/core/money.c src/core/date.c src/io/textenc.c \
                      src/io/csvread.c src/io/csvwrite.c src/io/amount.c src/io/dateparse.c
FUZZ_LIB_OBJ       := $(FUZZ_LIB_SRC:%.c=$(BUILD)/fuzz/%.o)
FUZZ_FULL_LIB      := $(BUILD)/fuzz/libqpc.a
FUZZ_FULL_OBJ      := $(LIB_SRC:%.c=$(BUILD)/fuzz/%.o)
FUZZ_PARSER_BINS   := $(FUZZ_PARSER_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_FULL_BINS     := $(FUZZ_FULL_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_BINS          := $(FUZZ_PARSER_BINS) $(FUZZ_FULL_BINS)
FUZZ_RUNS          := $(FUZZ_NAMES:%=fuzz-run-%)
FUZZ_TIME           = $(FUZZ_SECONDS)
# Longest input worth trying, where a target ignores longer ones.
FUZZ_MAX_LEN_amount    := 512
FUZZ_MAX_LEN_dateparse := 256
FUZZ_MAX_LEN_cli       := 512
FUZZ_MAX_LEN_migrate   := 512

$(BUILD)/fuzz/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_PARSER_BINS): $(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ -lcsv -lm

$(FUZZ_FULL_LIB): $(FUZZ_FULL_OBJ)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FUZZ_FULL_BINS): $(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/tests/fuzz/fuzz_%.o $(FUZZ_FULL_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

# fuzz_migrate builds its version-1 database from the fixture.
$(BUILD)/fuzz/tests/fuzz/fuzz_migrate.o: CPPFLAGS += -DFUZZ_FIXTURES='"$(abspath tests/fixtures)"'

fuzz-build: $(FUZZ_BINS)

# One run per target (make -j2 fuzz runs two at once); the log is kept in
# $(BUILD)/fuzz/<name>.log and its last lines are shown.
.PHONY: $(FUZZ_RUNS)
$(FUZZ_RUNS): fuzz-run-%: $(BUILD)/fuzz/fuzz_%
	@mkdir -p $(BUILD)/fuzz/corpus/$*
	@echo "  FUZZ    $* for $(FUZZ_TIME) s"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(BUILD)/fuzz/fuzz_$* -max_total_time=$(FUZZ_TIME) -timeout=10 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/crash-$*- \
	  $(if $(FUZZ_MAX_LEN_$*),-max_len=$(FUZZ_MAX_LEN_$*)) \
	  $(if $(wildcard tests/fuzz/$*.dict),-dict=tests/fuzz/$*.dict) \
	  $(BUILD)/fuzz/corpus/$* tests/fuzz/corpus/$* >$(BUILD)/fuzz/$*.log 2>&1; \
	status=$$?; \
	if [ $$status -ne 0 ]; then tail -n 60 $(BUILD)/fuzz/$*.log; \
	  echo "fuzz_$*: FAILED (exit $$status); the input is in $(BUILD)/fuzz/crash-$*-*"; \
	  exit 1; fi; \
	grep -E '^#[0-9]+[[:space:]]+DONE' $(BUILD)/fuzz/$*.log | sed 's/^/  fuzz_$*: /'; \
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(BUILD)/fuzz/$*.log \
	  | sed 's/^/  fuzz_$*: /'

fuzz: FUZZ_TIME = $(FUZZ_SECONDS)
fuzz: $(FUZZ_RUNS)
fuzz-smoke: FUZZ_TIME = $(FUZZ_SMOKE_SECONDS)
fuzz-smoke: $(FUZZ_RUNS)

# --- lint ----------------------------------------------------------------
# Static analysis of every C file (the program, tests, fuzz targets and
# benchmark helpers): any finding fails the run.  `make -j2 lint` runs both.
#  - cppcheck: the options are here.  Its "style" findings are left out:
#    taste, not defects, and its value flow guesses wrong there.  -D
#    __extension__= because cppcheck does not know that GNU keyword (it
#    misreads the __int128 typedefs in src/tui/layout.c as an assignment);
#    tests/check.cfg tells it that a failed Check assertion ends the test
#    (-D__CPPCHECK__: tests/tests.h then leaves ck_assert_msg to it).
#  - clang-tidy: the checks are in .clang-tidy (and tests/.clang-tidy), each
#    left-out one with its reason.  One run per file, remembered in
#    $(BUILD)/tidy/ until the file, a header or the configuration changes.
# A false positive is suppressed where it is, with a comment saying why.
LINT_SRC := $(sort $(LIB_SRC) $(MAIN_SRC) $(TEST_SRC) $(wildcard tests/fuzz/*.c bench/*.c))
LINT_HDR := $(wildcard include/qpc/*.h src/*/*.h tests/*.h tests/fuzz/*.h)
CPPCHECK_FLAGS := --std=c11 --enable=warning,portability,performance --error-exitcode=1 \
                  --inline-suppr --library=tests/check.cfg -D__extension__= -D__CPPCHECK__ --quiet \
                  --template='{file}:{line}: {severity} ({id}): {message}'
TIDY_STAMPS := $(LINT_SRC:%.c=$(BUILD)/tidy/%.ok)

lint: cppcheck tidy

cppcheck: | $(DEPS_OK)
	@echo "  CPPCHECK $(words $(LINT_SRC)) files"
	$(Q)cppcheck $(CPPCHECK_FLAGS) $(CPPFLAGS) -j2 $(LINT_SRC)

tidy: $(TIDY_STAMPS)
	@echo "  TIDY    $(words $(LINT_SRC)) files clean"

$(TIDY_STAMPS): $(BUILD)/tidy/%.ok: %.c .clang-tidy tests/.clang-tidy $(LINT_HDR) | $(DEPS_OK)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TIDY    $<")
	$(Q)clang-tidy --quiet $< -- -std=c11 $(CPPFLAGS) $(PKG_CFLAGS) >$@.log 2>&1 \
	  || { grep -v 'warnings\? generated\.$$' $@.log; exit 1; }
	@touch $@

# --- the letters a name's sort key folds (src/core/namekey.c) --------------
# Made by Python's Unicode data; the build itself does not need Python.
fold-table:
	python3 src/core/mkfold.py >src/core/fold_table.h.new
	mv src/core/fold_table.h.new src/core/fold_table.h

# --- install -------------------------------------------------------------
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/qpc
	install -m 0644 man/qpc.1 $(DESTDIR)$(MANDIR)/man1/qpc.1
	install -m 0644 data/completion/qpc.bash $(DESTDIR)$(BASHCOMPDIR)/qpc
	install -m 0644 data/completion/_qpc $(DESTDIR)$(ZSHCOMPDIR)/_qpc

# --- a Debian package ----------------------------------------------------
# `make deb` builds build/deb/qpc_VERSION_ARCH.deb with Debian's own tools
# (dpkg-buildflags' hardening, dpkg-shlibdeps, dpkg-gencontrol, dpkg-deb)
# from data/debian/, and checks it with lintian, which must find nothing.
DEB_DIR  := $(BUILD)/deb
DEB_ROOT := $(DEB_DIR)/root
DEB_FILE  = $(DEB_DIR)/qpc_$(VERSION)_$(shell dpkg --print-architecture).deb
DEB_ENV  := DEB_BUILD_MAINT_OPTIONS=hardening=+all
$(DEPS_DEB_OK): PACKAGES = $(RUN_PACKAGES) dpkg-dev lintian

deb: $(DEPS_DEB_OK)
	@grep -q '^qpc ($(VERSION))' data/debian/changelog || \
	  { echo "qpc: data/debian/changelog has no entry for version $(VERSION)"; exit 1; }
	rm -rf $(DEB_DIR)
	$(MAKE) BUILD=$(DEB_DIR)/build OPT= \
	  CFLAGS="$$($(DEB_ENV) dpkg-buildflags --get CFLAGS) $$($(DEB_ENV) dpkg-buildflags --get CPPFLAGS)" \
	  LDFLAGS="$$($(DEB_ENV) dpkg-buildflags --get LDFLAGS)" all
	$(MAKE) BUILD=$(DEB_DIR)/build DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr install
	strip --remove-section=.comment --remove-section=.note --strip-unneeded $(DEB_ROOT)/usr/bin/qpc
	gzip -9n $(DEB_ROOT)/usr/share/man/man1/qpc.1
	install -d $(DEB_ROOT)/usr/share/doc/qpc $(DEB_DIR)/src/debian $(DEB_ROOT)/DEBIAN \
	  $(DEB_ROOT)/usr/share/lintian/overrides
	install -m 0644 data/debian/lintian-overrides $(DEB_ROOT)/usr/share/lintian/overrides/qpc
	install -m 0644 data/debian/copyright $(DEB_ROOT)/usr/share/doc/qpc/copyright
	gzip -9n <data/debian/changelog >$(DEB_ROOT)/usr/share/doc/qpc/changelog.gz
	chmod 0644 $(DEB_ROOT)/usr/share/doc/qpc/changelog.gz
	cp data/debian/control data/debian/changelog $(DEB_DIR)/src/debian/
	cd $(DEB_DIR)/src && dpkg-shlibdeps -Tdebian/substvars ../root/usr/bin/qpc && \
	  dpkg-gencontrol -pqpc -P../root -Tdebian/substvars
	cd $(DEB_ROOT) && find usr -type f | LC_ALL=C sort | xargs md5sum >DEBIAN/md5sums
	chmod 0644 $(DEB_ROOT)/DEBIAN/control $(DEB_ROOT)/DEBIAN/md5sums
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB_FILE)
	lintian -I --fail-on error,warning,info --tag-display-limit 0 $(DEB_FILE)
	@echo "qpc: built $(DEB_FILE)"

# The package as it installs: unpacked, run, its files where Debian looks.
check-deb: deb
	sh tests/check_deb.sh $(DEB_FILE)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/qpc $(DESTDIR)$(MANDIR)/man1/qpc.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/qpc $(DESTDIR)$(ZSHCOMPDIR)/_qpc

clean:
	rm -rf $(BUILD)/*.a $(BUILD)/qpc $(BUILD)/check_qpc $(BUILD)/src $(BUILD)/tests \
	       $(BUILD)/data $(BUILD)/asan $(BUILD)/bench $(BUILD)/fuzz $(BUILD)/tidy

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
-include $(BENCH_TOOLS:%=%.d) $(TUI_BENCH_TOOLS:%=%.d) $(FUZZ_FULL_OBJ:.o=.d) \
         $(FUZZ_NAMES:%=$(BUILD)/fuzz/tests/fuzz/fuzz_%.d)
