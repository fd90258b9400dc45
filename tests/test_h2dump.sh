#!/usr/bin/env bash
# Tests of h2dump (make check-h2dump). Run from the repository root after
# `make build/h2dump`. Every check compares h2dump's output with something
# known independently: the bundled nghttp capture (whose frames
# examples/print_frames also shows), RFC 7541 Appendix C's own text, and
# inputs built octet by octet by tests/h2dump/mkdata.py. Exits non-zero on
# any failure.
set -u
H2DUMP=${H2DUMP:-./build/h2dump}
CLIENT=examples/captures/nghttp-client.bin
SERVER=examples/captures/nghttp-server.bin
MK="python3 tests/h2dump/mkdata.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 checks=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
# has FILE LINE: FILE holds LINE exactly, as a whole line
has() { if grep -Fxq -- "$2" "$1"; then ok; else fail "$1 lacks the line: $2"; fi; }
# contains FILE TEXT: TEXT appears somewhere
contains() { if grep -Fq -- "$2" "$1"; then ok; else fail "$1 lacks: $2"; fi; }
lacks() { if grep -Fq -- "$2" "$1"; then fail "$1 should not have: $2"; else ok; fi; }
# rc WANT CMD...: the exit status of CMD (output to $T/out)
rc() { local want=$1; shift; "$@" > "$T/out" 2> "$T/err"; local got=$?
       if [ "$got" = "$want" ]; then ok; else fail "exit $got, not $want: $*"; fi; }
json_ok() { # every line of $1 is a JSON object
    if python3 -c 'import json,sys
for n, l in enumerate(open(sys.argv[1]), 1):
    o = json.loads(l)
    assert isinstance(o, dict), n' "$1"; then ok; else fail "$1: not JSON Lines"; fi; }
py() { # py FILE CODE: CODE gets `objs`, the JSON objects of FILE; must not raise
    if python3 -c "import json,sys
objs = [json.loads(l) for l in open(sys.argv[1])]
$2" "$1"; then ok; else fail "python check on $1: $2"; fi; }

[ -x "$H2DUMP" ] || { echo "build $H2DUMP first (make build/h2dump)"; exit 1; }

echo "== inputs"
$MK grpc "$T/gc.bin" "$T/gs.bin"
$MK upgrade "$T/uc.bin" "$T/us.bin"
$MK bad-ping "$T/ping.bin"
$MK continuation "$T/cont.bin"
$MK pcap $CLIENT $SERVER "$T/a.pcap"
$MK pcap $CLIENT $SERVER "$T/b.pcapng" --pcapng --link sll
$MK pcap $CLIENT $SERVER "$T/c.pcap" --link null --ipv6
$MK pcap $CLIENT $SERVER "$T/r.pcap" --reorder
$MK pcap $CLIENT $SERVER "$T/d.pcap" --drop
$MK pcap "$T/uc.bin" "$T/us.bin" "$T/u.pcap" --upgrade
$MK pcap "$T/gc.bin" "$T/gs.bin" "$T/g.pcap" --no-syn
$MK pcap "$T/gc.bin" "$T/gs.bin" "$T/g2.pcap" --port 40001
$MK merge "$T/a.pcap" "$T/g2.pcap" "$T/two.pcap"   # two connections at once

echo "== one direction: the client's bytes (with the preface)"
rc 0 "$H2DUMP" $CLIENT; cp "$T/out" "$T/client.txt"
has "$T/client.txt" "       0  C->S  client connection preface (24 octets)"
has "$T/client.txt" "      24  C->S  SETTINGS  flags=none  stream=0  length=12"
has "$T/client.txt" "    MAX_CONCURRENT_STREAMS (0x3) = 100"
has "$T/client.txt" "    INITIAL_WINDOW_SIZE (0x4) = 65535"
has "$T/client.txt" "      87  C->S  PRIORITY  flags=none  stream=9  length=5"
has "$T/client.txt" "    priority: depends on 7, weight 1"
has "$T/client.txt" "     115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
has "$T/client.txt" "    :path: /index.html  [indexed 5]"
has "$T/client.txt" "    :authority: 127.0.0.1:18081  [literal, incremental indexing, name index 1, huffman 11→15]"
has "$T/client.txt" "    accept: */*  [literal, incremental indexing, name index 19, raw 3]"
has "$T/client.txt" "    :path: /big.txt  [literal, without indexing, name index 4, huffman 6→8]"
# the second request reuses what the first added: newest first (RFC 7541 §2.3.3)
has "$T/client.txt" "    user-agent: nghttp2/1.52.0  [indexed 62]"
has "$T/client.txt" "    :authority: 127.0.0.1:18081  [indexed 64]"
has "$T/client.txt" "     191  C->S  SETTINGS  flags=ACK  stream=0  length=0"
has "$T/client.txt" "     200  C->S  GOAWAY  flags=none  stream=0  length=8"
has "$T/client.txt" "    last stream: 0, error code: NO_ERROR (0x0)"
# the same frames, at the same offsets, as examples/print_frames finds
make -s build/print_frames >/dev/null 2>&1 && {
    ./build/print_frames $CLIENT | grep -E '^ *[0-9]+  [A-Z]' | awk '{print $1, $2}' | grep -v client > "$T/pf"
    grep -E '^ *[0-9]+  C->S  [A-Z]' "$T/client.txt" | awk '{print $1, $3}' > "$T/hd"
    if diff -q "$T/pf" "$T/hd" >/dev/null; then ok; else fail "frame offsets differ from print_frames"; fi; } ||
    echo "   (build/print_frames does not build: that comparison skipped)"

echo "== the server's bytes; stdin"
rc 0 "$H2DUMP" $SERVER; cp "$T/out" "$T/server.txt"
has "$T/server.txt" "       0  S->C  SETTINGS  flags=none  stream=0  length=6"
has "$T/server.txt" "     155  S->C  DATA  flags=END_STREAM  stream=13  length=15"
has "$T/server.txt" '    data: 15 octets "hello, h2frame\n"'
has "$T/server.txt" "   32965  S->C  DATA  flags=END_STREAM  stream=15  length=7232"
has "$T/server.txt" "    content-length: 40000  [literal, without indexing, name index 28, huffman 4→5]"
has "$T/server.txt" "    stream 15: the sender's side ends (END_STREAM)"
"$H2DUMP" < $SERVER > "$T/stdin.txt"; cmp -s "$T/stdin.txt" "$T/server.txt" && ok || fail "stdin differs"
"$H2DUMP" - < $SERVER > "$T/stdin.txt"; cmp -s "$T/stdin.txt" "$T/server.txt" && ok || fail "'-' differs"

echo "== --table"
rc 0 "$H2DUMP" --table $CLIENT
has "$T/out" "    dynamic table: 3 entries, 154/4096 octets (added 3, evicted 0)"
has "$T/out" "      [64] :authority: 127.0.0.1:18081  (new)"
has "$T/out" "      [62] user-agent: nghttp2/1.52.0"
# eviction: a size update to 100, then two 60-octet entries (RFC 7541 §4.4)
python3 - "$T/evict.bin" <<'EOF'
import sys, struct
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, PREFACE
def inc(n, v): return b"\x40" + bytes([len(n)]) + n + bytes([len(v)]) + v
blk = b"\x3f\x45" + b"\x82\x86\x84" + inc(b"x-a", b"a" * 25) + inc(b"x-b", b"b" * 25)
open(sys.argv[1], "wb").write(PREFACE + settings() + frame(1, 5, 1, blk))
EOF
rc 0 "$H2DUMP" --table "$T/evict.bin"
has "$T/out" "    (dynamic table size update)  [size update 100]"
has "$T/out" "    dynamic table: 1 entry, 60/100 octets (added 2, evicted 1)"
has "$T/out" "      [62] x-b: bbbbbbbbbbbbbbbbbbbbbbbbb  (new)"

echo "== --hex"
rc 0 "$H2DUMP" --hex $CLIENT
contains "$T/out" "00000018  00 00 0c                                         length 12"
contains "$T/out" "0000001b  04                                               type SETTINGS"
contains "$T/out" "00000021  00 03 00 00 00 64                                MAX_CONCURRENT_STREAMS = 100"
contains "$T/out" "00000077  25                                               flags END_STREAM|END_HEADERS|PRIORITY"
contains "$T/out" "0000007c  00 00 00 0b                                      E 0, stream dependency 11"
contains "$T/out" "00000081  82                                               :method: GET [indexed 2]"
contains "$T/out" "00000084  41 8b 08 9d 5c 0b 81 70 dc 0b c0 78 3f           :authority: 127.0.0.1:18081 [literal, incremental indexing, name index 1, huffman 11→15]"
rc 0 "$H2DUMP" --hex "$T/cont.bin"
contains "$T/out" "0000002a  03                                               pad length 3"
contains "$T/out" "0000002b  20                                               [size update 0]"
contains "$T/out" "00000039  00 07 3a 73 63 68                                (a field continued in the next CONTINUATION)"
contains "$T/out" "0000003f  00 00 00                                         padding"
contains "$T/out" "0000004b  65 6d 65 04 68 74 74 70                          :scheme: http [literal, without indexing, new name raw 7, raw 4] (from the previous frame)"

echo "== --json"
for f in $CLIENT $SERVER "$T/a.pcap" "$T/g.pcap"; do
    "$H2DUMP" --json --table --grpc --hex "$f" > "$T/j"; json_ok "$T/j"
    py "$T/j" '
for o in objs:
    if "type" in o:
        assert all(k in o for k in ("type", "flags", "stream", "length", "offset")), o
        if o["type"] in ("HEADERS", "CONTINUATION", "PUSH_PROMISE"):
            assert isinstance(o["headers"], list) and all(len(h) == 2 for h in o["headers"]), o'
done
"$H2DUMP" --json $CLIENT > "$T/j"
py "$T/j" '
h = [o for o in objs if o.get("type") == "HEADERS" and o["stream"] == 13][0]
assert [":path", "/index.html"] in h["headers"], h
assert h["flags"] == ["END_STREAM", "END_HEADERS", "PRIORITY"] and h["offset"] == 115 and h["length"] == 39
f = [x for x in h["fields"] if x["name"] == ":authority"][0]
assert f["rep"] == "incremental" and f["name_index"] == 1 and f["value_huffman"] and f["value_wire_length"] == 11
s = [o for o in objs if o.get("type") == "SETTINGS"][0]
assert s["settings"][0] == {"id": 3, "name": "MAX_CONCURRENT_STREAMS", "value": 100}, s'
# an unknown frame type is a number; octets >= 0x80 escaped, recoverable
python3 - "$T/odd.bin" <<'EOF'
import sys
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, PREFACE
blk = b"\x82\x86\x84\x00\x05x-bin\x04\xff\xc3(\x00"
open(sys.argv[1], "wb").write(PREFACE + settings() + frame(0xfa, 0x80, 0, b"??") + frame(1, 5, 1, blk))
EOF
rc 0 "$H2DUMP" --json "$T/odd.bin"; cp "$T/out" "$T/j"; json_ok "$T/j"
py "$T/j" '
u = [o for o in objs if o.get("type") == 250][0]
assert u["flags"] == [128] and u["length"] == 2
h = [o for o in objs if o.get("type") == "HEADERS"][0]
v = dict(h["headers"])["x-bin"]
assert bytes(ord(c) for c in v) == b"\xff\xc3(\x00", v'
"$H2DUMP" "$T/odd.bin" > "$T/t"
has "$T/t" "      33  C->S  UNKNOWN(0xfa)  flags=0x80  stream=0  length=2"
has "$T/t" "    unknown frame type: 2 octets ignored (RFC 9113 §4.1, §5.5)"
has "$T/t" '    x-bin: \xff\xc3(\x00  [literal, without indexing, new name raw 5, raw 4]'

echo "== errors and exit statuses"
rc 1 "$H2DUMP" "$T/ping.bin"
has "$T/out" "      15  S->C  PING  flags=none  stream=0  length=7"
has "$T/out" "error: FRAME_SIZE_ERROR (connection error) in S->C PING frame on stream 0 at offset 15: PING payload must be 8 octets (RFC 9113 §6.7)"
has "$T/out" "    MAX_CONCURRENT_STREAMS (0x3) = 100"   # what came before is printed
rc 1 "$H2DUMP" --json "$T/ping.bin"; json_ok "$T/out"
py "$T/out" '
e = objs[-1]
assert e["error"] == "FRAME_SIZE_ERROR" and e["scope"] == "connection" and e["offset"] == 15, e
assert "RFC 9113 §6.7" in e["reason"], e'
# a stream error: reported, and the frames after it still dumped
python3 - "$T/serr.bin" <<'EOF'
import sys
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, PREFACE
self_dep = b"\x00\x00\x00\x03\x10"   # stream 3 depending on itself
open(sys.argv[1], "wb").write(PREFACE + settings() + frame(2, 0, 3, self_dep) + frame(6, 0, 0, b"12345678"))
EOF
rc 1 "$H2DUMP" "$T/serr.bin"
contains "$T/out" "error: PROTOCOL_ERROR (stream error on stream 3) in C->S PRIORITY frame on stream 3 at offset 33"
has "$T/out" "    opaque data: 3132333435363738"
rc 2 "$H2DUMP" /nonexistent/file
contains "$T/err" "/nonexistent/file"
rc 2 "$H2DUMP" --no-such-option $CLIENT
rc 2 "$H2DUMP" --color=sometimes $CLIENT
rc 2 "$H2DUMP" a b c
rc 0 "$H2DUMP" --help
contains "$T/out" "usage: h2dump"

echo "== inputs that are not HTTP/2"
printf 'GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n' > "$T/h1.txt"
rc 1 "$H2DUMP" "$T/h1.txt"
has "$T/err" "h2dump: $T/h1.txt: not HTTP/2: no connection preface (looks like HTTP/1.1)"
[ -s "$T/out" ] && fail "output for an HTTP/1.1 request" || ok
rc 1 "$H2DUMP" --json - < "$T/h1.txt"
has "$T/err" "h2dump: standard input: not HTTP/2: no connection preface (looks like HTTP/1.1)"
rc 1 "$H2DUMP" $CLIENT "$T/h1.txt"        # either of two files
has "$T/err" "h2dump: $T/h1.txt: not HTTP/2: no connection preface (looks like HTTP/1.1)"
: > "$T/empty"
rc 1 "$H2DUMP" "$T/empty"
has "$T/err" "h2dump: $T/empty: empty input"
rc 1 "$H2DUMP" "$T/empty" $SERVER
has "$T/err" "h2dump: $T/empty: empty input"
printf 'some text\n' > "$T/text"
rc 1 "$H2DUMP" "$T/text"
has "$T/err" "h2dump: $T/text: not HTTP/2: no connection preface"
printf '\026\003\001\002\000\001\000\001\374\003\003' > "$T/tls"   # a TLS ClientHello's start
rc 1 "$H2DUMP" "$T/tls"
has "$T/err" "h2dump: $T/tls: not HTTP/2: no connection preface (looks like TLS: h2dump reads cleartext HTTP/2)"
rc 1 "$H2DUMP" --raw "$T/a.pcap"
has "$T/err" "h2dump: $T/a.pcap: not HTTP/2: no connection preface (a capture file: read as one without --raw)"
# a server's side without its SETTINGS: a frame, but not a start; --mid takes it
tail -c +16 $SERVER > "$T/mid.bin"
rc 1 "$H2DUMP" "$T/mid.bin"
has "$T/err" "h2dump: $T/mid.bin: not HTTP/2: no connection preface, and the first frame is not SETTINGS (--mid reads an input that starts mid-connection)"
rc 0 "$H2DUMP" --mid "$T/mid.bin"
has "$T/out" "       0  S->C  SETTINGS  flags=ACK  stream=0  length=0"
# the server's side starts with SETTINGS: even cut inside its header, or empty SETTINGS
head -c 5 $SERVER > "$T/x.bin"
rc 0 "$H2DUMP" "$T/x.bin"
has "$T/out" "       0  S->C  incomplete: 5 octets, the input ends before a whole frame header"
rc 0 "$H2DUMP" examples/captures/grpc-server.bin
has "$T/out" "       0  S->C  SETTINGS  flags=none  stream=0  length=0"
head -c 10 $CLIENT > "$T/x.bin"          # a preface cut short is still a client's start
rc 0 "$H2DUMP" "$T/x.bin"
has "$T/out" "       0  C->S  incomplete: 10 octets, the input ends before a whole preface"

head -c 100 $CLIENT > "$T/cut.bin"
rc 0 "$H2DUMP" "$T/cut.bin"
has "$T/out" "      87  C->S  PRIORITY  flags=none  stream=9  length=5"
has "$T/out" "    incomplete: 13 of 14 octets, the input ends"

echo "== --hpack (RFC 7541 Appendix C)"
if python3 tests/h2dump/rfc_c.py "$H2DUMP" C.3 C.4 C.5 C.6; then ok; else fail "RFC 7541 Appendix C"; fi
printf '# C.2.1\n400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572\n3fe101\n' > "$T/h"
rc 0 "$H2DUMP" --hpack --table "$T/h"
has "$T/out" "  custom-key: custom-header  [literal, incremental indexing, new name raw 10, raw 13]"
has "$T/out" "    [ 62] (s =  55) custom-key: custom-header"
has "$T/out" "  (dynamic table size update)  [size update 256]"
printf '82\n80\n86\n' > "$T/h"
rc 1 "$H2DUMP" --hpack "$T/h"
has "$T/out" "error: COMPRESSION_ERROR (connection error) in block 2 (line 2) at block offset 0: indexed field with index 0 (RFC 7541 §6.1)"
lacks "$T/out" "block 3"
printf '82\nnot hex\n' > "$T/h"
rc 2 "$H2DUMP" --hpack "$T/h"

echo "== two files: both directions"
rc 0 "$H2DUMP" $SERVER $CLIENT; grep -v -- "^-- two files hold no times" "$T/out" > "$T/pair.txt"
has "$T/out" "-- two files hold no times: frames are ordered by causal links (ACKs, requests, windows)"
"$H2DUMP" $CLIENT $SERVER | grep -v -- "^-- two files hold no times" > "$T/pair2.txt"; cmp -s "$T/pair.txt" "$T/pair2.txt" && ok || fail "file order matters"
# a SETTINGS ACK comes after the SETTINGS it acknowledges; responses after requests
python3 - "$T/pair.txt" <<'EOF' && ok || fail "pair order"
import sys
lines = [l for l in open(sys.argv[1]) if "  C->S  " in l or "  S->C  " in l]
idx = lambda s: next(i for i, l in enumerate(lines) if s in l)
assert idx("S->C  SETTINGS  flags=none") < idx("C->S  SETTINGS  flags=ACK")
assert idx("C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13") < idx("S->C  HEADERS  flags=END_HEADERS  stream=13")
EOF

echo "== two files: the order their causal links give (issue 14)"
$MK order "$T/oc.bin" "$T/os.bin"
rc 0 "$H2DUMP" "$T/oc.bin" "$T/os.bin"
python3 - "$T/out" <<'EOF' && ok || fail "causal order"
import sys
lines = [l for l in open(sys.argv[1]) if "  C->S  " in l or "  S->C  " in l]
idx = lambda s: next(i for i, l in enumerate(lines) if s in l)
assert idx("C->S  PING  flags=none") < idx("S->C  PING  flags=ACK")
# the 10-octet window: the second DATA waits for the WINDOW_UPDATE
assert idx("S->C  DATA  flags=none  stream=1") < idx("C->S  WINDOW_UPDATE  flags=none  stream=1") \
    < idx("S->C  DATA  flags=END_STREAM  stream=1")
# the frames of the stream the client resets come first
assert idx("S->C  DATA  flags=END_STREAM  stream=3") < idx("C->S  RST_STREAM  flags=none  stream=3")
EOF

echo "== resets, observer settings, HEAD (issue 14)"
# a cancel after the request's END_STREAM (grpc-js, recorded)
GC=examples/captures/grpc-client.bin GS=examples/captures/grpc-server.bin
rc 0 "$H2DUMP" --streams $GC $GS
has "$T/out" "    response: 25 octets of body, ended by the client's RST_STREAM (CANCEL)"
has "$T/out" "    reset by the client (CANCEL)"
rc 0 "$H2DUMP" $GC $GS
has "$T/out" "    stream 5: reset (RST_STREAM CANCEL) by a sender no longer sending on it: the stream closes for both sides"
rc 0 "$H2DUMP" --json --streams $GC $GS; json_ok "$T/out"
py "$T/out" '
s = {o["stream"]: o for o in objs if o.get("stream_summary")}
assert s[5]["reset_by"] == "client" and s[5]["reset_code"] == "CANCEL", s[5]
e = [x for o in objs for x in o.get("ends", []) if x.get("after_end")]
assert e == [{"stream": 5, "end": "RST_STREAM", "error_code": "CANCEL", "error_code_value": 8, "after_end": True}], e'
# a client that says MAX_CONCURRENT_STREAMS = 0 and ENABLE_PUSH = 0 (grpcio);
# the server says MAX_FRAME_SIZE = 32768 and sends a 20000-octet DATA frame;
# a HEAD response carries content-length and no DATA (RFC 9113 §8.1.1)
python3 - "$T/lc.bin" "$T/ls.bin" <<'EOF'
import sys, struct
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, block, PREFACE
req = lambda m, p: block([(":method", m), (":scheme", "http"), (":path", p), (":authority", "x")])
client = PREFACE + settings([(3, 0), (2, 0), (5, 32768)]) + frame(1, 5, 1, req("GET", "/a"))
client += frame(1, 5, 3, req("HEAD", "/a")) + settings(ack=True)
server = settings([(3, 100)]) + settings(ack=True)
server += frame(1, 4, 1, block([(":status", "200"), ("content-length", "20000")]))
server += frame(0, 1, 1, b"z" * 20000)
server += frame(1, 5, 3, block([(":status", "200"), ("content-length", "20000")]))
open(sys.argv[1], "wb").write(client)
open(sys.argv[2], "wb").write(server)
# the same without the client's MAX_FRAME_SIZE
open(sys.argv[1] + ".small", "wb").write(client.replace(b"\x00\x05\x00\x00\x80\x00", b"\x00\x05\x00\x00\x40\x00"))
EOF
rc 0 "$H2DUMP" --validate --streams "$T/lc.bin" "$T/ls.bin"
has "$T/out" "stream 1: GET /a -> 200"
has "$T/out" "    response: 20000 octets of body, ended by END_STREAM"
has "$T/out" "stream 3: HEAD /a -> 200"
lacks "$T/out" "error"
# one direction alone: the client's MAX_FRAME_SIZE is not known, any is allowed
rc 0 "$H2DUMP" "$T/ls.bin"
# with a client that allows 16384, the 20000-octet frame is too large: the
# error says both sizes
rc 1 "$H2DUMP" "$T/lc.bin.small" "$T/ls.bin"
contains "$T/out" "error: FRAME_SIZE_ERROR (connection error) in S->C DATA frame on stream 1 at offset"
contains "$T/out" "frame length exceeds SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2): 20000 octets, the limit is 16384"

echo "== real traffic: issue 14's defects on recordings made here (tests/traffic)"
TR=tests/traffic
# a grpcio client says MAX_CONCURRENT_STREAMS = 0: the server's responses
# are not refused (RFC 9113 §5.1.2 limits the streams the server opens)
for n in grpcio-unary grpcio-bidi grpcio-gzip grpcio-grpcjs grpcio-go; do
    rc 0 "$H2DUMP" $TR/$n-client.bin $TR/$n-server.bin; lacks "$T/out" "error: "
    rc 0 "$H2DUMP" --streams $TR/$n.pcap; lacks "$T/out" "error: "; lacks "$T/out" "(no response)"
done
rc 0 "$H2DUMP" --streams --grpc $TR/grpcio-unary.pcap
has "$T/out" "#1 stream 1: POST /h2frame.traffic.Echo/Unary -> 200"
has "$T/out" "#1     grpc-status: 0 (OK)"
# the usual cancel: RST_STREAM(CANCEL) after the request's END_STREAM
rc 0 "$H2DUMP" --streams $TR/grpcio-cancel.pcap
has "$T/out" "#1     response: 96 octets of body, ended by the client's RST_STREAM (CANCEL)"
has "$T/out" "#1     reset by the client (CANCEL)"
rc 0 "$H2DUMP" --streams $TR/grpcio-cancel-client.bin $TR/grpcio-cancel-server.bin
has "$T/out" "    reset by the client (CANCEL)"
# one direction alone, with frames above 16384 octets (grpcio advertises 4194303)
rc 0 "$H2DUMP" $TR/grpcio-large-server.bin; lacks "$T/out" "error: "
rc 0 "$H2DUMP" $TR/grpcio-large-client.bin; lacks "$T/out" "error: "
contains "$T/out" "DATA  flags=END_STREAM  stream=3  length=70020"
# Node's server-side reset, and its client's cancel (recorded with Node 20)
rc 0 "$H2DUMP" --streams $TR/node-server-reset-client.bin $TR/node-server-reset-server.bin
has "$T/out" "    response: 2000 octets of body, ended by RST_STREAM (INTERNAL_ERROR)"
has "$T/out" "    reset by the server (INTERNAL_ERROR)"
rc 0 "$H2DUMP" --streams $TR/node-client-cancel.pcap
has "$T/out" "#1     response: 2000 octets of body, ended by the client's RST_STREAM (CANCEL)"
has "$T/out" "#1     reset by the client (CANCEL)"
# pushed streams: the promised request is complete (§8.4); the client
# declines one push with RST_STREAM(CANCEL)
rc 0 "$H2DUMP" --streams $TR/node-push-client.bin $TR/node-push-server.bin
has "$T/out" "stream 4: GET /app.js -> (no response)"
[ "$(grep -c "    request: 0 octets of body, ended by the PUSH_PROMISE (a promised request is complete, RFC 9113 §8.4)" "$T/out")" = 2 ] && ok || fail "promised requests not complete"
has "$T/out" "    reset by the client (CANCEL)"
# HEAD responses carry content-length and no DATA (RFC 9113 §8.1.1): not
# malformed, whichever server sent them and whoever asked
for n in h2py-h2o-cond h2py-nghttpd-cond h2py-nginx-cond h2py-apache haproxy-cond \
         curl-head-nghttpd nghttp-head-h2o chromium-h2o chromium-nghttpd firefox-h2o go-h2c; do
    rc 0 "$H2DUMP" --validate $TR/$n-client.bin $TR/$n-server.bin; lacks "$T/out" "error: "
done
rc 0 "$H2DUMP" --validate --streams $TR/curl-head-nghttpd-client.bin $TR/curl-head-nghttpd-server.bin
contains "$T/out" "HEAD /"
# one direction of frames larger than 16384 octets (h2o to a client that
# allowed 64 KiB; Go's 20000-octet DATA)
rc 0 "$H2DUMP" $TR/h2py-h2o-bigframes-server.bin; lacks "$T/out" "error: "
rc 0 "$H2DUMP" $TR/go-h2c-client.bin; lacks "$T/out" "error: "

# two files in the order flow control allows: no DATA beyond a window the
# other side had opened by then (grpcio-frame16k's sender waits for
# WINDOW_UPDATEs)
for n in grpcio-frame16k grpcio-large curl-nghttpd; do
    f=$TR/$n; [ -f $f-client.bin ] || f=examples/captures/$n
    rc 0 "$H2DUMP" --json $f-client.bin $f-server.bin; json_ok "$T/out"
    py "$T/out" '
conn = {"C->S": 65535, "S->C": 65535}        # what each side may still send
init = {"C->S": 65535, "S->C": 65535}
sent = {}                                    # (dir, stream) -> DATA sent less updates
other = {"C->S": "S->C", "S->C": "C->S"}
data = 0
for o in objs:
    d, t = o.get("dir"), o.get("type")
    if t == "SETTINGS" and "ACK" not in o["flags"]:
        for s in o["settings"]:
            if s["id"] == 4: init[other[d]] = s["value"]
    elif t == "WINDOW_UPDATE":
        if o["stream"] == 0: conn[other[d]] += o["window_size_increment"]
        else: sent[other[d], o["stream"]] = sent.get((other[d], o["stream"]), 0) - o["window_size_increment"]
    elif t == "DATA" and o["length"]:
        data += 1
        conn[d] -= o["length"]
        sent[d, o["stream"]] = sent.get((d, o["stream"]), 0) + o["length"]
        assert conn[d] >= 0, ("connection window", o["offset"], d)
        assert sent[d, o["stream"]] <= init[d], ("stream window", o["offset"], d)
assert data > 0'
done

echo "== --streams, --save-bodies"
mkdir "$T/bodies"
rc 0 "$H2DUMP" --streams --save-bodies "$T/bodies" $CLIENT $SERVER
has "$T/out" "stream 13: GET /index.html -> 200"
has "$T/out" "stream 15: GET /big.txt -> 200"
has "$T/out" "    response: 15 octets of body (saved to $T/bodies/c1-s13-response.body), ended by END_STREAM"
has "$T/out" "    request: 0 octets of body, ended by END_STREAM"
lacks "$T/out" "PRIORITY  flags"    # streams instead of frames
[ "$(cat "$T/bodies/c1-s13-response.body")" = "hello, h2frame" ] && ok || fail "saved body of stream 13"
[ "$(tr -d x < "$T/bodies/c1-s15-response.body" | wc -c)" = 0 ] && [ "$(wc -c < "$T/bodies/c1-s15-response.body")" = 40000 ] && ok || fail "saved body of stream 15"
rc 2 "$H2DUMP" --save-bodies "$T/no/such/dir" $SERVER
contains "$T/out" "cannot write $T/no/such/dir/c1-s13-response.body"
rc 0 "$H2DUMP" --streams --json $CLIENT $SERVER; json_ok "$T/out"
py "$T/out" '
s = {o["stream"]: o for o in objs if o.get("stream_summary")}
assert sorted(s) == [13, 15], s.keys()
assert [":path", "/big.txt"] in s[15]["request"]["headers"]
assert s[15]["response"]["body_length"] == 40000 and s[15]["response"]["end"] == "END_STREAM"
assert dict(s[13]["response"]["headers"])[":status"] == "200"
assert any("type" in o for o in objs)   # frames too'

echo "== --grpc"
rc 0 "$H2DUMP" --grpc "$T/gc.bin" "$T/gs.bin"; cp "$T/out" "$T/g.txt"
has "$T/g.txt" "     199  C->S  DATA  flags=END_STREAM  stream=1  length=29"
has "$T/g.txt" "    grpc message on stream 1: compressed 0, 21 octets"
has "$T/g.txt" "      1: varint 150"
has "$T/g.txt" '      2: string "testing"'
has "$T/g.txt" "      3: message {"
has "$T/g.txt" "        1: varint 1"
has "$T/g.txt" "      4: fixed32 1065353216 (0x3f800000)"
has "$T/g.txt" "    grpc message on stream 1: compressed 0, 7 octets"
has "$T/g.txt" '      1: string "world"'
has "$T/g.txt" '      1: string "Hello world"'
has "$T/g.txt" "      grpc status: OK"
has "$T/g.txt" '      grpc message: "all good"'
# the first message is cut across two DATA frames: it completes in the second
python3 - "$T/g.txt" <<'EOF' && ok || fail "message spanning frames"
import sys
t = open(sys.argv[1]).read()
a = t.index("     181  C->S  DATA"); b = t.index("     199  C->S  DATA")
assert "grpc message" not in t[a:b] and t[b:].index("compressed 0, 21 octets") < t[b:].index("compressed 0, 7 octets")
EOF
rc 0 "$H2DUMP" --grpc --json "$T/gc.bin" "$T/gs.bin"; json_ok "$T/out"
py "$T/out" '
m = [g for o in objs for g in o.get("grpc", [])]
assert [g["length"] for g in m] == [21, 7, 15], m
assert m[0]["fields"][0] == {"field": 1, "wire_type": 0, "varint": 150}
assert m[0]["fields"][2]["message"] == [{"field": 1, "wire_type": 0, "varint": 1}]'
rc 0 "$H2DUMP" --grpc --streams "$T/g.pcap"
has "$T/out" "#1 stream 1: POST /helloworld.Greeter/SayHello -> 200"
has "$T/out" "#1     grpc: 2 request messages"
has "$T/out" "#1     grpc-status: 0 (OK)"

echo "== --streams: 1xx responses, trailers-only gRPC; --grpc: long fields cut"
python3 - "$T/c6.bin" "$T/s6.bin" <<'EOF'
import sys
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, block, grpc_msg, pb_string, PREFACE
blob = bytes(range(0x80, 0xC0))    # 64 octets: not text, not a message
msg = grpc_msg(pb_string(1, "x" * 100) + pb_string(2, blob) + pb_string(3, "short"))
client = PREFACE + settings() + settings(ack=True)
client += frame(1, 4, 1, block([(":method", "POST"), (":scheme", "http"), (":path", "/x.Svc/Find"),
                                 (":authority", "localhost"), ("content-type", "application/grpc"),
                                 ("te", "trailers")]))
client += frame(0, 1, 1, msg)
client += frame(1, 5, 3, block([(":method", "GET"), (":scheme", "http"), (":path", "/early"),
                                 (":authority", "localhost")]))
server = settings() + settings(ack=True)
# a trailers-only response: the status in the one HEADERS, with END_STREAM
server += frame(1, 5, 1, block([(":status", "200"), ("content-type", "application/grpc"),
                                 ("grpc-status", "5"), ("grpc-message", "no%20such%20thing")]))
server += frame(1, 4, 3, block([(":status", "100")]))
server += frame(1, 4, 3, block([(":status", "103"), ("link", "</style.css>; rel=preload")]))
server += frame(1, 4, 3, block([(":status", "200"), ("content-type", "text/css")]))
server += frame(0, 1, 3, b"p{}")
open(sys.argv[1], "wb").write(client)
open(sys.argv[2], "wb").write(server)
EOF
rc 0 "$H2DUMP" --streams "$T/c6.bin" "$T/s6.bin"
has "$T/out" "stream 1: POST /x.Svc/Find -> 200"
has "$T/out" "    grpc-status: 5 (NOT_FOUND), in a trailers-only response"
has "$T/out" '    grpc-message: "no such thing"'
python3 - "$T/out" <<'EOF' && ok || fail "1xx responses and their fields in --streams"
import sys
t = open(sys.argv[1]).read()
want = """    request: 0 octets of body, ended by END_STREAM
    informational response: 100
      :status: 100
    informational response: 103
      :status: 103
      link: </style.css>; rel=preload
    response headers:
      :status: 200
"""
assert want in t, t
EOF
rc 0 "$H2DUMP" --streams --json "$T/c6.bin" "$T/s6.bin"; json_ok "$T/out"
py "$T/out" '
s = {o["stream"]: o for o in objs if o.get("stream_summary")}
assert s[1]["grpc_status"] == "5" and s[1]["grpc_status_name"] == "NOT_FOUND", s[1]
assert s[1]["grpc_trailers_only"] is True and s[1]["grpc_message"] == "no such thing", s[1]
assert s[3]["response"]["informational"] == [100, 103]
assert s[3]["response"]["informational_headers"][1] == [[":status", "103"], ["link", "</style.css>; rel=preload"]]
assert "grpc_status" not in s[3]'
rc 0 "$H2DUMP" --grpc --streams "$T/gc.bin" "$T/gs.bin"    # status in trailers: as before
has "$T/out" "    grpc-status: 0 (OK)"
# protobuf strings over 48 octets and bytes over 32 are cut, their length said
rc 0 "$H2DUMP" --grpc "$T/c6.bin"
has "$T/out" '      1: string (100 octets) "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."'
has "$T/out" "      2: bytes (64) 808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f..."
has "$T/out" '      3: string "short"'
rc 0 "$H2DUMP" --grpc --json "$T/c6.bin"     # JSON keeps them whole
py "$T/out" '
f = [g for o in objs for g in o.get("grpc", [])][0]["fields"]
assert f[0]["string"] == "x" * 100 and f[1]["bytes"] == bytes(range(0x80, 0xC0)).hex(), f'

echo "== captures: pcap, pcapng, reassembly, h2c upgrade"
rc 0 "$H2DUMP" "$T/a.pcap"; cp "$T/out" "$T/a.txt"
has "$T/a.txt" "#1 -- connection 1: 127.0.0.1:40000 -> 127.0.0.1:8080: h2c with prior knowledge (client preface)"
has "$T/a.txt" "#1 [  0.004000]      115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
has "$T/a.txt" "#1 [  0.037000]    32965  S->C  DATA  flags=END_STREAM  stream=15  length=7232"
# the capture's frames are exactly the two files' frames
grep -v -- "^#1 --" "$T/a.txt" | sed 's/^#1 //; s/^\[ *[0-9]*\.[0-9]*\] //' > "$T/a2.txt"
cmp -s "$T/a2.txt" "$T/pair.txt" && ok || fail "pcap frames differ from the two files'"
for f in b.pcapng c.pcap; do
    "$H2DUMP" "$T/$f" | grep -v -- "^#1 --" | sed 's/^#1 //; s/^\[ *[0-9]*\.[0-9]*\] //' > "$T/x.txt"
    cmp -s "$T/x.txt" "$T/pair.txt" && ok || fail "$f frames differ"
done
contains "$("$H2DUMP" "$T/c.pcap" > "$T/x"; echo "$T/x")" "[0:0:0:0:0:0:0:1]:40000 -> [0:0:0:0:0:0:0:1]:8080"
rc 0 "$H2DUMP" "$T/r.pcap"
has "$T/out" "#1 -- S->C: out-of-order segment: 1000 octets at stream offset 2000 arrived before the 1000 octets preceding it; held until they come"
grep -v -- "^#1 --" "$T/out" | sed 's/^#1 //; s/^\[ *[0-9]*\.[0-9]*\] //' > "$T/x.txt"
cmp -s "$T/x.txt" "$T/pair.txt" && ok || fail "reordered capture not reassembled"
rc 0 "$H2DUMP" "$T/d.pcap"
has "$T/out" "#1 -- S->C: missing segment: 1000 octets at stream offset 2000 were not captured; the 37206 octets held after them are not decoded"
has "$T/out" "#1 [  0.005000]      179  S->C  DATA  flags=none  stream=15  length=16384"
has "$T/out" "#1     incomplete: 1821 of 16393 octets, the input ends"
lacks "$T/out" "16572  S->C  DATA"
rc 0 "$H2DUMP" --streams "$T/u.pcap"
has "$T/out" "#1 -- connection 1: 127.0.0.1:40000 -> 127.0.0.1:8080: h2c by HTTP/1.1 Upgrade (101 Switching Protocols; the request is stream 1)"
has "$T/out" "#1 stream 1: GET /up.txt -> 200"
has "$T/out" "#1     response: 10 octets of body, ended by END_STREAM"

echo "== capture times and packet numbers"
# mkdata.py captures packet i (from 0) at 1700000000 s + i ms (+ 123 ns with
# --nano); the preface and stream 13's HEADERS begin in packets 4 and 5
$MK pcap $CLIENT $SERVER "$T/n.pcap" --nano
$MK pcap $CLIENT $SERVER "$T/n.pcapng" --nano --pcapng
has "$T/a.txt" "#1 [  0.003000]        0  C->S  client connection preface (24 octets)"
has "$T/a.txt" "#1 [  0.004000]      115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
"$H2DUMP" --json "$T/a.pcap" > "$T/j"
contains "$T/j" '{"conn":1,"dir":"C->S","offset":0,"time":1700000000.003000,"packet":4,"preface":true,'
contains "$T/j" '{"conn":1,"dir":"C->S","offset":115,"time":1700000000.004000,"packet":5,"type":"HEADERS",'
for f in n.pcap n.pcapng; do   # nanoseconds: all nine decimals in JSON, µs in text
    "$H2DUMP" --json "$T/$f" > "$T/j"
    contains "$T/j" '{"conn":1,"dir":"C->S","offset":115,"time":1700000000.004000492,"packet":5,"type":"HEADERS",'
    "$H2DUMP" "$T/$f" > "$T/x.txt"
    has "$T/x.txt" "#1 [  0.004000]      115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
done
"$H2DUMP" --json "$T/b.pcapng" > "$T/j"   # pcapng's default unit, µs; times from 0 here
contains "$T/j" '{"conn":1,"dir":"C->S","offset":115,"time":0.004000,"packet":5,"type":"HEADERS",'
"$H2DUMP" --json $CLIENT > "$T/j"          # raw input: no time, no packet
lacks "$T/j" '"time"'
lacks "$T/j" '"packet"'
grep -q '^ *\[' "$T/client.txt" && fail "a time in raw input's text" || ok

head -c 300 "$T/a.pcap" > "$T/cut.pcap"
rc 1 "$H2DUMP" "$T/cut.pcap"
has "$T/out" "-- truncated pcap: packet 4 cut at octet 50 of 154"

echo "== several connections: every line of a connection starts with #n"
for opts in "" "--hex" "--table --grpc" "--streams --grpc"; do
    "$H2DUMP" $opts "$T/g.pcap" > "$T/x.txt"
    n=$(grep -vc '^#1 ' "$T/x.txt")
    [ "$n" = 0 ] && [ -s "$T/x.txt" ] && ok || fail "$opts: $n lines without #1"
done
"$H2DUMP" --grpc "$T/g.pcap" > "$T/x.txt"
has "$T/x.txt" "#1     content-type: application/grpc  [literal, without indexing, new name raw 12, raw 16]"
has "$T/x.txt" "#1       3: message {"
has "$T/x.txt" "#1         1: varint 1"
has "$T/x.txt" "#1       }"

# two connections interleaved: each keeps its own #n on all its lines
rc 0 "$H2DUMP" --grpc "$T/two.pcap"; cp "$T/out" "$T/two.txt"
has "$T/two.txt" "#2 -- connection 2: 127.0.0.1:40001 -> 127.0.0.1:8080: h2c with prior knowledge (client preface)"
has "$T/two.txt" "#2 [  0.009000]       24  S->C  HEADERS  flags=END_HEADERS  stream=1  length=44"
has "$T/two.txt" "#2     :status: 200  [literal, without indexing, new name raw 7, raw 3]"
has "$T/two.txt" '#2       1: string "Hello world"'
has "$T/two.txt" "#1     :path: /index.html  [indexed 5]"
n=$(grep -vc '^#[12] ' "$T/two.txt"); [ "$n" = 0 ] && ok || fail "two.pcap: $n lines without #n"
# each connection's lines are the connection's own dump (times aside)
grep '^#2 ' "$T/two.txt" | sed 's/^#2 //; s/^\[ *[0-9]*\.[0-9]*\] //' | grep -v '^-- ' > "$T/x.txt"
"$H2DUMP" --grpc "$T/g2.pcap" | sed 's/^#1 //; s/^\[ *[0-9]*\.[0-9]*\] //' | grep -v '^-- ' > "$T/y.txt"
cmp -s "$T/x.txt" "$T/y.txt" && [ -s "$T/x.txt" ] && ok || fail "connection 2 of two.pcap differs from g2.pcap"

echo "== --conn N, --stream N"
rc 0 "$H2DUMP" --grpc --conn 2 "$T/two.pcap"
grep -v '^#1 ' "$T/two.txt" > "$T/x.txt"
cmp -s "$T/out" "$T/x.txt" && ok || fail "--conn 2 is not connection 2's lines"
rc 0 "$H2DUMP" --conn=1 "$T/two.pcap"
lacks "$T/out" "#2 "
has "$T/out" "#1 [  0.008000]      115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
rc 0 "$H2DUMP" --conn 3 "$T/two.pcap"
has "$T/out" "-- connection 3 is not an HTTP/2 connection of the capture"
[ "$(wc -l < "$T/out")" = 1 ] && ok || fail "--conn 3 of two printed more than the note"
$MK pcap "$T/h1.txt" "$T/h1.txt" "$T/h1.pcap"      # HTTP/1.1 both ways: no HTTP/2 in it
rc 0 "$H2DUMP" "$T/h1.pcap"
has "$T/out" "#1 -- C->S: HTTP/1.1 without Upgrade: h2c (not HTTP/2)"
has "$T/out" "-- no HTTP/2 connection in the capture's 7 packets"
# only the frames whose header says stream N (http2.streamid == N)
rc 0 "$H2DUMP" --stream 13 $CLIENT $SERVER
grep -E '^ +[0-9]+  (C->S|S->C)  ' "$T/out" | sed 's/.*  stream=\([0-9]*\)  .*/\1/' | sort -u > "$T/x.txt"
[ "$(cat "$T/x.txt")" = 13 ] && ok || fail "--stream 13 shows streams $(cat "$T/x.txt" | tr '\n' ' ')"
has "$T/out" "     115  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=13  length=39"
has "$T/out" '    data: 15 octets "hello, h2frame\n"'
lacks "$T/out" "client connection preface"
rc 0 "$H2DUMP" --stream 0 $CLIENT $SERVER
grep -E '^ +[0-9]+  (C->S|S->C)  ' "$T/out" | sed 's/.*  stream=\([0-9]*\)  .*/\1/' | sort -u > "$T/x.txt"
[ "$(cat "$T/x.txt")" = 0 ] && ok || fail "--stream 0 shows streams $(cat "$T/x.txt" | tr '\n' ' ')"
has "$T/out" "     200  C->S  GOAWAY  flags=none  stream=0  length=8"
rc 0 "$H2DUMP" --stream 1 --grpc --streams "$T/two.pcap"
has "$T/out" "#2 stream 1: POST /helloworld.Greeter/SayHello -> 200"
lacks "$T/out" "#1 stream"
rc 0 "$H2DUMP" --stream 15 --streams --json "$T/two.pcap"; json_ok "$T/out"
py "$T/out" '
s = [o for o in objs if o.get("stream_summary")]
assert [(o["conn"], o["stream"]) for o in s] == [(1, 15)], s'
rc 0 "$H2DUMP" --stream 1 --json "$T/two.pcap"
py "$T/out" '
f = [o for o in objs if "type" in o]
assert f and all(o["stream"] == 1 and o["conn"] == 2 for o in f), f'
# a connection error shows whatever its frame; a stream error only with its stream
rc 1 "$H2DUMP" --stream 1 "$T/ping.bin"
has "$T/out" "error: FRAME_SIZE_ERROR (connection error) in S->C PING frame on stream 0 at offset 15: PING payload must be 8 octets (RFC 9113 §6.7)"
lacks "$T/out" "PING  flags"
rc 1 "$H2DUMP" --stream 5 "$T/serr.bin"
[ -s "$T/out" ] && fail "--stream 5 shows stream 3's error" || ok
rc 1 "$H2DUMP" --stream 3 "$T/serr.bin"
contains "$T/out" "error: PROTOCOL_ERROR (stream error on stream 3) in C->S PRIORITY frame on stream 3 at offset 33"
rc 2 "$H2DUMP" --stream x $CLIENT
has "$T/err" "h2dump: --stream takes a stream identifier (0 to 2147483647), not x"
rc 2 "$H2DUMP" --stream=2147483648 $CLIENT
rc 2 "$H2DUMP" --conn 0 $CLIENT
has "$T/err" "h2dump: --conn takes a connection number (1, 2, ...), not 0"
rc 2 "$H2DUMP" $CLIENT --conn

echo "== plural forms"
python3 - "$T/one.bin" <<'EOF'
import sys
sys.path.insert(0, "tests/h2dump")
from mkdata import frame, settings, PREFACE
blk = b"\x82\x86\x84\x41\x01x"   # GET http / and :authority "x", incremental indexing
open(sys.argv[1], "wb").write(PREFACE + settings() + frame(1, 0x0c, 1, b"\x01" + blk + b"\x00")
                              + frame(0, 1, 1, b"y") + frame(0xfa, 0, 0, b"z"))
EOF
rc 0 "$H2DUMP" --table "$T/one.bin"
has "$T/out" "    padding: 1 octet"
has "$T/out" '    data: 1 octet "y"'
has "$T/out" "    unknown frame type: 1 octet ignored (RFC 9113 §4.1, §5.5)"
has "$T/out" "    dynamic table: 1 entry, 43/4096 octets (added 1, evicted 0)"
rc 0 "$H2DUMP" --streams "$T/one.bin"
has "$T/out" "    request: 1 octet of body, ended by END_STREAM"
head -c 34 "$T/one.bin" > "$T/x.bin"
rc 0 "$H2DUMP" "$T/x.bin"
has "$T/out" "      33  C->S  incomplete: 1 octet, the input ends before a whole frame header"
rc 0 "$H2DUMP" --grpc --streams "$T/gc.bin" "$T/gs.bin"
has "$T/out" "    grpc: 1 response message"
printf '82\n' > "$T/h"
rc 0 "$H2DUMP" --hpack "$T/h"
has "$T/out" "block 1 (line 1, 1 octet)"

echo "== --mid: captures that start mid-connection, mid-frame (issue 14)"
TC=examples/captures/nghttp-table-client.bin
TS=examples/captures/nghttp-table-server.bin
# the server's side from octet 1000, inside its first 16384-octet DATA frame
tail -c +1001 $TS > "$T/mid-s.bin"
rc 1 "$H2DUMP" "$T/mid-s.bin"
rc 0 "$H2DUMP" --mid "$T/mid-s.bin"
has "$T/out" "-- S->C: skipped 15648 octets to the first frame boundary"
has "$T/out" "   15648  S->C  DATA  flags=none  stream=15  length=16384"
has "$T/out" "   32041  S->C  DATA  flags=END_STREAM  stream=15  length=7232"
lacks "$T/out" "error"
# the client's side from octet 130, inside its first HEADERS: the second
# request refers to the entries the first one added (RFC 7541 §2.3.3); its
# first field (:method) says it is the client's side
tail -c +131 $TC > "$T/mid-c.bin"
rc 0 "$H2DUMP" --mid "$T/mid-c.bin"
has "$T/out" "-- C->S: skipped 39 octets to the first frame boundary"
has "$T/out" "      39  C->S  HEADERS  flags=END_STREAM|END_HEADERS|PRIORITY  stream=15  length=19"
has "$T/out" "    :method: GET  [indexed 2]"
has "$T/out" "    :path: /big.txt  [literal, without indexing, name index 4, huffman 6→8]"
has "$T/out" "    <unknown>: <unknown>  [indexed 64, from before the capture]"
has "$T/out" "    accept-encoding: gzip, deflate  [indexed 16]"
has "$T/out" "    <unknown>: <unknown>  [indexed 62, from before the capture]"
has "$T/out" "    end of header block: request"
has "$T/out" "      67  C->S  GOAWAY  flags=none  stream=0  length=8"
rc 0 "$H2DUMP" --mid --json "$T/mid-c.bin"; json_ok "$T/out"
py "$T/out" 'h = [o for o in objs if o.get("type") == "HEADERS"][0]
assert h["headers"][3] == [None, None] and h["headers"][5] == ["accept-encoding", "gzip, deflate"]
assert h["fields"][3]["unknown"] is True and h["fields"][3]["index"] == 64
assert "unknown" not in h["fields"][0]
assert objs[0] == {"note": "resync", "conn": 1, "dir": "C->S", "text": "skipped 39 octets to the first frame boundary"}'
rc 0 "$H2DUMP" --mid --streams "$T/mid-c.bin"
has "$T/out" "      <unknown>: <unknown>"
has "$T/out" "      :path: /big.txt"
# entries added after the boundary are learned: indexed right after later
# insertions, a literal naming an old entry keeps its value, and a
# CONTINUATION of a block from before the boundary is skipped
python3 - "$T/learn.bin" "$T/cont-mid.bin" "$T/side-s.bin" "$T/side-c.bin" <<'PY'
import sys
def frame(t, fl, s, p): return len(p).to_bytes(3, "big") + bytes([t, fl]) + s.to_bytes(4, "big") + p
ping = frame(6, 0, 0, bytes(8))
a = frame(1, 4, 1, bytes.fromhex("7e027631" "4005782d6e65770131" "82"))
b = frame(1, 5, 3, bytes.fromhex("bebfc084"))
open(sys.argv[1], "wb").write(b"x" * 20 + a + b + ping)
c = frame(9, 4, 1, bytes.fromhex("8284"))
open(sys.argv[2], "wb").write(b"x" * 5 + c + frame(1, 5, 3, bytes.fromhex("82")) + ping + ping)
# whose side: the first field after a size update of three octets
open(sys.argv[3], "wb").write(b"x" * 3 + frame(1, 5, 1, bytes.fromhex("3fe11f88")) + ping + ping)
open(sys.argv[4], "wb").write(b"x" * 3 + frame(1, 5, 1, bytes.fromhex("3fe11f82")) + ping + ping)
PY
rc 0 "$H2DUMP" --mid "$T/learn.bin"
has "$T/out" "-- S->C: skipped 20 octets to the first frame boundary"
has "$T/out" "    <unknown>: v1  [literal, incremental indexing, name index 62 from before the capture, raw 2]"
has "$T/out" "    x-new: 1  [literal, incremental indexing, new name raw 5, raw 1]"
has "$T/out" "    x-new: 1  [indexed 62]"
has "$T/out" "    <unknown>: v1  [indexed 63, from before the capture]"
has "$T/out" "    <unknown>: <unknown>  [indexed 64, from before the capture]"
has "$T/out" "    :path: /  [indexed 4]"
rc 0 "$H2DUMP" --mid --table "$T/learn.bin"
has "$T/out" "      [63] <unknown>: v1  (new)"
has "$T/out" "      [64...] entries from before the capture, if any: unknown"
rc 0 "$H2DUMP" --mid --table --json "$T/learn.bin"
py "$T/out" 't = [o for o in objs if o.get("type") == "HEADERS"][1]["table"]
assert t["entries"] == [["x-new", "1"], [None, "v1"]] and t["history_unknown"] is True'
rc 0 "$H2DUMP" --mid "$T/cont-mid.bin"
has "$T/out" "-- C->S: skipped 5 octets to the first frame boundary"
has "$T/out" "-- C->S: CONTINUATION of a header block that began before the capture: 11 octets not decoded"
has "$T/out" "      16  C->S  HEADERS  flags=END_STREAM|END_HEADERS  stream=3  length=1"
lacks "$T/out" "error"
rc 0 "$H2DUMP" --mid "$T/side-s.bin"
has "$T/out" "       3  S->C  HEADERS  flags=END_STREAM|END_HEADERS  stream=1  length=4"
has "$T/out" "    :status: 200  [indexed 8]"
rc 0 "$H2DUMP" --mid "$T/side-c.bin"
has "$T/out" "       3  C->S  HEADERS  flags=END_STREAM|END_HEADERS  stream=1  length=4"
has "$T/out" "    :method: GET  [indexed 2]"
# octets with no frame in them
head -c 3000 /dev/zero | tr '\0' 'x' > "$T/noframe.bin"
rc 0 "$H2DUMP" --mid "$T/noframe.bin"
has "$T/out" "-- S->C: no frame boundary found: 3000 octets skipped"
# without --mid nothing changes: a reference past the table is an error
rc 1 "$H2DUMP" "$T/learn.bin"

echo "== --mid and --port on captures"
if command -v editcap >/dev/null; then
    # grpc.pcap from packet 14: both sides start at a frame, after the
    # first exchange filled both HPACK tables
    editcap -r examples/captures/grpc.pcap "$T/g14.pcap" 14-30 2>/dev/null
    rc 0 "$H2DUMP" "$T/g14.pcap"
    has "$T/out" "#1 -- connection 1: 127.0.0.1:34244 -> 127.0.0.1:18480: not HTTP/2"
    rc 0 "$H2DUMP" --mid "$T/g14.pcap"
    has "$T/out" "#1 -- connection 1: 127.0.0.1:34244 -> 127.0.0.1:18480: HTTP/2 frames found mid-connection (--mid)"
    has "$T/out" "#1 [  0.000000]        0  C->S  HEADERS  flags=END_HEADERS  stream=3  length=30"
    has "$T/out" "#1     :path: /h2frame.demo.Greeter/Count  [literal, without indexing, name index 4, huffman 20→27]"
    has "$T/out" "#1     <unknown>: <unknown>  [indexed 67, from before the capture]"
    has "$T/out" "#1 [  0.003586]       14  S->C  DATA  flags=none  stream=3  length=23"
    rc 0 "$H2DUMP" --port 18480 "$T/g14.pcap"
    has "$T/out" "#1 -- connection 1: 127.0.0.1:34244 -> 127.0.0.1:18480: HTTP/2 by --port 18480 (the side on port 18480 is the server)"
    has "$T/out" "#1     <unknown>: <unknown>  [indexed 67, from before the capture]"
    rc 0 "$H2DUMP" --port 18481 "$T/g14.pcap"
    has "$T/out" "#1 -- connection 1: 127.0.0.1:34244 -> 127.0.0.1:18480: not HTTP/2"
    # the nghttp connection from packet 14: the server's side starts inside
    # a DATA frame (a segment of 16000 octets of it was not captured)
    python3 tests/crosscheck/mkpcap.py $TC $TS "$T/nt.pcap" 8080
    editcap -r "$T/nt.pcap" "$T/nt14.pcap" 14-18 2>/dev/null
    rc 0 "$H2DUMP" --mid "$T/nt14.pcap"
    has "$T/out" "#1 -- S->C: skipped 417 octets to the first frame boundary"
    has "$T/out" "#1 [  0.000000]      417  S->C  DATA  flags=none  stream=15  length=16384"
    has "$T/out" "#1     stream 15: the sender's side ends (END_STREAM)"
    rc 1 "$H2DUMP" --port 8080 "$T/nt14.pcap"
    contains "$T/out" "FRAME_SIZE_ERROR"
else
    echo "   (editcap missing: skipped)"
fi
# h2c with prior knowledge is found on any port: the preface decides
python3 tests/crosscheck/mkpcap.py $CLIENT $SERVER "$T/p9.pcap" 9
rc 0 "$H2DUMP" "$T/p9.pcap"
has "$T/out" "#1 -- connection 1: 127.0.0.1:40000 -> 127.0.0.1:9: h2c with prior knowledge (client preface)"
rc 2 "$H2DUMP" --port 0 "$T/p9.pcap"
rc 2 "$H2DUMP" --port 65536 "$T/p9.pcap"
rc 2 "$H2DUMP" --port x "$T/p9.pcap"
rc 2 "$H2DUMP" --port

echo "== colour"
"$H2DUMP" --color=always $CLIENT | grep -q $'\033\[' && ok || fail "--color=always"
"$H2DUMP" $CLIENT | grep -q $'\033' && fail "colour in a pipe" || ok
if command -v script >/dev/null; then
    script -qec "$H2DUMP $CLIENT" /dev/null | grep -q $'\033\[' && ok || fail "colour on a terminal"
    NO_COLOR=1 script -qec "$H2DUMP $CLIENT" /dev/null | grep -q $'\033\[' && fail "NO_COLOR ignored" || ok
fi

echo "== inputs that once crashed it (found by fuzz_h2dump under UBSan; the fuzz"
echo "   smoke runs them again with the sanitizers from fuzz/corpus/fuzz_h2dump)"
# a TCP sequence number gap of 2^31: a signed negation of INT32_MIN
rc 1 "$H2DUMP" --streams tests/h2dump/regression/tcp-seq-int32-min.pcap
has "$T/out" "-- truncated pcap: packet 10 cut at octet 1 of its 16-octet record header"
# a header block of size updates alone: a NULL buffer plus 0
rc 1 "$H2DUMP" tests/h2dump/regression/size-update-only-block.bin
contains "$T/out" "error:"

echo "h2dump: $checks checks passed, $fails failed"
[ "$fails" = 0 ]
