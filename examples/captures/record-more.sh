#!/bin/sh
# Records the captures next to this script that record.sh does not: real
# peers on loopback, one connection each, through tools/relay.py, which
# writes each direction's octets to its own file (NAME-client.bin: what the
# client sent, from the connection preface on; NAME-server.bin: what the
# server sent). tests/crosscheck/ checks h2dump against tshark and
# python3-hyperframe/python3-hpack on all of them; docs/wire-format.md
# walks through them.
#
#   curl-nghttpd   curl --http2-prior-knowledge POSTs 40000 octets to Debian's
#                  nghttpd, which echoes them (--echo-upload). nghttpd pads
#                  its frames (--padding=16), advertises a 16383-octet stream
#                  window (-w 14: WINDOW_UPDATEs) and a 256-octet HPACK table
#                  (-c 256).
#   curl-h2c       curl --http2-prior-knowledge GETs from the project's
#                  example server (build/h2c-server) with a 20000-octet
#                  header field: HEADERS + CONTINUATION; the server refuses a
#                  header list that large with RST_STREAM (ENHANCE_YOUR_CALM).
#   nghttp-table   nghttp fetches two files from nghttpd announcing a 256-octet
#                  header table (-c 256): nghttpd's encoder starts with a
#                  dynamic table size update and evicts entries.
#   grpc           a @grpc/grpc-js client calls a @grpc/grpc-js server
#                  (grpc/*.js, grpc/demo.proto; h2c, insecure): a unary call,
#                  a server-streaming call, and a streaming call the client
#                  cancels (RST_STREAM CANCEL). Also grpc.pcap, the same
#                  connection (the relay-to-server leg) as tcpdump saw it.
#
# Usage: record-more.sh [NAME...]   (default: all four). Run as root on
# Debian to have missing packages installed (nghttp2-client nghttp2-server
# curl nodejs npm tcpdump); grpc-js is installed with npm under
# build/grpc-node/ (ignored by git). Recording needs the network for npm
# only; the recorded files are committed, so the tests need neither.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
relay="$top/tools/relay.py"
GRPC_JS=1.14.3
PROTO_LOADER=0.8.0

need_pkg() {   # need_pkg COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "record-more.sh: needs $1 (sudo apt-get install $2)" >&2; exit 1
    fi
    echo "record-more.sh: installing Debian's $2" >&2
    (apt-get install -y -q "$2" || (apt-get update -q && apt-get install -y -q "$2")) >/dev/null
}

work=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/www"
printf 'hello, h2frame\n' > "$work/www/index.html"
head -c 40000 /dev/zero | tr '\0' 'x' > "$work/www/big.txt"
chmod -R a+rX "$work"

wait_port() {  # wait until something listens on 127.0.0.1:$1
    python3 - "$1" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("nothing listens on port " + sys.argv[1])
EOF
}

# start_relay NAME PORT TARGET: the relay in the background (pid in $rel)
start_relay() {
    rm -f "$here/$1-client.bin" "$here/$1-server.bin"
    python3 "$relay" "$2" "$3" "$here/$1-client.bin" "$here/$1-server.bin" & rel=$!
    pids="$pids $rel"
    sleep 0.3
}

done_msg() {
    echo "recorded $1: $(wc -c < "$here/$1-client.bin") client octets, $(wc -c < "$here/$1-server.bin") server octets"
}

stop() {  # stop PID: end a server we started
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rec_curl_nghttpd() {
    need_pkg curl curl; need_pkg nghttpd nghttp2-server
    nghttpd --no-tls --padding=16 -w 14 -c 256 --echo-upload -d "$work/www" 18180 >/dev/null 2>&1 & srv=$!
    pids="$pids $srv"; wait_port 18180
    start_relay curl-nghttpd 18181 18180
    curl -sS --http2-prior-knowledge -o "$work/echo.out" -H 'content-type: text/plain' \
        --data-binary @"$work/www/big.txt" http://127.0.0.1:18181/echo
    cmp "$work/echo.out" "$work/www/big.txt"
    wait $rel; stop $srv
    done_msg curl-nghttpd
}

rec_curl_h2c() {
    need_pkg curl curl
    make -s -C "$top" build/h2c-server >/dev/null
    "$top/build/h2c-server" -p 18280 -d "$work/www" -q >/dev/null 2>&1 & srv=$!
    pids="$pids $srv"; wait_port 18280
    start_relay curl-h2c 18281 18280
    big=$(head -c 20000 /dev/zero | tr '\0' 'z')
    # curl fails (92: the stream was reset): that is the point
    curl -sS --http2-prior-knowledge -o /dev/null -H "x-big: $big" \
        http://127.0.0.1:18281/index.html 2>/dev/null || true
    wait $rel; stop $srv
    done_msg curl-h2c
}

rec_nghttp_table() {
    need_pkg nghttp nghttp2-client; need_pkg nghttpd nghttp2-server
    nghttpd --no-tls -d "$work/www" 18380 >/dev/null 2>&1 & srv=$!
    pids="$pids $srv"; wait_port 18380
    start_relay nghttp-table 18381 18380
    nghttp -n -c 256 http://127.0.0.1:18381/index.html http://127.0.0.1:18381/big.txt
    wait $rel; stop $srv
    done_msg nghttp-table
}

rec_grpc() {
    need_pkg node nodejs; need_pkg npm npm; need_pkg tcpdump tcpdump
    gn="$top/build/grpc-node"
    if ! [ -f "$gn/node_modules/@grpc/grpc-js/package.json" ] ||
       ! grep -q "\"version\": \"$GRPC_JS\"" "$gn/node_modules/@grpc/grpc-js/package.json"; then
        mkdir -p "$gn"
        npm install --prefix "$gn" --no-audit --no-fund --loglevel=error \
            "@grpc/grpc-js@$GRPC_JS" "@grpc/proto-loader@$PROTO_LOADER" >/dev/null
    fi
    export NODE_PATH="$gn/node_modules"
    node "$here/grpc/server.js" 18480 > "$work/grpc-server.log" & srv=$!
    pids="$pids $srv"; wait_port 18480
    rm -f "$here/grpc.pcap"
    tcpdump -Z "$(id -un)" -i lo -U -s 0 -w "$here/grpc.pcap" 'tcp port 18480' 2>"$work/tcpdump.log" & td=$!
    pids="$pids $td"
    sleep 1
    start_relay grpc 18481 18480
    node "$here/grpc/client.js" 18481
    wait $rel
    sleep 0.5; stop $srv
    kill -INT $td; wait $td || true
    done_msg grpc
}

[ $# -gt 0 ] || set -- curl-nghttpd curl-h2c nghttp-table grpc
need_pkg python3 python3
for name in "$@"; do
    case $name in
        curl-nghttpd) rec_curl_nghttpd ;;
        curl-h2c) rec_curl_h2c ;;
        nghttp-table) rec_nghttp_table ;;
        grpc) rec_grpc ;;
        *) echo "record-more.sh: unknown capture $name" >&2; exit 2 ;;
    esac
done
