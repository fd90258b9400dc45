#!/bin/sh
# Records the HTTP part of the real-traffic corpus (README.md): real HTTP/2
# peers on loopback, one connection per recording, each direction's octets
# in NAME-client.bin and NAME-server.bin (through tools/relay.py for
# cleartext; decrypted by tshark with the client's key log for TLS), some
# also as NAME.pcap. MANIFEST says what each one shows.
#
#   tests/traffic/record-http.sh [NAME...]    (default: all of them)
#
# As root on Debian it installs the Debian packages it needs; Chromium's
# DevTools client (chrome-remote-interface, pinned) goes under build/ with
# npm. Ports 19200-19499 on 127.0.0.1 only.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
PY=/usr/bin/python3          # Debian's, with python3-h2 and python3-httpx
peers="$here/http"
chmod 755 "$work"            # nginx, h2o and apache read the docroot as nobody
www="$work/www"
mkdir "$www"

# ---- Node's http2: node-server.js and node-client.js --------------------------
NODE_PORT=19210
node_server() {   # the Node server, once for all node-* recordings
    [ -n "${node_pid:-}" ] && return 0
    need_pkg node nodejs
    node "$peers/node-server.js" $NODE_PORT > "$work/node-server.log" 2>&1 & node_pid=$!
    pids="$pids $node_pid"
    wait_port $NODE_PORT
}
# node_rec NAME RELAY-PORT SCENARIO [pcap]
node_rec() {
    node_server
    [ "${4:-}" = pcap ] && start_pcap "$1" "$2"
    start_relay "$1" "$2" $NODE_PORT
    node "$peers/node-client.js" "$2" "$3"
    wait "$rel"
    [ "${4:-}" = pcap ] && stop_pcap
    done_msg "$1"
}
rec_node_push()          { node_rec node-push 19301 push pcap; }
rec_node_trailers()      { node_rec node-trailers 19302 trailers; }
rec_node_server_reset()  { node_rec node-server-reset 19303 server-reset; }
rec_node_end_rst()       { node_rec node-end-rst 19306 end-rst; }
rec_node_client_cancel() { node_rec node-client-cancel 19304 client-cancel pcap; }
rec_node_echo()          { node_rec node-echo 19305 echo; }

all="node-push node-trailers node-server-reset node-end-rst node-client-cancel node-echo"
for name in ${*:-$all}; do
    "rec_$(echo "$name" | tr - _)"
done
