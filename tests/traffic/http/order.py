#!/usr/bin/python3
"""One order of the two directions of a recording, for roles.c.

    /usr/bin/python3 order.py CLIENT.bin SERVER.bin > ORDER

Prints 'c LEN' / 's LEN' lines: the next LEN octets (the preface, or one
frame) of the client or the server. The order is tests/crosscheck/mkpcap.py's
(one frame each in turn, a SETTINGS ACK not before the SETTINGS it
acknowledges, a response not before its request's HEADERS) with two more
rules that a reader in a role needs and mkpcap's does not:
- a client frame on a promised stream waits for the PUSH_PROMISE that
  promised it (before it the stream is idle, RFC 9113 §5.1);
- a header block split into HEADERS + CONTINUATION goes out in one piece
  (the request is only open at END_HEADERS, §6.10).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../crosscheck"))
import mkpcap  # noqa: E402


def stream_of(chunk):
    return int.from_bytes(chunk[5:9], "big") & 0x7FFFFFFF


def is_frame(chunk):
    return len(chunk) >= 9 and not chunk.startswith(mkpcap.PREFACE)


def main():
    cli = open(sys.argv[1], "rb").read()
    srv = open(sys.argv[2], "rb").read()
    out = list(mkpcap.interleave(cli, srv))
    promised = {int.from_bytes(ch[9:13], "big") & 0x7FFFFFFF
                for side, ch in out if side == 1 and is_frame(ch) and ch[3] == 5}
    # client frames on promised streams wait for their PUSH_PROMISE
    fixed, pending, emitted = [], [], set()
    for side, chunk in out:
        if side == 1 and is_frame(chunk) and chunk[3] == 5:
            emitted.add(int.from_bytes(chunk[9:13], "big") & 0x7FFFFFFF)
        if side == 0 and is_frame(chunk):
            sid = stream_of(chunk)
            if sid in promised and sid not in emitted:
                pending.append((side, chunk))
                continue
        fixed.append((side, chunk))
        if side == 1 and pending:
            ready = [p for p in pending if stream_of(p[1]) in emitted]
            pending = [p for p in pending if stream_of(p[1]) not in emitted]
            fixed.extend(ready)
    fixed.extend(pending)
    # HEADERS/PUSH_PROMISE without END_HEADERS: pull its CONTINUATIONs forward
    final = []
    while fixed:
        side, chunk = fixed.pop(0)
        final.append((side, chunk))
        if is_frame(chunk) and chunk[3] in (1, 5) and not chunk[4] & 4:
            take = []
            for k, (sd, ch) in enumerate(fixed):
                if sd == side:
                    take.append(k)
                    if ch[4] & 4:
                        break
            final.extend(fixed[k] for k in take)
            fixed = [r for k, r in enumerate(fixed) if k not in take]
    for side, chunk in final:
        print("cs"[side], len(chunk))


if __name__ == "__main__":
    main()
