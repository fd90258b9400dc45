#!/bin/sh
# Records the gRPC part of the real-traffic corpus (README.md, MANIFEST):
# real gRPC peers on loopback, h2c (insecure channels), one connection per
# recording, through tools/relay.py (NAME-client.bin, NAME-server.bin: each
# direction's exact octets) and, for the grpcio server, tcpdump on the
# relay-to-server port (NAME.pcap).
#
#   grpcio-unary             grpcio client -> grpcio server: one unary call
#   grpcio-server-streaming  one request, five replies
#   grpcio-client-streaming  five requests, one reply
#   grpcio-bidi              three requests, each echoed
#   grpcio-status            INVALID_ARGUMENT with a grpc-message holding
#                            non-ASCII and '%' (percent-encoded)
#   grpcio-deadline          grpc-timeout 200m, the server answers after 1 s:
#                            the client's RST_STREAM (CANCEL)
#   grpcio-cancel            the client cancels a server-streaming call after
#                            two replies: RST_STREAM (CANCEL) after its
#                            END_STREAM, while replies stream
#   grpcio-gzip              grpc-encoding: gzip on both sides (unary, bidi)
#   grpcio-large             20000- and 70000-octet messages both ways
#   grpcio-frame16k          the same without chttp2's BDP probe: no
#                            MAX_FRAME_SIZE or INITIAL_WINDOW_SIZE sent, so
#                            16384-octet frames and WINDOW_UPDATE waits
#   grpcio-binary-metadata   a -bin metadata field, echoed as a trailer
#   grpcjs-grpcio            grpc-js client -> grpcio server: unary,
#                            server-streaming, bidi, a cancelled stream
#   grpcio-grpcjs            grpcio client -> grpc-js server: the same calls
#   go-grpcio                Go gRPC client -> grpcio server: the same calls
#   grpcio-go                grpcio client -> Go gRPC server: the same calls
#
# Usage: record-grpc.sh [NAME...]   (default: all). As root on Debian it
# installs what it misses: python3-grpcio, python3-grpc-tools, tcpdump,
# nodejs, npm, golang-go, golang-google-grpc-dev. grpc-js is installed with
# npm, pinned, under build/grpc-node/ (ignored by git); the Go peer is
# built offline from Debian's Go packages (GO111MODULE=off). The peers'
# programs are in grpc/ (traffic.proto, server.py, client.py, server.js,
# client.js, peer.go). Ports used: 19100-19129.
set -eu
. "$(dirname "$0")/lib.sh"
GRPC_JS=1.14.3
PROTO_LOADER=0.8.0
py=/usr/bin/python3        # Debian's python3-grpcio belongs to this one
g="$here/grpc"

# The Python stubs, generated from traffic.proto by Debian's grpc_tools
stubs() {
    [ -f "$work/stubs/traffic_pb2_grpc.py" ] && return 0
    need_deb python3-grpcio python3-grpc-tools
    mkdir -p "$work/stubs"
    "$py" -m grpc_tools.protoc -I"$g" --python_out="$work/stubs" \
        --grpc_python_out="$work/stubs" "$g/traffic.proto"
}

grpc_js() {    # pinned @grpc/grpc-js and @grpc/proto-loader under build/grpc-node
    need_pkg node nodejs; need_pkg npm npm
    gn="$top/build/grpc-node"
    if ! [ -f "$gn/node_modules/@grpc/grpc-js/package.json" ] ||
       ! grep -q "\"version\": \"$GRPC_JS\"" "$gn/node_modules/@grpc/grpc-js/package.json"; then
        mkdir -p "$gn"
        npm install --prefix "$gn" --no-audit --no-fund --loglevel=error \
            "@grpc/grpc-js@$GRPC_JS" "@grpc/proto-loader@$PROTO_LOADER" >/dev/null
    fi
    NODE_PATH="$gn/node_modules"; export NODE_PATH
}

go_peer() {    # builds grpc/peer.go (client and server) into $work/go/peer
    [ -x "$work/go/peer" ] && return 0
    need_deb golang-go golang-google-grpc-dev
    mkdir -p "$work/go/src/grpcpeer"
    cp "$g/peer.go" "$work/go/src/grpcpeer/"
    (cd "$work/go/src/grpcpeer" &&
     GO111MODULE=off GOPATH="$work/go:/usr/share/gocode" GOCACHE="$work/go/cache" \
         GOFLAGS= go build -o "$work/go/peer" .)
}

# server KIND PORT [MODE]: a grpcio ("py", MODE as server.py's), grpc-js
# ("js") or Go ("go") server on PORT ($srv)
server() {
    case $1 in
    py) stubs; "$py" "$g/server.py" "$work/stubs" "$2" ${3:-} > "$work/server-$2.log" 2>&1 & srv=$! ;;
    js) grpc_js; node "$g/server.js" "$2" > "$work/server-$2.log" 2>&1 & srv=$! ;;
    go) go_peer; "$work/go/peer" server "$2" > "$work/server-$2.log" 2>&1 & srv=$! ;;
    esac
    pids="$pids $srv"
    wait_port "$2"
}

# record NAME SERVER PORT PCAP CLIENT...: a SERVER ("py", "py-gzip",
# "py-frame16k", "js", "go") on PORT, tcpdump of PORT if PCAP is "pcap", the
# relay on PORT+1, then the CLIENT command (which connects to PORT+1)
record() {
    name=$1 kind=$2 port=$3 cap=$4; shift 4
    case $kind in
    py-gzip) server py "$port" gzip ;;
    py-frame16k) server py "$port" frame16k ;;
    *) server "$kind" "$port" ;;
    esac
    [ "$cap" = pcap ] && start_pcap "$name" "$port"
    start_relay "$name" $((port + 1)) "$port"
    "$@" > "$work/client-$name.log" 2>&1 || {
        echo "$0: $name: the client failed:" >&2; cat "$work/client-$name.log" >&2; exit 1; }
    wait "$rel"
    [ "$cap" = pcap ] && stop_pcap
    stop "$srv"
    done_msg "$name"
}

pyclient() {   # pyclient SCENARIO PORT
    "$py" "$g/client.py" "$work/stubs" "$2" "$1"
}

rec() {
    case $1 in
    grpcio-unary)            record "$1" py 19100 pcap pyclient unary 19101 ;;
    grpcio-server-streaming) record "$1" py 19102 pcap pyclient server-streaming 19103 ;;
    grpcio-client-streaming) record "$1" py 19104 pcap pyclient client-streaming 19105 ;;
    grpcio-bidi)             record "$1" py 19106 pcap pyclient bidi 19107 ;;
    grpcio-status)           record "$1" py 19108 pcap pyclient status 19109 ;;
    grpcio-deadline)         record "$1" py 19110 pcap pyclient deadline 19111 ;;
    grpcio-cancel)           record "$1" py 19112 pcap pyclient cancel 19113 ;;
    grpcio-gzip)             record "$1" py-gzip 19114 pcap pyclient gzip 19115 ;;
    grpcio-large)            record "$1" py 19116 pcap pyclient large 19117 ;;
    grpcio-frame16k)         record "$1" py-frame16k 19126 pcap pyclient frame16k 19127 ;;
    grpcio-binary-metadata)  record "$1" py 19118 pcap pyclient binary-metadata 19119 ;;
    grpcjs-grpcio)  grpc_js; record "$1" py 19120 pcap node "$g/client.js" 19121 ;;
    grpcio-grpcjs)  stubs;   record "$1" js 19122 pcap pyclient mixed 19123 ;;
    go-grpcio)      go_peer; record "$1" py 19124 pcap "$work/go/peer" client 19125 ;;
    grpcio-go)      stubs;   record "$1" go 19128 pcap pyclient mixed 19129 ;;
    *) echo "$0: no recording named $1" >&2; exit 1 ;;
    esac
}

all="grpcio-unary grpcio-server-streaming grpcio-client-streaming grpcio-bidi
grpcio-status grpcio-deadline grpcio-cancel grpcio-gzip grpcio-large
grpcio-frame16k grpcio-binary-metadata grpcjs-grpcio grpcio-grpcjs go-grpcio
grpcio-go"
[ $# -gt 0 ] || set -- $all
for n in "$@"; do rec "$n"; done
