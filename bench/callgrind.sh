#!/bin/sh
# Instructions per item under valgrind's callgrind, for h2frame and nghttp2
# on the benchmark's inputs: stable where time on a shared machine is not.
# Each timed function runs once (bench --once F) with collection on only
# inside F (--toggle-collect), so loading the inputs is not counted.
set -eu
bench=${1:-build/bench}
for f in h2f_dec_fn ng_dec_fn h2f_enc_fn ng_enc_fn h2f_conn_read ng_conn_read h2f_conn_floor; do
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
          --toggle-collect="$f" "$bench" --once "$f" 2>&1)
  ir=$(printf '%s\n' "$out" | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  items=$(printf '%s\n' "$out" | sed -n 's/^ONCE [^ ]* \([0-9]*\) .*/\1/p')
  unit=$(printf '%s\n' "$out" | sed -n 's/^ONCE [^ ]* [0-9]* \(.*\)/\1/p')
  if [ -z "$ir" ] || [ -z "$items" ]; then
    printf '%s\n' "$out" | tail -5; echo "callgrind: no result for $f" >&2; exit 1
  fi
  awk -v f="$f" -v ir="$ir" -v n="$items" -v u="$unit" \
    'BEGIN { printf "%-14s %14d instructions / %8d %ss = %9.1f per %s\n", f, ir, n, u, ir / n, u }'
done
