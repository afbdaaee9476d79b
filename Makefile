# Makefile — build, test and benchmark Kader (GNU make).
#
#   make [all]              ./kader and ./libkader.a
#   make run                build, then ./kader examples/provincie.kader
#   make test               build kader and the unit tests, run tests/run.py
#   make test GC_STRESS=1   the same with KADER_GC_STRESS=1 in the environment
#   make asan               build and test with ASan + UBSan, in build/asan/
#   make asan CC=clang      the same with clang (which also checks float
#                           casts), in build/asan-clang/; installs clang
#   make fuzz               build the libFuzzer targets (tests/fuzz/) with clang in
#                           build/fuzz/ and run each for FUZZ_SECONDS (60; 0: only
#                           build and seed); FUZZ_TARGETS=csv runs only some
#   make bench              benchmarks against Lua 5.4 and Python 3, and the
#                           survey benchmark against R and pandas (issue 17;
#                           SURVEY_ROWS=100k,1M,10M adds 10M rows)
#   make install            into PREFIX (/usr/local); DESTDIR is honoured
#   make deps               check the build dependencies (as root: install)
#   make clean
#   make CC=clang ...       any C11 compiler
#
# Every target that builds first runs `make deps` and then does its real work
# in a sub-make (the part of this file under KADER_INNER). The pkg-config
# flags are recursive variables that are only expanded by recipes of that
# sub-make, so they are computed after deps has made sure pkg-config and the
# libraries are there, and only once per run.

CC ?= cc
HOSTCC ?= $(CC)
AR ?= ar
PYTHON = python3
PREFIX ?= /usr/local
# the one version number, from the public header
VERSION = $(shell sed -n 's/^\#define KADER_VERSION "\(.*\)"/\1/p' interp/kader.h)

# pdftotext (poppler-utils): `kader claims` reads PDF reports with it (the
# program runs without it and says how to install it; the tests need it)
DEP_COMMANDS := pkg-config python3 localedef pdftotext
DEP_MODULES := libpcre2-8 readline libffi cmocka gsl
# locales: the sources of nl_NL, from which the tests generate a Dutch C
# locale (tests/unit/test_locale.c)
DEP_FILES := /usr/share/i18n/locales/nl_NL
APT_PACKAGES := pkg-config python3 libpcre2-dev libreadline-dev libffi-dev libcmocka-dev libgsl-dev locales poppler-utils
# CC=clang (or clang-14 …): the compiler is a dependency too, from the
# Debian package of the same name
IS_CLANG := $(filter clang%,$(notdir $(CC)))
ifneq ($(IS_CLANG),)
DEP_COMMANDS += $(CC)
APT_PACKAGES += $(notdir $(CC))
endif
# make fuzz: a clang with libFuzzer and the sanitizers' runtimes
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_APT_PACKAGES := clang libclang-rt-dev

.DEFAULT_GOAL := all

ifndef KADER_INNER
# ---------------------------------------------------------------------------
# Public targets: check the dependencies, then hand over to a sub-make.
# They run one after the other (`make -j2 test asan` must not build into the
# same directory twice at once); each sub-make still builds in parallel.

.NOTPARALLEL:
.PHONY: all run test asan fuzz bench install kader libkader.a deps fuzz-deps clean

SUBMAKE = $(MAKE) --no-print-directory KADER_INNER=1

all run test bench install: deps
	+@$(SUBMAKE) inner-$@

kader libkader.a: deps
	+@$(SUBMAKE) $@

asan: deps
	+@$(SUBMAKE) KD_VARIANT=asan inner-asan

fuzz: deps fuzz-deps
	+@$(SUBMAKE) KD_VARIANT=fuzz CC=$(FUZZ_CC) inner-fuzz

# Prints the missing commands and pkg-config modules, nothing when all are there.
find_missing = for c in $(DEP_COMMANDS); do \
	  command -v $$c >/dev/null 2>&1 || printf ' %s' $$c; \
	done; \
	for m in $(DEP_MODULES); do \
	  if ! command -v pkg-config >/dev/null 2>&1 || \
	     ! pkg-config --exists $$m; then printf ' %s' $$m; fi; \
	done; \
	for f in $(DEP_FILES); do [ -e $$f ] || printf ' %s' $$f; done

deps:
	@missing=$$($(find_missing)); \
	if [ -n "$$missing" ]; then \
	  echo "missing build dependencies:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES) && \
	    missing=$$($(find_missing)) && \
	    if [ -n "$$missing" ]; then \
	      echo "still missing after apt-get install:$$missing"; exit 1; \
	    fi; \
	  else \
	    echo "install them with:"; \
	    echo "  sudo apt-get install -y $(APT_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

# Can $(FUZZ_CC) link a libFuzzer target with ASan and UBSan?
fuzz_probe = printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c -o /dev/null - >/dev/null 2>&1

fuzz-deps:
	@if ! $(fuzz_probe); then \
	  echo "$(FUZZ_CC) cannot build libFuzzer targets (-fsanitize=fuzzer,address,undefined)"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $(FUZZ_APT_PACKAGES) && \
	    if ! $(fuzz_probe); then echo "still not after apt-get install"; exit 1; fi; \
	  else \
	    echo "install them with:"; \
	    echo "  sudo apt-get install -y $(FUZZ_APT_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf build kader libkader.a

else
# ---------------------------------------------------------------------------
# The real build (a sub-make started by the targets above).

ifeq ($(KD_VARIANT),asan)
# clang's build in a directory of its own, so that CI can run both without
# rebuilding everything in between
B := build/asan$(if $(IS_CLANG),-clang)
KADER_BIN := $(B)/kader
LIB := $(B)/libkader.a
OPTFLAGS := -O1 -g
# float-cast-overflow: a double outside an integer type's range cast to it is
# undefined; clang checks it as part of "undefined", gcc only when asked
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
  -fno-sanitize-recover=undefined,float-cast-overflow
else ifeq ($(KD_VARIANT),fuzz)
# The library instrumented for libFuzzer's coverage; the targets link the
# fuzzer itself (FUZZ_LDFLAGS).
B := build/fuzz
KADER_BIN := $(B)/kader
LIB := $(B)/libkader.a
OPTFLAGS := -O1 -g
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
else
B := build
KADER_BIN := kader
LIB := libkader.a
OPTFLAGS := -O2 -g
SANFLAGS :=
endif

PKG_MODULES := libpcre2-8 readline libffi gsl

# Expanded on first use (by a recipe), then kept: pkg-config runs once.
# Feature-test macros are left out: Debian's readline.pc pulls in ncurses'
# "-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600", which would clash with the
# sources' own #define _XOPEN_SOURCE / _POSIX_C_SOURCE and differ from one
# system to the next. Each source file asks for what it uses.
FEATURE_MACROS := -D_DEFAULT_SOURCE -D_GNU_SOURCE -D_BSD_SOURCE -D_XOPEN_SOURCE% -D_POSIX_C_SOURCE% -D_XOPEN_SOURCE_EXTENDED%
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(filter-out $$(FEATURE_MACROS),$$(shell pkg-config --cflags $(PKG_MODULES))))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKG_MODULES)))$(PKG_LIBS)
CMOCKA_CFLAGS = $(eval CMOCKA_CFLAGS := $$(shell pkg-config --cflags cmocka))$(CMOCKA_CFLAGS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

CFLAGS = -std=c11 -Wall -Wextra -Wpedantic $(OPTFLAGS)
LDLIBS = $(PKG_LIBS) -lm
HOST_CFLAGS = -std=c11 -Wall -Wextra -Wpedantic -O2
KD_CFLAGS = $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -Iinterp
KD_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# main.c, repl.c and the subcommands (cli_*.c) are the command-line tool; the
# rest is the library
CLI_SRCS := interp/main.c interp/repl.c $(sort $(wildcard interp/cli_*.c))
LIB_SRCS := $(sort $(filter-out $(CLI_SRCS),$(wildcard interp/*.c)))
LIB_OBJS := $(patsubst interp/%.c,$(B)/obj/%.o,$(LIB_SRCS)) $(B)/obj/stdlib_gen.o
MAIN_OBJ := $(patsubst interp/%.c,$(B)/obj/%.o,$(CLI_SRCS))
STDLIB_SRCS := $(sort $(wildcard stdlib/*.kader))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_OBJS := $(patsubst tests/unit/%.c,$(B)/obj/unit/%.o,$(UNIT_SRCS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
# The embedding example (examples/embed/host.c, only kader.h), run by
# tests/embed_cases.py
HOST_OBJ := $(B)/obj/examples/host.o
HOST_BIN := $(B)/examples/host
# A Dutch C locale for tests/unit/test_locale.c, generated here (LOCPATH)
# so that the tests change nothing on the system.
TEST_LOCALE := build/locale/nl_NL.UTF-8
# The libFuzzer targets (make fuzz): tests/fuzz/fuzz_NAME.c is the target
# NAME, linked with tests/fuzz/harness.c
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRCS))
FUZZ_OBJS := $(patsubst tests/fuzz/%.c,$(B)/obj/fuzz/%.o,$(FUZZ_SRCS) tests/fuzz/harness.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(B)/bin/%,$(FUZZ_SRCS))
# A small C library for the FFI tests (tests/ffi/*.kader open it by this
# path). Built without sanitizers in every variant: it is only loaded.
TESTLIB := build/libkadertest.so

GC_ENV = $(if $(filter-out 0,$(GC_STRESS)),KADER_GC_STRESS=1 )

.PHONY: inner-all inner-run inner-test inner-asan inner-fuzz inner-bench inner-install FORCE

inner-all: $(KADER_BIN) $(LIB)
	@:

inner-run: $(KADER_BIN) $(LIB)
	./$(KADER_BIN) examples/provincie.kader

inner-test: $(KADER_BIN) $(LIB) $(UNIT_BINS) $(HOST_BIN) $(TESTLIB) $(TEST_LOCALE)
	@$(foreach f,$(filter-out $(UNIT_BINS),$(wildcard $(B)/tests/test_*)),rm -f $(f);)
	$(GC_ENV)$(PYTHON) tests/run.py

# LeakSanitizer cannot work when the process is already being traced (some
# sandboxes run everything under ptrace). A tiny probe finds out once per run.
inner-asan: $(KADER_BIN) $(LIB) $(UNIT_BINS) $(HOST_BIN) $(TESTLIB) $(TEST_LOCALE)
	@$(foreach f,$(filter-out $(UNIT_BINS),$(wildcard $(B)/tests/test_*)),rm -f $(f);)
	@printf 'int main(void) { return 0; }\n' > $(B)/lsan_probe.c
	@$(CC) $(SANFLAGS) -o $(B)/lsan_probe $(B)/lsan_probe.c
	@leaks=1; \
	if ! ASAN_OPTIONS=detect_leaks=1 $(B)/lsan_probe > $(B)/lsan_probe.log 2>&1 && \
	   grep -q LeakSanitizer $(B)/lsan_probe.log; then \
	  leaks=0; \
	  echo "note: LeakSanitizer cannot run here (it does not work under ptrace);"; \
	  echo "note: running with detect_leaks=0, so leaks are not checked"; \
	fi; \
	echo "ASAN_OPTIONS=detect_leaks=$$leaks:abort_on_error=0 $(GC_ENV)$(PYTHON) tests/run.py --kader $(KADER_BIN) --unit-dir $(B)/tests"; \
	ASAN_OPTIONS=detect_leaks=$$leaks:abort_on_error=0 $(GC_ENV)$(PYTHON) tests/run.py --kader $(KADER_BIN) --unit-dir $(B)/tests

# The corpora are seeded from tests/ and examples/ (tests/fuzz/seed.py), then
# each target runs (tests/fuzz/run.py: logs, figures, kept crashes).
inner-fuzz: $(FUZZ_BINS)
	$(PYTHON) tests/fuzz/seed.py $(B)/corpus $(FUZZ_TARGETS)
	@if [ "$(FUZZ_SECONDS)" -gt 0 ]; then \
	  echo "$(PYTHON) tests/fuzz/run.py $(B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)"; \
	  $(PYTHON) tests/fuzz/run.py $(B) $(FUZZ_SECONDS) $(FUZZ_TARGETS); \
	fi

# the sizes of the survey benchmark; `make bench SURVEY_ROWS=100k,1M,10M`
# adds the 10M rows of issue 17 (about 660 MB of CSV)
SURVEY_ROWS ?= 100k,1M
SURVEY_BENCH_PACKAGES := r-base-core r-cran-data.table python3-pandas

inner-bench: $(KADER_BIN)
	@if ! command -v lua5.4 >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y lua5.4 time; \
	  else \
	    echo "lua5.4 or GNU time is missing (the Lua or memory columns are"; \
	    echo "skipped); install them with:"; \
	    echo "  sudo apt-get install -y lua5.4 time"; \
	  fi; \
	fi
	@# Squiggle (the Monte Carlo comparison), into build/squiggle with npm;
	@# its CLI also needs date-fns, which 0.10.0 does not declare
	@if [ ! -e build/squiggle/node_modules/.bin/squiggle ]; then \
	  if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; \
	  fi; \
	  if command -v npm >/dev/null 2>&1; then \
	    npm install --prefix build/squiggle --no-audit --no-fund \
	      @quri/squiggle-lang@0.10.0 date-fns >/dev/null 2>&1 || \
	      echo "npm could not install @quri/squiggle-lang: the Squiggle column is skipped"; \
	  else \
	    echo "npm is missing (apt-get install nodejs npm): the Squiggle column is skipped"; \
	  fi; \
	fi
	@# the survey benchmark (issue 17): R (read.csv + aggregate, data.table
	@# fread) and pandas from Debian; /usr/bin/python3 is the one that gets
	@# python3-pandas, whichever python3 comes first on the PATH
	@if ! command -v Rscript >/dev/null 2>&1 || \
	   ! Rscript --vanilla -e 'quit(status = if (requireNamespace("data.table", quietly = TRUE)) 0 else 1)' >/dev/null 2>&1 || \
	   ! { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pandas' >/dev/null 2>&1; }; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(SURVEY_BENCH_PACKAGES); \
	  else \
	    echo "R, data.table or pandas is missing (their survey rows are skipped);"; \
	    echo "install them with:"; \
	    echo "  sudo apt-get install -y $(SURVEY_BENCH_PACKAGES)"; \
	  fi; \
	fi
	@status=0; \
	echo "$(PYTHON) tests/bench/run.py"; \
	$(PYTHON) tests/bench/run.py || status=1; \
	echo; \
	echo "$(PYTHON) tests/bench/survey/run.py --rows $(SURVEY_ROWS)"; \
	$(PYTHON) tests/bench/survey/run.py --rows $(SURVEY_ROWS) || status=1; \
	exit $$status

# kader.pc: the library is static, so what it links against is in Requires
# and Libs (not .private): `pkg-config --cflags --libs kader` is enough.
inner-install: $(KADER_BIN) $(LIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(KADER_BIN) $(DESTDIR)$(PREFIX)/bin/kader
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libkader.a
	install -m 644 interp/kader.h $(DESTDIR)$(PREFIX)/include/kader.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: kader' \
	  'Description: Kader, a language for modelling proposed policy roles (embeddable interpreter)' \
	  'Version: $(VERSION)' \
	  'Requires: libpcre2-8 libffi gsl' \
	  'Libs: -L$${libdir} -lkader -lm' \
	  'Cflags: -I$${includedir}' > $(DESTDIR)$(PREFIX)/lib/pkgconfig/kader.pc
	chmod 644 $(DESTDIR)$(PREFIX)/lib/pkgconfig/kader.pc

# The binaries

$(KADER_BIN): $(MAIN_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(KD_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS)

$(LIB): $(LIB_OBJS) $(B)/objs.list
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(UNIT_BINS): $(B)/tests/%: $(B)/obj/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(KD_LDFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) $(LDLIBS)

$(TESTLIB): tests/ffi/testlib.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Wpedantic -O2 -fPIC -shared -o $@ $<

$(TEST_LOCALE):
	@mkdir -p $(@D)
	localedef -i nl_NL -f UTF-8 $@

$(HOST_BIN): $(HOST_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(KD_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(FUZZ_BINS): $(B)/bin/%: $(B)/obj/fuzz/%.o $(B)/obj/fuzz/harness.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $< $(B)/obj/fuzz/harness.o $(LIB) $(LDLIBS)

# Objects (-MMD -MP: a changed header rebuilds what includes it)

$(B)/obj/%.o: interp/%.c $(B)/flags.list
	@mkdir -p $(@D)
	$(CC) $(KD_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/stdlib_gen.o: $(B)/stdlib_gen.c $(B)/flags.list
	@mkdir -p $(@D)
	$(CC) $(KD_CFLAGS) -MMD -MP -c -o $@ $<

$(UNIT_OBJS): $(B)/obj/unit/%.o: tests/unit/%.c $(B)/flags.list
	@mkdir -p $(@D)
	$(CC) $(KD_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -c -o $@ $<

$(HOST_OBJ): examples/embed/host.c $(B)/flags.list
	@mkdir -p $(@D)
	$(CC) $(KD_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_OBJS): $(B)/obj/fuzz/%.o: tests/fuzz/%.c $(B)/flags.list
	@mkdir -p $(@D)
	$(CC) $(KD_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJS:.o=.d) $(HOST_OBJ:.o=.d) $(FUZZ_OBJS:.o=.d)

# The standard library, embedded (interp/tools/embed.c, interp/stdlib_files.h)

$(B)/embed: interp/tools/embed.c $(B)/flags.list
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $<

$(B)/stdlib_gen.c: $(B)/embed $(STDLIB_SRCS) $(B)/stdlib.list
	$(B)/embed $@ $(STDLIB_SRCS)

# List files: rewritten only when their content changes, so that adding or
# removing a file, or changing the compiler or flags, rebuilds what depends
# on them and nothing else. The recipes run every time (FORCE); make looks at
# the file's time again afterwards.
write_if_changed = mkdir -p $(@D); printf '%s\n' '$(1)' | cmp -s - $@ 2>/dev/null || printf '%s\n' '$(1)' > $@

$(B)/flags.list: FORCE
	@$(call write_if_changed,$(CC) $(KD_CFLAGS) $(HOSTCC) $(HOST_CFLAGS))

$(B)/objs.list: FORCE
	@$(call write_if_changed,$(LIB_OBJS))

$(B)/stdlib.list: FORCE
	@$(call write_if_changed,$(STDLIB_SRCS))

FORCE:

endif
