#!/usr/bin/env python3
"""Test inputs for tests/test_h2dump.sh, built byte by byte (no libraries).

  mkdata.py pcap CLIENT SERVER OUT [--reorder] [--drop] [--pcapng] [--link ether|sll|null]
            [--ipv6] [--upgrade] [--no-syn] [--nano] [--port N]
      One TCP connection on 127.0.0.1 (or ::1) carrying the two directions
      of an HTTP/2 connection, with a handshake and proper sequence numbers.
      The client's octets up to its first SETTINGS ACK go first, then the
      server's, then the rest of the client's (as a real exchange would
      order them). --reorder swaps the 2nd and 3rd server segments; --drop
      leaves out the 3rd server segment. --upgrade prefixes the directions
      with an HTTP/1.1 Upgrade: h2c request and 101 response.
      Packet i (from 0) is captured at 1700000000 s + i ms (pcap: µs
      timestamps; pcapng: the default µs unit, from 0 s); --nano adds 123 ns
      a packet and writes nanoseconds (pcap: the ns magic number; pcapng:
      if_tsresol 9). --port N: the client's port (40000 by default).
  mkdata.py merge A.pcap B.pcap OUT
      Two classic pcaps of mkdata.py (same link type) as one, packets taken
      alternately from each while both have some.
  mkdata.py grpc CLIENT SERVER
      A gRPC call on stream 1 with hand-made protobuf messages (one cut
      across two DATA frames, two sharing a frame) and grpc-status trailers.
  mkdata.py upgrade CLIENT SERVER
      The HTTP/2 part of an h2c upgrade: the response to the HTTP/1.1
      request comes on stream 1.
  mkdata.py order CLIENT SERVER
      Two directions whose order only their causal links give: a PING and
      its ACK, DATA that needs the client's WINDOW_UPDATE (a 10-octet
      window), a stream the client resets while the server answers it.
  mkdata.py bad-ping OUT       a server direction: SETTINGS, then a PING of length 7
  mkdata.py continuation OUT   a client direction: a block cut mid-field into
                               HEADERS + CONTINUATION, padding, and a size update
"""
import struct
import sys

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def frame(ftype, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def settings(pairs=(), ack=False):
    return frame(4, 1 if ack else 0, 0, b"".join(struct.pack(">HI", i, v) for i, v in pairs))


def lit(name, value):
    """RFC 7541 §6.2.2 literal without indexing, new name, no Huffman."""
    name, value = name.encode(), value.encode()
    assert len(name) < 127 and len(value) < 127
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def block(fields):
    return b"".join(lit(n, v) for n, v in fields)


def grpc_msg(pb, compressed=0):
    return bytes([compressed]) + struct.pack(">I", len(pb)) + pb


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def pb_field(num, wire, payload):
    return varint(num << 3 | wire) + payload


def pb_string(num, s):
    s = s if isinstance(s, bytes) else s.encode()
    return pb_field(num, 2, varint(len(s)) + s)


def make_grpc(cpath, spath):
    req1 = pb_field(1, 0, varint(150)) + pb_string(2, "testing") + pb_string(3, pb_field(1, 0, varint(1))) \
        + pb_field(4, 5, struct.pack("<I", 0x3F800000))
    req2 = pb_string(1, "world")
    m1, m2 = grpc_msg(req1), grpc_msg(req2)
    cut = 9  # the first message is cut inside its octets
    client = PREFACE + settings() + settings(ack=True)
    client += frame(1, 4, 1, block([(":method", "POST"), (":scheme", "http"),
                                     (":path", "/helloworld.Greeter/SayHello"), (":authority", "localhost"),
                                     ("content-type", "application/grpc"), ("te", "trailers")]))
    client += frame(0, 0, 1, m1[:cut])
    client += frame(0, 1, 1, m1[cut:] + m2)  # the end of one message and a whole second one
    reply = pb_string(1, "Hello world") + pb_field(2, 0, varint(3))
    server = settings([(3, 100)]) + settings(ack=True)
    server += frame(1, 4, 1, block([(":status", "200"), ("content-type", "application/grpc")]))
    server += frame(0, 0, 1, grpc_msg(reply))
    server += frame(1, 5, 1, block([("grpc-status", "0"), ("grpc-message", "all%20good")]))
    open(cpath, "wb").write(client)
    open(spath, "wb").write(server)


def make_order(cpath, spath):
    get = lambda path: block([(":method", "GET"), (":scheme", "http"), (":path", path),
                              (":authority", "localhost")])
    client = PREFACE + settings([(4, 10)]) + frame(6, 0, 0, b"12345678")
    client += frame(1, 5, 1, get("/one")) + frame(1, 5, 3, get("/three"))
    client += settings(ack=True) + frame(8, 0, 1, struct.pack(">I", 10))
    client += frame(3, 0, 3, struct.pack(">I", 8))  # RST_STREAM CANCEL
    server = settings([(3, 100)]) + settings(ack=True) + frame(6, 1, 0, b"12345678")
    server += frame(1, 4, 1, block([(":status", "200")]))
    server += frame(0, 0, 1, b"a" * 10) + frame(0, 1, 1, b"b" * 10)
    server += frame(1, 4, 3, block([(":status", "200")])) + frame(0, 1, 3, b"c")
    open(cpath, "wb").write(client)
    open(spath, "wb").write(server)


def make_upgrade(cpath, spath):
    client = PREFACE + settings() + settings(ack=True)
    server = settings([(3, 100)]) + settings(ack=True)
    server += frame(1, 4, 1, block([(":status", "200"), ("content-type", "text/plain")]))
    server += frame(0, 1, 1, b"upgraded!\n")
    open(cpath, "wb").write(client)
    open(spath, "wb").write(server)


UPGRADE_REQ = (b"GET /up.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: Upgrade, HTTP2-Settings\r\n"
               b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
UPGRADE_RESP = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Pcap:
    def __init__(self, link, v6, nano=False):
        self.link, self.v6, self.packets, self.nano = link, v6, [], nano

    def tcp(self, src_port, dst_port, seq, ack, flags, payload=b""):
        tcp = struct.pack(">HHIIBBHHH", src_port, dst_port, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                          65535, 0, 0) + payload
        if self.v6:
            ip = struct.pack(">IHBB", 6 << 28, len(tcp), 6, 64) + b"\0" * 15 + b"\1" + b"\0" * 15 + b"\1"
            ether_type, family = 0x86DD, 30
        else:
            hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0,
                              bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
            ip = hdr[:10] + struct.pack(">H", checksum(hdr)) + hdr[12:] + tcp
            ether_type, family = 0x0800, 2
        if self.v6:
            ip += tcp
        if self.link == "ether":
            pkt = b"\0" * 12 + struct.pack(">H", ether_type) + ip
        elif self.link == "sll":
            pkt = struct.pack(">HHH", 0, 772, 6) + b"\0" * 8 + struct.pack(">H", ether_type) + ip
        else:
            pkt = struct.pack("<I", family) + ip
        self.packets.append(pkt)

    def linktype(self):
        return {"ether": 1, "sll": 113, "null": 0}[self.link]

    def write(self, path, ng):
        out = bytearray()
        if not ng:
            magic = 0xA1B23C4D if self.nano else 0xA1B2C3D4
            out += struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 262144, self.linktype())
            for i, p in enumerate(self.packets):
                if self.nano:
                    ns = i * 1000123
                    sec, frac = 1700000000 + ns // 10**9, ns % 10**9
                else:
                    sec, frac = 1700000000 + i // 1000, (i % 1000) * 1000
                out += struct.pack("<IIII", sec, frac, len(p), len(p)) + p
        else:
            def block(btype, body):
                body += b"\0" * (-len(body) % 4)
                return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
            out += block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
            opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0) if self.nano else b""
            out += block(1, struct.pack("<HHI", self.linktype(), 0, 262144) + opts)
            for i, p in enumerate(self.packets):
                ts = (1700000000 * 10**9 + i * 1000123) if self.nano else i * 1000
                out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(p), len(p)) + p)
        open(path, "wb").write(out)


def segments(data, size):
    return [(off, data[off:off + size]) for off in range(0, len(data), size)]


def make_pcap(cpath, spath, out, opts):
    client, server = open(cpath, "rb").read(), open(spath, "rb").read()
    if "--upgrade" in opts:
        client, server = UPGRADE_REQ + client, UPGRADE_RESP + server
    link = opts[opts.index("--link") + 1] if "--link" in opts else "ether"
    p = Pcap(link, "--ipv6" in opts, "--nano" in opts)
    cport, sport, cisn, sisn = 40000, 8080, 1000, 0xFFFFFF00  # the server's numbers wrap around
    if "--port" in opts:
        cport = int(opts[opts.index("--port") + 1])
    if "--no-syn" not in opts:
        p.tcp(cport, sport, cisn, 0, 0x02)
        p.tcp(sport, cport, sisn, cisn + 1, 0x12)
        p.tcp(cport, sport, cisn + 1, sisn + 1, 0x10)
    # the client's first part: up to its SETTINGS ACK, as a real exchange orders it
    ack_at = client.find(settings(ack=True), len(PREFACE))
    first = ack_at if ack_at > 0 else len(client)
    if "--upgrade" in opts:
        first = len(UPGRADE_REQ)
    csegs = segments(client[:first], 100) + [(first + o, d) for o, d in segments(client[first:], 100)]
    ssegs = segments(server, 1000)
    if "--reorder" in opts and len(ssegs) > 3:
        ssegs[1], ssegs[2] = ssegs[2], ssegs[1]
    if "--drop" in opts and len(ssegs) > 3:
        del ssegs[2]
    for off, d in csegs:
        if off < first:
            p.tcp(cport, sport, cisn + 1 + off, sisn + 1, 0x18, d)
    for off, d in ssegs:
        p.tcp(sport, cport, sisn + 1 + off, cisn + 1 + first, 0x18, d)
        if off == 0 and "--reorder" in opts:  # a retransmission of the first segment
            p.tcp(sport, cport, sisn + 1 + off, cisn + 1 + first, 0x18, d)
    for off, d in csegs:
        if off >= first:
            p.tcp(cport, sport, cisn + 1 + off, sisn + 1 + len(server), 0x18, d)
    p.tcp(cport, sport, cisn + 1 + len(client), sisn + 1 + len(server), 0x11)
    p.tcp(sport, cport, sisn + 1 + len(server), cisn + 2 + len(client), 0x11)
    p.write(out, "--pcapng" in opts)


def merge_pcaps(a, b, out):
    def packets(path):
        d = open(path, "rb").read()
        pos, recs = 24, []
        while pos < len(d):
            incl = struct.unpack("<I", d[pos + 8:pos + 12])[0]
            recs.append(d[pos + 16:pos + 16 + incl])
            pos += 16 + incl
        return d[:24], recs
    head, pa = packets(a)
    _, pb = packets(b)
    merged = [x for pair in zip(pa, pb) for x in pair] + pa[len(pb):] + pb[len(pa):]
    data = bytearray(head)
    for i, p in enumerate(merged):   # times as make_pcap gives them: packet i at i ms
        data += struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(p), len(p)) + p
    open(out, "wb").write(data)


def make_bad_ping(out):
    open(out, "wb").write(settings([(3, 100)]) + frame(6, 0, 0, b"1234567"))


def make_continuation(out):
    hdrs = b"\x20" + block([(":method", "GET"), (":scheme", "http"), (":path", "/cut"), (":authority", "x")])
    cut = 20  # inside the third field
    padded = bytes([3]) + hdrs[:cut] + b"\0\0\0"
    data = PREFACE + settings() + frame(1, 0x08 | 0x01, 1, padded) + frame(9, 4, 1, hdrs[cut:])
    open(out, "wb").write(data)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "pcap":
        make_pcap(args[0], args[1], args[2], args[3:])
    elif cmd == "merge":
        merge_pcaps(args[0], args[1], args[2])
    elif cmd == "grpc":
        make_grpc(args[0], args[1])
    elif cmd == "upgrade":
        make_upgrade(args[0], args[1])
    elif cmd == "order":
        make_order(args[0], args[1])
    elif cmd == "bad-ping":
        make_bad_ping(args[0])
    elif cmd == "continuation":
        make_continuation(args[0])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
