"""The grpcio client of the gRPC recordings (record-grpc.sh): one channel,
so one HTTP/2 connection (h2c, insecure), and the calls of one scenario.

    /usr/bin/python3 client.py STUBS-DIR PORT SCENARIO

SCENARIO:
  unary            one unary call
  server-streaming one request, five replies
  client-streaming five requests, one reply
  bidi             three requests, each echoed as it arrives
  status           a unary call the server fails with INVALID_ARGUMENT and a
                   message holding non-ASCII characters and '%', which travel
                   percent-encoded in grpc-message (gRPC PROTOCOL-HTTP2.md)
  deadline         a unary call with a 200 ms deadline (grpc-timeout) that
                   the server answers only after 1 s: the client gives up
                   with RST_STREAM (CANCEL)
  cancel           a server-streaming call the client cancels after two of
                   its replies: RST_STREAM (CANCEL) after the request's
                   END_STREAM, while replies still come
  gzip             unary and bidi with every message compressed on both
                   sides (grpc-encoding: gzip; the server runs with gzip too)
  large            unary calls with 20000-octet and 70000-octet requests and
                   replies: DATA beyond 16384 octets, and messages larger
                   than the largest frame the receiver accepts
  frame16k         the large calls again, both sides without chttp2's BDP
                   probe (the server runs with frame16k too), so neither
                   advertises MAX_FRAME_SIZE nor INITIAL_WINDOW_SIZE: each
                   message is split into 16384-octet DATA frames and waits
                   for WINDOW_UPDATE past 65535 octets
  binary-metadata  a unary call with a -bin metadata field, which the
                   server sends back as a trailer
  mixed            unary, server-streaming, bidi, and a cancelled
                   server-streaming call (the grpcio client against the
                   grpc-js server)
"""
import sys
import time

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
import traffic_pb2 as pb  # noqa: E402
import traffic_pb2_grpc as pbg  # noqa: E402


def pattern(n):
    return bytes(0x61 + i % 26 for i in range(n))


def unary(stub, **kw):
    r = stub.Unary(pb.Msg(text="hello", **kw))
    print("Unary:", r.text, len(r.data))


def server_streaming(stub, count=5):
    for r in stub.ServerStream(pb.StreamReq(count=count, size=32)):
        print("ServerStream:", r.text)


def cancel(stub):
    call = stub.ServerStream(pb.StreamReq(count=50, delay_ms=100, size=32))
    got = 0
    for r in call:
        print("ServerStream:", r.text)
        got += 1
        if got == 2:
            call.cancel()   # RST_STREAM (CANCEL), RFC 9113 §8.7
            break
    time.sleep(0.3)         # let the RST_STREAM go out before we close


def msgs(n, size=16):
    for i in range(n):
        yield pb.Msg(text="request %d" % (i + 1), data=pattern(size))


def main():
    port, scenario = int(sys.argv[2]), sys.argv[3]
    opts = {}
    if scenario == "gzip":
        opts["compression"] = grpc.Compression.Gzip
    if scenario == "frame16k":
        # chttp2's BDP probe is what advertises the 4194303-octet frames
        # and window (see server.py)
        opts["options"] = [("grpc.http2.bdp_probe", 0)]
    channel = grpc.insecure_channel("127.0.0.1:%d" % port, **opts)
    stub = pbg.EchoStub(channel)
    if scenario == "unary":
        unary(stub)
    elif scenario == "server-streaming":
        server_streaming(stub)
    elif scenario == "client-streaming":
        r = stub.ClientStream(msgs(5))
        print("ClientStream:", r.text)
    elif scenario == "bidi":
        for r in stub.Bidi(msgs(3)):
            print("Bidi:", r.text)
    elif scenario == "status":
        try:
            stub.Unary(pb.Msg(text="fail", fail_code=grpc.StatusCode.INVALID_ARGUMENT.value[0],
                              fail_message="naïve 100% «wrong» ✗"))
            sys.exit("the call should have failed")
        except grpc.RpcError as e:
            print("status:", e.code(), e.details())
            assert e.details() == "naïve 100% «wrong» ✗"
    elif scenario == "deadline":
        try:
            stub.Unary(pb.Msg(text="slow", delay_ms=1000), timeout=0.2)
            sys.exit("the call should have timed out")
        except grpc.RpcError as e:
            print("deadline:", e.code())
            assert e.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        time.sleep(1.2)     # the server's handler ends meanwhile
    elif scenario == "cancel":
        cancel(stub)
    elif scenario == "gzip":
        # text that compresses, so that gzip visibly shrinks the DATA
        unary(stub, data=b"compress me " * 100, reply_size=1200)
        for r in stub.Bidi(msgs(2, 600)):
            print("Bidi:", r.text, len(r.data))
    elif scenario in ("large", "frame16k"):
        unary(stub, data=pattern(20000), reply_size=20000)
        unary(stub, data=pattern(70000), reply_size=70000)
    elif scenario == "binary-metadata":
        r, call = stub.Unary.with_call(
            pb.Msg(text="metadata"),
            metadata=[("x-blob-bin", bytes([0, 1, 2, 0xfe, 0xff, 0x0a, 0x0d, 0x80]))])
        print("Unary:", r.text, call.trailing_metadata())
    elif scenario == "mixed":
        unary(stub)
        server_streaming(stub, 3)
        for r in stub.Bidi(msgs(2)):
            print("Bidi:", r.text)
        cancel(stub)
    else:
        sys.exit("unknown scenario " + scenario)
    channel.close()


if __name__ == "__main__":
    main()
