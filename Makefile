# hicard - build, test, install.
#
#   make            build ./hicard
#   make test       install missing Debian packages, build, run every test
#                   (make check: the same without the packages; JOBS=1 runs
#                   one test at a time, TESTS=tests/cli/X.test picks files)
#   make demo       install missing Debian packages, build, run the demo
#   make asan       the tests under AddressSanitizer + UBSan (SANITIZE=1)
#   make bench      benchmarks on generated data (not part of the tests)
#   make fuzz       every libFuzzer target in tests/fuzz/ for FUZZ_SECONDS
#                   (60) each, with clang; make fuzz-smoke: 30 s each (CI)
#   make bench-peers  the same jobs with DuckDB (npm) side by side
#   make install    PREFIX=/usr/local DESTDIR= : binary and man pages
#
# Objects go to build/ (build/asan/ with SANITIZE=1); cmd -> src -> lib.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O2 -g
DEBIAN_PACKAGES = gcc make pkg-config libcsv-dev libcjson-dev libigraph-dev \
		  libxxhash-dev check groff-base

ifeq ($(SANITIZE),1)
BUILD     = build/asan
SANFLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
CFLAGS   := -O1 -g
BIN       = $(BUILD)/hicard
else
BUILD     = build
SANFLAGS  =
BIN       = hicard
endif

WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wformat=2 -Wvla
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -I. \
	     -DHC_VERSION='"$(VERSION)"' $(shell pkg-config --cflags igraph 2>/dev/null)
# igraph is linked statically when Debian's libigraph.a is there, with
# --as-needed: only the parts cluster calls come along, and 4 of the 27
# shared libraries its .so pulls in (BLAS, GLPK, ICU, libxml2, ...), which
# cost every start of hicard 17 ms (and under valgrind a second).  Its
# dependencies are named by soname where the -dev symlink is missing; if
# any cannot be found, the shared library is used.
IGRAPH_LIBDIR := $(shell pkg-config --variable=libdir igraph 2>/dev/null)
IGRAPH_A      := $(wildcard $(IGRAPH_LIBDIR)/libigraph.a)
igraph_dep     = $(if $(wildcard $(IGRAPH_LIBDIR)/lib$1.so),-l$1,$(addprefix -l:,$(notdir \
		 $(firstword $(wildcard $(IGRAPH_LIBDIR)/lib$1.so.*)))))
IGRAPH_DEPN   := $(sort $(patsubst -l%,%,$(filter-out -ligraph,$(filter -l%,\
		 $(shell pkg-config --libs --static igraph 2>/dev/null)))))
IGRAPH_DEPS   := $(foreach l,$(IGRAPH_DEPN),$(call igraph_dep,$l))
ifneq ($(and $(IGRAPH_A),$(filter $(words $(IGRAPH_DEPN)),$(words $(IGRAPH_DEPS)))),)
IGRAPH_LIBS   = -Wl,--as-needed $(IGRAPH_A) $(IGRAPH_DEPS) -Wl,--no-as-needed
else
IGRAPH_LIBS   = $(shell pkg-config --libs igraph 2>/dev/null || echo -ligraph)
endif
LIBS      = -lcsv -lcjson -lxxhash $(IGRAPH_LIBS) -lpthread -lm
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

LIB_SRC   = $(sort $(wildcard lib/*.c))
SRC_SRC   = $(sort $(wildcard src/*.c))
CMD_SRC   = $(sort $(wildcard cmd/*.c))
UNIT_SRC  = $(sort $(wildcard tests/unit/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)
SRC_OBJ   = $(SRC_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ   = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ  = $(UNIT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  = $(BUILD)/unit-tests
TOOLS     = $(BUILD)/gendata $(BUILD)/benchread $(BUILD)/maxrss $(BUILD)/eio.so
MAN1      = $(sort $(wildcard man/*.1))
MAN5      = $(sort $(wildcard man/*.5))

.PHONY: all deps test check unit cli demo asan bench bench-peers install \
	uninstall clean valgrind tools fuzz fuzz-smoke fuzz-build

all: $(BIN)

$(BIN): $(CMD_OBJ) $(SRC_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJ) $(SRC_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# Generators and throughput probes for tests and benchmarks.
$(BUILD)/gendata: $(BUILD)/bench/gendata.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/benchread: $(BUILD)/bench/benchread.o $(SRC_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)
# Test helpers, built without sanitizers (tests/tools/maxrss.c: peak RSS of
# a command; tests/shim/eio.c: an LD_PRELOAD shim failing reads with EIO).
$(BUILD)/maxrss: tests/tools/maxrss.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -o $@ $<
$(BUILD)/eio.so: tests/shim/eio.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -shared -fPIC -o $@ $< -ldl
tools: $(TOOLS)

# Installs the Debian packages the build needs, only those missing.
deps:
	@missing=""; \
	if command -v dpkg >/dev/null 2>&1; then \
	  for p in $(DEBIAN_PACKAGES); do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	  done; \
	else echo "make deps: not a Debian system; install:$(DEBIAN_PACKAGES)"; fi; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "make deps: installing$$missing"; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

test: deps
	@$(MAKE) --no-print-directory check

# Every unit suite and command-line case, JOBS at a time (default: the
# online processors), longest first by the last run's times
# ($(BUILD)/test-times); tests/cli/run.sh says how.
JOBS     ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
TESTS    ?= $(sort $(wildcard tests/cli/*.test))
RUN_TESTS = JOBS=$(JOBS) HICARD=$(BIN) GENDATA=$(BUILD)/gendata sh tests/cli/run.sh
VALGRIND  = valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite

check: $(BIN) $(UNIT_BIN) $(TOOLS)
	UNIT=$(UNIT_BIN) TIMES=$(BUILD)/test-times $(RUN_TESTS) $(TESTS)

unit: $(UNIT_BIN)
	UNIT=$(UNIT_BIN) $(RUN_TESTS)

cli: $(BIN) $(TOOLS)
	TIMES=$(BUILD)/test-times $(RUN_TESTS) $(TESTS)

asan:
	@$(MAKE) --no-print-directory SANITIZE=1 check

# WALK_STEP=9: the allocation-failure walks try every 9th allocation (a
# run costs about a second here).
valgrind: $(BIN) $(UNIT_BIN) $(TOOLS)
	CK_FORK=no UNIT_WRAP="$(VALGRIND)" HICARD_WRAP="$(VALGRIND)" WALK_STEP=9 \
	  UNIT=$(UNIT_BIN) TIMES=$(BUILD)/test-times.valgrind $(RUN_TESTS) $(TESTS)

# Fuzzing (tests/fuzz/README): one libFuzzer target per reader,
# tests/fuzz/fuzz_NAME.c -> build/fuzz/NAME, built with clang and
# ASan+UBSan from its own objects (build/fuzz/obj/, an archive so that each
# target links only what it uses; cmd/hicard.c is left out: fuzz_opts.c
# stands in for it).  Run one at a time: FUZZ_TARGETS=csv limits the run.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_BUILD    = build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=gnu11 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		-I. -DHC_VERSION='"$(VERSION)"' \
		$(shell pkg-config --cflags igraph 2>/dev/null)
FUZZ_LIBSRC   = $(LIB_SRC) $(SRC_SRC) $(filter-out cmd/hicard.c,$(CMD_SRC)) \
		tests/fuzz/fuzz.c
FUZZ_LIBOBJ   = $(FUZZ_LIBSRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_SRC      = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN      = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(FUZZ_BUILD)/%)
FUZZ_RUN      = $(if $(FUZZ_TARGETS),$(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS)),$(FUZZ_BIN))

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libhicard.a: $(FUZZ_LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BIN): $(FUZZ_BUILD)/%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_BUILD)/libhicard.a
	$(FUZZ_CC) -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_BIN) $(BIN)

fuzz:
	@if sh tests/fuzz/run.sh --probe "$(FUZZ_CC)"; then \
	  $(MAKE) --no-print-directory fuzz-build && \
	  sh tests/fuzz/seeds.sh $(FUZZ_BUILD)/seeds $(BIN) && \
	  FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_RUN); \
	else \
	  echo "make fuzz: $(FUZZ_CC) cannot build libFuzzer targets (-fsanitize=fuzzer): skipped"; \
	fi

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# The main job on bundled data; grows as subcommands land.
DEMO_TMP = build/demo
demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@mkdir -p $(DEMO_TMP)
	@echo "== the bundled data: testdata/demo/clicks.csv"
	@head -4 testdata/demo/clicks.csv
	@echo "== what is in its columns, and how the click label varies across them"
	./$(BIN) profile --table --target click testdata/demo/clicks.csv
	@echo "== the same as JSON, one column"
	./$(BIN) profile --json -k 3 -s item_id testdata/demo/clicks.csv
	@echo "== ids hashed into 256 buckets, two hashes each (double hashing): collisions"
	./$(BIN) hash --scheme double --buckets 256 -s user_id,item_id --stats \
	  testdata/demo/clicks.csv | head -4
	@echo "== the same to a binary frame: label, two hashed id columns, one number"
	./$(BIN) hash --scheme double --buckets 256 --format hcb --label click \
	  -s user_id,item_id --num price -o $(DEMO_TMP)/clicks.hcb \
	  testdata/demo/clicks.csv
	@ls -l $(DEMO_TMP)/clicks.hcb
	@echo "== its self-describing header"
	./$(BIN) show --header $(DEMO_TMP)/clicks.hcb
	@echo "== the first rows back as CSV, and as libsvm for liblinear/XGBoost"
	./$(BIN) show --head 3 $(DEMO_TMP)/clicks.hcb
	./$(BIN) show --head 3 --format libsvm $(DEMO_TMP)/clicks.hcb
	@echo "== a corrupted frame is caught, never misread"
	@head -c 3000 $(DEMO_TMP)/clicks.hcb > $(DEMO_TMP)/cut.hcb
	@./$(BIN) show $(DEMO_TMP)/cut.hcb > /dev/null || \
	  echo "(exit status $$?: the cut file is reported, as it should be)"
	@echo "== GraphHash buckets: the user-item graph clustered by bipartite modularity"
	./$(BIN) cluster --user user_id --item item_id --method bipartite --resolution 5 testdata/demo/clicks.csv | head -4
	@echo "== a CTR model: hashed ids, logistic regression on 1500 rows, AUC on the other 500"
	@head -1501 testdata/demo/clicks.csv > $(DEMO_TMP)/train.csv
	@(head -1 testdata/demo/clicks.csv; tail -n +1502 testdata/demo/clicks.csv) > $(DEMO_TMP)/test.csv
	./$(BIN) hash --scheme double --buckets 256 --format hcb --label click \
	  -s user_id,item_id,device -o $(DEMO_TMP)/train.hcb $(DEMO_TMP)/train.csv
	./$(BIN) hash --scheme double --buckets 256 --format hcb --label click \
	  -s user_id,item_id,device -o $(DEMO_TMP)/test.hcb $(DEMO_TMP)/test.csv
	./$(BIN) train --model logreg --epochs 5 --seed 1 --threads 1 -q \
	  -o $(DEMO_TMP)/ctr.model $(DEMO_TMP)/train.hcb
	./$(BIN) predict --model $(DEMO_TMP)/ctr.model --metrics auc,logloss $(DEMO_TMP)/test.hcb

bench: $(BIN) $(TOOLS)
	sh bench/run.sh

# The same jobs with the peers the issues name (DuckDB from npm), side by
# side; optional, never part of the tests.
bench-peers: $(BIN) $(BUILD)/gendata
	sh bench/peers/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/hicard
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/hicard
	cd $(DESTDIR)$(PREFIX)/share/man/man1 && rm -f $(notdir $(MAN1))
	cd $(DESTDIR)$(PREFIX)/share/man/man5 && rm -f $(notdir $(MAN5))

clean:
	rm -rf build hicard

-include $(LIB_OBJ:.o=.d) $(SRC_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) \
	 $(BUILD)/bench/gendata.d $(BUILD)/bench/benchread.d
-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/obj/tests/fuzz/*.d)
