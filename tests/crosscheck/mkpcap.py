#!/usr/bin/env python3
"""Build a pcap of one TCP connection from its two direction files.

    mkpcap.py CLIENT-FILE SERVER-FILE OUT.pcap [SERVER-PORT]

The direction files are what tools/relay.py (or record-more.sh) records:
the raw octets each side sent. The pcap (classic libpcap, LINKTYPE_ETHERNET)
holds a three-way handshake between 127.0.0.1:40000 and 127.0.0.1:PORT
(default 8080), the octets as TCP segments with consistent sequence and
acknowledgement numbers, and a FIN from each side, so that a dissector that
reassembles TCP (tshark's) sees the whole connection.

The relay does not record when each side sent what, so the two directions
are interleaved here, one HTTP/2 frame at a time, alternating sides, with
one rule: a SETTINGS acknowledgement (RFC 9113 §6.5.3) is not sent before
the peer's SETTINGS frame it acknowledges. Only that order between the
directions matters to a decoder (SETTINGS_HEADER_TABLE_SIZE takes effect
for HPACK on the ACK); each direction's own order is untouched.
"""
import struct
import sys

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
MAX_SEG = 16000          # octets of payload per segment at most
CLIENT = ("127.0.0.1", 40000)


def frames(data, skip_preface):
    """Split a direction into chunks: the preface, then one HTTP/2 frame
    each (the last chunk may be a partial frame). Each chunk is
    (octets, kind) with kind "settings", "ack" or None."""
    out = []
    pos = 0
    if skip_preface and data.startswith(PREFACE):
        out.append((PREFACE, None, 0))
        pos = len(PREFACE)
    while pos < len(data):
        if len(data) - pos < 9:
            out.append((data[pos:], None, 0))
            break
        length = int.from_bytes(data[pos:pos + 3], "big")
        ftype, flags = data[pos + 3], data[pos + 4]
        end = min(len(data), pos + 9 + length)
        stream = int.from_bytes(data[pos + 5:pos + 9], "big") & 0x7FFFFFFF
        kind = None
        if ftype == 4:
            kind = "ack" if flags & 1 else "settings"
        elif ftype == 1:
            kind = "headers"
        out.append((data[pos:end], kind, stream))
        pos = end
    return out


def interleave(cli, srv):
    """Yield (side, octets): side 0 client, 1 server."""
    q = [frames(cli, True), frames(srv, False)]
    i = [0, 0]
    settings_sent = [0, 0]   # non-ACK SETTINGS each side has sent so far
    acks_sent = [0, 0]
    side = 0
    stuck = 0                # both sides blocked: give up the rule
    opened = set()           # streams the client's HEADERS opened so far
    client_opens = {st for _, k, st in q[0] if k == "headers"}
    while i[0] < len(q[0]) or i[1] < len(q[1]):
        other = 1 - side
        if i[side] < len(q[side]):
            chunk, kind, stream = q[side][i[side]]
            blocked = (kind == "ack" and acks_sent[side] >= settings_sent[other]
                       or side == 1 and stream in client_opens and stream not in opened)
            blocked = blocked and i[other] < len(q[other]) and stuck < 2
            stuck = stuck + 1 if blocked else 0
            if not blocked:
                i[side] += 1
                if kind == "settings":
                    settings_sent[side] += 1
                elif kind == "ack":
                    acks_sent[side] += 1
                elif kind == "headers" and side == 0:
                    opened.add(stream)
                yield side, chunk
                # a side's frames up to its first SETTINGS go out together
                # (the preface and SETTINGS are one flight)
                if kind is None and chunk == PREFACE:
                    continue
        side = other


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(addr):
    return bytes(int(x) for x in addr.split("."))


class Writer:
    def __init__(self, f, port):
        self.f = f
        self.ends = [CLIENT, ("127.0.0.1", port)]
        self.seq = [1000, 5000]          # initial sequence numbers
        self.t = 1_700_000_000 * 1_000_000
        self.ipid = 1
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def packet(self, side, flags, payload=b""):
        src, dst = self.ends[side], self.ends[1 - side]
        ack = self.seq[1 - side] if flags & 0x10 else 0
        tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], self.seq[side], ack,
                          5 << 4, flags, 65535, 0, 0)
        pseudo = ip4(src[0]) + ip4(dst[0]) + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        csum = checksum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("!H", csum) + tcp[18:]
        total = 20 + len(tcp) + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, self.ipid, 0x4000, 64, 6, 0,
                         ip4(src[0]), ip4(dst[0]))
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        self.ipid += 1
        eth = b"\0" * 12 + b"\x08\x00"
        frame = eth + ip + tcp + payload
        self.t += 100
        self.f.write(struct.pack("<IIII", self.t // 1_000_000, self.t % 1_000_000,
                                 len(frame), len(frame)))
        self.f.write(frame)
        self.seq[side] = (self.seq[side] + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF


def main():
    cli = open(sys.argv[1], "rb").read()
    srv = open(sys.argv[2], "rb").read()
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 8080
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    with open(sys.argv[3], "wb") as f:
        w = Writer(f, port)
        w.packet(0, SYN)
        w.packet(1, SYN | ACK)
        w.packet(0, ACK)
        # consecutive chunks of one side are coalesced into segments
        pending, pending_side = b"", None

        def flush():
            nonlocal pending
            for k in range(0, len(pending), MAX_SEG):
                w.packet(pending_side, PSH | ACK, pending[k:k + MAX_SEG])
            pending = b""

        for side, chunk in interleave(cli, srv):
            if side != pending_side:
                flush()
                pending_side = side
            pending += chunk
        flush()
        w.packet(0, FIN | ACK)
        w.packet(1, FIN | ACK)
        w.packet(0, ACK)


if __name__ == "__main__":
    main()
