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

# ---- the documents -----------------------------------------------------------
# Fixed text with a fixed modification time, so that every run serves the
# same octets, etags and last-modified.
text() {  # text N WORD: N octets of "WORD WORD ..."
    $PY -c 'import sys; w = (sys.argv[2] + " ").encode(); n = int(sys.argv[1]); sys.stdout.buffer.write((w * (n // len(w) + 1))[:n])' "$1" "$2"
}
text 3000 'file.txt' > "$www/file.txt"
printf '<!doctype html>\n<title>h2frame corpus</title>\n<p>hello\n' > "$www/index.html"
chmod 755 "$www"; chmod 644 "$www"/*
touch -d '2026-01-01 00:00:00 UTC' "$www"/*

# ---- cleartext servers: h2o, nghttpd, haproxy, nginx, apache2 ------------------
H2O_PORT=19220
NGHTTPD_PORT=19221
HAPROXY_PORT=19222
HAPROXY_BACK=19223      # the relay between haproxy and h2o
NGINX_PORT=19224
APACHE_PORT=19225
h2o_server() {
    [ -n "${h2o_pid:-}" ] && return 0
    need_pkg h2o h2o
    mkdir -p "$work/h2o"
    cat > "$work/h2o/h2o.conf" <<EOC
listen:
  host: 127.0.0.1
  port: $H2O_PORT
user: nobody
error-log: $work/h2o/error.log
hosts:
  default:
    paths:
      /:
        file.dir: $www
EOC
    h2o -c "$work/h2o/h2o.conf" > "$work/h2o/out.log" 2>&1 & h2o_pid=$!
    pids="$pids $h2o_pid"
    wait_port $H2O_PORT
}
nghttpd_server() {
    [ -n "${nghttpd_pid:-}" ] && return 0
    need_pkg nghttpd nghttp2-server
    nghttpd --no-tls -d "$www" $NGHTTPD_PORT > "$work/nghttpd.log" 2>&1 & nghttpd_pid=$!
    pids="$pids $nghttpd_pid"
    wait_port $NGHTTPD_PORT
}

# h2py_rec NAME RELAY-PORT TARGET-PORT ARGS...: python3-h2's client (h2-client.py ARGS)
h2py_rec() {
    name=$1 rport=$2 tport=$3; shift 3
    need_deb python3-h2
    start_relay "$name" "$rport" "$tport"
    $PY "$peers/h2-client.py" "$rport" "$@"
    wait "$rel"
    done_msg "$name"
}
rec_h2py_h2o_cond()     { h2o_server; h2py_rec h2py-h2o-cond 19311 $H2O_PORT cond /file.txt; }
rec_h2py_nghttpd_cond() { nghttpd_server; h2py_rec h2py-nghttpd-cond 19312 $NGHTTPD_PORT cond /file.txt; }

# haproxy with HTTP/2 on both sides (proto h2) in front of h2o, through a
# second relay: one run records python3-h2 -> haproxy (haproxy-cond) and
# haproxy -> h2o (haproxy-backend), haproxy being the client there.
rec_haproxy_cond() {
    need_pkg haproxy haproxy
    h2o_server
    cat > "$work/haproxy.cfg" <<EOC
global
    maxconn 64
defaults
    mode http
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$HAPROXY_PORT proto h2
    default_backend be
backend be
    server h2o 127.0.0.1:$HAPROXY_BACK proto h2
EOC
    start_relay haproxy-backend $HAPROXY_BACK $H2O_PORT; back_rel=$rel
    haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 & hap=$!
    pids="$pids $hap"
    wait_port $HAPROXY_PORT
    start_relay haproxy-cond 19313 $HAPROXY_PORT
    $PY "$peers/h2-client.py" 19313 cond /file.txt
    wait "$rel"
    stop "$hap"          # closes its idle connection to h2o: the backend relay ends
    wait "$back_rel"
    done_msg haproxy-cond
    done_msg haproxy-backend
}

# curl_rec NAME RELAY-PORT TARGET-PORT CURL-ARGS... (URLs as http://127.0.0.1:PORT/...)
curl_rec() {
    name=$1 rport=$2 tport=$3; shift 3
    need_pkg curl curl
    start_relay "$name" "$rport" "$tport"
    curl -sS --http2-prior-knowledge "$@" > "$work/curl.out"
    wait "$rel"
    done_msg "$name"
}
# nghttp_rec NAME RELAY-PORT TARGET-PORT NGHTTP-ARGS...
nghttp_rec() {
    name=$1 rport=$2 tport=$3; shift 3
    need_pkg nghttp nghttp2-client
    start_relay "$name" "$rport" "$tport"
    nghttp -n "$@" > "$work/nghttp.out"
    wait "$rel"
    done_msg "$name"
}
# HEAD: content-length and no DATA (RFC 9113 §8.1.1 exempts HEAD responses)
rec_curl_head_nghttpd() { nghttpd_server; curl_rec curl-head-nghttpd 19314 $NGHTTPD_PORT -I http://127.0.0.1:19314/file.txt; }
rec_nghttp_head_h2o() {
    h2o_server
    nghttp_rec nghttp-head-h2o 19315 $H2O_PORT -H ':method: HEAD' \
        http://127.0.0.1:19315/file.txt http://127.0.0.1:19315/index.html
}

all="node-push node-trailers node-server-reset node-end-rst node-client-cancel node-echo\
    h2py-h2o-cond h2py-nghttpd-cond haproxy-cond\
    curl-head-nghttpd nghttp-head-h2o"
for name in ${*:-$all}; do
    "rec_$(echo "$name" | tr - _)"
done
