#!/bin/sh
# Records the HTTP part of the real-traffic corpus (README.md): real HTTP/2
# peers on loopback, one connection per recording, each direction's octets
# in NAME-client.bin and NAME-server.bin (through tools/relay.py for
# cleartext; decrypted by tshark with the client's key log for TLS), some
# also as NAME.pcap. MANIFEST says what each one shows.
#
#   tests/traffic/record-http.sh [NAME...]    (default: all of them, $all below)
#
# The peers' programs and pages are in http/: Node (node-server.js,
# node-client.js, ws-server.js), python3-h2 (h2-client.py), httpx
# (httpx-client.py), Go (go/), the DevTools driver for Chromium (cdp.js:
# Node 20's own WebSocket client, no npm package) and Firefox's page
# (firefox.html). http/check.py checks recordings with hyperframe, hpack and
# tshark. As root on Debian the script installs the Debian packages it
# needs (Chromium, Firefox ESR, Go with golang-golang-x-net-dev, ...).
# Ports 19200-19499 on 127.0.0.1 only; takes about two minutes.
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
# Both sides pad every frame they can to the maximum (a second Node
# server, started padded): padded HEADERS and DATA, padding in the flow
# control windows (RFC 9113 §6.1, §6.2, §6.9.1)
NODE_PADDED_PORT=19211
rec_node_padded() {
    need_pkg node nodejs
    node "$peers/node-server.js" $NODE_PADDED_PORT padded > "$work/node-padded.log" 2>&1 & npad=$!
    pids="$pids $npad"
    wait_port $NODE_PADDED_PORT
    start_relay node-padded 19310 $NODE_PADDED_PORT
    NODE_PADDED=1 node "$peers/node-client.js" 19310 echo
    wait "$rel"
    stop "$npad"
    done_msg node-padded
}
rec_node_informational() { node_rec node-informational 19308 informational; }
rec_node_goaway()        { node_rec node-goaway 19309 goaway pcap; }
# Node's client cancels a 100000-octet download from h2o at its first
# 'data' event; by then most of the body has come (the pcap keeps the order
# of the two directions)
rec_node_h2o_cancel() {
    h2o_server
    [ -f "$www/big.txt" ] || { text 100000 'big.txt' > "$www/big.txt"; chmod 644 "$www/big.txt"; touch -d '2026-01-01 00:00:00 UTC' "$www/big.txt"; }
    start_pcap node-h2o-cancel 19307
    start_relay node-h2o-cancel 19307 $H2O_PORT
    node "$peers/node-client.js" 19307 cancel-get /big.txt
    wait "$rel"
    stop_pcap
    done_msg node-h2o-cancel
}

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
    # --echo-upload: a POST is answered with its own body
    nghttpd --no-tls --echo-upload -d "$www" $NGHTTPD_PORT > "$work/nghttpd.log" 2>&1 & nghttpd_pid=$!
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

# ---- Chromium over TLS ------------------------------------------------------
# A page of 10 scripts, 10 images and a stylesheet; cdp.js loads it,
# reloads it (a 304 for the page), reloads it bypassing the cache, and
# fetches with HEAD and with a revalidation from page script. tcpdump
# records the TLS connection, Chromium writes its key log (SSLKEYLOGFILE),
# tls2bin.py has tshark decrypt each direction.
TLS_H2O_PORT=19230
DEVTOOLS_PORT=19240
make_page() {
    [ -f "$www/page.html" ] && return 0
    mkdir -p "$www/js" "$www/img"
    {
        printf '<!doctype html>\n<html><head><title>twenty resources</title>\n'
        printf '<link rel="stylesheet" href="/style.css">\n'
        for i in 1 2 3 4 5 6 7 8 9 10; do
            printf '<script src="/js/%d.js"></script>\n' $i
            printf 'window.scriptsRun = (window.scriptsRun || 0) + 1; // script %d\n' $i > "$www/js/$i.js"
            printf '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20" fill="#%02x8040"/></svg>\n' $((i * 20)) > "$www/img/$i.svg"
        done
        printf '</head><body>\n'
        for i in 1 2 3 4 5 6 7 8 9 10; do printf '<img src="/img/%d.svg" alt="%d">\n' $i $i; done
        printf '</body></html>\n'
    } > "$www/page.html"
    printf 'body { margin: 1em; }\nimg { border: 1px solid teal; }\n' > "$www/style.css"
    printf '' > "$www/favicon.ico"
    chmod -R a+rX "$www"
    touch -d '2026-01-01 00:00:00 UTC' "$www"/* "$www"/js/* "$www"/img/*
}
make_cert() {  # a certificate for 127.0.0.1 from a CA made now (Firefox trusts the CA)
    [ -f "$work/key.pem" ] && return 0
    need_pkg openssl openssl
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=h2frame-test-ca \
        -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
        -keyout "$work/key.pem" -out "$work/cert.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$work/cert.ext"
    openssl x509 -req -in "$work/cert.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial \
        -days 2 -extfile "$work/cert.ext" -out "$work/cert.pem" 2>/dev/null
    chmod 644 "$work/key.pem" "$work/cert.pem"
}
# Chromium keeps nothing in its HTTP cache from a connection with a
# certificate error, even an ignored one: no cache, no revalidation, no 304.
# Trusting the key by its SPKI hash makes the certificate valid to it.
spki() {
    openssl x509 -in "$work/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der |
        openssl dgst -sha256 -binary | base64
}
# chromium_rec NAME PORT PAGE-URL [WS-URL]: Chromium with cdp.js against
# the TLS server already listening on PORT
chromium_rec() {
    need_pkg chromium chromium
    need_pkg tshark tshark
    start_pcap "$1" "$2"
    rm -rf "$work/chrome"; mkdir "$work/chrome"
    SSLKEYLOGFILE="$work/$1.keys" chromium --headless=new --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --ignore-certificate-errors \
        --ignore-certificate-errors-spki-list="$(spki)" \
        --user-data-dir="$work/chrome" --remote-debugging-port=$DEVTOOLS_PORT \
        about:blank > "$work/chromium.log" 2>&1 & chr=$!
    pids="$pids $chr"
    node --experimental-websocket "$peers/cdp.js" $DEVTOOLS_PORT "$3" ${4:-} 2>&1 | grep -v ExperimentalWarning
    sleep 1; stop "$chr"
    stop_pcap
    $PY "$peers/tls2bin.py" "$here/$1.pcap" "$work/$1.keys" "$here/$1-client.bin" "$here/$1-server.bin"
    # the pcap holds TLS, of no use without the key log: keep the octets only
    rm -f "$here/$1.pcap"
    done_msg "$1"
}
rec_chromium_h2o() {
    make_page; make_cert
    mkdir -p "$work/h2o-tls"
    cat > "$work/h2o-tls/h2o.conf" <<EOC
listen:
  host: 127.0.0.1
  port: $TLS_H2O_PORT
  ssl:
    certificate-file: $work/cert.pem
    key-file: $work/key.pem
user: nobody
error-log: $work/h2o-tls/error.log
hosts:
  default:
    paths:
      /:
        file.dir: $www
EOC
    h2o -c "$work/h2o-tls/h2o.conf" > "$work/h2o-tls/out.log" 2>&1 & h2o_tls=$!
    pids="$pids $h2o_tls"
    wait_port $TLS_H2O_PORT
    chromium_rec chromium-h2o $TLS_H2O_PORT https://127.0.0.1:$TLS_H2O_PORT/page.html
    stop "$h2o_tls"
}

# the same against nghttpd over TLS: no etag there, so Chromium revalidates
# with if-modified-since alone
TLS_NGHTTPD_PORT=19233
rec_chromium_nghttpd() {
    make_page; make_cert
    need_pkg nghttpd nghttp2-server
    nghttpd -d "$www" $TLS_NGHTTPD_PORT "$work/key.pem" "$work/cert.pem" > "$work/nghttpd-tls.log" 2>&1 & ntls=$!
    pids="$pids $ntls"
    wait_port $TLS_NGHTTPD_PORT
    chromium_rec chromium-nghttpd $TLS_NGHTTPD_PORT https://127.0.0.1:$TLS_NGHTTPD_PORT/page.html
    stop "$ntls"
}

# Firefox over TLS to h2o: a fresh profile that trusts the test CA
# (certutil), http/firefox.html drives the session and asks for /done at
# the end, which h2o's access log shows.
TLS_H2O_FF_PORT=19234
rec_firefox_h2o() {
    need_pkg firefox-esr firefox-esr
    need_pkg certutil libnss3-tools
    need_pkg tshark tshark
    make_page; make_cert
    cp "$peers/firefox.html" "$www/firefox.html"; chmod 644 "$www/firefox.html"
    touch -d '2026-01-01 00:00:00 UTC' "$www/firefox.html"
    mkdir -p "$work/h2o-ff"
    cat > "$work/h2o-ff/h2o.conf" <<EOC
listen:
  host: 127.0.0.1
  port: $TLS_H2O_FF_PORT
  ssl:
    certificate-file: $work/cert.pem
    key-file: $work/key.pem
user: nobody
error-log: $work/h2o-ff/error.log
access-log: $work/h2o-ff/access.log
hosts:
  default:
    paths:
      /:
        file.dir: $www
EOC
    h2o -c "$work/h2o-ff/h2o.conf" > "$work/h2o-ff/out.log" 2>&1 & hff=$!
    pids="$pids $hff"
    wait_port $TLS_H2O_FF_PORT
    prof="$work/firefox-profile"
    rm -rf "$prof"; mkdir -p "$prof" "$work/ffhome"
    certutil -N -d "sql:$prof" --empty-password
    certutil -A -d "sql:$prof" -n h2frame-test-ca -t 'C,,' -i "$work/ca.pem"
    # no HTTP/3, no background connections (only loopback works anyway)
    cat > "$prof/user.js" <<'EOP'
user_pref("network.http.http3.enable", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("network.predictor.enabled", false);
user_pref("network.prefetch-next", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("app.update.auto", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.newtabpage.enabled", false);
EOP
    start_pcap firefox-h2o $TLS_H2O_FF_PORT
    HOME="$work/ffhome" SSLKEYLOGFILE="$work/firefox-h2o.keys" firefox-esr --headless --no-remote \
        --profile "$prof" https://127.0.0.1:$TLS_H2O_FF_PORT/firefox.html > "$work/firefox.log" 2>&1 & ff=$!
    pids="$pids $ff"
    i=0
    while ! grep -q 'GET /done' "$work/h2o-ff/access.log" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 300 ] || { echo "$0: Firefox did not finish" >&2; break; }
        sleep 0.1
    done
    sleep 0.5; stop "$ff"
    stop_pcap
    $PY "$peers/tls2bin.py" "$here/firefox-h2o.pcap" "$work/firefox-h2o.keys" "$here/firefox-h2o-client.bin" "$here/firefox-h2o-server.bin"
    rm -f "$here/firefox-h2o.pcap"
    stop "$hff"
    done_msg firefox-h2o
}

# WebSocket over HTTP/2 (RFC 8441): h2o 2.2.5 and nghttpd 1.52 do not
# support extended CONNECT; haproxy 2.6 does (SETTINGS_ENABLE_CONNECT_PROTOCOL)
# and turns it into an HTTP/1.1 Upgrade to ws-server.js. Chromium opens its
# WebSocket on the HTTP/2 connection it already has. The files come from
# h2o through haproxy.
TLS_HAPROXY_PORT=19231
WS_PORT=19232
rec_chromium_haproxy_ws() {
    need_pkg haproxy haproxy
    make_page; make_cert; h2o_server
    cat "$work/cert.pem" "$work/key.pem" > "$work/haproxy.pem"
    cat > "$work/haproxy-tls.cfg" <<EOC
global
    maxconn 64
defaults
    mode http
    timeout connect 5s
    timeout client 10s
    timeout server 10s
    timeout tunnel 10s
frontend fe
    bind 127.0.0.1:$TLS_HAPROXY_PORT ssl crt $work/haproxy.pem alpn h2
    use_backend ws if { path_beg /ws }
    default_backend files
backend files
    server h2o 127.0.0.1:$H2O_PORT proto h2
backend ws
    server node 127.0.0.1:$WS_PORT
EOC
    node "$peers/ws-server.js" $WS_PORT > "$work/ws.log" 2>&1 & wsp=$!
    pids="$pids $wsp"
    haproxy -db -f "$work/haproxy-tls.cfg" > "$work/haproxy-tls.log" 2>&1 & hap=$!
    pids="$pids $hap"
    wait_port $WS_PORT; wait_port $TLS_HAPROXY_PORT
    chromium_rec chromium-haproxy-ws $TLS_HAPROXY_PORT https://127.0.0.1:$TLS_HAPROXY_PORT/page.html \
        wss://127.0.0.1:$TLS_HAPROXY_PORT/ws
    stop "$hap"; stop "$wsp"
}

# ---- quick ones: curl, nghttp, h2load, python3-h2, httpx ---------------------
rec_curl_get_nghttpd()  { nghttpd_server; curl_rec curl-get-nghttpd 19316 $NGHTTPD_PORT http://127.0.0.1:19316/file.txt; }
rec_curl_post_nghttpd() {
    nghttpd_server
    text 20000 'curl-post' > "$work/post.txt"
    curl_rec curl-post-nghttpd 19317 $NGHTTPD_PORT -H 'content-type: text/plain' \
        --data-binary @"$work/post.txt" http://127.0.0.1:19317/upload
}
nginx_server() {
    [ -n "${nginx_pid:-}" ] && return 0
    need_pkg nginx nginx
    mkdir -p "$work/nginx"
    cat > "$work/nginx/nginx.conf" <<EOC
daemon off;
worker_processes 1;
user nobody nogroup;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    default_type application/octet-stream;
    server { listen 127.0.0.1:$NGINX_PORT http2; root $www; }
}
EOC
    nginx -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -p "$work/nginx/" > "$work/nginx/out.log" 2>&1 & nginx_pid=$!
    pids="$pids $nginx_pid"
    wait_port $NGINX_PORT
}
rec_nghttp_nginx() {
    nginx_server
    nghttp_rec nghttp-nginx 19318 $NGINX_PORT http://127.0.0.1:19318/file.txt \
        http://127.0.0.1:19318/index.html http://127.0.0.1:19318/missing.txt http://127.0.0.1:19318/
}
rec_h2load_h2o() {
    h2o_server
    need_pkg h2load nghttp2-client
    start_relay h2load-h2o 19319 $H2O_PORT
    h2load -n 20 -c 1 -m 4 http://127.0.0.1:19319/index.html > "$work/h2load.out"
    grep '^requests:' "$work/h2load.out"
    wait "$rel"
    done_msg h2load-h2o
}
apache_server() {
    [ -n "${apache_pid:-}" ] && return 0
    need_pkg apache2 apache2
    mkdir -p "$work/apache"
    cat > "$work/apache/apache2.conf" <<EOC
ServerRoot /etc/apache2
ServerName 127.0.0.1
PidFile $work/apache/apache2.pid
ErrorLog $work/apache/error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule http2_module /usr/lib/apache2/modules/mod_http2.so
User nobody
Group nogroup
Listen 127.0.0.1:$APACHE_PORT
# h2c: HTTP/2 over cleartext, with prior knowledge (and Upgrade)
Protocols h2c http/1.1
DocumentRoot $www
TypesConfig /etc/mime.types
DirectoryIndex index.html
<Directory $www>
    Require all granted
</Directory>
EOC
    apache2 -DFOREGROUND -f "$work/apache/apache2.conf" > "$work/apache/out.log" 2>&1 & apache_pid=$!
    pids="$pids $apache_pid"
    wait_port $APACHE_PORT
}
rec_h2py_nginx_cond() { nginx_server; h2py_rec h2py-nginx-cond 19331 $NGINX_PORT cond /file.txt; }
rec_h2py_apache() { apache_server; h2py_rec h2py-apache 19320 $APACHE_PORT cond /file.txt; }
rec_httpx_nghttpd() {
    nghttpd_server
    need_deb python3-httpx python3-h2
    start_relay httpx-nghttpd 19321 $NGHTTPD_PORT
    $PY "$peers/httpx-client.py" http://127.0.0.1:19321
    wait "$rel"
    done_msg httpx-nghttpd
}

# ---- server push from nghttpd to nghttp ----------------------------------------
# nghttpd pushes what -p names; nghttp -a fetches the page's assets too and
# takes the pushed ones from the pushes. (h2o 2.2.5 sent the link:
# rel=preload header but pushed nothing, over h2c or TLS, so no h2o push.)
NGHTTPD_PUSH_PORT=19226
rec_nghttp_nghttpd_push() {
    make_page
    need_pkg nghttpd nghttp2-server
    nghttpd --no-tls -d "$www" -p /page.html=/style.css,/js/1.js,/img/1.svg $NGHTTPD_PUSH_PORT \
        > "$work/nghttpd-push.log" 2>&1 & np=$!
    pids="$pids $np"
    wait_port $NGHTTPD_PUSH_PORT
    nghttp_rec nghttp-nghttpd-push 19324 $NGHTTPD_PUSH_PORT -a http://127.0.0.1:19324/page.html
    stop "$np"
}

# ---- Go: net/http with golang.org/x/net/http2 (h2c) -----------------------------
# Built offline from Debian's Go packages (GOPATH mode, no module download).
GO_PORT=19228
go_server() {
    [ -n "${go_pid:-}" ] && return 0
    need_pkg go golang-go
    need_deb golang-golang-x-net-dev
    mkdir -p "$work/go"
    (cd "$peers/go" && GO111MODULE=off GOPATH="$work/go:/usr/share/gocode" GOCACHE="$work/go/cache" \
        go build -o "$work/go-h2" .)
    "$work/go-h2" server $GO_PORT > "$work/go-server.log" 2>&1 & go_pid=$!
    pids="$pids $go_pid"
    wait_port $GO_PORT
}
rec_go_h2c() {
    go_server
    start_pcap go-h2c 19326
    start_relay go-h2c 19326 $GO_PORT
    "$work/go-h2" client 19326
    wait "$rel"
    stop_pcap
    done_msg go-h2c
}

# ---- h2c by HTTP/1.1 Upgrade (RFC 7540 §3.2; RFC 9113 §3.1 deprecates it,
# but curl --http2 and nghttp -u still speak it): the client's bytes begin
# with an HTTP/1.1 request carrying Upgrade: h2c and HTTP2-Settings, the
# server's with 101 Switching Protocols, and the response to that request
# comes on stream 1, which the client never opened with HEADERS. NAME.http1
# keeps the two HTTP/1.1 heads; NAME-client.bin and NAME-server.bin keep the
# HTTP/2 octets only (from the preface; from the frame after the 101), so
# that they read like the others but for stream 1.
split_upgrade() {  # split_upgrade NAME RESPONSES: fails unless RESPONSES HEADERS came
    $PY - "$here/$1" "$2" <<'PY'
import sys
base, want = sys.argv[1], int(sys.argv[2])
c = open(base + "-client.bin", "rb").read()
s = open(base + "-server.bin", "rb").read()
preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
if preface not in c or not s.startswith(b"HTTP/1.1 101") or b"\r\n\r\n" not in s:
    sys.exit("no upgrade in " + base)
ci = c.index(preface)
si = s.index(b"\r\n\r\n") + 4
pos, headers = si, 0
while pos + 9 <= len(s):
    headers += s[pos + 3] == 1
    pos += 9 + int.from_bytes(s[pos:pos + 3], "big")
if headers < want:
    sys.exit("%s: %d responses of %d" % (base, headers, want))
with open(base + ".http1", "wb") as f:
    f.write(b"# the client's HTTP/1.1 request\n" + c[:ci] + b"# the server's answer\n" + s[:si])
open(base + "-client.bin", "wb").write(c[ci:])
open(base + "-server.bin", "wb").write(s[si:])
PY
}
# Apache 2.4.71 now and then answers the upgraded request only and then
# sends GOAWAY (debug data "timeout") before its SETTINGS ACK, or resets the
# connection: such a run is recorded again (three tries).
rec_curl_upgrade_apache() {
    apache_server
    need_pkg curl curl
    for try in 1 2 3; do
        start_pcap curl-upgrade-apache 19329
        start_relay curl-upgrade-apache 19329 $APACHE_PORT
        curl -sS --http2 -o /dev/null http://127.0.0.1:19329/file.txt || true
        wait "$rel" || true
        stop_pcap
        split_upgrade curl-upgrade-apache 1 && break
    done
    done_msg curl-upgrade-apache
}
rec_nghttp_upgrade_apache() {
    apache_server
    need_pkg nghttp nghttp2-client
    for try in 1 2 3; do
        start_relay nghttp-upgrade-apache 19330 $APACHE_PORT
        nghttp -n -u http://127.0.0.1:19330/file.txt http://127.0.0.1:19330/index.html > "$work/nghttp.out" || true
        wait "$rel" || true
        split_upgrade nghttp-upgrade-apache 2 && break
    done
    done_msg nghttp-upgrade-apache
}

# ---- CONTINUATION, padding, small windows --------------------------------------
# nghttp --continuation adds header fields large enough that its request's
# header block goes out as HEADERS + CONTINUATION (RFC 9113 §6.10).
rec_nghttp_continuation_h2o() {
    h2o_server
    nghttp_rec nghttp-continuation-h2o 19327 $H2O_PORT --continuation \
        http://127.0.0.1:19327/index.html
}
# a 100000-octet download into nghttp's 4095-octet stream window and
# 16383-octet connection window (-w 12 -W 14): nginx stops at the window,
# WINDOW_UPDATE after WINDOW_UPDATE (§6.9)
rec_nghttp_nginx_window() {
    nginx_server
    [ -f "$www/big.txt" ] || { text 100000 'big.txt' > "$www/big.txt"; chmod 644 "$www/big.txt"; touch -d '2026-01-01 00:00:00 UTC' "$www/big.txt"; }
    nghttp_rec nghttp-nginx-window 19328 $NGINX_PORT -w 12 -W 14 http://127.0.0.1:19328/big.txt
}

# ---- the SETTINGS that bind the other side ------------------------------------
# SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2) limits what the *receiver* of
# the setting may be sent: python3-h2 announces 65536 and h2o sends DATA
# frames of 65536 octets.
rec_h2py_h2o_bigframes() {
    h2o_server
    [ -f "$www/big.txt" ] || { text 100000 'big.txt' > "$www/big.txt"; chmod 644 "$www/big.txt"; touch -d '2026-01-01 00:00:00 UTC' "$www/big.txt"; }
    h2py_rec h2py-h2o-bigframes 19322 $H2O_PORT bigframes /big.txt
}
# SETTINGS_MAX_CONCURRENT_STREAMS limits the streams the *receiver* of the
# setting may open: nginx announces 128, nghttp (announcing 100 itself)
# opens 120 at once.
rec_nghttp_nginx_120() {
    nginx_server
    start_pcap nghttp-nginx-120 19323
    nghttp_rec nghttp-nginx-120 19323 $NGINX_PORT -m 120 http://127.0.0.1:19323/index.html
    stop_pcap
}

all="node-push node-trailers node-server-reset node-end-rst node-client-cancel node-echo node-h2o-cancel\
    node-informational node-goaway node-padded\
    h2py-h2o-cond h2py-nghttpd-cond haproxy-cond\
    curl-head-nghttpd nghttp-head-h2o\
    chromium-h2o chromium-nghttpd chromium-haproxy-ws firefox-h2o\
    curl-get-nghttpd curl-post-nghttpd nghttp-nginx h2load-h2o h2py-apache h2py-nginx-cond httpx-nghttpd\
    h2py-h2o-bigframes nghttp-nginx-120 nghttp-nghttpd-push\
    go-h2c nghttp-continuation-h2o nghttp-nginx-window\
    curl-upgrade-apache nghttp-upgrade-apache"
for name in ${*:-$all}; do
    "rec_$(echo "$name" | tr - _)"
done
