#!/usr/bin/env python3
"""Cross-check h2dump against two independent HTTP/2 decoders.

    crosscheck.py [--selftest] [--manifest MANIFEST] H2DUMP WORKDIR NAME...

For each capture NAME (examples/captures/NAME-client.bin and
NAME-server.bin: each direction's octets, the client's from the connection
preface on; a NAME with a slash is a path, DIR/NAME, as for the recordings
of tests/traffic), the same octets are decoded three ways:

  h2dump   ./build/h2dump --json CLIENT SERVER (docs/h2dump-json.md), and
           h2dump on a pcap of the connection (made by mkpcap.py; and on
           NAME.pcap, a tcpdump capture, where there is one);
  python   Debian's python3-hyperframe (frames) and python3-hpack (header
           blocks), one hpack.Decoder per direction;
  tshark   Wireshark's HTTP/2 dissector (its HPACK is nghttp2's), on the
           pcap, read as PDML.

Per direction, in order, these must agree exactly:
  - the frame list: type, flags octet, stream identifier, payload length
    (and the flag names h2dump gives against hyperframe's);
  - every header block (HEADERS or PUSH_PROMISE and its CONTINUATIONs):
    the decoded field list, names and values compared as octets;
  - the body of every stream: its DATA frames' octets, padding removed
    (h2dump --save-bodies, hyperframe's DataFrame.data, tshark's
    http2.data.data or, where tshark reassembled a body, the whole
    http2.body.reassembled.data it gives on the body's last frame; a body
    with a Content-Encoding tshark gives decoded, and it is compared with
    hyperframe's octets decoded).
h2dump must report no error on these captures, except, for the recordings
a MANIFEST lists (--manifest: tests/traffic/MANIFEST, whose lines README.md
there describes), the violations it names: exactly those errors, after
which the other decoders are compared up to where h2dump stopped.

SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2, RFC 9113 §6.5.2): the table
size a receiver announced bounds the sender's encoder once the sender has
acknowledged that SETTINGS frame (RFC 9113 §6.5.3). For the Python decoder
of direction D, the n-th SETTINGS ACK D sends applies the n-th SETTINGS the
peer sent: that ACK and D's later header blocks are in one byte stream, so
this needs no timing between the directions. h2dump does the same; tshark
applies it too (packet-http2.c, on the ACK).

--selftest shows that the comparison can fail: it feeds h2dump a copy of a
capture with one octet of a header value changed, and alters each
decoder's results one way at a time (a frame's flags, length, a dropped
frame, a header value, two headers swapped), and checks that every change
is reported as a mismatch.
"""
import codecs
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

from hyperframe.frame import Frame, SettingsFrame
import hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
TYPES = {"DATA": 0, "HEADERS": 1, "PRIORITY": 2, "RST_STREAM": 3, "SETTINGS": 4,
         "PUSH_PROMISE": 5, "PING": 6, "GOAWAY": 7, "WINDOW_UPDATE": 8,
         "CONTINUATION": 9}
HEADER_BLOCK_TYPES = (1, 5)     # HEADERS, PUSH_PROMISE: a block starts
END_HEADERS = 0x4
SERVER_PORT = 8080              # the port mkpcap.py gives the server
CAPTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                        "examples", "captures")


class Result:
    """One decoder's view of a connection: per direction ("C->S", "S->C")
    a frame list [(type, flags, stream, length)], a header block list
    [(stream, [(name, value), ...])] (octets) and, where the decoder names
    flags, a flag-name list [set, ...] parallel to the frames."""

    def __init__(self, source):
        self.source = source
        # per direction, stream -> body octets (bytes or bytearray)
        self.bodies = {"C->S": {}, "S->C": {}}
        self.frames = {"C->S": [], "S->C": []}
        self.blocks = {"C->S": [], "S->C": []}
        self.flag_names = {"C->S": [], "S->C": []}
        self.errors = []
        # h2dump: the errors it reported, (dir, code name, scope, JSON line)
        self.proto_errors = []
        self.notes = []
        # python: directions whose encoder was limited below 4096 octets by
        # an acknowledged SETTINGS_HEADER_TABLE_SIZE before its first block
        self.limited_before_first_block = set()
        # tshark: it said its HPACK inflater broke (see KNOWN_TSHARK_BUG)
        self.inflater_broken = False


def latin1(s):
    # h2dump's JSON strings: one code point per octet (docs/h2dump-json.md)
    return bytes(ord(c) for c in s)


def blocks_from_frames(res, d, ftype, flags, stream, headers, state):
    """Group per-frame header lists into blocks (h2dump and tshark list
    each field in the frame where it completes)."""
    if ftype in HEADER_BLOCK_TYPES:
        state[d] = (stream, [])
    if ftype in HEADER_BLOCK_TYPES or ftype == 9:
        if state.get(d) is None:
            res.errors.append("%s: CONTINUATION outside a header block" % d)
            return
        state[d][1].extend(headers)
        if flags & END_HEADERS:
            res.blocks[d].append(state[d])
            state[d] = None


# ---- h2dump -------------------------------------------------------------

def run_h2dump(h2dump, inputs, source, work):
    res = Result(source)
    bodies = os.path.join(work, "bodies-%d" % os.getpid())
    shutil.rmtree(bodies, ignore_errors=True)
    os.makedirs(bodies)
    p = subprocess.run([h2dump, "--json", "--save-bodies", bodies] + inputs,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    exit_error = "h2dump exited %d: %s" % (p.returncode, p.stderr.decode()[:300])
    # c<conn>-s<stream>-<request|response>.body: the request's octets are the
    # client's (C->S), the response's the server's
    for fn in os.listdir(bodies):
        m = re.match(r"c1-s(\d+)-(request|response)\.body$", fn)
        if not m:
            res.errors.append("h2dump saved a body of another connection: " + fn)
            continue
        d = "C->S" if m.group(2) == "request" else "S->C"
        with open(os.path.join(bodies, fn), "rb") as f:
            res.bodies[d][int(m.group(1))] = f.read()
    shutil.rmtree(bodies, ignore_errors=True)
    state = {}
    for line in p.stdout.decode().splitlines():
        o = json.loads(line)
        if "error" in o:
            res.proto_errors.append((o.get("dir"), o["error"], o.get("scope"), line))
            continue
        if "type" not in o:
            continue                    # preface, notes
        d = o["dir"]
        t = o["type"] if isinstance(o["type"], int) else TYPES[o["type"]]
        res.frames[d].append((t, o["flags_value"], o["stream"], o["length"]))
        res.flag_names[d].append(set(f for f in o["flags"] if isinstance(f, str)))
        hdrs = [(latin1(n), latin1(v)) for n, v in o.get("headers", [])]
        blocks_from_frames(res, d, t, o["flags_value"], o["stream"], hdrs, state)
    # exit status 1: a protocol error, judged with the errors themselves
    if p.returncode != 0 and not (p.returncode == 1 and res.proto_errors):
        res.errors.append(exit_error)
    return res


# ---- python3-hyperframe + python3-hpack ---------------------------------

def split_frames(data):
    """Parse a direction with hyperframe: [(frame, flags octet)]."""
    out, pos = [], 0
    while pos + 9 <= len(data):
        frame, length = Frame.parse_frame_header(memoryview(data[pos:pos + 9]))
        if pos + 9 + length > len(data):
            raise ValueError("truncated frame at %d" % pos)
        frame.parse_body(memoryview(data[pos + 9:pos + 9 + length]))
        out.append((frame, data[pos + 4], length))
        pos += 9 + length
    if pos != len(data):
        raise ValueError("%d octets left over" % (len(data) - pos))
    return out


def run_python(client, server):
    res = Result("hyperframe+hpack")
    if not client.startswith(PREFACE):
        res.errors.append("the client file does not start with the preface")
        return res
    parsed = {}
    for d, data in (("C->S", client[len(PREFACE):]), ("S->C", server)):
        try:
            parsed[d] = split_frames(data)
        except Exception as e:      # noqa: BLE001 - a recording with a violation
            res.errors.append("%s: hyperframe: %r" % (d, e))
            parsed[d] = []
    peer = {"C->S": "S->C", "S->C": "C->S"}
    # the SETTINGS (not ACK) each side sent, in order
    sent_settings = {d: [f for f, _, _ in parsed[d]
                         if isinstance(f, SettingsFrame) and "ACK" not in f.flags]
                     for d in parsed}
    for d, frames in parsed.items():
        dec = hpack.Decoder()
        acks = 0
        seen_block = False
        block, stream = None, None
        for frame, flags, length in frames:
            res.frames[d].append((frame.type, flags, frame.stream_id, length))
            if frame.type == 0 and frame.data:     # DATA, padding removed
                res.bodies[d].setdefault(frame.stream_id, bytearray()).extend(frame.data)
            res.flag_names[d].append(set(frame.flags))
            if isinstance(frame, SettingsFrame) and "ACK" in frame.flags:
                theirs = sent_settings[peer[d]]
                if acks < len(theirs):
                    size = theirs[acks].settings.get(SettingsFrame.HEADER_TABLE_SIZE)
                    if size is not None:
                        dec.max_allowed_table_size = size
                        if size < 4096 and not seen_block:
                            res.limited_before_first_block.add(d)
                acks += 1
            if frame.type in HEADER_BLOCK_TYPES:
                block, stream = bytearray(frame.data), frame.stream_id
                seen_block = True
            elif frame.type == 9:
                block += frame.data
            else:
                continue
            if "END_HEADERS" in frame.flags:
                try:
                    hdrs = dec.decode(bytes(block), raw=True)
                except Exception as e:      # noqa: BLE001 - report any failure
                    res.errors.append("%s: hpack: %r" % (d, e))
                    hdrs = []
                res.blocks[d].append((stream, [(bytes(n), bytes(v)) for n, v in hdrs]))
                block = None
    return res


# ---- tshark ---------------------------------------------------------------

class XmlSafe:
    """tshark's PDML as a file for ElementTree.iterparse. tshark hands
    bodies to other dissectors (a POST's urlencoded-form) that may write raw
    octets into their display text: control characters XML 1.0 does not
    allow are dropped and invalid UTF-8 replaced (only that display text
    has them; the http2 fields read here are numbers and hex)."""

    def __init__(self, f):
        self.f = f
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")

    def read(self, n=-1):
        while True:
            raw = self.f.read(1 << 20)
            text = self.dec.decode(raw, final=not raw)
            text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
            if text or not raw:
                return text


def run_tshark(pcap, server_port, upgrade=False):
    res = Result("tshark")
    # A connection that began as HTTP/1.1 with Upgrade: h2c (NAME.http1
    # beside it) is read by tshark's HTTP dissector, which hands the rest
    # to HTTP/2 at the 101; decoding the port as HTTP/2 from its first
    # octet would take the HTTP/1.1 request for frames.
    proto = "http" if upgrade else "http2"
    # streamed: a big recording's PDML does not fit in memory. Each HTTP/2
    # frame is a protocol layer of its packet, and tshark 4.0 stops
    # dissecting a packet (a "Dissector bug": failed assertion
    # "saved_layers_len < prefs.gui_max_tree_depth") past gui.max_tree_depth
    # layers: a segment of mkpcap.py (16000 octets) holds up to 1778 frames
    # of 9 octets, so the limit is raised above that.
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(["tshark", "-r", pcap, "-d", "tcp.port==%d,%s" % (server_port, proto),
                              "-o", "tcp.desegment_tcp_streams:TRUE",
                              "-o", "gui.max_tree_depth:4000", "-T", "pdml"],
                             stdout=subprocess.PIPE, stderr=err)
        state = {}
        try:
            for _, elem in ET.iterparse(XmlSafe(p.stdout), events=("end",)):
                if elem.tag == "packet":
                    tshark_packet(res, elem, server_port, state)
                    elem.clear()
        except ET.ParseError as e:
            res.errors.append("tshark's PDML: %s" % e)
        p.stdout.close()
        rc = p.wait()
        err.seek(0)
        stderr = err.read()
    if rc != 0:
        res.errors.append("tshark exited %d: %s" % (rc, stderr.decode()[:300]))
        return res
    res.inflater_broken = b"unexpected decompression state" in stderr
    return res


def tshark_packet(res, pkt, server_port, state):
    """One packet of tshark's PDML into res (state: the header blocks being
    assembled, per direction)."""
    sport = None
    for f in pkt.iter("field"):
        if f.get("name") == "tcp.srcport":
            sport = int(f.get("show"))
            break
    d = "S->C" if sport == server_port else "C->S"
    for proto in pkt.findall("proto"):
        if proto.get("name") != "http2":
            continue
        for st in proto.findall("field"):
            if st.get("name") != "http2.stream":
                continue
            kids = {k.get("name"): k for k in st.findall("field")}
            if "http2.magic" in kids:
                continue
            if "http2.type" not in kids:
                res.errors.append("%s: a frame tshark did not dissect" % d)
                continue
            t = int(kids["http2.type"].get("show"))
            flags = int(kids["http2.flags"].get("show"), 16)
            stream = int(kids["http2.streamid"].get("show"))
            length = int(kids["http2.length"].get("show"))
            res.frames[d].append((t, flags, stream, length))
            if t == 0:
                body_from_tshark(res, d, stream, st)
            hdrs = []
            for h in st.findall("field"):
                if h.get("name") != "http2.header":
                    continue
                hk = {k.get("name"): k for k in h.findall("field")}
                hdrs.append((octets(hk.get("http2.header.name")),
                             octets(hk.get("http2.header.value"))))
            blocks_from_frames(res, d, t, flags, stream, hdrs, state)


def body_from_tshark(res, d, stream, st):
    """A DATA frame's octets as tshark gives them: http2.data.data is the
    frame's data, except on the last frame of a body tshark reassembled,
    where it is the whole body (http2.body.reassembled.data is then there)."""
    whole = None
    data = b""
    for f in st.iter("field"):
        if f.get("name") == "http2.body.reassembled.data":
            whole = octets(f)
        elif f.get("name") == "http2.data.data" and not data:
            data = octets(f)
    if whole is not None:
        res.bodies[d][stream] = whole
    elif data:
        res.bodies[d].setdefault(stream, bytearray()).extend(data)


def octets(field):
    # PDML: "value" is the field's octets in hex (none for an empty string)
    if field is None:
        return b""
    return bytes.fromhex(field.get("value") or "")


# ---- comparison -----------------------------------------------------------

def show_frame(f):
    names = {v: k for k, v in TYPES.items()}
    return "%s flags=0x%02x stream=%d length=%d" % (names.get(f[0], f[0]), f[1], f[2], f[3])


def compare(a, b):
    """Differences between two results (empty: they agree)."""
    diffs = []
    for d in ("C->S", "S->C"):
        fa, fb = a.frames[d], b.frames[d]
        for i in range(max(len(fa), len(fb))):
            x = fa[i] if i < len(fa) else None
            y = fb[i] if i < len(fb) else None
            if x != y:
                diffs.append("%s frame %d: %s: %s, %s: %s" % (
                    d, i, a.source, show_frame(x) if x else "(none)",
                    b.source, show_frame(y) if y else "(none)"))
                break
        if a.flag_names[d] and b.flag_names[d] and a.flag_names[d] != b.flag_names[d]:
            for i, (x, y) in enumerate(zip(a.flag_names[d], b.flag_names[d])):
                if x != y:
                    diffs.append("%s frame %d flag names: %s %s, %s %s" % (
                        d, i, a.source, sorted(x), b.source, sorted(y)))
                    break
        shown = 0
        for st in sorted(set(a.bodies[d]) | set(b.bodies[d])):
            x, y = a.bodies[d].get(st, b""), b.bodies[d].get(st, b"")
            if x != y and shown == 3:
                diffs.append("%s: more bodies differ" % d)
                break
            if x != y:
                shown += 1
                k = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]),
                         min(len(x), len(y)))
                diffs.append("%s stream %d body: %s %d octets, %s %d, first difference at %d" % (
                    d, st, a.source, len(x), b.source, len(y), k))
        ba, bb = a.blocks[d], b.blocks[d]
        if len(ba) != len(bb):
            diffs.append("%s: %s has %d header blocks, %s %d" % (
                d, a.source, len(ba), b.source, len(bb)))
        for i, (x, y) in enumerate(zip(ba, bb)):
            if x != y:
                if x[0] != y[0]:
                    diffs.append("%s block %d: stream %d vs %d" % (d, i, x[0], y[0]))
                    break
                for j in range(max(len(x[1]), len(y[1]))):
                    hx = x[1][j] if j < len(x[1]) else None
                    hy = y[1][j] if j < len(y[1]) else None
                    if hx != hy:
                        diffs.append("%s block %d (stream %d) field %d: %s %r, %s %r" % (
                            d, i, x[0], j, a.source, hx, b.source, hy))
                        break
                break
    return diffs


def prefix(name):
    """examples/captures/NAME, or NAME itself when it is a path."""
    return name if "/" in name else os.path.join(CAPTURES, name)


def decode_all(h2dump, work, name, client_file=None):
    """Every decoder's Result for capture NAME, h2dump's first."""
    cf = prefix(name) + "-client.bin"
    sf = prefix(name) + "-server.bin"
    client, server = open(cf, "rb").read(), open(sf, "rb").read()
    pcap = os.path.join(work, os.path.basename(name) + ".pcap")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "mkpcap.py"), cf, sf, pcap, str(SERVER_PORT)],
                   check=True)
    results = [run_h2dump(h2dump, [client_file or cf, sf], "h2dump", work),
               run_python(client, server),
               run_h2dump(h2dump, [pcap], "h2dump(pcap)", work),
               run_tshark(pcap, SERVER_PORT)]
    real = prefix(name) + ".pcap"
    if os.path.exists(real):
        port = tcpdump_server_port(real)
        r = run_h2dump(h2dump, [real], "h2dump(tcpdump pcap)", work)
        results.append(r)
        t = run_tshark(real, port, os.path.exists(prefix(name) + ".http1"))
        t.source = "tshark(tcpdump pcap)"
        results.append(t)
    return results


def tcpdump_server_port(pcap):
    """The server's port in a tcpdump capture: the destination of the SYN."""
    p = subprocess.run(["tshark", "-r", pcap, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0",
                        "-T", "fields", "-e", "tcp.dstport"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return int(p.stdout.split()[0])


# A known tshark (Wireshark 4.0.x, packet-http2.c) bug, not an h2dump one.
# Before the first header block of a direction, tshark's
# fix_partial_header_dissection_support() fills the empty dynamic table
# with dummy entries, in case the capture started mid-connection. If the
# receiver has by then announced a SETTINGS_HEADER_TABLE_SIZE below 4096
# and the sender acknowledged it, tshark has already told nghttp2's
# inflater the smaller size (nghttp2_hd_inflate_change_table_size), which
# then requires the block to start with a dynamic table size update
# (RFC 7541 §4.2: the change "MUST" be signalled "at the beginning of the
# first header block following the change"). The dummy insert is not one,
# the inflater fails (NGHTTP2_ERR_HEADER_COMP, tshark warns "unexpected
# decompression state: -523 != 12") and tshark decodes no header field of
# that direction for the rest of the connection. The sender did nothing
# wrong: e.g. in nghttp-table nghttpd's first response block starts with
# the size update 256 (0x3fe101), as RFC 7541 §6.3 and RFC 9113 §6.5.2
# expect, and python3-hpack and h2dump decode the same fields from it.
# So for such a direction tshark must list the same frames and header
# blocks (by stream) but no fields, and its fields are not compared.
KNOWN_TSHARK_BUG = "tshark: known bug, header fields not decoded after an early SETTINGS_HEADER_TABLE_SIZE"


def excuse_tshark(results):
    py = next(r for r in results if r.source == "hyperframe+hpack")
    notes = []
    for r in results:
        if not r.source.startswith("tshark") or not r.inflater_broken:
            continue
        for d in py.limited_before_first_block:
            if any(h for _, h in r.blocks[d]):
                continue            # it did decode fields: compare them
            if [st for st, _ in r.blocks[d]] != [st for st, _ in py.blocks[d]]:
                continue            # the blocks (by stream) must still agree
            r.blocks[d] = [(st, list(h)) for st, h in py.blocks[d]]
            notes.append("%s %s: %s" % (r.source, d, KNOWN_TSHARK_BUG))
    return notes


def parse_violations(tokens):
    """violation=SECTION:SENDER:CODE:SCOPE[:http] (tests/traffic/README.md)
    -> {dir: [(code, scope)]} of the errors h2dump must report; h2dump runs
    without --validate, so the §8 (:http) ones are not expected of it."""
    exp = {"C->S": [], "S->C": []}
    for t in tokens:
        if not t.startswith("violation="):
            continue
        parts = t[len("violation="):].split(":")
        if len(parts) not in (4, 5) or parts[1] not in ("client", "server") or \
                parts[3] not in ("stream", "connection") or (len(parts) == 5 and parts[4] != "http"):
            raise ValueError("cannot read " + t)
        if len(parts) == 5:
            continue
        exp["C->S" if parts[1] == "client" else "S->C"].append((parts[2], parts[3]))
    return exp


def content_decoded(coding, raw):
    """raw decoded as tshark decodes a Content-Encoding (RFC 9110 §8.4.1),
    or None for a coding Python cannot decode (br)."""
    try:
        if coding in (b"gzip", b"x-gzip"):
            return zlib.decompress(bytes(raw), 16 + zlib.MAX_WBITS)
        if coding == b"deflate":
            try:
                return zlib.decompress(bytes(raw))
            except zlib.error:
                return zlib.decompress(bytes(raw), -zlib.MAX_WBITS)
    except zlib.error:
        return None
    return None


def excuse_tshark_bodies(results):
    """tshark gives a body with a Content-Encoding decoded (whole, on its
    last DATA frame), not its octets. Where decoding hyperframe's octets
    gives tshark's body, tshark's is taken to agree; where Python cannot
    decode the coding, tshark's body is not compared (a note says so)."""
    py = next(r for r in results if r.source == "hyperframe+hpack")
    notes = []
    for r in results:
        if not r.source.startswith("tshark"):
            continue
        for d in ("C->S", "S->C"):
            for stream, fields in py.blocks[d]:
                coding = [v.strip().lower() for n, v in fields if n == b"content-encoding"]
                if not coding or coding[-1] == b"identity" or stream not in py.bodies[d]:
                    continue
                raw = py.bodies[d][stream]
                if r.bodies[d].get(stream) == raw:
                    continue
                dec = content_decoded(coding[-1], raw)
                if dec is None:
                    notes.append("%s %s stream %d: a %s body, not compared" % (
                        r.source, d, stream, coding[-1].decode("latin-1")))
                    r.bodies[d][stream] = raw
                elif r.bodies[d].get(stream) == dec:
                    r.bodies[d][stream] = raw
    return notes


def check(results, notes=None, expected=None):
    problems = []
    expected = expected or {"C->S": [], "S->C": []}
    for n in excuse_tshark(results) + excuse_tshark_bodies(results):
        if notes is not None:
            notes.append(n)
    for r in results:
        for d, code, scope, line in r.proto_errors:
            if (code, scope) not in expected.get(d, []):
                problems.append("%s: h2dump error: %s" % (r.source, line))
    for d, exp in expected.items():
        for code, scope in exp:
            if not any(e[:3] == (d, code, scope) for e in results[0].proto_errors):
                problems.append("%s: the MANIFEST's violation (%s %s) was not reported by h2dump"
                                % (d, code, scope))
        if not any(e[0] == d and e[2] == "connection" for e in results[0].proto_errors):
            continue
        # A connection error ends h2dump's reading of the direction (§5.4.1):
        # the others are compared up to where it stopped, bodies not at all,
        # and their own complaints about that direction are not counted.
        for r in results:
            n = len(results[0].frames[d])
            r.frames[d] = r.frames[d][:n]
            r.flag_names[d] = r.flag_names[d][:n]
            r.blocks[d] = r.blocks[d][:len(results[0].blocks[d])]
            r.bodies[d] = {}
            r.errors = [e for e in r.errors if not e.startswith(d)]
    for r in results:
        problems += ["%s: %s" % (r.source, e) for e in r.errors]
    for r in results[1:]:
        problems += compare(results[0], r)
    return problems


def summary(r):
    n = {d: len(r.frames[d]) for d in r.frames}
    nb = sum(len(b) for b in r.blocks.values())
    nf = sum(len(h) for bl in r.blocks.values() for _, h in bl)
    bo = sum(len(b) for bs in r.bodies.values() for b in bs.values())
    return "%d+%d frames, %d header blocks, %d fields, %d body octets" % (
        n["C->S"], n["S->C"], nb, nf, bo)


def selftest(h2dump, work, name):
    """The comparison must be able to fail."""
    failures = []
    # 1. h2dump reads a copy of the client file with one octet of a raw
    # (not Huffman-coded) header value changed; the others read the original.
    cf = prefix(name) + "-client.bin"
    data = bytearray(open(cf, "rb").read())
    base = decode_all(h2dump, work, name)
    raw_values = [v for _, hs in base[1].blocks["C->S"] for _, v in hs]
    target = None
    for v in raw_values:
        k = data.find(v, len(PREFACE)) if len(v) >= 3 else -1
        if k >= 0:
            target = k
            break
    if target is None:
        failures.append("selftest: no raw header value to corrupt in " + name)
    else:
        data[target] ^= 0x01
        bad = os.path.join(work, os.path.basename(name) + "-corrupt-client.bin")
        open(bad, "wb").write(bytes(data))
        if not check(decode_all(h2dump, work, name, client_file=bad)):
            failures.append("selftest: a corrupted header octet went unnoticed")
    # 2. each decoder's result altered one way at a time
    import copy
    mutations = {
        "flags": lambda r: r.frames["C->S"].__setitem__(
            0, r.frames["C->S"][0][:1] + (r.frames["C->S"][0][1] ^ 0x20,) + r.frames["C->S"][0][2:]),
        "length": lambda r: r.frames["S->C"].__setitem__(
            -1, r.frames["S->C"][-1][:3] + (r.frames["S->C"][-1][3] + 1,)),
        "dropped frame": lambda r: r.frames["S->C"].pop(1),
        "header value": lambda r: r.blocks["C->S"][0][1].__setitem__(
            0, (r.blocks["C->S"][0][1][0][0], r.blocks["C->S"][0][1][0][1] + b"x")),
        "swapped headers": lambda r: r.blocks["S->C"][0][1].reverse(),
        "dropped block": lambda r: r.blocks["S->C"].pop(),
        "body octet": lambda r: r.bodies["S->C"].__setitem__(
            max(r.bodies["S->C"]), bytes([r.bodies["S->C"][max(r.bodies["S->C"])][0] ^ 1])
            + r.bodies["S->C"][max(r.bodies["S->C"])][1:]),
        "dropped body": lambda r: r.bodies["S->C"].pop(max(r.bodies["S->C"])),
    }
    tried = 0
    for i in range(len(base)):
        for what, mutate in mutations.items():
            rs = copy.deepcopy(base)
            try:
                mutate(rs[i])
            except (IndexError, ValueError):
                failures.append("selftest: %s has too little to alter (%s)" % (name, what))
                continue
            tried += 1
            if not check(rs):
                failures.append("selftest: %s changed in %s went unnoticed" % (what, rs[i].source))
    if not failures:
        print("selftest (%s): a corrupted copy and %d altered results were all caught"
              % (name, tried))
    return failures


def main():
    args = sys.argv[1:]
    do_selftest = args and args[0] == "--selftest"
    if do_selftest:
        args = args[1:]
    manifest = None
    if args and args[0] == "--manifest":
        manifest, args = args[1], args[2:]
    h2dump, work, names = args[0], args[1], args[2:]
    expect = {}
    if manifest:
        # NAME PEERS WHAT-IT-SHOWS [violation=...] (tests/traffic/README.md)
        for line in open(manifest):
            words = line.split("#")[0].split()
            if words:
                name = os.path.join(os.path.dirname(manifest) or ".", words[0])
                names.append(name)
                expect[name] = words[1:]
        if not names:
            print("crosscheck: %s lists no recording yet" % manifest)
    os.makedirs(work, exist_ok=True)
    failed = False
    for name in names:
        try:
            expected = parse_violations(expect.get(name, []))
        except ValueError as e:
            failed = True
            print("FAIL %s: MANIFEST: %s" % (os.path.basename(name), e))
            continue
        results = decode_all(h2dump, work, name)
        notes = []
        problems = check(results, notes, expected)
        for n in notes:
            print("note %s: %s" % (os.path.basename(name), n))
        if problems:
            failed = True
            print("FAIL %s" % os.path.basename(name))
            for p in problems:
                print("  " + p)
        else:
            print("ok   %-14s %s agree: %s" % (
                os.path.basename(name), ", ".join(r.source for r in results), summary(results[0])))
    if do_selftest and names:
        for f in selftest(h2dump, work, "nghttp" if "nghttp" in names else names[0]):
            failed = True
            print("FAIL " + f)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
