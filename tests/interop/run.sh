#!/bin/bash
# Interop tests of examples/h2c-server and examples/h2c-client against
# independent HTTP/2 implementations, over loopback only:
#   nghttp2 (nghttp, h2load, nghttpd), curl, Node's http2 module,
#   nginx, h2o, and python3-h2 (plus raw frames for the error cases).
#
#   tests/interop/run.sh            (make interop builds and installs first)
#   SERVER=... CLIENT=... run.sh    other builds of the examples (e.g. ASan)
#
# One PASS/FAIL line per check; exit status 1 if any failed. Every peer
# command runs under `timeout`, every port is chosen free, and every process
# started here is stopped on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SERVER=${SERVER:-$TOP/build/h2c-server}
CLIENT=${CLIENT:-$TOP/build/h2c-client}
PY=/usr/bin/python3   # Debian's, which has python3-h2
NODE=${NODE:-node}

T=$(mktemp -d /tmp/h2c-interop.XXXXXX)
chmod 755 "$T"        # nginx and h2o read the docroot as nobody
PIDS=()
NGHTTPD_H2LOAD="?"
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

passes=0
fails=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# check NAME COMMAND...: PASS if the command succeeds.
check() {
    local name=$1
    shift
    if "$@" > "$T/check.log" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$T/check.log" | tail -15; fi
}

# ---- the documents ------------------------------------------------------------
# Sizes around the frame size (16384) and the windows, generated from a
# fixed seed so that every run serves the same bytes.
W=$T/www
mkdir -p "$W"
gen() { $PY -c 'import random,sys; r=random.Random(sys.argv[1]); sys.stdout.buffer.write(r.randbytes(int(sys.argv[2])))' "$1" "$2"; }
printf 'hello, h2frame\n' > "$W/small.txt"
printf '<!doctype html><title>h2c</title>\n' > "$W/index.html"
: > "$W/empty.txt"
gen a 16384 > "$W/16k.bin"
gen b 16385 > "$W/16k1.bin"
gen c 65536 > "$W/64k.bin"
gen d 100000 > "$W/100k.bin"
gen e 5242880 > "$W/5m.bin"
gen f 1048576 > "$T/upload.bin"
FILES="small.txt index.html empty.txt 16k.bin 16k1.bin 64k.bin 100k.bin 5m.bin"
chmod 755 "$W"
chmod 644 "$W"/* "$T/upload.bin"

# ---- helpers -------------------------------------------------------------------
# listening FILE TRIES: waits (TRIES tenths of a second at most) for a
# server to print "listening on ADDR PORT" into FILE; sets PORT.
listening() {
    local i
    for i in $(seq 1 "$2"); do
        PORT=$(awk '/^listening on/ {print $4}' "$1")
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    return 1
}

# start_ours NAME ARGS...: starts the example server on a free port; sets
# PORT and SPID.
start_ours() {
    local name=$1
    shift
    "$SERVER" -p 0 -d "$W" "$@" > "$T/$name.out" 2> "$T/$name.err" &
    SPID=$!
    PIDS+=("$SPID")
    listening "$T/$name.out" 50 && return 0
    echo "the example server did not start:"; cat "$T/$name.err"; return 1
}

# stop_ours NAME: SIGTERM, then the server must exit 0 (graceful shutdown;
# under ASan also: no leak, no error) within 15 seconds.
stop_ours() {
    local name=$1 i rc
    kill -TERM "$SPID"
    for i in $(seq 1 150); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    wait "$SPID"; rc=$?
    if [ "$rc" = 0 ] && ! grep -q "Sanitizer" "$T/$name.err"; then
        pass "example server ($name) exits 0 on SIGTERM"
    else
        fail "example server ($name) exits 0 on SIGTERM (status $rc)"; tail -20 "$T/$name.err"
    fi
}

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# start_peer NAME COMMAND...: runs a peer server whose command line holds
# @PORT@ (replaced by a free port); retries if the port was taken meanwhile.
start_peer() {
    local name=$1 try
    shift
    for try in 1 2 3; do
        PORT=$(free_port)
        timeout 120 "${@//@PORT@/$PORT}" > "$T/$name.log" 2>&1 &
        PPID_=$!
        PIDS+=("$PPID_")
        wait_port "$PORT" && kill -0 "$PPID_" 2>/dev/null && return 0
        kill "$PPID_" 2>/dev/null
    done
    echo "$name did not start:"; cat "$T/$name.log"; return 1
}

# fetch_all LABEL URLBASE [CLIENT OPTIONS]: the example client fetches every
# file (each three times) on one connection; every byte must match.
fetch_all() {
    local label=$1 base=$2 urls=() f i n ok=1
    shift 2
    for i in 1 2 3; do for f in $FILES; do urls+=("$base/$f"); done; done
    rm -rf "$T/got"; mkdir "$T/got"
    if ! timeout 60 "$CLIENT" -q -o "$T/got" "$@" "${urls[@]}" 2> "$T/client.err"; then
        fail "$label: example client exit status"; tail -5 "$T/client.err"; return
    fi
    n=0
    for i in 1 2 3; do for f in $FILES; do
        n=$((n + 1))
        cmp -s "$W/$f" "$T/got/$n" || { ok=0; echo "    $f (response $n) differs"; }
        grep -q "^\[$n\] 200 " "$T/client.err" || { ok=0; echo "    response $n: not 200"; }
    done; done
    if [ $ok = 1 ]; then pass "$label: $n responses, every byte matches"; else fail "$label"; fi
}

# post_echo LABEL URL COUNT [CLIENT OPTIONS]: COUNT concurrent POSTs of 1 MiB
# to an echo; every echo must be the upload.
post_echo() {
    local label=$1 url=$2 count=$3 urls=() i ok=1
    shift 3
    for i in $(seq 1 "$count"); do urls+=("$url"); done
    rm -rf "$T/got"; mkdir "$T/got"
    if ! timeout 60 "$CLIENT" -q -o "$T/got" -d "$T/upload.bin" "$@" "${urls[@]}" 2> "$T/client.err"; then
        fail "$label: example client exit status"; tail -5 "$T/client.err"; return
    fi
    for i in $(seq 1 "$count"); do cmp -s "$T/upload.bin" "$T/got/$i" || ok=0; done
    if [ $ok = 1 ]; then pass "$label: $count echoes of 1 MiB match"; else fail "$label"; fi
}

# h2load_run URL: prints "<req/s> <status line>", fails unless 0 failed, 0 errored
h2load_run() {
    timeout 60 h2load -n 20000 -c 10 -m 10 "$1" > "$T/h2load.log" 2>&1
    local reqs rps
    reqs=$(grep '^requests:' "$T/h2load.log")
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$T/h2load.log")
    echo "$rps $reqs"
    [[ "$reqs" == *"20000 succeeded, 0 failed, 0 errored, 0 timeout"* ]]
}

curl_h2() { timeout 30 curl -sS --http2-prior-knowledge "$@"; }

echo "== example server: $SERVER"
start_ours main -q || exit 1
U=http://127.0.0.1:$PORT

# ---- curl (one request per run: curl 7.88 cannot reuse a prior-knowledge connection) ----
t_curl_get() { [ "$(curl_h2 -o "$T/c.out" -w '%{http_code} %{http_version}' "$U/$1")" = "200 2" ] && cmp "$W/$1" "$T/c.out"; }
check "curl GET /small.txt (HTTP/2, bytes match)" t_curl_get small.txt
check "curl GET /empty.txt" t_curl_get empty.txt
check "curl GET /16k1.bin" t_curl_get 16k1.bin
check "curl GET /5m.bin (5 MiB, bytes match)" t_curl_get 5m.bin
t_curl_post() { [ "$(curl_h2 -o "$T/c.out" -w '%{http_code}' --data-binary @"$T/upload.bin" "$U/echo")" = 200 ] && cmp "$T/upload.bin" "$T/c.out"; }
check "curl POST 1 MiB, echo matches" t_curl_post
t_curl_head() { curl_h2 -I "$U/5m.bin" > "$T/c.out" && grep -q '^HTTP/2 200' "$T/c.out" && grep -qi '^content-length: 5242880' "$T/c.out"; }
check "curl HEAD /5m.bin (content-length, no body)" t_curl_head
t_curl_404() { [ "$(curl_h2 -o /dev/null -w '%{http_code}' "$U/no-such-file")" = 404 ]; }
check "curl GET of a missing file: 404" t_curl_404
t_curl_index() { [ "$(curl_h2 -o "$T/c.out" -w '%{http_code}' "$U/")" = 200 ] && cmp "$W/index.html" "$T/c.out"; }
check "curl GET / serves index.html" t_curl_index

# ---- nghttp ---------------------------------------------------------------------
t_nghttp_one() { timeout 30 nghttp -nv "$U/small.txt" > "$T/n.out" && [ "$(grep -c 'recv (stream_id=[0-9]*) :status: 200' "$T/n.out")" = 1 ]; }
check "nghttp -nv GET (SETTINGS exchange, 200)" t_nghttp_one
t_nghttp_m100() { timeout 60 nghttp -nv -m 100 "$U/100k.bin" > "$T/n.out" && [ "$(grep -c 'recv (stream_id=[0-9]*) :status: 200' "$T/n.out")" = 100 ]; }
check "nghttp -nv -m 100 (100 multiplexed requests, 100 responses)" t_nghttp_m100
t_nghttp_many() {
    local f urls=()
    for f in $FILES; do urls+=("$U/$f"); done
    timeout 60 nghttp -nv "${urls[@]}" > "$T/n.out" && [ "$(grep -c 'recv (stream_id=[0-9]*) :status: 200' "$T/n.out")" = 8 ]
}
check "nghttp -nv, 8 files on one connection" t_nghttp_many
t_nghttp_upload() {
    timeout 30 nghttp -nv -d "$T/upload.bin" "$U/echo" > "$T/n.out" && grep -q 'recv (stream_id=[0-9]*) :status: 200' "$T/n.out" &&
        timeout 30 nghttp -d "$T/upload.bin" "$U/echo" > "$T/n.body" && cmp "$T/upload.bin" "$T/n.body"
}
check "nghttp -d (1 MiB upload, echo matches)" t_nghttp_upload
t_nghttp_window() { timeout 60 nghttp -w 12 -W 16 "$U/5m.bin" > "$T/n.body" && cmp "$W/5m.bin" "$T/n.body"; }
check "nghttp with 4 KiB stream / 64 KiB connection windows: 5 MiB matches" t_nghttp_window

# ---- h2load ---------------------------------------------------------------------
OURS_H2LOAD=$(h2load_run "$U/small.txt") && pass "h2load -n 20000 -c 10 -m 10: $OURS_H2LOAD" ||
    fail "h2load -n 20000 -c 10 -m 10: $OURS_H2LOAD"

# ---- Node and python3-h2 clients ----------------------------------------------
check "Node http2 client: GETs, HEAD, 404, POST with trailers" \
    timeout 60 $NODE "$HERE/node_client.js" "$PORT" "$W" "$T/upload.bin" $FILES
check "python3-h2 client: GETs, POST with trailers, its own small window" \
    timeout 60 $PY "$HERE/h2_client.py" fetch "$PORT" "$W" "$T/upload.bin" $FILES
check "raw frames: RST_STREAM and GOAWAY with the right codes, PING ACK" \
    timeout 60 $PY "$HERE/h2_client.py" errors "$PORT"
check "raw frames: a cancel after END_STREAM (RST_STREAM CANCEL) stops the response" \
    timeout 60 $PY "$HERE/h2_client.py" cancel "$PORT" 5m.bin

# ---- the example client against the example server ---------------------------
fetch_all "example client -> example server" "$U"
post_echo "example client -> example server, POST" "$U/echo" 8
stop_ours main

# small windows and few streams on both sides
start_ours small -q -w 16384 -m 4 || exit 1
fetch_all "example client (16 KiB window) -> example server (16 KiB window, 4 streams)" \
    "http://127.0.0.1:$PORT" -w 16384
post_echo "example client -> example server (16 KiB windows, 4 streams), POST" \
    "http://127.0.0.1:$PORT/echo" 10 -w 16384
stop_ours small

# graceful shutdown in the middle of a download
start_ours shutdown -q || exit 1
check "SIGTERM mid-download: GOAWAY(2^31-1), PING, GOAWAY(1), download completes, listener closed" \
    timeout 60 $PY "$HERE/h2_client.py" shutdown "$PORT" "$W" 5m.bin "$SPID"
for i in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
wait "$SPID" && pass "example server exits 0 after the graceful shutdown" ||
    fail "example server exits 0 after the graceful shutdown"

# over IPv6 loopback, if the machine has it
if $PY -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1",0))' 2>/dev/null; then
    start_ours ipv6 -q -a ::1 || exit 1
    t_curl_v6() { [ "$(curl_h2 -o "$T/c.out" -w '%{http_code}' "http://[::1]:$PORT/100k.bin")" = 200 ] && cmp "$W/100k.bin" "$T/c.out"; }
    check "curl over ::1" t_curl_v6
    fetch_all "example client -> example server over ::1" "http://[::1]:$PORT"
    stop_ours ipv6
fi

# ---- the example client against other servers ---------------------------------
echo "== nghttpd"
if start_peer nghttpd nghttpd --no-tls --echo-upload -d "$W" @PORT@; then
    fetch_all "example client -> nghttpd" "http://127.0.0.1:$PORT"
    fetch_all "example client (1 KiB window) -> nghttpd" "http://127.0.0.1:$PORT" -w 1024
    post_echo "example client -> nghttpd --echo-upload" "http://127.0.0.1:$PORT/echo" 4
    NGHTTPD_H2LOAD=$(h2load_run "http://127.0.0.1:$PORT/small.txt")
    echo "INFO: h2load against nghttpd, same command: $NGHTTPD_H2LOAD"
    kill "$PPID_"
else
    fail "nghttpd starts"
fi

echo "== Node http2 server"
start_node() {
    $NODE "$HERE/node_server.js" "$W" "$@" > "$T/node.out" 2>&1 &
    PPID_=$!
    PIDS+=("$PPID_")
    listening "$T/node.out" 100 && return 0
    cat "$T/node.out"; return 1
}
if start_node 65535 100; then
    fetch_all "example client -> Node http2 server" "http://127.0.0.1:$PORT"
    post_echo "example client -> Node http2 server, POST" "http://127.0.0.1:$PORT/echo" 4
    kill "$PPID_"
else
    fail "Node server starts"
fi
if start_node 8192 5; then
    fetch_all "example client -> Node (8 KiB window, 5 streams)" "http://127.0.0.1:$PORT"
    post_echo "example client -> Node (8 KiB window, 5 streams), POST" "http://127.0.0.1:$PORT/echo" 12
    kill "$PPID_"
else
    fail "Node server starts"
fi

echo "== nginx"
mkdir -p "$T/nginx"
write_nginx_conf() {
    cat > "$T/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
user nobody nogroup;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    default_type application/octet-stream;
    server { listen 127.0.0.1:$1 http2; root $W; }
}
EOF
}
nginx_cmd() { write_nginx_conf "$1"; exec nginx -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" -p "$T/nginx/"; }
export -f nginx_cmd write_nginx_conf
export T W
if start_peer nginx bash -c 'nginx_cmd @PORT@'; then
    fetch_all "example client -> nginx" "http://127.0.0.1:$PORT"
    fetch_all "example client (1 KiB window) -> nginx" "http://127.0.0.1:$PORT" -w 1024
    kill "$PPID_"
else
    fail "nginx starts"
fi

echo "== h2o"
mkdir -p "$T/h2o"
h2o_cmd() {
    cat > "$T/h2o/h2o.conf" <<EOF
listen:
  host: 127.0.0.1
  port: $1
user: nobody
error-log: $T/h2o/error.log
hosts:
  default:
    paths:
      /:
        file.dir: $W
EOF
    exec h2o -c "$T/h2o/h2o.conf"
}
export -f h2o_cmd
if start_peer h2o bash -c 'h2o_cmd @PORT@'; then
    fetch_all "example client -> h2o" "http://127.0.0.1:$PORT"
    fetch_all "example client (1 KiB window) -> h2o" "http://127.0.0.1:$PORT" -w 1024
    kill "$PPID_"
else
    fail "h2o starts"
fi

echo "== h2load req/s, same command (-n 20000 -c 10 -m 10, /small.txt):"
echo "   example server: ${OURS_H2LOAD%% *} req/s, nghttpd: ${NGHTTPD_H2LOAD%% *} req/s"
echo "== $passes passed, $fails failed"
[ "$fails" = 0 ]
