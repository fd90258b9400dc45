#!/bin/sh
# Records the bundled captures: real peers on loopback, each direction of one
# connection in its own file (the raw bytes, no pcap framing).
#   nghttp-client.bin / nghttp-server.bin: Debian's nghttp (nghttp2-client)
#   fetching two files from Debian's nghttpd (nghttp2-server), cleartext h2c
#   with prior knowledge.
# Needs: nghttp2-client nghttp2-server python3. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
relay="$here/../../tools/relay.py"
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/www"
printf 'hello, h2frame\n' > "$work/www/index.html"
head -c 40000 /dev/zero | tr '\0' 'x' > "$work/www/big.txt"
chmod -R a+rX "$work"

port=18080; relay_port=18081
nghttpd --no-tls -d "$work/www" $port >/dev/null 2>&1 & srv=$!
sleep 0.5
python3 "$relay" $relay_port $port "$here/nghttp-client.bin" "$here/nghttp-server.bin" & rel=$!
sleep 0.3
nghttp -n "http://127.0.0.1:$relay_port/index.html" "http://127.0.0.1:$relay_port/big.txt"
wait $rel
echo "recorded: $(wc -c < "$here/nghttp-client.bin") client octets, $(wc -c < "$here/nghttp-server.bin") server octets"
