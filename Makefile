# h2frame — see README.md.
#
#   make            libh2frame.a and libh2frame.so
#   make check      build and run the cmocka tests (installs libcmocka-dev as root)
#   make check-traffic  the recorded real traffic in every role, against
#                   libnghttp2, tshark and python3-hyperframe/hpack
#   make demo       the main job: h2dump on a bundled real capture
#   make install    PREFIX=/usr/local DESTDIR= : header, libraries, h2frame.pc
#   make clean

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Werror
ALL_CFLAGS = $(WARN) $(CFLAGS)
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include

VERSION   := 0.1.0
SOMAJOR   := 0
SONAME    := libh2frame.so.$(SOMAJOR)
REALNAME  := libh2frame.so.$(VERSION)

SRCS := h2frame.c hpack.c hpack_table.c stream.c conn.c http.c
HDRS := h2frame.h hpack_internal.h hpack_huffman_fast.h
OBJS := $(SRCS:%.c=build/%.o)
PIC_OBJS := $(SRCS:%.c=build/pic/%.o)

TESTS := tests/test_h2frame tests/test_hpack_table tests/test_hpack tests/test_stream tests/test_conn tests/test_http
TEST_BINS := $(TESTS:tests/%=build/%)

.PHONY: all check demo install clean cmocka asan valgrind regen regen-check bench bench-callgrind nghttp2-dev fuzz h2frame.pc

all: libh2frame.a libh2frame.so

build/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

build/pic/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

libh2frame.a: $(OBJS)
	rm -f $@
	ar rcs $@ $^

libh2frame.so: $(PIC_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $(REALNAME) $^
	ln -sf $(REALNAME) $(SONAME)
	ln -sf $(SONAME) $@

# cmocka is needed only by the tests. As root we install Debian's package;
# otherwise we say which package is missing.
cmocka:
	@if ! printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>\nint main(void){return 0;}\n' | \
	    $(CC) -x c - -o /dev/null -lcmocka >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "cmocka missing: installing Debian's libcmocka-dev"; \
	    (apt-get install -y -q libcmocka-dev || (apt-get update -q && apt-get install -y -q libcmocka-dev)) >/dev/null; \
	  else \
	    echo "cmocka is missing: install Debian's libcmocka-dev (sudo apt-get install libcmocka-dev)"; exit 1; \
	  fi; \
	fi

build/test_%: tests/test_%.c tests/harness.h tests/conn_harness.h hpack_internal.h libh2frame.a | cmocka
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. $< libh2frame.a -lcmocka -o $@

# The unit tests, then h2dump's tests, h2dump against tshark and
# python3-hyperframe/hpack on the captures, the commands of
# docs/wire-format.md, the interop tests with real peers (these install
# Debian packages as root when missing), and the real-traffic corpus checks
# (check-traffic).
check: regen-check $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; ./$$t; done
	@python3 tools/mutate.py --check-equivalents
	@$(MAKE) --no-print-directory check-h2dump
	@$(MAKE) --no-print-directory crosscheck
	@$(MAKE) --no-print-directory check-wire-format-doc
	@$(MAKE) --no-print-directory interop
	@$(MAKE) --no-print-directory check-traffic

# The fast Huffman tables are derived from the RFC's rows by a program kept
# here; regen-check proves the committed file is what it makes.
build/gen_huffman: tools/gen_huffman.c hpack_table.c hpack_internal.h h2frame.h
	@mkdir -p build
	$(CC) $(WARN) -O1 -I. tools/gen_huffman.c hpack_table.c -o $@

regen: build/gen_huffman
	./build/gen_huffman > hpack_huffman_fast.h

regen-check: build/gen_huffman
	@./build/gen_huffman > build/hpack_huffman_fast.h
	@diff -u hpack_huffman_fast.h build/hpack_huffman_fast.h && echo "hpack_huffman_fast.h is up to date"

# The whole test suite under ASan+UBSan (a separate build tree), and under
# valgrind's memcheck.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
asan: | cmocka
	@mkdir -p build/asan
	@set -e; for t in $(TESTS); do \
	  $(CC) $(WARN) $(SAN_FLAGS) -I. $$t.c $(SRCS) -lcmocka -o build/asan/$$(basename $$t); \
	  echo "== asan $$t"; ASAN_OPTIONS=detect_leaks=1 ./build/asan/$$(basename $$t); done

# Built apart with DWARF 4: valgrind 3.19 cannot read clang 14's DWARF 5.
valgrind: | cmocka
	@mkdir -p build/valgrind
	@set -e; for t in $(TESTS); do \
	  $(CC) $(WARN) -O1 -gdwarf-4 -I. $$t.c $(SRCS) -lcmocka -o build/valgrind/$$(basename $$t); \
	  echo "== valgrind $$t"; \
	  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all \
	    ./build/valgrind/$$(basename $$t); done

build/print_frames: examples/print_frames.c libh2frame.a
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. $< libh2frame.a -o $@

# h2dump on both sides of one real nghttp <-> nghttpd connection
# (examples/captures/record.sh made them).
demo: build/h2dump
	./build/h2dump examples/captures/nghttp-client.bin examples/captures/nghttp-server.bin

# The benchmark compares with Debian's libnghttp2 (a dependency of the
# benchmark only).
nghttp2-dev:
	@if [ ! -f /usr/include/nghttp2/nghttp2.h ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "libnghttp2-dev missing: installing it"; \
	    (apt-get install -y -q libnghttp2-dev || (apt-get update -q && apt-get install -y -q libnghttp2-dev)) >/dev/null; \
	  else \
	    echo "the benchmark needs Debian's libnghttp2-dev (sudo apt-get install libnghttp2-dev)"; exit 1; \
	  fi; \
	fi

build/bench: bench/bench.c libh2frame.a | nghttp2-dev
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. $< libh2frame.a -lnghttp2 -o $@

BENCH_ARGS ?=
bench: build/bench
	./build/bench $(BENCH_ARGS)

# Instructions per header / per request under callgrind (valgrind).
bench-callgrind: build/bench
	sh bench/callgrind.sh build/bench

# libFuzzer targets (clang only); see fuzz/README.md.
FUZZ_TARGETS := fuzz_frames fuzz_hpack fuzz_huffman fuzz_hpack_roundtrip fuzz_conn fuzz_h2dump
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
build/fuzz/%: fuzz/%.c $(SRCS) $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -I. $< $(SRCS) -o $@

# The differential HPACK target needs Debian's libnghttp2-dev (.ci/run
# installs it); without it the target is left out.
ifneq ($(wildcard /usr/include/nghttp2/nghttp2.h),)
FUZZ_TARGETS += fuzz_hpack_nghttp2
endif
build/fuzz/fuzz_hpack_nghttp2: fuzz/fuzz_hpack_nghttp2.c $(SRCS) $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -I. $< $(SRCS) -lnghttp2 -o $@

fuzz: $(FUZZ_TARGETS:%=build/fuzz/%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t; echo "== $$t for $(FUZZ_SECONDS) s"; \
	  rc=0; ./build/fuzz/$$t build/fuzz/corpus-$$t fuzz/corpus/$$t -dict=fuzz/h2.dict \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 > build/fuzz/$$t.log 2>&1 || rc=$$?; \
	  grep -E "stat::(number_of_executed_units|average_exec_per_sec)|ERROR|SUMMARY" build/fuzz/$$t.log || true; \
	  if [ $$rc -ne 0 ]; then tail -40 build/fuzz/$$t.log; exit 1; fi; \
	done

h2frame.pc: h2frame.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

install: all h2frame.pc
	install -d $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 h2frame.h $(DESTDIR)$(INCDIR)/
	install -m 644 libh2frame.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(REALNAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libh2frame.so
	install -m 644 h2frame.pc $(DESTDIR)$(LIBDIR)/pkgconfig/

clean:
	rm -rf build libh2frame.a libh2frame.so $(SONAME) $(REALNAME) h2frame.pc

# ---- h2dump (begin)
# h2dump, the dump tool (h2dump/, docs/h2dump.1), built on the public API
# only. `make build/h2dump`, `make check-h2dump`, `make build/fuzz/fuzz_h2dump`.
H2DUMP_SRCS := $(filter-out h2dump/fuzz_h2dump.c,$(wildcard h2dump/*.c))
H2DUMP_LIB_SRCS := $(filter-out h2dump/main.c,$(H2DUMP_SRCS))
H2DUMP_HDRS := $(wildcard h2dump/*.h) h2frame.h

build/h2dump: $(H2DUMP_SRCS) $(H2DUMP_HDRS) libh2frame.a
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. $(H2DUMP_SRCS) libh2frame.a -o $@

.PHONY: check-h2dump clean-h2dump
check-h2dump: build/h2dump
	bash tests/test_h2dump.sh

# The dumper from a buffer (pcap reader, frame dumper, --hpack) under
# libFuzzer; see the top of h2dump/fuzz_h2dump.c.
build/fuzz/fuzz_h2dump: h2dump/fuzz_h2dump.c $(H2DUMP_LIB_SRCS) $(H2DUMP_HDRS) $(SRCS) $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -I. h2dump/fuzz_h2dump.c $(H2DUMP_LIB_SRCS) $(SRCS) -o $@

clean-h2dump:
	rm -f build/h2dump build/fuzz/fuzz_h2dump
# ---- h2dump (end)

# ---- interop (begin)
# The example programs (examples/h2c-server.c, examples/h2c-client.c; see
# docs/examples.md) and their interop tests against nghttp2, curl, Node's
# http2, nginx, h2o and python3-h2 over loopback (tests/interop/run.sh).
# As root, `make interop` installs the Debian packages the tests need.
INTEROP_PKGS := nghttp2-client nghttp2-server curl nginx h2o python3-h2
EXAMPLE_HDRS := examples/h2c-common.h h2frame.h

build/h2c-server: examples/h2c-server.c $(EXAMPLE_HDRS) libh2frame.a
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. examples/h2c-server.c libh2frame.a -o $@

build/h2c-client: examples/h2c-client.c $(EXAMPLE_HDRS) libh2frame.a
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. examples/h2c-client.c libh2frame.a -o $@

# Both under ASan+UBSan (`make interop-asan` runs the tests with them).
build/asan/h2c-%: examples/h2c-%.c $(EXAMPLE_HDRS) $(SRCS) $(HDRS)
	@mkdir -p build/asan
	$(CC) $(WARN) $(SAN_FLAGS) -I. $< $(SRCS) -o $@

.PHONY: examples interop interop-asan interop-deps
examples: build/h2c-server build/h2c-client

interop-deps:
	@missing=""; for p in $(INTEROP_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "interop tests: installing$$missing"; \
	    (apt-get install -y -q $$missing || (apt-get update -q && apt-get install -y -q $$missing)) >/dev/null; \
	  else \
	    echo "the interop tests need Debian's$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi
	@if ! command -v node >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "interop tests: installing Debian's nodejs"; \
	    (apt-get install -y -q nodejs || (apt-get update -q && apt-get install -y -q nodejs)) >/dev/null; \
	  else \
	    echo "the interop tests need Node (sudo apt-get install nodejs)"; exit 1; \
	  fi; \
	fi

interop: build/h2c-server build/h2c-client | interop-deps
	bash tests/interop/run.sh

interop-asan: build/asan/h2c-server build/asan/h2c-client | interop-deps
	SERVER=build/asan/h2c-server CLIENT=build/asan/h2c-client bash tests/interop/run.sh
# ---- interop (end)

# ---- crosscheck (begin)
# h2dump against independent decoders (tshark's HTTP/2 dissector, Debian's
# python3-hyperframe + python3-hpack) on every capture in examples/captures
# (tests/crosscheck/; as root it installs those packages when missing), and
# docs/wire-format.md's commands run and their output compared
# (tests/test_wire_format_doc.sh). Re-record the captures with
# examples/captures/record.sh and record-more.sh (not needed by the tests).
.PHONY: crosscheck check-wire-format-doc
crosscheck: build/h2dump
	sh tests/crosscheck/run.sh

check-wire-format-doc: build/h2dump
	bash tests/test_wire_format_doc.sh
# ---- crosscheck (end)

# ---- traffic (begin)
# The real-traffic corpus (tests/traffic/MANIFEST) and examples/captures:
# the connection reader in every role and against libnghttp2's server
# session (tests/traffic/check_conn.c; it needs Debian's libnghttp2-dev, which
# the nghttp2-dev target installs as root), and h2dump against tshark and
# python3-hyperframe/hpack on the corpus (tests/crosscheck/run.sh; it runs on
# examples/captures in `make crosscheck`).
TRAFFIC_CAPTURES := $(patsubst %-client.bin,%,$(wildcard examples/captures/*-client.bin))
.PHONY: check-traffic
build/check_conn: tests/traffic/check_conn.c libh2frame.a | nghttp2-dev
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -I. $< libh2frame.a -lnghttp2 -o $@

check-traffic: build/check_conn build/h2dump
	@rc=0; \
	./build/check_conn --selftest examples/captures/curl-nghttpd tests/traffic/MANIFEST \
	  $(TRAFFIC_CAPTURES) || rc=1; \
	sh tests/crosscheck/run.sh tests/traffic/MANIFEST || rc=1; \
	exit $$rc
# ---- traffic (end)

# ---- mutation (begin)
# Mutation testing (tools/mutate.py, docs/testing.md): N mutants sampled with
# SEED from the library sources (FILES= to restrict), each built out of tree
# and run against the unit tests of its file (ALL=1: the whole unit suite;
# ONLY=key,key: just those mutants, by the key its report prints; TABLES=1:
# the rows of constant tables too).
# Not part of `make check`: it takes minutes. Report: build/mutation-seedSEED.txt.
SEED ?= 1
N ?= 60
FILES ?=
ALL ?=
ONLY ?=
TABLES ?=
.PHONY: mutation
mutation: | cmocka
	python3 tools/mutate.py --cc "$(CC)" --seed "$(SEED)" --n $(N) --files "$(FILES)" $(if $(ALL),--all) \
	  $(if $(ONLY),--only "$(ONLY)") $(if $(TABLES),--tables)
# ---- mutation (end)
