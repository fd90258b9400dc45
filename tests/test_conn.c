/*
 * Tests for conn.c, the connection reader: streams reassembled from frames
 * (RFC 9113 §5, §8.1), the state rules of §5.1, and the limits that hold
 * against hostile peers. Every input runs whole, byte by byte and at 20
 * random splits (tests/conn_harness.h) and must give the same events; the
 * expected events are written out in full.
 */
#include "conn_harness.h"

static const h2f_conn_options server_opts = {0};

/* The events of the requests w_headers sends most: GET / (with the GET
 * macro's pseudo-headers) and POST to a path. */
#define GET_EVENTS(s)                                                          \
    "h s=" #s " headers :method: GET\n"                                        \
    "h s=" #s " headers :scheme: http\n"                                       \
    "h s=" #s " headers :authority: localhost\n"                               \
    "h s=" #s " headers :path: /\n"
#define POST_EVENTS(s, path)                                                   \
    "h s=" #s " headers :method: POST\n"                                       \
    "h s=" #s " headers :scheme: http\n"                                       \
    "h s=" #s " headers :path: " path "\n"


static h2f_conn_options opts(h2f_role role, h2f_body_mode body)
{
    h2f_conn_options o;
    memset(&o, 0, sizeof o);
    o.role = role;
    o.body = body;
    return o;
}

/* A client's connection start: preface and SETTINGS. */
static void client_start(wire *w)
{
    w_init(w, 1);
    w_settings(w, 1, H2F_SETTINGS_ENABLE_PUSH, 0u);
}

/* A server's: SETTINGS. */
static void server_start(wire *w)
{
    w_init(w, 0);
    w_settings(w, 1, H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 100u);
}

/* Client role: we opened streams 1, 3, 5 (requests with no body). */
static void open_1_3_5(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void done(conn_result *r)
{
    free(r->t.s);
}

/* ---- issue 15: gaps 11-20 ---- */

/* Observer of a client: the other direction (the server) promised 2, 4
 * and 6, held by the reader (a pool of 2 * max_concurrent_streams = 4). */
static void told_of_pushes_2_4_6(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 2, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 4, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 6, 0), H2F_OK);
}

/* §5.1.2: MAX_CONCURRENT_STREAMS limits the streams the sender opens, and
 * the client is under it (one open of two); but the reader's pool is full
 * with the streams it was told of: the new stream is refused
 * (REFUSED_STREAM, "more streams than the reader holds"), its block still
 * decoded (the next request's fields, indexed from it, still decode); so is
 * a stream first met by its DATA in a capture that starts mid-stream. */
static void test_new_stream_when_pool_full_under_the_limit_is_refused(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_CLIENT;
    o.max_concurrent_streams = 2;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 1, GET, "/", "x-new", "entry");
    w_data(&w, 1, "x", 1, 1);
    w_headers(&w, 5, 1, GET, "/", "x-new", "entry");
    r = expect_events(&w, &o, told_of_pushes_2_4_6,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      "err s=3 REFUSED_STREAM ERR_LIMIT (more streams than the reader holds "
                      "(max_concurrent_streams))\n"
                      "data s=1 1 es x\n"
                      "end s=1 end_stream\n"
                      GET_EVENTS(5)
                      "h s=5 headers x-new: entry\n"
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n");
    assert_int_equal(r.max_streams, 4);
    done(&r);
    w_free(&w);
    /* a capture that starts mid-stream: DATA on streams taken as found */
    o.allow_any_first_frame = 1;
    w_init(&w, 0);
    w_settings_ack(&w);
    w_data(&w, 1, "a", 1, 0);
    w_data(&w, 3, "b", 1, 1);
    w_data(&w, 1, "c", 1, 1);
    w_data(&w, 5, "d", 1, 1);
    r = expect_events(&w, &o, told_of_pushes_2_4_6,
                      "frame SETTINGS s=0\n"
                      "data s=1 1 a\n"
                      "err s=3 REFUSED_STREAM ERR_LIMIT (more streams than the reader holds "
                      "(max_concurrent_streams))\n"
                      "data s=1 1 es c\n"
                      "end s=1 end_stream\n"
                      "data s=5 1 es d\n"
                      "end s=5 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.1 closed: "An endpoint that receives any frame other than PRIORITY
 * after receiving a RST_STREAM MUST treat that as a stream error (Section
 * 5.4.2) of type STREAM_CLOSED." — also when the RST_STREAM came after the
 * peer's END_STREAM, on a stream the reader no longer held (not the
 * connection error that frames after END_STREAM alone get). */
static void test_frames_after_peer_reset_of_ended_stream_are_stream_closed(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_data(&w, 1, "late", 4, 1);
    w_headers(&w, 3, 1, GET, "/");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "reset s=1 CANCEL\n"
                      "err s=1 STREAM_CLOSED ERR_PROTOCOL (DATA on a closed stream (RFC 9113 §6.1))\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 3, 1, GET, "/");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "reset s=1 CANCEL\n"
                      "err s=1 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer reset "
                      "(RFC 9113 §5.1 closed))\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* The events of h2f_conn_next up to NEED_MORE, as trace lines. */
static char *rest_of_events(h2f_conn *c)
{
    trace t = {0};
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(c, &ev, &e)) == H2F_OK)
        trace_event(&t, &ev);
    assert_int_equal(st, H2F_NEED_MORE);
    return t.s;
}

/* Returns events until one of `type` on `stream`, which must come. */
static void next_until(h2f_conn *c, h2f_event_type type, uint32_t stream)
{
    h2f_event ev;
    h2f_error e;
    do
        assert_int_equal(h2f_conn_next(c, &ev, &e), H2F_OK);
    while (ev.type != type || ev.stream_id != stream);
}

/* h2f_conn_local_reset: the stream "is forgotten (no H2F_EV_END)" — also
 * when its END (and, whole, its BODY: after trailers) is already queued
 * behind the event just returned; the other streams' events are
 * untouched. */
static void test_local_reset_forgets_queued_end_and_body(void **state)
{
    wire w;
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    counting cnt;
    h2f_allocator a;
    char *t;
    (void)state;
    memset(&cnt, 0, sizeof cnt);
    a = counting_allocator(&cnt);
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 3, "body", 4, 0);
    w_headers(&w, 3, 1, "x-trailer", "t");
    w_headers(&w, 5, 1, GET, "/");
    assert_int_equal(h2f_conn_init(&c, &o, &a), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    next_until(&c, H2F_EV_HEADERS_END, 1); /* END s=1 queued behind it */
    assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
    next_until(&c, H2F_EV_HEADERS_END, 3); /* the request's */
    next_until(&c, H2F_EV_HEADERS_END, 3); /* the trailers': BODY and END s=3 queued */
    assert_int_equal(h2f_conn_local_reset(&c, 3), H2F_OK);
    t = rest_of_events(&c);
    assert_string_equal(t, GET_EVENTS(5) "hend s=5 headers es\n"
                                         "end s=5 end_stream\n");
    free(t);
    assert_int_equal(h2f_conn_stream_count(&c), 0);
    h2f_conn_free(&c);
    assert_int_equal(cnt.live, 0); /* the body queued was freed */
    w_free(&w);
}

/* §5.1.1: "The identifier of a newly established stream MUST be
 * numerically greater than all streams that the initiating endpoint has
 * opened or reserved." — ours too: the last id we opened (or promised)
 * again is out of order. */
static void test_local_open_of_last_local_id_again_is_refused(void **state)
{
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 1, H2F_LOCAL_END_STREAM), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_stream_count(&c), 1); /* held once */
    assert_int_equal(h2f_conn_local_open(&c, 3, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 3, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_stream_count(&c), 2);
    h2f_conn_free(&c);
    o.role = H2F_ROLE_SERVER; /* promised streams */
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 4, 0), H2F_OK);
    h2f_conn_free(&c);
}

/* §8.3.2: a response has "a single ":status" pseudo-header field", and
 * (§8.3) pseudo-headers come before the regular fields: only the block's
 * first field tells an informational (1xx) response. A second :status, or
 * one after a regular field, does not turn a final response into a 1xx
 * (http.c judges them malformed with validate_http). */
static void test_second_or_late_status_does_not_make_a_1xx(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", ":status", "100");
    w_headers(&w, 3, 1, "server", "x", ":status", "103");
    w_headers(&w, 5, 0, ":status", "103", ":status", "200");
    w_headers(&w, 5, 1, ":status", "204");
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers :status: 100\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "h s=3 headers server: x\n"
                      "h s=3 headers :status: 103\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "h s=5 1xx :status: 103\n"
                      "h s=5 1xx :status: 200\n"
                      "hend s=5 1xx\n"
                      "h s=5 headers :status: 204\n"
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n");
    done(&r);
    w_free(&w);
}

/* ---- header blocks (issue item 1) ---------------------------------------- */

static void test_request_without_body(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/", "user-agent", "t");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "h s=1 headers user-agent: t\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    assert_int_equal(r.max_streams, 1);
    done(&r);
    w_free(&w);
}

/* A field block cut into HEADERS + CONTINUATION at every octet: the same
 * fields, even when a field (or an integer, or a Huffman string) is cut. */
static void test_field_split_across_continuation_at_every_octet(void **state)
{
    wire w;
    uint8_t block[256];
    size_t len, cut;
    h2f_header h[4] = {
        {{(const uint8_t *)":method", 7}, {(const uint8_t *)"POST", 4}, 0},
        {{(const uint8_t *)":scheme", 7}, {(const uint8_t *)"https", 5}, 0},
        {{(const uint8_t *)":path", 5}, {(const uint8_t *)"/a/long/path/to/cut/anywhere", 28}, 0},
        {{(const uint8_t *)"x-custom-header", 15}, {(const uint8_t *)"some value", 10}, 0},
    };
    h2f_hpack_encoder enc;
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&enc, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_hpack_encode(&enc, h, 4, block, sizeof block, &len), H2F_OK);
    h2f_hpack_encoder_free(&enc);
    for (cut = 0; cut <= len; cut++) {
        conn_result r;
        client_start(&w);
        w_frame(&w, H2F_HEADERS, H2F_FLAG_END_STREAM, 1, block, cut);
        w_frame(&w, H2F_CONTINUATION, H2F_FLAG_END_HEADERS, 1, block + cut, len - cut);
        r = expect_events(&w, &server_opts, NULL,
                          "frame SETTINGS s=0\n"
                          "h s=1 headers :method: POST\n"
                          "h s=1 headers :scheme: https\n"
                          "h s=1 headers :path: /a/long/path/to/cut/anywhere\n"
                          "h s=1 headers x-custom-header: some value\n"
                          "hend s=1 headers es\n"
                          "end s=1 end_stream\n");
        done(&r);
        w_free(&w);
    }
}

/* END_STREAM on HEADERS takes effect at END_HEADERS (§8.1): the stream
 * ends after the last CONTINUATION, whatever else came before. */
static void test_end_stream_waits_for_end_headers(void **state)
{
    wire w;
    conn_result r;
    uint8_t block[] = {0x82, 0x86, 0x84}; /* :method GET, :scheme http, :path / */
    (void)state;
    client_start(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_STREAM, 1, block, 1);
    w_frame(&w, H2F_CONTINUATION, 0, 1, block + 1, 1);
    w_frame(&w, H2F_CONTINUATION, 0, 1, NULL, 0);
    w_frame(&w, H2F_CONTINUATION, H2F_FLAG_END_HEADERS, 1, block + 2, 1);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :method: GET\n"
                      "h s=1 headers :scheme: http\n"
                      "h s=1 headers :path: /\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* ---- per stream (item 2) and bodies (item 3) ------------------------------- */

static void test_interleaved_streams_with_bodies(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/a");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/b");
    w_data(&w, 3, "b1", 2, 0);
    w_data(&w, 1, "a1", 2, 0);
    w_headers(&w, 5, 1, GET, "/c");
    w_data(&w, 3, "b2", 2, 1);
    w_data(&w, 1, "a2", 2, 1);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/a")
                      "hend s=1 headers\n"
                      POST_EVENTS(3, "/b")
                      "hend s=3 headers\n"
                      "data s=3 2 b1\n"
                      "data s=1 2 a1\n"
                      "h s=5 headers :method: GET\n"
                      "h s=5 headers :scheme: http\n"
                      "h s=5 headers :authority: localhost\n"
                      "h s=5 headers :path: /c\n"
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n"
                      "data s=3 2 es b2\n"
                      "end s=3 end_stream\n"
                      "data s=1 2 es a2\n"
                      "end s=1 end_stream\n");
    assert_int_equal(r.max_streams, 3);
    done(&r);
    w_free(&w);
}

/* The same bodies whole: one H2F_EV_BODY each at END_STREAM. */
static void test_whole_bodies_handed_over_at_end_stream(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t big[100000];
    h2f_bytes b = {big, sizeof big};
    char expected[512];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + (i >> 8));
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/a");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/b");
    w_data(&w, 1, big, 50000, 0);   /* four frames of at most 16384 */
    w_data(&w, 3, "tiny", 4, 1);
    w_data(&w, 1, big + 50000, 50000, 1);
    snprintf(expected, sizeof expected,
             "frame SETTINGS s=0\n"
             POST_EVENTS(1, "/a")
             "hend s=1 headers\n"
             POST_EVENTS(3, "/b")
             "hend s=3 headers\n"
             "frame DATA s=1\n" /* held, reported for flow control */
             "frame DATA s=1\n"
             "frame DATA s=1\n"
             "frame DATA s=1\n"
             "body s=3 4 %08x\n"
             "end s=3 end_stream\n"
             "frame DATA s=1\n"
             "frame DATA s=1\n"
             "frame DATA s=1\n"
             "body s=1 100000 %08x\n"
             "end s=1 end_stream\n",
             (unsigned)fnv((h2f_bytes){(const uint8_t *)"tiny", 4}), (unsigned)fnv(b));
    r = expect_events(&w, &o, NULL, expected);
    assert_true(r.peak - r.after_init >= 100000); /* the body was held */
    done(&r);
    w_free(&w);
}

/* Streaming bodies: views into the input, no allocation after init. */
static void test_streaming_bodies_do_not_allocate(void **state)
{
    wire w;
    conn_result r;
    static uint8_t big[70000];
    (void)state;
    memset(big, 'x', sizeof big);
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/a");
    w_data(&w, 1, big, sizeof big, 1);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/a")
                      "hend s=1 headers\n"
                      "data s=1 16384\n"
                      "data s=1 16384\n"
                      "data s=1 16384\n"
                      "data s=1 16384\n"
                      "data s=1 4464 es\n"
                      "end s=1 end_stream\n");
    assert_int_equal(r.peak, r.after_init);
    done(&r);
    w_free(&w);
}

/* h2frame.h, H2F_BODY_STREAM: "each DATA payload as it arrives, a view into
 * the input ... no copy": a DATA frame the input cuts comes out in pieces as
 * its octets arrive — the first with `more` set, pointing into the chunk
 * fed — and its last piece carries END_STREAM. */
static void test_data_cut_by_the_input_comes_out_as_it_arrives(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    size_t cut;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, "0123456789", 10, 1);
    cut = w.n - 6; /* the frame header and 4 of its 10 octets */
    assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, cut), H2F_OK);
    do
        assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_OK);
    while (ev.type != H2F_EV_DATA);
    assert_int_equal(ev.data.len, 4);
    assert_memory_equal(ev.data.ptr, "0123", 4);
    assert_true(ev.data.ptr == w.b + cut - 4);
    assert_int_equal(ev.more, 1);
    assert_int_equal(ev.end_stream, 0);
    assert_int_equal(ev.flow, 4);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_conn_feed(&c, w.b + cut, w.n - cut), H2F_OK);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_OK);
    assert_int_equal(ev.type, H2F_EV_DATA);
    assert_int_equal(ev.data.len, 6);
    assert_true(ev.data.ptr == w.b + cut);
    assert_int_equal(ev.more, 0);
    assert_int_equal(ev.end_stream, 1);
    assert_int_equal(ev.flow, 6);
    h2f_conn_free(&c);
    w_free(&w);
}

/* H2F_BODY_WHOLE (h2frame.h, conn.c): a body's buffer starts at 1 KiB and
 * grows by doubling when the octets no longer fit — only then: a body that
 * fills its buffer exactly (1024 octets in frames of 512, then 2048 in
 * frames of 1024) asks the allocator once per size, and no more. */
static void test_whole_body_buffer_grows_only_when_full(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    counting cnt;
    h2f_allocator a;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[1024];
    size_t calls, bodies = 0;
    (void)state;
    memset(body, 'b', sizeof body);
    memset(&cnt, 0, sizeof cnt);
    a = counting_allocator(&cnt);
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, 512, 0);
    w_data(&w, 1, body, 512, 1);     /* 1024: the first buffer, full */
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 3, body, 1024, 0);
    w_data(&w, 3, body, 1024, 1);    /* 2048: two sizes */
    assert_int_equal(h2f_conn_init(&c, &o, &a), H2F_OK);
    calls = cnt.calls;
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        if (ev.type != H2F_EV_BODY)
            continue;
        bodies++;
        if (ev.stream_id == 1) {
            assert_int_equal(ev.data.len, 1024);
            assert_int_equal(cnt.calls - calls, 1);
        } else {
            assert_int_equal(ev.data.len, 2048);
            assert_int_equal(cnt.calls - calls, 1 + 2);
        }
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_int_equal(bodies, 2);
    h2f_conn_free(&c);
    assert_int_equal(cnt.live, 0);
    w_free(&w);
}

/* §6.1: padding is not content. */
static void test_padding_is_never_body(void **state)
{
    wire w;
    conn_result r;
    uint8_t padded[] = {3, 'h', 'i', 0, 0, 0};
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    char expected[512];
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/a");
    w_frame(&w, H2F_DATA, H2F_FLAG_PADDED, 1, padded, sizeof padded);
    w_frame(&w, H2F_DATA, H2F_FLAG_PADDED | H2F_FLAG_END_STREAM, 1, padded, sizeof padded);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/a")
                      "hend s=1 headers\n"
                      "data s=1 2 hi\n"
                      "data s=1 2 es hi\n"
                      "end s=1 end_stream\n");
    done(&r);
    snprintf(expected, sizeof expected,
             "frame SETTINGS s=0\n"
             POST_EVENTS(1, "/a")
             "hend s=1 headers\n"
             "frame DATA s=1\n"
             "body s=1 4 %08x\n"
             "end s=1 end_stream\n",
             (unsigned)fnv((h2f_bytes){(const uint8_t *)"hihi", 4}));
    r = expect_events(&w, &o, NULL, expected);
    done(&r);
    w_free(&w);
}

static void test_trailers_end_the_stream(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/rpc", "te", "trailers");
    w_data(&w, 1, "req", 3, 0);
    w_headers(&w, 1, 1, "x-checksum", "abc");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/rpc")
                      "h s=1 headers te: trailers\n"
                      "hend s=1 headers\n"
                      "data s=1 3 req\n"
                      "h s=1 trailers x-checksum: abc\n"
                      "hend s=1 trailers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* Client side: any number of 1xx, then the final response, body, trailers. */
static void test_informational_responses_then_final(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "100");
    w_headers(&w, 1, 0, ":status", "103", "link", "</s.css>");
    w_headers(&w, 1, 0, ":status", "200", "content-type", "text/plain");
    w_data(&w, 1, "ok", 2, 0);
    w_headers(&w, 1, 1, "grpc-status", "0");
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 1xx :status: 100\n"
                      "hend s=1 1xx\n"
                      "h s=1 1xx :status: 103\n"
                      "h s=1 1xx link: </s.css>\n"
                      "hend s=1 1xx\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers content-type: text/plain\n"
                      "hend s=1 headers\n"
                      "data s=1 2 ok\n"
                      "h s=1 trailers grpc-status: 0\n"
                      "hend s=1 trailers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

static void test_rst_stream_mid_body_ends_the_stream(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/a");
    w_data(&w, 1, "part", 4, 0);
    w_rst(&w, 1, H2F_CANCEL);
    w_data(&w, 1, "late", 4, 0); /* after RST_STREAM: STREAM_CLOSED (§5.1) */
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/a")
                      "hend s=1 headers\n"
                      "frame DATA s=1\n"
                      "end s=1 reset CANCEL\n"
                      "err s=1 STREAM_CLOSED ERR_PROTOCOL (DATA on a closed stream (RFC 9113 §6.1))\n");
    assert_int_equal(r.peak, r.after_init + 1024); /* one body buffer, freed */
    done(&r);
    w_free(&w);
}

/* Client side: GOAWAY ends our streams above its last stream id. */
static void test_goaway_ends_streams_it_will_not_process(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200");
    w_goaway(&w, 1, H2F_NO_ERROR);
    w_data(&w, 1, "last", 4, 1);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers\n"
                      "frame GOAWAY s=0\n"
                      "end s=3 goaway NO_ERROR\n"
                      "end s=5 goaway NO_ERROR\n"
                      "data s=1 4 es last\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

static void test_push_promise_then_pushed_response(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/style.css");
    w_headers(&w, 1, 1, ":status", "200");
    w_headers(&w, 2, 0, ":status", "200");
    w_data(&w, 2, "css", 3, 1);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /style.css\n"
                      "hend s=1 promise\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "h s=2 headers :status: 200\n"
                      "hend s=2 headers\n"
                      "data s=2 3 es css\n"
                      "end s=2 end_stream\n");
    done(&r);
    w_free(&w);
}

/* Frames for no stream's message pass through as H2F_EV_FRAME. */
static void test_control_frames_pass_through(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_ping(&w, 0);
    w_window_update(&w, 0, 1000);
    w_frame(&w, 0xfa, 0x01, 0, "x", 1);          /* unknown type */
    w_frame(&w, H2F_PRIORITY, 0, 9, "\0\0\0\0\x10", 5); /* PRIORITY on idle: fine */
    w_settings_ack(&w);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "frame PING s=0\n"
                      "frame WINDOW_UPDATE s=0\n"
                      "frame type=250 s=0\n"
                      "frame PRIORITY s=9\n"
                      "frame SETTINGS s=0\n");
    done(&r);
    w_free(&w);
}

/* §6.9: every DATA frame's whole payload counts for flow control, and the
 * events' `flow` adds up to it (h2frame.h); an event for any other frame
 * accounts for no DATA octet (flow 0), and an H2F_EV_FRAME carries no
 * end_stream or more (those are HEADERS_END's and DATA's). Here with
 * control frames, an unknown type, and the frames of a stream we reset
 * (RST_STREAM sent after its request: §5.4.2, dropped, DATA still counted);
 * an H2F_EV_RESET (the client cancels a request it ended) likewise. */
static void test_frame_events_account_no_flow_but_their_data(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    uint64_t flow = 0, data_octets = 0;
    size_t frames = 0, resets = 0;
    (void)state;
    client_start(&w);
    w_ping(&w, 0);
    w_window_update(&w, 0, 1000);
    w_frame(&w, 0xfa, 0x01, 0, "x", 1);
    w_frame(&w, H2F_PRIORITY, 0, 9, "\0\0\0\0\x10", 5);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, "abc", 3, 0);
    w_frame(&w, H2F_DATA, H2F_FLAG_PADDED, 1, "\x02xy\0\0", 5); /* "xy", 2 of padding */
    w_data(&w, 1, "late", 4, 0);            /* after our RST_STREAM: dropped */
    w_headers(&w, 1, 1, "x-trailer", "1");  /* dropped, decoded */
    w_rst(&w, 1, H2F_CANCEL);               /* crossed ours */
    w_settings_ack(&w);
    w_headers(&w, 3, 1, GET, "/");
    w_rst(&w, 3, H2F_CANCEL);               /* an H2F_EV_RESET */
    data_octets = 3 + 5 + 4;
    assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        flow += ev.flow;
        if (ev.type == H2F_EV_DATA && ev.data.len == 2) /* we reset it here */
            assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
        if (ev.type == H2F_EV_RESET) {
            resets++;
            assert_int_equal(ev.flow, 0);
            assert_int_equal(ev.end_stream, 0);
            assert_int_equal(ev.more, 0);
            assert_int_equal(ev.data.len, 0);
            assert_int_equal(ev.promised_stream_id, 0);
            assert_int_equal(ev.problems, 0);
            assert_int_equal(ev.error_code, H2F_CANCEL);
        }
        if (ev.type != H2F_EV_FRAME)
            continue;
        frames++;
        assert_int_equal(ev.end_stream, 0);
        assert_int_equal(ev.more, 0);
        assert_int_equal(ev.flow, ev.frame->hd.type == H2F_DATA ? ev.frame->hd.length : 0);
        assert_int_equal(ev.stream_id, ev.frame->hd.stream_id);
    }
    assert_int_equal(st, H2F_NEED_MORE);
    /* SETTINGS, PING, WINDOW_UPDATE, unknown, PRIORITY, DATA, HEADERS,
     * RST_STREAM, SETTINGS ACK */
    assert_int_equal(frames, 9);
    assert_int_equal(resets, 1);
    assert_int_equal(flow, data_octets);
    h2f_conn_free(&c);
    w_free(&w);
}

/* ---- state rules, RFC 9113 §5.1 (item 4) ----------------------------------- */

/* Expects the events of `w` to end with exactly this connection error;
 * returns the run (for its memory figures). */
static conn_result expect_conn_error_run(const wire *w, const h2f_conn_options *o, conn_prep prep,
                                         const char *last_line)
{
    conn_result r = run_conn(w->b, w->n, o, prep);
    const char *tail;
    size_t n = strlen(r.t.s), m = strlen(last_line);
    if (!r.conn_error || n < m || strcmp(r.t.s + n - m, last_line) != 0) {
        tail = n > 2000 ? r.t.s + n - 2000 : r.t.s;
        print_message("--- got (end):\n%s--- expected last line:\n%s", tail, last_line);
        fail();
    }
    return r;
}

static void expect_conn_error(const wire *w, const h2f_conn_options *o, conn_prep prep,
                              const char *last_line)
{
    conn_result r = expect_conn_error_run(w, o, prep, last_line);
    done(&r);
}

/* Lines of the trace that start with `prefix`. */
static size_t count_lines(const char *t, const char *prefix)
{
    size_t n = 0, m = strlen(prefix);
    for (; *t; t = strchr(t, '\n') + 1) {
        if (strncmp(t, prefix, m) == 0)
            n++;
        if (!strchr(t, '\n'))
            break;
    }
    return n;
}

/* The trace ends with `want`. */
static void assert_trace_ends_with(const char *t, const char *want)
{
    size_t n = strlen(t), m = strlen(want);
    if (n < m || strcmp(t + n - m, want) != 0) {
        print_message("--- got (end):\n%s--- expected the end:\n%s", n > 2000 ? t + n - 2000 : t, want);
        fail();
    }
}

static void test_data_on_idle_stream_is_connection_protocol_error(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_data(&w, 1, "x", 1, 0);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (DATA on an idle stream (RFC 9113 §5.1))\n");
    w_free(&w);
}

static void test_rst_stream_on_idle_stream_is_connection_protocol_error(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_rst(&w, 5, H2F_CANCEL);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (RST_STREAM on an idle stream (RFC 9113 §6.4))\n");
    w_free(&w);
}

static void test_window_update_on_idle_stream_is_connection_protocol_error(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_window_update(&w, 3, 10);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE on an idle stream (RFC 9113 §5.1))\n");
    w_free(&w);
}

/* §5.1 half-closed (remote): the peer ended its side, ours is open — it
 * may still send WINDOW_UPDATE for what we send ("If an endpoint receives
 * additional frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM,
 * for a stream that is in this state, it MUST respond with a stream error"):
 * a frame like any other, not an idle stream's connection error — also when
 * the reader no longer holds the stream. */
static void test_window_update_on_half_closed_remote_stream_is_a_frame(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options tracked = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    tracked.track_local = 1;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_window_update(&w, 1, 100);
    w_headers(&w, 3, 1, GET, "/");
    w_window_update(&w, 3, 200);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "frame WINDOW_UPDATE s=1\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "frame WINDOW_UPDATE s=3\n");
    assert_int_equal(r.max_streams, 1); /* forgotten at its END */
    done(&r);
    /* held (track_local: our side is open) */
    r = expect_events(&w, &tracked, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "frame WINDOW_UPDATE s=1\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "frame WINDOW_UPDATE s=3\n");
    assert_int_equal(r.max_streams, 2);
    done(&r);
    w_free(&w);
}

/* §5.1.1: "Streams initiated by a client MUST use odd-numbered stream
 * identifiers" — for a server, and for an observer of a client (which
 * sends HEADERS on no even id: a pushed stream is half-closed for it,
 * §8.4). */
static void test_client_headers_on_even_stream_is_protocol_error(void **state)
{
    wire w;
    h2f_conn_options observer = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    client_start(&w);
    w_headers(&w, 2, 1, GET, "/");
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (HEADERS on an even stream id from a client "
                      "(RFC 9113 §5.1.1))\n");
    expect_conn_error(&w, &observer, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (HEADERS on an even stream id from a client "
                      "(RFC 9113 §5.1.1))\n");
    w_free(&w);
}

/* §5.1.1: "The identifier of a newly established stream MUST be
 * numerically greater than all streams that the initiating endpoint has
 * opened or reserved." */
static void test_new_stream_id_must_increase(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_headers(&w, 5, 0, GET, "/");
    w_headers(&w, 3, 1, GET, "/");
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (new stream id not above the last one (RFC 9113 §5.1.1))\n");
    w_free(&w);
}

/* §5.1 closed: "an endpoint that receives any frames after receiving a
 * frame with the END_STREAM flag set MUST treat that as a connection error
 * (Section 5.4.1) of type STREAM_CLOSED". */
static void test_data_after_end_stream_is_connection_stream_closed(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_data(&w, 1, "x", 1, 0);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR STREAM_CLOSED ERR_PROTOCOL (DATA on a stream the peer ended (RFC 9113 §5.1 closed))\n");
    w_free(&w);
}

static void test_headers_after_end_stream_is_connection_stream_closed(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 1, 1, "x", "y");
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer ended (RFC 9113 §5.1 closed))\n");
    w_free(&w);
}

/* §5.1 closed: "an endpoint that receives any frames after receiving a
 * frame with the END_STREAM flag set MUST treat that as a connection error
 * (Section 5.4.1) of type STREAM_CLOSED" — for an observer as well: the
 * client's second HEADERS on a stream it ended. */
static void test_observer_headers_after_end_stream_is_connection_stream_closed(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 1, 1, GET, "/again");
    expect_conn_error(&w, &o, NULL,
                      "end s=1 end_stream\n"
                      "ERR STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer ended (RFC 9113 §5.1 closed))\n");
    w_free(&w);
}

/* With track_local the stream is half-closed (remote) while we answer:
 * §5.1 "If an endpoint receives additional frames, other than
 * WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this
 * state, it MUST respond with a stream error (Section 5.4.2) of type
 * STREAM_CLOSED." */
static void test_half_closed_remote_data_is_stream_closed(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.track_local = 1;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_window_update(&w, 1, 100);
    w_data(&w, 1, "x", 1, 0);
    w_headers(&w, 3, 1, GET, "/");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "frame WINDOW_UPDATE s=1\n"
                      "err s=1 STREAM_CLOSED ERR_PROTOCOL (DATA after END_STREAM (RFC 9113 §5.1 half-closed (remote)))\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* track_local: a stream counts against MAX_CONCURRENT_STREAMS until we close
 * our side too (§5.1.2 counts "open" and both "half-closed" states). */
static void test_track_local_counts_until_we_close(void **state)
{
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    wire w;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    (void)state;
    o.track_local = 1;
    o.max_concurrent_streams = 1;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 3, 1, GET, "/");
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK && ev.type != H2F_EV_END)
        ;
    assert_int_equal(st, H2F_OK);
    assert_int_equal(h2f_conn_peer_open(&c), 1); /* half-closed (remote), still counted */
    /* stream 3 is refused: stream 1 is still open on our side */
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_ERR_LIMIT);
    assert_int_equal(e.code, H2F_REFUSED_STREAM);
    assert_int_equal(e.stream_id, 3);
    assert_int_equal(h2f_conn_local_close(&c, 1), H2F_OK);
    assert_int_equal(h2f_conn_peer_open(&c), 0);
    assert_int_equal(h2f_conn_stream_count(&c), 0);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_NEED_MORE);
    h2f_conn_free(&c);
    w_free(&w);
}

/* §5.1 closed: "An endpoint that receives any frame other than PRIORITY
 * after receiving a RST_STREAM MUST treat that as a stream error". */
static void test_headers_after_peer_reset_is_stream_closed(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_frame(&w, H2F_PRIORITY, 0, 1, "\0\0\0\0\x10", 5); /* PRIORITY: fine */
    w_headers(&w, 1, 1, "x", "y");
    w_headers(&w, 3, 1, GET, "/", "x", "y"); /* the table is in step: x: y indexed */
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "end s=1 reset CANCEL\n"
                      "frame PRIORITY s=1\n"
                      "err s=1 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer reset (RFC 9113 §5.1 closed))\n"
                      GET_EVENTS(3)
                      "h s=3 headers x: y\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.4.2: after we reset a stream, the frames the peer had in flight are
 * dropped (DATA still reported, for flow control) — and their header
 * blocks still update the HPACK table. */
static void refuse_reset_of_idle(h2f_conn *c)
{
    /* (only streams that are not idle can be reset: §6.4) */
    assert_int_equal(h2f_conn_local_reset(c, 1), H2F_ERR_INVALID_ARGUMENT);
}

static void test_frames_after_our_reset_are_dropped(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    /* what the client sent before our RST_STREAM reached it */
    w_data(&w, 1, "dropped", 7, 0);
    w_headers(&w, 1, 1, "x-added", "to-the-table"); /* trailers, indexed */
    w_headers(&w, 3, 1, GET, "/", "x-added", "to-the-table");
    assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
    refuse_reset_of_idle(&c);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while (h2f_conn_next(&c, &ev, &e) == H2F_OK && ev.type != H2F_EV_HEADERS_END)
        ;
    assert_int_equal(ev.stream_id, 1);
    assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK); /* we reset it */
    memset(&r, 0, sizeof r);
    trace_add(&r.t, "%s", "");
    assert_int_equal(conn_drain(&c, &r), 0);
    if (strcmp(r.t.s, "frame DATA s=1\n"
                      "frame HEADERS s=1\n"
                      GET_EVENTS(3)
                      "h s=3 headers x-added: to-the-table\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n") != 0) {
        print_message("%s", r.t.s);
        fail();
    }
    free(r.t.s);
    free(r.piece);
    h2f_conn_free(&c);
    w_free(&w);
}

/* §5.1.2: "An endpoint that receives a HEADERS frame that causes its
 * advertised concurrent stream limit to be exceeded MUST treat this as a
 * stream error (Section 5.4.2) of type PROTOCOL_ERROR or REFUSED_STREAM."
 * The refused stream's block is still decoded (§10.5.1). */
static void test_streams_beyond_max_concurrent_are_refused(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.max_concurrent_streams = 2;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/1");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/3");
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":path", "/5", "new", "entry");
    w_data(&w, 5, "in flight", 9, 1);
    w_data(&w, 1, "done", 4, 1);
    w_headers(&w, 7, 1, ":method", "POST", ":scheme", "http", ":path", "/7", "new", "entry");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/1")
                      "hend s=1 headers\n"
                      POST_EVENTS(3, "/3")
                      "hend s=3 headers\n"
                      "err s=5 REFUSED_STREAM ERR_LIMIT (more open streams than MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n"
                      "frame DATA s=5\n"
                      "data s=1 4 es done\n"
                      "end s=1 end_stream\n"
                      POST_EVENTS(7, "/7")
                      "h s=7 headers new: entry\n"
                      "hend s=7 headers es\n"
                      "end s=7 end_stream\n");
    assert_int_equal(r.max_streams, 2);
    done(&r);
    w_free(&w);
}

/* §5.1.2: up to max_concurrent_streams streams open at once, whatever the
 * value: each limit from 1 to 40 and a few larger, the client opens that
 * many (ids 1, 3, ...), the next is refused (REFUSED_STREAM), then each
 * stream ends (in an order unlike the opening one) with its own DATA, and a
 * new stream opens in the room made. */
static void test_every_max_concurrent_streams_holds_that_many(void **state)
{
    static const uint32_t larger[] = {48, 63, 64, 65, 100, 127, 128, 200};
    uint32_t limit, k, n, i;
    int j;
    (void)state;
    for (i = 0; i < 40 + sizeof larger / sizeof larger[0]; i++) {
        wire w;
        conn_result r;
        h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
        char want[200];
        limit = i < 40 ? i + 1 : larger[i - 40];
        o.max_concurrent_streams = limit;
        client_start(&w);
        for (k = 0; k < limit; k++)
            w_headers(&w, 2 * k + 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
        w_headers(&w, 2 * limit + 1, 1, GET, "/"); /* refused */
        /* every other one from the newest down, then the rest */
        for (j = (int)limit - 1; j >= 0; j -= 2)
            w_data(&w, 2 * (uint32_t)j + 1, "z", 1, 1);
        for (j = (int)limit - 2; j >= 0; j -= 2)
            w_data(&w, 2 * (uint32_t)j + 1, "z", 1, 1);
        w_headers(&w, 2 * limit + 3, 1, GET, "/");
        r = run_conn_mode(w.b, w.n, &o, NULL, SPLIT_WHOLE);
        assert_false(r.conn_error);
        assert_int_equal(r.max_streams, limit);
        n = (uint32_t)count_lines(r.t.s, "end s=");
        if (n != limit + 1 || count_lines(r.t.s, "data s=") != limit)
            fail_msg("max_concurrent_streams %u: %u ends", (unsigned)limit, (unsigned)n);
        snprintf(want, sizeof want,
                 "err s=%u REFUSED_STREAM ERR_LIMIT (more open streams than MAX_CONCURRENT_STREAMS "
                 "(RFC 9113 §5.1.2))\n", (unsigned)(2 * limit + 1));
        assert_non_null(strstr(r.t.s, want));
        snprintf(want, sizeof want, "hend s=%u headers es\nend s=%u end_stream\n",
                 (unsigned)(2 * limit + 3), (unsigned)(2 * limit + 3));
        assert_trace_ends_with(r.t.s, want);
        done(&r);
        w_free(&w);
    }
}

/* A client's reader holds at once what the server may have and what we
 * may: our open streams (max_local_streams), the server's open ones and
 * its promises (max_concurrent_streams each, §5.1.2, §8.4). With 2 of
 * each: our 1 and 3 open, pushes 2 and 4 answered and still open, then
 * pushes 6 and 8 reserved — six streams, none refused. */
static void open_1_3_not_ended(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, 0), H2F_OK);
}

static void test_client_holds_its_streams_the_servers_and_promises(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.max_concurrent_streams = 2;
    o.max_local_streams = 2;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/2");
    w_push_promise(&w, 1, 4, GET, "/4");
    w_headers(&w, 2, 0, ":status", "200");
    w_headers(&w, 4, 0, ":status", "200");
    w_push_promise(&w, 3, 6, GET, "/6");
    w_push_promise(&w, 3, 8, GET, "/8");
    w_data(&w, 2, "2", 1, 1);
    w_data(&w, 4, "4", 1, 1);
    w_headers(&w, 6, 1, ":status", "200");
    w_headers(&w, 8, 1, ":status", "200");
    w_headers(&w, 1, 1, ":status", "204");
    w_headers(&w, 3, 1, ":status", "204");
    r = run_conn(w.b, w.n, &o, open_1_3_not_ended);
    assert_false(r.conn_error);
    assert_null(strstr(r.t.s, "err "));
    assert_int_equal(r.max_streams, 6);
    assert_int_equal(count_lines(r.t.s, "hend s=1 promise"), 2);
    assert_int_equal(count_lines(r.t.s, "hend s=3 promise"), 2);
    assert_trace_ends_with(r.t.s, "data s=2 1 es 2\n"
                                  "end s=2 end_stream\n"
                                  "data s=4 1 es 4\n"
                                  "end s=4 end_stream\n"
                                  "h s=6 headers :status: 200\n"
                                  "hend s=6 headers es\n"
                                  "end s=6 end_stream\n"
                                  "h s=8 headers :status: 200\n"
                                  "hend s=8 headers es\n"
                                  "end s=8 end_stream\n"
                                  "h s=1 headers :status: 204\n"
                                  "hend s=1 headers es\n"
                                  "end s=1 end_stream\n"
                                  "h s=3 headers :status: 204\n"
                                  "hend s=3 headers es\n"
                                  "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §8.1: a message is HEADERS (1xx...), DATA, trailers. */
static void test_data_before_response_headers_is_malformed(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_data(&w, 1, "x", 1, 1);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (DATA before the message's HEADERS (RFC 9113 §8.1))\n"
                      "end s=1 error PROTOCOL_ERROR\n");
    done(&r);
    w_free(&w);
}

static void test_second_headers_without_end_stream_is_malformed(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_headers(&w, 1, 0, "x", "y");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (second HEADERS without END_STREAM (RFC 9113 §8.1))\n"
                      "end s=1 error PROTOCOL_ERROR\n");
    done(&r);
    w_free(&w);
}

/* The stream is reset at the first error (§5.4.2): the rest of its block is
 * decoded only to keep HPACK in step (§4.3) and reports nothing more — a
 * second HEADERS without END_STREAM (§8.1) that also holds a value over
 * max_string_len is one stream error, not two; the next stream decodes. */
static void test_second_headers_without_end_stream_is_one_error(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.hpack.max_string_len = 16;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_headers(&w, 1, 0, "x-trailer", "a value of 25 octets long");
    w_headers(&w, 3, 1, GET, "/");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (second HEADERS without END_STREAM (RFC 9113 §8.1))\n"
                      "end s=1 error PROTOCOL_ERROR\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

static void test_informational_with_end_stream_is_malformed(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "103");
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 1xx :status: 103\n"
                      "hend s=1 1xx es\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (informational (1xx) response with END_STREAM (RFC 9113 §8.1))\n"
                      "end s=1 error PROTOCOL_ERROR\n");
    done(&r);
    w_free(&w);
}

/* Client side: a response on a stream we never opened. */
static void test_response_on_stream_we_did_not_open(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 7, 1, ":status", "200");
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (HEADERS on a stream we did not open (RFC 9113 §5.1 idle))\n");
    w_free(&w);
    server_start(&w);
    w_headers(&w, 2, 1, ":status", "200");
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (HEADERS on a stream the server did not promise "
                      "(RFC 9113 §8.4, §5.1))\n");
    w_free(&w);
}

/* A client's reader knows its peer is the server, whose streams are even
 * (§5.1.1), also when it joins mid-connection (allow_any_first_frame):
 * HEADERS on an odd stream we did not open is on an idle stream of ours. */
static void test_client_mid_capture_headers_on_odd_stream_we_did_not_open(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.allow_any_first_frame = 1;
    w_init(&w, 0);
    w_headers(&w, 7, 1, ":status", "200");
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (HEADERS on a stream we did not open "
                      "(RFC 9113 §5.1 idle))\n");
    w_free(&w);
}

/* A HEADERS frame with a frame-level stream error (a self-dependency): a
 * stream error, and its block still decoded. */
static void test_headers_depending_on_itself(void **state)
{
    wire w;
    conn_result r;
    uint8_t payload[5 + 64];
    uint8_t block[64];
    size_t len;
    h2f_header h[2] = {{{(const uint8_t *)":method", 7}, {(const uint8_t *)"GET", 3}, 0},
                       {{(const uint8_t *)"k", 1}, {(const uint8_t *)"v", 1}, 0}};
    h2f_hpack_encoder enc;
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&enc, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_hpack_encode(&enc, h, 2, block, sizeof block, &len), H2F_OK);
    h2f_hpack_encoder_free(&enc);
    client_start(&w);
    w_u32(payload, 1); /* depends on stream 1 itself */
    payload[4] = 15;
    memcpy(payload + 5, block, len);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_PRIORITY | H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1,
            payload, 5 + len);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 3,
            "\x82\xbe", 2); /* :method GET, then k: v from the dynamic table */
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (HEADERS priority makes the stream depend on itself (RFC 7540 §5.3.1))\n"
                      "h s=3 headers :method: GET\n"
                      "h s=3 headers k: v\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

static void test_window_update_zero_on_open_stream(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_window_update(&w, 1, 0);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE increment of 0 on a stream (RFC 9113 §6.9))\n"
                      "end s=1 error PROTOCOL_ERROR\n");
    done(&r);
    w_free(&w);
}

/* ---- push, role-dependent rules ------------------------------------------- */

/* §8.4: "servers MUST treat the receipt of a PUSH_PROMISE frame as a
 * connection error (Section 5.4.1) of type PROTOCOL_ERROR." */
static void test_push_promise_from_client_is_protocol_error(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_push_promise(&w, 1, 2, GET, "/x");
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE from a client (RFC 9113 §8.4))\n");
    w_free(&w);
}

/* We said ENABLE_PUSH = 0 and the server acknowledged it. */
static void no_push(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_ENABLE_PUSH, 0};
    open_1_3_5(c);
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
}

static void test_push_promise_after_enable_push_0(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_settings_ack(&w);
    w_push_promise(&w, 1, 2, GET, "/x");
    expect_conn_error(&w, &o, no_push,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE after SETTINGS_ENABLE_PUSH = 0 (RFC 9113 §6.6))\n");
    w_free(&w);
}

static void test_push_promise_illegal_promised_id(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 3, GET, "/odd");
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises an illegal stream id "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
    server_start(&w);
    w_push_promise(&w, 1, 4, GET, "/a");
    w_push_promise(&w, 1, 2, GET, "/b"); /* not increasing */
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises an illegal stream id "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
}

static void test_push_promise_on_stream_not_open(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "204");
    w_push_promise(&w, 1, 2, GET, "/late");
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE on a stream that is not open (RFC 9113 §6.6))\n");
    w_free(&w);
}

/* §6.5.2: "A client MUST treat receipt of a SETTINGS frame with
 * SETTINGS_ENABLE_PUSH set to 1 as a connection error". */
static void test_enable_push_1_from_server(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    w_init(&w, 0);
    w_settings(&w, 1, H2F_SETTINGS_ENABLE_PUSH, 1u);
    expect_conn_error(&w, &o, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (SETTINGS_ENABLE_PUSH = 1 from a server (RFC 9113 §6.5.2))\n");
    w_free(&w);
}

static void test_goaway_may_not_raise_last_stream_id(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_goaway(&w, 5, H2F_NO_ERROR);
    w_goaway(&w, 7, H2F_NO_ERROR);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (GOAWAY raises the last stream id (RFC 9113 §6.8))\n");
    w_free(&w);
}

/* ---- our SETTINGS apply when acknowledged (§6.5.3) ------------------------- */

static void announce_small(h2f_conn *c)
{
    h2f_setting s[3] = {{H2F_SETTINGS_MAX_FRAME_SIZE, 20000},
                        {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 1},
                        {H2F_SETTINGS_HEADER_TABLE_SIZE, 0}};
    assert_int_equal(h2f_conn_local_settings(c, s, 3), H2F_OK);
}

static void test_local_settings_apply_at_ack(void **state)
{
    wire w;
    conn_result r;
    static uint8_t big[20000];
    (void)state;
    memset(big, 'b', sizeof big);
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/"); /* 2 open: fine */
    w_settings_ack(&w);
    /* frames up to 20000 octets are now fine */
    w.max_frame = 20000;
    w_data(&w, 1, big, sizeof big, 1);
    /* a new stream while 3 is open: beyond the new limit of 1 and refused,
     * but its block (which starts with the size update to 0 that the
     * lowered HEADER_TABLE_SIZE requires, §4.3.1) is decoded */
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 5, "\x20\x82\x86\x84", 4);
    w_data(&w, 3, NULL, 0, 1);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 7, "\x82\x86\x84", 3);
    r = expect_events(&w, &server_opts, announce_small,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      POST_EVENTS(3, "/")
                      "hend s=3 headers\n"
                      "frame SETTINGS s=0\n"
                      "data s=1 20000 es\n"
                      "end s=1 end_stream\n"
                      "err s=5 REFUSED_STREAM ERR_LIMIT (more open streams than MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n"
                      "data s=3 0 es \n"
                      "end s=3 end_stream\n"
                      "h s=7 headers :method: GET\n"
                      "h s=7 headers :scheme: http\n"
                      "h s=7 headers :path: /\n"
                      "hend s=7 headers es\n"
                      "end s=7 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §6.5.3: "the values in the changed parameters" apply once the peer
 * acknowledges — SETTINGS sent one after the other apply in order, each at
 * its own ACK, and one changes only what it lists (a second one that sets
 * MAX_HEADER_LIST_SIZE keeps the first one's MAX_CONCURRENT_STREAMS). */
static void two_settings_sent(h2f_conn *c)
{
    h2f_setting first = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 1};
    h2f_setting second = {H2F_SETTINGS_MAX_HEADER_LIST_SIZE, 200};
    assert_int_equal(h2f_conn_local_settings(c, &first, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(c, &second, 1), H2F_OK);
}

#define LONG_VALUE "0123456789012345678901234567890123456789012345678901234567890123456789"

static void test_local_settings_apply_in_order_each_at_its_ack(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/", "x-long", LONG_VALUE);
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/"); /* 2 open: fine */
    w_settings_ack(&w); /* at most 1 open from here */
    w_data(&w, 3, NULL, 0, 1);
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":path", "/", "x-long", LONG_VALUE);
    w_settings_ack(&w); /* header lists of 200 octets at most from here */
    w_data(&w, 1, NULL, 0, 1);
    w_headers(&w, 7, 1, ":method", "POST", ":scheme", "http", ":path", "/", "x-long", LONG_VALUE);
    w_headers(&w, 9, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 11, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    r = expect_events(&w, &server_opts, two_settings_sent,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "h s=1 headers x-long: " LONG_VALUE "\n"
                      "hend s=1 headers\n"
                      POST_EVENTS(3, "/")
                      "hend s=3 headers\n"
                      "frame SETTINGS s=0\n"
                      "data s=3 0 es \n"
                      "end s=3 end_stream\n"
                      "err s=5 REFUSED_STREAM ERR_LIMIT (more open streams than MAX_CONCURRENT_STREAMS "
                      "(RFC 9113 §5.1.2))\n"
                      "frame SETTINGS s=0\n"
                      "data s=1 0 es \n"
                      "end s=1 end_stream\n"
                      POST_EVENTS(7, "/")
                      "err s=7 ENHANCE_YOUR_CALM ERR_LIMIT (header list larger than max_header_list_size "
                      "(RFC 9113 §6.5.2))\n"
                      "end s=7 error ENHANCE_YOUR_CALM\n"
                      POST_EVENTS(9, "/")
                      "hend s=9 headers\n"
                      "err s=11 REFUSED_STREAM ERR_LIMIT (more open streams than MAX_CONCURRENT_STREAMS "
                      "(RFC 9113 §5.1.2))\n");
    done(&r);
    w_free(&w);
}

/* RFC 9113 §4.3.1: once a lowered HEADER_TABLE_SIZE is acknowledged, the
 * next block must start with a size update within it. */
static void test_lowered_table_size_requires_update(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_settings_ack(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, "\x82\x86\x84", 3);
    expect_conn_error(&w, &server_opts, announce_small,
                      "ERR COMPRESSION_ERROR ERR_PROTOCOL (expected a dynamic table size update "
                      "first (RFC 7541 §4.2))\n");
    w_free(&w);
}

/* ---- limits against hostile peers (item 5) --------------------------------- */

/* Every attack below runs with streaming bodies: after init, no memory at
 * all may be taken (peak == after_init), whatever the peer sends. */
static void assert_flat(const conn_result *r)
{
    assert_int_equal(r->peak, r->after_init);
}

/* CVE-2024-28182: a header block that never ends, in small CONTINUATION
 * frames. */
static void test_limit_continuation_frames_per_block(void **state)
{
    wire w;
    conn_result r;
    int i;
    (void)state;
    client_start(&w);
    w_frame(&w, H2F_HEADERS, 0, 1, "\x82", 1);
    for (i = 0; i < 40; i++)
        w_frame(&w, H2F_CONTINUATION, 0, 1, "\x82", 1);
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (more CONTINUATION frames than "
                              "max_continuations (CVE-2024-28182))\n");
    assert_int_equal(count_lines(r.t.s, "h s=1"), 17); /* HEADERS + 16 CONTINUATION */
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* CVE-2024-27316: a header block of endless octets (here one string of
 * 200000 octets, which is also over max_string_len). */
static void test_limit_header_block_bytes(void **state)
{
    wire w;
    conn_result r;
    static uint8_t frag[16384];
    int i;
    (void)state;
    memset(frag, 'v', sizeof frag);
    /* literal without indexing, new name "x", value of 200000 raw octets:
     * 0x00, name 0x01 'x', value length 200000 = 0x7f + (200000 - 127) */
    frag[0] = 0x00;
    frag[1] = 0x01;
    frag[2] = 'x';
    frag[3] = 0x7f;
    frag[4] = 0x80 | ((200000 - 127) & 0x7f);
    frag[5] = 0x80 | (((200000 - 127) >> 7) & 0x7f);
    frag[6] = ((200000 - 127) >> 14);
    client_start(&w);
    w_frame(&w, H2F_HEADERS, 0, 1, frag, sizeof frag);
    memset(frag, 'v', 8);
    for (i = 0; i < 12; i++)
        w_frame(&w, H2F_CONTINUATION, 0, 1, frag, sizeof frag);
    /* (the string limit would speak at the string's end, which never comes) */
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (header block larger than max_block_bytes (CVE-2024-27316))\n");
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* CVE-2016-1544, the HPACK bomb: one 4000-octet entry, referenced again and
 * again by one-octet indexed fields. The header list limit fires, the block
 * is decoded to its end, and the next stream decodes. */
static void test_limit_header_list_size_hpack_bomb(void **state)
{
    wire w;
    conn_result r;
    static uint8_t block[4200];
    size_t n = 0, i;
    (void)state;
    block[n++] = 0x82;               /* :method GET */
    block[n++] = 0x40;               /* literal, incremental indexing, new name */
    block[n++] = 0x01;
    block[n++] = 'a';
    block[n++] = 0x7f;               /* value length 4000 = 127 + 3873 */
    block[n++] = 0x80 | (3873 & 0x7f);
    block[n++] = 3873 >> 7;
    memset(block + n, 'b', 4000);
    n += 4000;
    for (i = 0; i < 100; i++)
        block[n++] = 0xbe;           /* index 62: a: bbbb... */
    client_start(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, block, n);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 3, "\x82\x86\x84", 3);
    r = run_conn(w.b, w.n, &server_opts, NULL);
    /* 65536 / 4033 = 16 fields of "a" fit */
    assert_int_equal(count_lines(r.t.s, "h s=1 headers a: "), 16);
    assert_non_null(strstr(r.t.s, "err s=1 ENHANCE_YOUR_CALM ERR_LIMIT (header list larger than "
                                  "max_header_list_size (RFC 9113 §6.5.2))\n"
                                  "end s=1 error ENHANCE_YOUR_CALM\n"
                                  "h s=3 headers :method: GET\n"));
    assert_false(r.conn_error);
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* CVE-2019-9516: a flood of empty header fields (each 32 octets of list
 * size, 3 octets of wire). */
static void test_limit_fields_per_block_zero_length_headers(void **state)
{
    wire w;
    conn_result r;
    static uint8_t block[3 * 600 + 1];
    size_t n = 0, i;
    (void)state;
    block[n++] = 0x82;
    for (i = 0; i < 600; i++) {
        block[n++] = 0x10; /* never indexed, new name */
        block[n++] = 0x00; /* empty name */
        block[n++] = 0x00; /* empty value */
    }
    client_start(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, block, n);
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_int_equal(count_lines(r.t.s, "h s=1 headers : "), 511); /* 512 fields with :method */
    assert_non_null(strstr(r.t.s, "err s=1 ENHANCE_YOUR_CALM ERR_LIMIT (more fields in the block than max_fields)\n"
                                  "end s=1 error ENHANCE_YOUR_CALM\n"));
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* CVE-2019-9515 (SETTINGS flood), entries per frame. */
static void test_limit_settings_entries_per_frame(void **state)
{
    wire w;
    uint8_t payload[33 * 6];
    int i;
    (void)state;
    for (i = 0; i < 33; i++) {
        payload[6 * i] = 0;
        payload[6 * i + 1] = 0x20; /* an unknown id: to be ignored, but still an entry */
        w_u32(payload + 6 * i + 2, (uint32_t)i);
    }
    w_init(&w, 1);
    w_frame(&w, H2F_SETTINGS, 0, 0, payload, 32 * 6); /* the default limit: fine */
    w_frame(&w, H2F_SETTINGS, 0, 0, payload, sizeof payload);
    expect_conn_error(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (SETTINGS with more entries than "
                      "max_settings_entries (CVE-2019-9515))\n");
    w_free(&w);
}

/* CVE-2019-9512 (PING flood), CVE-2019-9515 (SETTINGS flood): frames that
 * each ask for an answer, with no request in between. */
static void test_limit_ping_and_settings_flood(void **state)
{
    wire w;
    conn_result r;
    int i;
    (void)state;
    client_start(&w); /* 1 SETTINGS */
    for (i = 0; i < 600; i++)
        w_ping(&w, 0);
    for (i = 0; i < 600; i++)
        w_settings(&w, 0);
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many SETTINGS/PING frames without "
                              "progress: max_control_frames (CVE-2019-9512, CVE-2019-9515))\n");
    assert_int_equal(count_lines(r.t.s, "frame "), 1000);
    assert_flat(&r);
    done(&r);
    w_free(&w);
    /* PING ACKs are answers, not requests; and a request resets the count */
    client_start(&w);
    for (i = 0; i < 999; i++)
        w_ping(&w, i % 2 ? H2F_FLAG_ACK : 0);
    w_headers(&w, 1, 1, GET, "/");
    for (i = 0; i < 999; i++)
        w_ping(&w, 0);
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_false(r.conn_error);
    done(&r);
    w_free(&w);
}

/* CVE-2019-9518: empty frames that make no progress. */
static void test_limit_empty_data_frames(void **state)
{
    wire w;
    conn_result r;
    int i;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    for (i = 0; i < 150; i++)
        w_data(&w, 1, NULL, 0, 0);
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many empty frames: "
                              "max_empty_frames (CVE-2019-9518))\n");
    assert_int_equal(count_lines(r.t.s, "data s=1 0"), 100);
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

static void test_limit_empty_continuation_frames(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    int i;
    (void)state;
    o.max_continuations = 100000; /* let the other limit speak */
    client_start(&w);
    w_frame(&w, H2F_HEADERS, 0, 1, "\x82", 1);
    for (i = 0; i < 150; i++)
        w_frame(&w, H2F_CONTINUATION, 0, 1, NULL, 0);
    r = expect_conn_error_run(&w, &o, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many empty frames: "
                              "max_empty_frames (CVE-2019-9518))\n");
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* CVE-2023-44487, Rapid Reset: requests opened and reset at once. */
static void test_limit_rapid_reset(void **state)
{
    wire w;
    conn_result r;
    uint32_t id;
    (void)state;
    /* opened (no END_STREAM) and reset: max_peer_resets = 200 of them */
    client_start(&w);
    for (id = 1; id <= 2 * 300; id += 2) {
        w_headers(&w, id, 0, GET, "/");
        w_rst(&w, id, H2F_CANCEL);
    }
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many streams reset by the peer: "
                              "max_peer_resets (CVE-2023-44487))\n");
    assert_int_equal(count_lines(r.t.s, "end s="), 200);
    assert_int_equal(r.max_streams, 1);
    assert_flat(&r);
    done(&r);
    w_free(&w);
    /* the attack as seen in 2023: HEADERS with END_STREAM, then RST_STREAM;
     * each costs a unit and wins half back: the 400th reset is refused */
    client_start(&w);
    for (id = 1; id <= 2 * 1000; id += 2) {
        w_headers(&w, id, 1, GET, "/");
        w_rst(&w, id, H2F_CANCEL);
    }
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many streams reset by the peer: "
                              "max_peer_resets (CVE-2023-44487))\n");
    assert_int_equal(count_lines(r.t.s, "end s="), 400);
    assert_flat(&r);
    done(&r);
    w_free(&w);
    /* a browser cancelling one request in three never gets there */
    client_start(&w);
    for (id = 1; id <= 2 * 3000; id += 2) {
        w_headers(&w, id, 1, GET, "/");
        if (id % 3 == 0)
            w_rst(&w, id, H2F_CANCEL);
    }
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_false(r.conn_error);
    done(&r);
    w_free(&w);
}

/* CVE-2025-8671, MadeYouReset: frames that make us reset the stream. */
static void test_limit_stream_errors_we_report(void **state)
{
    wire w;
    conn_result r;
    uint32_t id;
    (void)state;
    client_start(&w);
    for (id = 1; id <= 2 * 300; id += 2) {
        w_headers(&w, id, 0, GET, "/");
        w_window_update(&w, id, 0); /* a stream error each */
    }
    r = expect_conn_error_run(&w, &server_opts, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many stream errors: "
                              "max_stream_errors (CVE-2025-8671))\n");
    assert_int_equal(count_lines(r.t.s, "err s="), 200);
    assert_flat(&r);
    done(&r);
    w_free(&w);
}

/* The budgets of max_peer_resets and max_stream_errors (h2frame.h) win
 * back half a unit per stream that ends normally, never above the max.
 * With a max of 2: a stream that ends while the budget is full wins
 * nothing; two resets (errors) spend it all; four normal ends win it all
 * back, two units and no more; two resets spend them; one normal end wins
 * half a unit, not enough for a fifth (CVE-2023-44487, CVE-2025-8671). The
 * peer's streams in turn: 1 ends, 3 and 5 are reset by the peer (or make
 * us report a stream error: WINDOW_UPDATE of 0), 7 to 13 end, 15 and 17
 * reset, 19 ends, 21 reset: refused. */
static void budget_run(const h2f_conn_options *o, int resets, const char *last_line)
{
    static const uint8_t good[] = {1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0};
    wire w;
    conn_result r;
    uint32_t id = 1;
    size_t k;
    client_start(&w);
    for (k = 0; k < sizeof good; k++, id += 2) {
        if (good[k]) {
            w_headers(&w, id, 1, GET, "/");
        } else {
            w_headers(&w, id, 0, ":method", "POST", ":scheme", "http", ":path", "/");
            if (resets)
                w_rst(&w, id, H2F_CANCEL);
            else
                w_window_update(&w, id, 0);
        }
    }
    r = expect_conn_error_run(&w, o, NULL, last_line);
    assert_int_equal(count_lines(r.t.s, resets ? "end s=" : "err s="), resets ? 10 : 4);
    assert_non_null(strstr(r.t.s, resets ? "end s=17 reset CANCEL\n" : "end s=17 error PROTOCOL_ERROR\n"));
    done(&r);
    w_free(&w);
}

static void test_limit_budgets_win_back_half_a_unit_up_to_their_max(void **state)
{
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.max_peer_resets = 2;
    budget_run(&o, 1,
               "end s=19 end_stream\n"
               POST_EVENTS(21, "/")
               "hend s=21 headers\n"
               "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many streams reset by the peer: "
               "max_peer_resets (CVE-2023-44487))\n");
    o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    o.max_stream_errors = 2;
    budget_run(&o, 0,
               "end s=19 end_stream\n"
               POST_EVENTS(21, "/")
               "hend s=21 headers\n"
               "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many stream errors: "
               "max_stream_errors (CVE-2025-8671))\n");
}

/* max_block_bytes (CVE-2024-27316) holds for a block's first fragment as
 * for the whole: with a limit of 100, HEADERS carrying a block of 100
 * octets is decoded, one of 101 is the connection error; so is a
 * PUSH_PROMISE's block of 101. The block: a literal field "x" whose value
 * fills the rest. */
static size_t small_block(uint8_t *b, size_t total)
{
    b[0] = 0x00;
    b[1] = 0x01;
    b[2] = 'x';
    b[3] = (uint8_t)(total - 4);
    memset(b + 4, 'v', total - 4);
    return total;
}

static void test_limit_header_block_bytes_first_fragment(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    uint8_t b[4 + 101];
    (void)state;
    o.max_block_bytes = 100;
    client_start(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, b, small_block(b, 100));
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 3, b, small_block(b, 101));
    r = expect_conn_error_run(&w, &o, NULL,
                              "hend s=1 headers es\n"
                              "end s=1 end_stream\n"
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (header block larger than max_block_bytes "
                              "(CVE-2024-27316))\n");
    assert_int_equal(count_lines(r.t.s, "h s=1 headers x: "), 1);
    done(&r);
    w_free(&w);
    o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    o.max_block_bytes = 100;
    server_start(&w);
    w_u32(b, 2);
    small_block(b + 4, 101);
    w_frame(&w, H2F_PUSH_PROMISE, H2F_FLAG_END_HEADERS, 1, b, 4 + 101);
    expect_conn_error(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (header block larger than max_block_bytes "
                      "(CVE-2024-27316))\n");
    w_free(&w);
}

/* H2F_BODY_WHOLE: what is held is bounded per stream and per connection. */
static void test_limit_body_per_stream(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[2000];
    (void)state;
    o.max_body_per_stream = 3000;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_frame(&w, H2F_DATA, 0, 1, body, 2000);
    w_frame(&w, H2F_DATA, 0, 1, body, 2000);
    w_frame(&w, H2F_DATA, H2F_FLAG_END_STREAM, 1, body, 1000);
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      "frame DATA s=1\n"
                      "err s=1 CANCEL ERR_LIMIT (body larger than max_body_per_stream)\n"
                      "end s=1 error CANCEL\n"
                      "frame DATA s=1\n"); /* the third frame, dropped */
    assert_true(r.peak - r.after_init <= 3000);
    done(&r);
    w_free(&w);
}

static void test_limit_body_per_connection(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[1500];
    (void)state;
    o.max_body_per_stream = 2000;
    o.max_body_per_conn = 4000;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, sizeof body, 0);
    w_data(&w, 3, body, sizeof body, 0);
    w_data(&w, 5, body, sizeof body, 0);
    w_data(&w, 1, NULL, 0, 1);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_non_null(strstr(r.t.s, "err s=5 CANCEL ERR_LIMIT (bodies held larger than max_body_per_conn)\n"
                                  "end s=5 error CANCEL\n"
                                  "body s=1 1500 "));
    assert_true(r.peak - r.after_init <= 4000 + 2 * 1024);
    done(&r);
    w_free(&w);
}

/* The documented defaults (h2frame.h, h2f_conn_options), a field left 0:
 * max_concurrent_streams = 100 (§5.1.2: "An endpoint that receives a
 * HEADERS frame that causes its advertised concurrent stream limit to be
 * exceeded MUST treat this as a stream error ... REFUSED_STREAM": the
 * 101st open at once) and max_local_streams = 100 (the 101st of our open
 * streams: H2F_ERR_LIMIT). */
static void test_limit_defaults_100_streams_each_way(void **state)
{
    wire w;
    conn_result r;
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    uint32_t id;
    (void)state;
    client_start(&w);
    for (id = 1; id <= 199; id += 2)
        w_headers(&w, id, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 201, 1, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 199, "x", 1, 1);
    w_headers(&w, 203, 1, GET, "/");
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_false(r.conn_error);
    assert_int_equal(count_lines(r.t.s, "hend s="), 101);
    assert_int_equal(r.max_streams, 100);
    assert_trace_ends_with(r.t.s,
                           "hend s=199 headers\n"
                           "err s=201 REFUSED_STREAM ERR_LIMIT (more open streams than "
                           "MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n"
                           "data s=199 1 es x\n"
                           "end s=199 end_stream\n"
                           GET_EVENTS(203)
                           "hend s=203 headers es\n"
                           "end s=203 end_stream\n");
    done(&r);
    w_free(&w);
    /* ours */
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    for (id = 1; id <= 199; id += 2)
        assert_int_equal(h2f_conn_local_open(&c, id, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 201, 0), H2F_ERR_LIMIT);
    assert_int_equal(h2f_conn_stream_count(&c), 100);
    assert_int_equal(h2f_conn_local_close(&c, 1), H2F_OK); /* still open: the peer's side */
    assert_int_equal(h2f_conn_local_open(&c, 203, 0), H2F_ERR_LIMIT);
    assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 205, 0), H2F_OK);
    h2f_conn_free(&c);
}

/* The default max_block_bytes is 131072 (h2frame.h; CVE-2024-27316): a
 * header block of exactly that many octets is decoded (its one field, a
 * value longer than max_string_len, is a stream error: ENHANCE_YOUR_CALM),
 * one octet more is the connection error. The block: a literal field
 * without indexing, name "x", a value filling the rest, cut into frames of
 * 16384 octets. */
static void block_of(wire *w, uint32_t stream, size_t total)
{
    static uint8_t frag[16384];
    size_t v = total - 7, at = 0;
    memset(frag, 'v', sizeof frag);
    frag[0] = 0x00;
    frag[1] = 0x01;
    frag[2] = 'x';
    frag[3] = 0x7f; /* length v: 127 + 3 continuation octets */
    frag[4] = (uint8_t)(0x80 | ((v - 127) & 0x7f));
    frag[5] = (uint8_t)(0x80 | (((v - 127) >> 7) & 0x7f));
    frag[6] = (uint8_t)((v - 127) >> 14);
    while (at < total) {
        size_t len = total - at < sizeof frag ? total - at : sizeof frag;
        w_frame(w, at ? H2F_CONTINUATION : H2F_HEADERS,
                (uint8_t)((at ? 0 : H2F_FLAG_END_STREAM) | (at + len == total ? H2F_FLAG_END_HEADERS : 0)),
                stream, frag, len);
        if (!at)
            memset(frag, 'v', 7);
        at += len;
    }
}

static void test_limit_default_header_block_bytes_131072(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    block_of(&w, 1, 131072);
    w_headers(&w, 3, 1, GET, "/");
    block_of(&w, 5, 131073);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      "err s=1 ENHANCE_YOUR_CALM ERR_LIMIT (field name or value longer than "
                      "max_string_len)\n"
                      GET_EVENTS(3)
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (header block larger than max_block_bytes "
                      "(CVE-2024-27316))\n");
    done(&r);
    w_free(&w);
}

/* One run over input fed in chunks of `chunk` octets (inputs larger than
 * the guard area), checked as run_conn_mode checks: nothing leaks. */
static conn_result run_conn_chunks(const uint8_t *in, size_t n, const h2f_conn_options *o, size_t chunk)
{
    conn_result r;
    counting cnt;
    h2f_allocator a;
    h2f_conn c;
    size_t pos;
    memset(&r, 0, sizeof r);
    memset(&cnt, 0, sizeof cnt);
    a = counting_allocator(&cnt);
    assert_int_equal(h2f_conn_init(&c, o, &a), H2F_OK);
    r.after_init = cnt.live;
    trace_add(&r.t, "%s", "");
    for (pos = 0; pos < n; pos += chunk) {
        size_t k = n - pos < chunk ? n - pos : chunk;
        assert_int_equal(h2f_conn_feed(&c, guarded(in + pos, k), k), H2F_OK);
        if (conn_drain(&c, &r))
            break;
    }
    r.peak = cnt.peak;
    free(r.piece);
    r.piece = NULL;
    h2f_conn_free(&c);
    assert_int_equal(cnt.live, 0);
    return r;
}

/* H2F_BODY_WHOLE's defaults (h2frame.h): max_body_per_stream = 1 MiB — a
 * body of exactly 1 MiB is handed over, one octet more is refused (CANCEL);
 * max_body_per_conn = 8 MiB — eight streams holding 1 MiB each fill it, one
 * octet more on a ninth is refused. */
static void test_limit_default_bodies_1_mib_per_stream_8_per_connection(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[(1u << 20) + 1];
    size_t i;
    uint32_t id;
    char line[160];
    (void)state;
    for (i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)(i * 13 + (i >> 11));
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, 1u << 20, 1);
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 3, body, (1u << 20) + 1, 1);
    for (id = 5; id <= 19; id += 2) {
        w_headers(&w, id, 0, ":method", "POST", ":scheme", "http", ":path", "/");
        w_data(&w, id, body, 1u << 20, 0);
    }
    w_headers(&w, 21, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 21, body, 1, 1);
    r = run_conn_chunks(w.b, w.n, &o, 65536);
    assert_false(r.conn_error);
    {
        h2f_bytes mib = {body, 1u << 20};
        snprintf(line, sizeof line, "body s=1 1048576 %08x\nend s=1 end_stream\n", (unsigned)fnv(mib));
        assert_non_null(strstr(r.t.s, line));
    }
    assert_int_equal(count_lines(r.t.s, "err s="), 2);
    assert_non_null(strstr(r.t.s, "err s=3 CANCEL ERR_LIMIT (body larger than max_body_per_stream)\n"
                                  "end s=3 error CANCEL\n"));
    assert_trace_ends_with(r.t.s, "hend s=21 headers\n"
                                  "err s=21 CANCEL ERR_LIMIT (bodies held larger than max_body_per_conn)\n"
                                  "end s=21 error CANCEL\n");
    done(&r);
    w_free(&w);
}

/* ---- memory (item 6) ------------------------------------------------------- */

/* The documented bound (docs/streams.md): at the defaults a connection
 * takes at most 96 KiB, whatever the role. */
static void test_memory_at_defaults_is_bounded(void **state)
{
    h2f_role roles[3] = {H2F_ROLE_SERVER, H2F_ROLE_CLIENT, H2F_ROLE_OBSERVER};
    int i;
    (void)state;
    for (i = 0; i < 3; i++) {
        counting cnt;
        h2f_allocator a;
        h2f_conn c;
        h2f_conn_options o = opts(roles[i], H2F_BODY_STREAM);
        memset(&cnt, 0, sizeof cnt);
        a = counting_allocator(&cnt);
        assert_int_equal(h2f_conn_init(&c, &o, &a), H2F_OK);
        print_message("role %d: %zu octets in %zu allocations\n", i, cnt.live, cnt.calls);
        assert_true(cnt.live <= 96 * 1024);
        h2f_conn_free(&c);
        assert_int_equal(cnt.live, 0);
    }
}

/* Nothing the reader allocates depends on a length read from the input:
 * a peer announcing huge things changes nothing. */
static void test_memory_does_not_follow_announced_lengths(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    (void)state;
    client_start(&w);
    w_settings(&w, 2, H2F_SETTINGS_HEADER_TABLE_SIZE, 0xffffffffu, H2F_SETTINGS_MAX_FRAME_SIZE,
               16777215u);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/",
              "content-length", "99999999999");
    /* a header block announcing a 2^31 octet string, and a frame header
     * announcing 16 MiB: both refused before anything is taken */
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS, 3, "\x00\x01x\x7f\x80\x80\x80\x80\x07", 9);
    {
        uint8_t hd[9] = {0xff, 0xff, 0xff, H2F_DATA, 0, 0, 0, 0, 1};
        w_bytes(&w, hd, 9);
    }
    r = run_conn(w.b, w.n, &o, NULL);
    assert_true(r.conn_error);
    assert_int_equal(r.peak, r.after_init);
    done(&r);
    w_free(&w);
}

/* Makes the Nth allocation fail, for every N: init fails cleanly or the
 * reader reports H2F_ERR_NOMEM, and nothing leaks or crashes. */
static void nth_settings(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_MAX_FRAME_SIZE, 32768};
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
}

static void test_every_allocation_may_fail(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[40000];
    size_t n, total = 0;
    (void)state;
    client_start(&w);
    w_settings_ack(&w); /* the frame buffer grows to 32768 */
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, sizeof body, 0);
    w_data(&w, 3, body, 5000, 1);
    w_data(&w, 1, body, 10, 1);
    for (n = 1;; n++) {
        counting cnt;
        h2f_allocator a;
        h2f_conn c;
        h2f_status st;
        int nomem = 0;
        memset(&cnt, 0, sizeof cnt);
        cnt.fail_at = n;
        a = counting_allocator(&cnt);
        st = h2f_conn_init(&c, &o, &a);
        if (st == H2F_OK) {
            h2f_event ev;
            h2f_error e;
            nth_settings(&c);
            assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
            while ((st = h2f_conn_next(&c, &ev, &e)) != H2F_NEED_MORE) {
                if (st == H2F_OK)
                    continue;
                assert_int_equal(st, H2F_ERR_NOMEM);
                nomem = 1;
                if (e.scope == H2F_SCOPE_CONNECTION)
                    break;
                assert_int_equal(e.code, H2F_INTERNAL_ERROR);
            }
            h2f_conn_free(&c);
        } else {
            assert_int_equal(st, H2F_ERR_NOMEM);
            nomem = 1;
        }
        assert_int_equal(cnt.live, 0);
        if (!nomem) { /* the Nth allocation was never made: all were tried */
            total = n - 1;
            break;
        }
    }
    print_message("%zu allocations, each made to fail in turn\n", total);
    assert_true(total >= 8);
    w_free(&w);
}

/* An allocator that ends every block at an unreadable page: a write or read
 * one element past what the reader asked for faults. Each block's mapping
 * and size sit in the 16 octets before it. */
typedef struct guard_hdr {
    void *map;
    size_t span, size;
} guard_hdr;

static void *guard_page_alloc(size_t size, void *user)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (size + 15) & ~(size_t)15;
    size_t span = ((body + sizeof(guard_hdr) + page - 1) / page + 1) * page;
    uint8_t *m, *p;
    guard_hdr h;
    (void)user;
    m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    assert_int_equal(mprotect(m + span - page, page, PROT_NONE), 0);
    p = m + span - page - body;
    h.map = m;
    h.span = span;
    h.size = size;
    memcpy(p - sizeof h, &h, sizeof h);
    return p;
}

static void guard_page_free(void *ptr, void *user)
{
    guard_hdr h;
    (void)user;
    if (!ptr)
        return;
    memcpy(&h, (uint8_t *)ptr - sizeof h, sizeof h);
    assert_int_equal(munmap(h.map, h.span), 0);
}

static void *guard_page_realloc(void *ptr, size_t size, void *user)
{
    void *p = guard_page_alloc(size, user);
    guard_hdr h;
    if (p && ptr) {
        memcpy(&h, (uint8_t *)ptr - sizeof h, sizeof h);
        memcpy(p, ptr, h.size < size ? h.size : size);
        guard_page_free(ptr, user);
    }
    return p;
}

/* Every block the reader allocates (the frame buffer, the HPACK table, the
 * stream pool, its index, the closed ring, bodies) is used within its size
 * (h2frame.h: the reader allocates at init, then only bodies): in each
 * role, at init and through streams that fill its pool, whole bodies and a
 * GOAWAY sweep, nothing past a block is touched. */
static void test_reader_stays_within_what_it_allocates(void **state)
{
    static const h2f_allocator guard = {guard_page_alloc, guard_page_realloc, guard_page_free, NULL};
    static uint8_t body[3000];
    h2f_role roles[3] = {H2F_ROLE_SERVER, H2F_ROLE_CLIENT, H2F_ROLE_OBSERVER};
    size_t i;
    (void)state;
    memset(body, 'g', sizeof body);
    for (i = 0; i < 3; i++) {
        h2f_conn c;
        h2f_event ev;
        h2f_error e;
        h2f_status st;
        wire w;
        uint32_t id, streams = 0;
        h2f_conn_options o = opts(roles[i], H2F_BODY_WHOLE);
        o.max_concurrent_streams = 4;
        o.max_local_streams = 4;
        o.sender = roles[i] == H2F_ROLE_OBSERVER ? H2F_SENDER_SERVER : H2F_SENDER_DETECT;
        assert_int_equal(h2f_conn_init(&c, &o, &guard), H2F_OK);
        if (roles[i] == H2F_ROLE_SERVER) {
            client_start(&w);
            for (id = 1; id <= 7; id += 2) {
                w_headers(&w, id, 0, ":method", "POST", ":scheme", "http", ":path", "/");
                w_data(&w, id, body, sizeof body, 0);
            }
            for (id = 1; id <= 7; id += 2)
                w_data(&w, id, body, 10, 1);
        } else {
            for (id = 1; id <= 7; id += 2)
                assert_int_equal(h2f_conn_local_open(&c, id, H2F_LOCAL_END_STREAM), H2F_OK);
            server_start(&w);
            w_push_promise(&w, 1, 2, GET, "/p");
            for (id = 1; id <= 5; id += 2) {
                w_headers(&w, id, 0, ":status", "200");
                w_data(&w, id, body, sizeof body, id == 1);
            }
            w_goaway(&w, 1, H2F_NO_ERROR);
        }
        assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
        while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
            if (ev.type == H2F_EV_END)
                streams++;
        assert_int_equal(st, H2F_NEED_MORE);
        assert_int_equal(streams, 4);
        h2f_conn_free(&c);
        w_free(&w);
    }
}

/* ---- observer role, on a real capture ---------------------------------------- */

/* examples/captures holds both directions of one nghttp <-> nghttpd
 * connection; an observer reads each without errors. */
static void test_observer_reads_real_capture(void **state)
{
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_WHOLE);
    const char *files[2] = {"examples/captures/nghttp-client.bin", "examples/captures/nghttp-server.bin"};
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        size_t len;
        char *data = read_file(files[i], &len);
        conn_result r = run_conn((const uint8_t *)data, len, &o, NULL);
        assert_false(r.conn_error);
        assert_null(strstr(r.t.s, "err "));
        assert_true(count_lines(r.t.s, "end s=") >= 1);
        /* nghttp sends PRIORITY frames on idle streams 3..11 (fine, §5.1),
         * then its requests on 13 and 15 */
        if (i == 0)
            assert_non_null(strstr(r.t.s, "frame PRIORITY s=11\nh s=13 headers :method: GET\n"));
        else
            assert_non_null(strstr(r.t.s, "body s=15 40000 "));
        done(&r);
        free(data);
    }
}

/* ---- found in review: each a regression test ---------------------------------- */

/* A whole body ended by trailers is queued behind HEADERS_END; its buffer
 * must live until it is returned (ASan saw it freed one call early). */
static void test_whole_body_before_trailers_is_intact(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    char body[37], expected[512];
    (void)state;
    memset(body, 'x', 36);
    body[36] = 0;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, 36, 0);
    w_headers(&w, 1, 1, "x-t", "1");
    snprintf(expected, sizeof expected,
             "frame SETTINGS s=0\n"
             POST_EVENTS(1, "/")
             "hend s=1 headers\n"
             "frame DATA s=1\n"
             "h s=1 trailers x-t: 1\n"
             "hend s=1 trailers es\n"
             "body s=1 36 %08x\n"
             "end s=1 end_stream\n",
             (unsigned)fnv((h2f_bytes){(const uint8_t *)body, 36}));
    r = expect_events(&w, &o, NULL, expected);
    done(&r);
    w_free(&w);
}

/* A stream gets one END: with track_local, a stream the peer ended is held
 * for our side; a RST_STREAM from the peer then (allowed by §5.1
 * half-closed (remote)) or a GOAWAY adds none. */
static void test_one_end_per_stream_with_track_local(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.track_local = 1;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "reset s=1 CANCEL\n");
    done(&r);
    w_free(&w);
    o.role = H2F_ROLE_CLIENT;
    server_start(&w);
    w_headers(&w, 3, 1, ":status", "200");
    w_goaway(&w, 1, H2F_NO_ERROR);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=3 headers :status: 200\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "frame GOAWAY s=0\n"
                      "end s=5 goaway NO_ERROR\n");
    done(&r);
    w_free(&w);
}

/* Stream ids of 2^30 and more are remembered right when closed. */
static void test_closed_stream_with_high_id_is_remembered(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 0x40000001, 0, GET, "/");
    w_window_update(&w, 0x40000001, 0); /* we reset it */
    w_headers(&w, 0x40000001, 1, "x-trailer", "in flight");
    w_headers(&w, 0x40000003, 1, GET, "/");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1073741825)
                      "hend s=1073741825 headers\n"
                      "err s=1073741825 PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE increment of 0 on a stream (RFC 9113 §6.9))\n"
                      "end s=1073741825 error PROTOCOL_ERROR\n"
                      "frame HEADERS s=1073741825\n"
                      GET_EVENTS(1073741827)
                      "hend s=1073741827 headers es\n"
                      "end s=1073741827 end_stream\n");
    done(&r);
    w_free(&w);
}

/* Frames in flight on a stream we reset long ago (150 resets since) are
 * still dropped; a stream closed so long ago it is forgotten gets a stream
 * error, not a connection error; an id the peer skipped is a connection
 * error (§5.1.1). */
static void test_old_closed_streams(void **state)
{
    wire w;
    conn_result r;
    uint32_t id;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.max_stream_errors = 1000;
    client_start(&w);
    for (id = 1; id <= 299; id += 2) {
        w_headers(&w, id, 0, GET, "/");
        w_window_update(&w, id, 0); /* we reset it */
    }
    w_headers(&w, 1, 1, "x-trailer", "in flight");
    r = run_conn(w.b, w.n, &o, NULL);
    assert_false(r.conn_error);
    assert_non_null(strstr(r.t.s, "end s=299 error PROTOCOL_ERROR\nframe HEADERS s=1\n"));
    done(&r);
    w_free(&w);
    client_start(&w);
    for (id = 1; id <= 999; id += 2)
        w_headers(&w, id, 1, GET, "/");
    w_headers(&w, 1, 1, GET, "/");
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_false(r.conn_error);
    assert_non_null(strstr(r.t.s, "end s=999 end_stream\n"
                                  "err s=1 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a closed stream (RFC 9113 §5.1))\n"));
    done(&r);
    w_free(&w);
}

/* docs/streams.md: the reader remembers how the last closed streams closed,
 * "twice the pool": a server with max_concurrent_streams = 64 remembers
 * the last 128. HEADERS on the stream the client ended 128 closes back is
 * still a connection error (§5.1 closed: frames after END_STREAM); on the
 * one 129 back, forgotten, a closed stream's stream error. */
static conn_result closes_then_headers_on(uint32_t probe)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    uint32_t id;
    o.max_concurrent_streams = 64;
    client_start(&w);
    for (id = 1; id <= 2 * 129 - 1; id += 2)
        w_headers(&w, id, 1, GET, "/");
    w_headers(&w, probe, 1, GET, "/");
    r = run_conn(w.b, w.n, &o, NULL);
    w_free(&w);
    return r;
}

static void test_closed_streams_remembered_twice_the_pool(void **state)
{
    conn_result r;
    (void)state;
    r = closes_then_headers_on(3);
    assert_true(r.conn_error);
    assert_trace_ends_with(r.t.s, "end s=257 end_stream\n"
                                  "ERR STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer ended "
                                  "(RFC 9113 §5.1 closed))\n");
    done(&r);
    r = closes_then_headers_on(1);
    assert_false(r.conn_error);
    assert_trace_ends_with(r.t.s, "end s=257 end_stream\n"
                                  "err s=1 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a closed stream "
                                  "(RFC 9113 §5.1))\n");
    done(&r);
}

/* §5.1: "closed" is the last state — a stream never opens again. A client's
 * reader given HEADERS on a pushed stream that ended so long ago (128
 * pushes later) it no longer remembers how refuses it as a closed stream
 * (a stream error, STREAM_CLOSED), its block still decoded (the response
 * that follows uses the entry it added), and goes on. */
static void open_1_with_room_for_one_push(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_client_headers_on_forgotten_pushed_stream_is_stream_closed(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    uint32_t id;
    (void)state;
    o.max_concurrent_streams = 1; /* a pool of 3: 128 closed streams remembered */
    o.max_local_streams = 1;
    server_start(&w);
    for (id = 2; id <= 260; id += 2) {
        w_push_promise(&w, 1, id, GET, "/p");
        w_headers(&w, id, 1, ":status", "200");
    }
    w_headers(&w, 2, 1, ":status", "200", "x-new", "entry");
    w_headers(&w, 1, 1, ":status", "200", "x-new", "entry");
    r = run_conn(w.b, w.n, &o, open_1_with_room_for_one_push);
    assert_false(r.conn_error);
    assert_int_equal(count_lines(r.t.s, "end s="), 131);
    assert_trace_ends_with(r.t.s, "end s=260 end_stream\n"
                                  "err s=2 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a closed stream "
                                  "(RFC 9113 §5.1))\n"
                                  "h s=1 headers :status: 200\n"
                                  "h s=1 headers x-new: entry\n"
                                  "hend s=1 headers es\n"
                                  "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §6.6: "an endpoint that has sent RST_STREAM on the associated stream
 * MUST handle PUSH_PROMISE frames that might have been created before the
 * RST_STREAM frame is received". */
static void open_then_reset_3(h2f_conn *c)
{
    open_1_3_5(c);
    assert_int_equal(h2f_conn_local_reset(c, 3), H2F_OK);
}

static void test_push_promise_on_stream_we_reset(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 3, 2, GET, "/pushed");
    w_headers(&w, 2, 1, ":status", "200");                /* dropped */
    w_headers(&w, 1, 1, ":status", "200", "x", "y");
    r = expect_events(&w, &o, open_then_reset_3,
                      "frame SETTINGS s=0\n"
                      "frame PUSH_PROMISE s=3\n"
                      "frame HEADERS s=2\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers x: y\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* An observer's GOAWAY ends the streams of the side that receives it: in
 * the client's bytes (preface seen), the server's even streams. */
static void test_observer_goaway_ends_receiver_streams_only(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_goaway(&w, 0, H2F_NO_ERROR);
    w_data(&w, 1, "x", 1, 1);
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      "frame GOAWAY s=0\n"
                      "data s=1 1 es x\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §6.8: GOAWAY's last stream id names the receiver's streams the sender
 * may process; the receiver's streams above it end (H2F_END_GOAWAY), the
 * sender's own do not. An observer of the server's bytes (sender named),
 * told of the client's requests 1, 3, 5: 3 and 5 end; the server's pushed
 * stream 2 goes on. */
static void observer_told_of_1_3_5(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_observer_of_server_goaway_ends_client_streams_above_last(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/pushed");
    w_headers(&w, 1, 1, ":status", "200");
    w_goaway(&w, 1, H2F_NO_ERROR);
    w_headers(&w, 2, 1, ":status", "200");
    r = expect_events(&w, &o, observer_told_of_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /pushed\n"
                      "hend s=1 promise\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "frame GOAWAY s=0\n"
                      "end s=3 goaway NO_ERROR\n"
                      "end s=5 goaway NO_ERROR\n"
                      "h s=2 headers :status: 200\n"
                      "hend s=2 headers es\n"
                      "end s=2 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §6.8: GOAWAY ends the receiver's streams above its last stream id. An
 * observer that cannot tell who sends (a capture that starts mid-connection,
 * no preface, sender not named) knows the receiver's streams only as those
 * it was told of (h2f_conn_local_open): 3 and 5 end, 1 (below) does not,
 * nor does the sender's stream 7. */
static void test_observer_of_unknown_sender_goaway_ends_streams_told_of(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    size_t first;
    (void)state;
    o.allow_any_first_frame = 1;
    w_init(&w, 0);
    w_ping(&w, 0);
    first = w.n;
    w_headers(&w, 7, 0, ":status", "200");
    w_goaway(&w, 1, H2F_NO_ERROR);
    w_data(&w, 7, "x", 1, 1);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    /* whose streams are whose: named only once the first octets are in */
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_feed(&c, w.b, first), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
        trace_event(&t, &ev);
    assert_int_equal(st, H2F_NEED_MORE);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 3, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 5, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b + first, w.n - first), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
        trace_event(&t, &ev);
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame PING s=0\n"
                             "h s=7 headers :status: 200\n"
                             "hend s=7 headers\n"
                             "frame GOAWAY s=0\n"
                             "end s=3 goaway NO_ERROR\n"
                             "end s=5 goaway NO_ERROR\n"
                             "data s=7 1 es x\n"
                             "end s=7 end_stream\n");
    assert_int_equal(h2f_conn_stream_count(&c), 1); /* 1 */
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* §6.6: "A receiver MUST treat the receipt of a PUSH_PROMISE that promises
 * an illegal stream identifier (Section 5.1.1) as a connection error
 * (Section 5.4.1) of type PROTOCOL_ERROR"; §5.1.1: a server's streams are
 * even; §8.4: a client cannot push. An observer that knows the sender
 * applies both: a server's odd promise and a client's PUSH_PROMISE end the
 * connection (before, it took the odd promise as a stream of the other
 * side's, which a GOAWAY then ended). The sender unknown, it cannot tell. */
static void test_observer_push_promise_illegal_promised_id(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    server_start(&w);
    w_push_promise(&w, 1, 3, GET, "/odd");
    w_goaway(&w, 0, H2F_NO_ERROR);
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises an illegal stream id "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    done(&r);
    w_free(&w);
    o.sender = H2F_SENDER_CLIENT;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_push_promise(&w, 1, 2, GET, "/x");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE from a client (RFC 9113 §8.4))\n");
    done(&r);
    w_free(&w);
    /* detected: the preface says a client's */
    o.sender = H2F_SENDER_DETECT;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_push_promise(&w, 1, 2, GET, "/x");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE from a client (RFC 9113 §8.4))\n");
    done(&r);
    w_free(&w);
    /* a server's even promise is its own stream: GOAWAY does not end it */
    o.sender = H2F_SENDER_SERVER;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/even");
    w_goaway(&w, 0, H2F_NO_ERROR);
    w_headers(&w, 2, 1, ":status", "200");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /even\n"
                      "hend s=1 promise\n"
                      "frame GOAWAY s=0\n"
                      "h s=2 headers :status: 200\n"
                      "hend s=2 headers es\n"
                      "end s=2 end_stream\n");
    done(&r);
    w_free(&w);
    /* the sender unknown (no preface, allow_any_first_frame): any promise */
    o.sender = H2F_SENDER_DETECT;
    o.allow_any_first_frame = 1;
    server_start(&w);
    w_push_promise(&w, 1, 3, GET, "/odd");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=3 promise :method: GET\n"
                      "h s=1 p=3 promise :scheme: http\n"
                      "h s=1 p=3 promise :authority: localhost\n"
                      "h s=1 p=3 promise :path: /odd\n"
                      "hend s=1 promise\n");
    done(&r);
    w_free(&w);
}

/* docs/streams.md: the reader remembers the last closed streams, twice the
 * pool (rounded up to a power of two: 2 * (2 * 100 + 300) = 1000, 1024 for
 * a client with max_concurrent_streams 100 and max_local_streams 300); DATA
 * on a stream closed long ago (forgotten) is a stream error STREAM_CLOSED
 * (§6.1, §5.4.2), on one it remembers the peer ended a connection error
 * (§5.1 closed). 1100 streams close, 1, 3, ..., 2199: stream 1 is forgotten,
 * stream 201 (closed 1000 streams ago, within twice the pool) is not. */
static void test_client_forgets_streams_beyond_twice_the_pool(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    static const uint8_t status_200[] = {0x88};
    uint32_t id;
    (void)state;
    o.max_concurrent_streams = 100;
    o.max_local_streams = 300;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    server_start(&w);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_OK);
    assert_int_equal(ev.type, H2F_EV_FRAME);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_NEED_MORE);
    for (id = 1; id <= 2199; id += 2) {
        size_t from = w.n;
        assert_int_equal(h2f_conn_local_open(&c, id, 0), H2F_OK);
        w_frame(&w, H2F_HEADERS, H2F_FLAG_END_STREAM | H2F_FLAG_END_HEADERS, id, status_200, 1);
        assert_int_equal(h2f_conn_feed(&c, w.b + from, w.n - from), H2F_OK);
        t.len = 0;
        trace_add(&t, "%s", "");
        while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
            trace_event(&t, &ev);
        assert_int_equal(st, H2F_NEED_MORE);
        assert_int_equal(h2f_conn_stream_count(&c), 0);
    }
    /* the last trace: stream 2199's response */
    assert_string_equal(t.s, "h s=2199 headers :status: 200\n"
                             "hend s=2199 headers es\n"
                             "end s=2199 end_stream\n");
    {
        size_t from = w.n;
        w_data(&w, 1, "late", 4, 1);
        w_data(&w, 201, "late", 4, 1);
        assert_int_equal(h2f_conn_feed(&c, w.b + from, w.n - from), H2F_OK);
    }
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(e.scope, H2F_SCOPE_STREAM);
    assert_int_equal(e.stream_id, 1);
    assert_int_equal(e.code, H2F_STREAM_CLOSED);
    assert_string_equal(e.reason, "DATA on a closed stream (RFC 9113 §6.1)");
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(e.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(e.code, H2F_STREAM_CLOSED);
    assert_string_equal(e.reason, "DATA on a stream the peer ended (RFC 9113 §5.1 closed)");
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* h2frame.h (h2f_hpack_decode_next): after a field breaks a limit "the rest
 * of the block is decoded without being returned" — a stream error ends the
 * block's events (RFC 9113 §5.4.2: the stream is reset, §4.3: the block
 * still goes through HPACK). A PUSH_PROMISE's block stays silent even when
 * its promised stream is held again before the block's end: an observer
 * whose sender is unknown, with max_fields 1, meets PUSH_PROMISE 1 -> 2
 * (:method, :scheme, :path); after the error on 2, it is told of 600
 * resets (the closed ring of 512 forgets 2) and of stream 2: stream 2's
 * END (it had an event) and nothing more of the block. */
static void test_block_after_stream_error_stays_silent(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    static const uint8_t promise[] = {0, 0, 0, 2, 0x82, 0x84, 0x86};
    uint32_t i;
    (void)state;
    o.allow_any_first_frame = 1;
    o.hpack.max_fields = 1;
    w_init(&w, 0);
    w_settings(&w, 0);
    w_frame(&w, H2F_PUSH_PROMISE, H2F_FLAG_END_HEADERS, 1, promise, sizeof promise);
    w_ping(&w, 0);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
        trace_event(&t, &ev);
    assert_int_equal(st, H2F_ERR_LIMIT);
    assert_int_equal(e.scope, H2F_SCOPE_STREAM);
    assert_int_equal(e.stream_id, 2);
    assert_int_equal(e.code, H2F_ENHANCE_YOUR_CALM);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             "h s=1 p=2 promise :method: GET\n");
    for (i = 0; i < 600; i++)
        assert_int_equal(h2f_conn_local_reset(&c, 1001 + 2 * i), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK)
        trace_event(&t, &ev);
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             "h s=1 p=2 promise :method: GET\n"
                             "end s=2 error ENHANCE_YOUR_CALM\n"
                             "frame PING s=0\n");
    assert_int_equal(h2f_conn_stream_count(&c), 1); /* 2, told of */
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* A pushed stream is half-closed (local) once opened: with track_local it
 * goes when the server ends it. */
static void test_pushed_stream_released_with_track_local(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.track_local = 1;
    o.max_concurrent_streams = 1;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_headers(&w, 2, 1, ":status", "200");
    w_push_promise(&w, 1, 4, GET, "/b");
    w_headers(&w, 4, 1, ":status", "200");
    r = run_conn(w.b, w.n, &o, open_1_3_5);
    assert_null(strstr(r.t.s, "err "));
    assert_non_null(strstr(r.t.s, "end s=4 end_stream\n"));
    done(&r);
    w_free(&w);
}

/* §6.8: "Receivers of a GOAWAY frame MUST NOT open additional streams". */
static void test_no_local_stream_after_goaway(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_goaway(&w, 0, H2F_NO_ERROR);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while (h2f_conn_next(&c, &ev, &e) == H2F_OK)
        ;
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    h2f_conn_free(&c);
    w_free(&w);
}

/* The flood counters are not reset by blocks we drop, and padding alone
 * is an empty frame. */
static void test_flood_counters_cannot_be_reset_for_free(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    uint8_t pad_only[1] = {0};
    int i, k;
    (void)state;
    o.max_control_frames = 5;
    o.max_empty_frames = 3;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_window_update(&w, 1, 0); /* we reset stream 1 */
    for (i = 0; i < 3; i++) {
        for (k = 0; k < 2; k++)
            w_ping(&w, 0);
        w_headers(&w, 1, 1, "x", "dropped");
    }
    r = expect_conn_error_run(&w, &o, NULL,
                              "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many SETTINGS/PING frames without "
                              "progress: max_control_frames (CVE-2019-9512, CVE-2019-9515))\n");
    done(&r);
    w_free(&w);
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    for (i = 0; i < 5; i++)
        w_frame(&w, H2F_DATA, H2F_FLAG_PADDED, 1, pad_only, 1);
    expect_conn_error(&w, &o, NULL,
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many empty frames: "
                      "max_empty_frames (CVE-2019-9518))\n");
    w_free(&w);
}

/* A stream error on DATA says how long the frame was (flow control). */
static void test_error_on_data_gives_its_length(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_data(&w, 1, "twelve bytes", 12, 0);
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_int_equal(r.err.frame_type, H2F_DATA);
    assert_int_equal(r.err.length, 12);
    assert_int_equal(r.err.code, H2F_STREAM_CLOSED);
    done(&r);
    w_free(&w);
}

/* A server reads requests: ":status" in one does not make it a 1xx. */
static void test_server_never_sees_informational_blocks(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":status", "100");
    w_headers(&w, 1, 0, ":status", "100");
    r = run_conn(w.b, w.n, &server_opts, NULL);
    assert_null(strstr(r.t.s, "1xx"));
    assert_non_null(strstr(r.t.s, "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (second HEADERS without END_STREAM (RFC 9113 §8.1))\n"));
    done(&r);
    w_free(&w);
}

/* A frame-level stream error on an idle stream cannot be answered with
 * RST_STREAM (§6.4: not on an idle stream): the connection ends. */
static void test_frame_error_on_idle_stream_is_connection_error(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_window_update(&w, 1, 0);
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE increment of 0 on a stream (RFC 9113 §6.9))\n");
    w_free(&w);
    client_start(&w);
    w_frame(&w, H2F_PRIORITY, 0, 5, "\0\0\0\x05\x10", 5); /* 5 depends on itself */
    w_headers(&w, 5, 1, GET, "/");
    expect_conn_error(&w, &server_opts, NULL,
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PRIORITY makes the stream depend on itself (RFC 7540 §5.3.1))\n");
    w_free(&w);
}

/* A DATA frame with data is progress: the SETTINGS/PING count starts again
 * from 0 after it (max_control_frames, h2frame.h), so max_control_frames
 * PINGs may follow each one. */
static void test_data_resets_control_frame_count(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    int i, k;
    (void)state;
    o.max_control_frames = 3;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    for (i = 0; i < 3; i++) {
        for (k = 0; k < 3; k++)
            w_ping(&w, 0);
        w_data(&w, 1, "a", 1, i == 2);
    }
    r = run_conn(w.b, w.n, &o, NULL);
    assert_null(strstr(r.t.s, "ERR"));
    assert_non_null(strstr(r.t.s, "data s=1 1 es a\nend s=1 end_stream\n"));
    done(&r);
    w_free(&w);
}

/* §6.1: the data of a padded DATA frame is its length less the Pad Length
 * field and the padding; that, not the frame's length, is what must add
 * up to content-length (§8.1.1). */
static void test_padded_data_counts_only_its_data_against_content_length(void **state)
{
    static const uint8_t padded[] = {4, 'a', 'b', 'c', 0, 0, 0, 0};
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.validate_http = 1;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":authority", "localhost", ":path", "/",
              "content-length", "3");
    w_frame(&w, H2F_DATA, H2F_FLAG_PADDED | H2F_FLAG_END_STREAM, 1, padded, sizeof padded);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_null(strstr(r.t.s, "ERR"));
    assert_null(strstr(r.t.s, "error"));
    assert_non_null(strstr(r.t.s, "data s=1 3 es abc\nend s=1 end_stream\n"));
    done(&r);
    w_free(&w);
}

/* 1xx responses are not progress: a server may send any number. */
static void test_informational_blocks_do_not_reset_flood_counters(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    int i, k;
    (void)state;
    o.max_control_frames = 10;
    server_start(&w);
    for (i = 0; i < 5; i++) {
        for (k = 0; k < 5; k++)
            w_ping(&w, 0);
        w_headers(&w, 1, 0, ":status", "103");
    }
    expect_conn_error(&w, &o, open_1_3_5,
                      "ERR ENHANCE_YOUR_CALM ERR_LIMIT (too many SETTINGS/PING frames without "
                      "progress: max_control_frames (CVE-2019-9512, CVE-2019-9515))\n");
    w_free(&w);
}

/* An RST_STREAM on an id the peer skipped does not make the id a closed
 * stream: HEADERS on it is still the §5.1.1 connection error. */
static void test_rst_on_skipped_id_keeps_it_skipped(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 3, 0, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_headers(&w, 1, 1, GET, "/");
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(3)
                      "hend s=3 headers\n"
                      "frame RST_STREAM s=1\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (new stream id not above the last one (RFC 9113 §5.1.1))\n");
    done(&r);
    w_free(&w);
}

/* h2f_conn_local_reset after a malformed block: the pending stream error
 * is dropped with the stream (no second RST_STREAM asked for). */
static void test_local_reset_cancels_pending_error(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.validate_http = 1;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":path", "/");
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK && ev.type != H2F_EV_HEADERS_END)
        ;
    assert_int_equal(st, H2F_OK);
    assert_int_equal(ev.problems, H2F_HTTP_PSEUDO_MISSING);
    assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_NEED_MORE);
    h2f_conn_free(&c);
    w_free(&w);
}

/* §5.4.2: RST_STREAM ends the one stream it names. Resetting another stream
 * while a header block is being reported (between its field events) leaves
 * that block whole: its remaining fields, its end, its stream's END. */
static void test_local_reset_of_another_stream_mid_block_keeps_the_block(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    int reset = 0;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 1, GET, "/three");
    w_data(&w, 1, "late", 4, 1);
    assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        trace_event(&t, &ev);
        if (ev.type == H2F_EV_HEADER && ev.stream_id == 3 && !reset) {
            assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
            reset = 1;
        }
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             POST_EVENTS(1, "/")
                             "hend s=1 headers\n"
                             "h s=3 headers :method: GET\n"
                             "h s=3 headers :scheme: http\n"
                             "h s=3 headers :authority: localhost\n"
                             "h s=3 headers :path: /three\n"
                             "hend s=3 headers es\n"
                             "end s=3 end_stream\n"
                             "frame DATA s=1\n");
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* h2frame.h: a stream we reset "is forgotten (no H2F_EV_END)" — also when
 * its END waits behind another stream's: an observer whose pool is full
 * lets go of a stream the other direction reset (its END queued), takes a
 * new stream found mid-capture whose DATA ends it (its END queued behind),
 * and that stream is reset. The other END still comes; the reader touches
 * no memory outside itself (it lies at the end of a page, an unreadable
 * page after it) and frees nothing it did not allocate. */
static void observer_of_server_told_of_1_3_reset_1(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_other_reset(c, 1, H2F_CANCEL), H2F_OK);
}

/* libc's functions, but free refuses NULL: the reader frees only what it
 * allocated. */
static void *strict_alloc(size_t size, void *user)
{
    (void)user;
    return malloc(size);
}

static void *strict_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
    return realloc(ptr, size);
}

static void strict_free(void *ptr, void *user)
{
    (void)user;
    assert_non_null(ptr);
    free(ptr);
}

static void test_local_reset_forgets_end_queued_behind_another(void **state)
{
    static const h2f_allocator strict = {strict_alloc, strict_realloc, strict_free, NULL};
    wire w;
    h2f_conn *c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 2 * page;
    uint8_t *map;
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    o.allow_any_first_frame = 1;
    o.max_concurrent_streams = 1; /* a pool of 2 */
    assert_true(sizeof *c <= page);
    map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + page, page, PROT_NONE), 0);
    c = (h2f_conn *)(void *)(map + page - sizeof *c);
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200");
    w_data(&w, 5, "x", 1, 1);
    assert_int_equal(h2f_conn_init(c, &o, &strict), H2F_OK);
    observer_of_server_told_of_1_3_reset_1(c);
    assert_int_equal(h2f_conn_feed(c, w.b, w.n), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(c, &ev, &e)) == H2F_OK) {
        trace_event(&t, &ev);
        if (ev.type == H2F_EV_DATA)
            assert_int_equal(h2f_conn_local_reset(c, 5), H2F_OK);
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             "h s=1 headers :status: 200\n"
                             "hend s=1 headers\n"
                             "data s=5 1 es x\n"
                             "end s=1 reset CANCEL\n");
    assert_int_equal(h2f_conn_stream_count(c), 1);
    free(t.s);
    h2f_conn_free(c);
    assert_int_equal(munmap(map, len), 0);
    w_free(&w);
}

/* H2F_BODY_WHOLE: a stream whose DATA frames were all empty still gets its
 * H2F_EV_BODY (h2frame.h: "sent only if the stream had DATA frames"), of
 * no octets and no buffer. Reset while that BODY and the END wait behind
 * the trailers' end, both are forgotten, and nothing is freed that was
 * never allocated. */
static void test_local_reset_forgets_queued_empty_body(void **state)
{
    static const h2f_allocator strict = {strict_alloc, strict_realloc, strict_free, NULL};
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, NULL, 0, 0);
    w_headers(&w, 1, 1, "x-trailer", "1");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 3, NULL, 0, 1);
    assert_int_equal(h2f_conn_init(&c, &o, &strict), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        trace_event(&t, &ev);
        if (ev.type == H2F_EV_HEADERS_END && ev.stream_id == 1 && ev.end_stream)
            assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             POST_EVENTS(1, "/")
                             "hend s=1 headers\n"
                             "frame DATA s=1\n"
                             "h s=1 trailers x-trailer: 1\n"
                             "hend s=1 trailers es\n"
                             POST_EVENTS(3, "/")
                             "hend s=3 headers\n"
                             "body s=3 0 811c9dc5\n"
                             "end s=3 end_stream\n");
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* With hpack.report_size_updates a size update comes out as an
 * H2F_EV_HEADER of rep H2F_HPACK_SIZE_UPDATE — and it is not the block's
 * first field: a 1xx that begins with one is still a 1xx (found by
 * h2dump's author). */
static void test_reported_size_update_is_not_a_field(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.hpack.report_size_updates = 1;
    o.validate_http = 1;
    server_start(&w);
    /* size update 100, :status 100 (literal, index 8's name) */
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS, 1, "\x3f\x45\x08\x03" "100", 7);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, "\x88", 1); /* :status 200 */
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      /* the size update (no name, no value): the block is
                       * not known to be a 1xx before its first field */
                      "h s=1 headers : \n"
                      "h s=1 1xx :status: 100\n"
                      "hend s=1 1xx\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* A capture that starts mid-connection (allow_any_first_frame,
 * hpack.unknown_history): a field naming an HPACK entry from before it
 * comes out with field.unknown set, and is never judged (validate_http) —
 * the block is not malformed for it. */
static void test_observer_passes_unknown_fields_unjudged(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.allow_any_first_frame = 1;
    o.hpack.unknown_history = 1;
    o.validate_http = 1;
    memset(&w, 0, sizeof w);
    /* :method GET, :scheme http, :path /, index 62 (unknown), a literal
     * named by index 63 (unknown) with value "x", :authority a */
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1,
            "\x82\x86\x84\xbe\x0f\x30\x01x\x01\x01" "a", 11);
    r = expect_events(&w, &o, NULL,
                      "h s=1 headers :method: GET\n"
                      "h s=1 headers :scheme: http\n"
                      "h s=1 headers :path: /\n"
                      "h s=1 headers : \n"
                      "h s=1 headers : x\n"
                      "h s=1 headers :authority: a\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* The block's first field tells a 1xx response (§8.3: ":status" comes
 * first, pseudo-header fields before all others); a field from before the
 * capture (unknown) that comes first is that first field: a :status after
 * it makes no 1xx (an observer of the server, hpack.unknown_history). */
static void test_observer_status_after_unknown_first_field_is_no_1xx(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.allow_any_first_frame = 1;
    o.hpack.unknown_history = 1;
    o.sender = H2F_SENDER_SERVER;
    memset(&w, 0, sizeof w);
    /* index 62 (unknown), then :status 103 (name index 8, literal value) */
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1,
            "\xbe\x08\x03" "103", 6);
    r = expect_events(&w, &o, NULL,
                      "h s=1 headers : \n"
                      "h s=1 headers :status: 103\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* The body limits count body octets, not what happens to be allocated:
 * they fire at the same octet however the input is cut (found by
 * fuzz_conn, which cuts inputs and compares). */
static void test_body_limit_same_however_cut(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[90], zeros[100];
    char expected[1024];
    (void)state;
    o.max_body_per_stream = 100;
    o.max_body_per_conn = 150;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, body, 90, 0);
    w_data(&w, 3, body, 60, 0);  /* 150 held: at the limit, not past it */
    w_data(&w, 3, body, 1, 0);   /* 151: past it */
    w_data(&w, 1, body, 10, 1);  /* stream 1 is still fine */
    snprintf(expected, sizeof expected,
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      POST_EVENTS(3, "/")
                      "hend s=3 headers\n"
                      "frame DATA s=1\n"
                      "frame DATA s=3\n"
                      "err s=3 CANCEL ERR_LIMIT (bodies held larger than max_body_per_conn)\n"
                      "end s=3 error CANCEL\n"
                      "body s=1 100 %08x\n"
                      "end s=1 end_stream\n",
             (unsigned)fnv((h2f_bytes){zeros, 100}));
    r = expect_events(&w, &o, NULL, expected);
    /* what was allocated: within twice the limit */
    assert_true(r.peak - r.after_init <= 2 * 150 + 2 * 1024);
    done(&r);
    w_free(&w);
}

/* What the caller can get wrong, each refused with the documented status
 * and nothing changed. */
static void test_api_misuse(void **state)
{
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    h2f_setting big_table = {H2F_SETTINGS_HEADER_TABLE_SIZE, 1u << 20};
    h2f_setting small_frame = {H2F_SETTINGS_MAX_FRAME_SIZE, 100};
    h2f_setting many_streams = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 101};
    h2f_setting ok = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 10};
    h2f_event ev;
    h2f_error e;
    (void)state;
    /* init: an unknown role or body mode, more streams than it sizes for */
    o.role = (h2f_role)3;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o = opts(H2F_ROLE_CLIENT, (h2f_body_mode)2);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    o.max_concurrent_streams = 8193;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_init(NULL, NULL, NULL), H2F_ERR_INVALID_ARGUMENT);

    o.max_concurrent_streams = 0;
    o.max_local_streams = 2;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    /* our SETTINGS: values beyond what init sized for, four pending at most */
    assert_int_equal(h2f_conn_local_settings(&c, &big_table, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_settings(&c, &small_frame, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_settings(&c, &many_streams, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_settings(&c, NULL, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_settings(&c, &ok, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(&c, &ok, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(&c, &ok, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(&c, &ok, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(&c, &ok, 1), H2F_ERR_LIMIT);
    /* our streams: odd, increasing, no more than max_local_streams */
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 0, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 3, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 5, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 7, 0), H2F_ERR_LIMIT);
    assert_int_equal(h2f_conn_stream_count(&c), 2);
    assert_int_equal(h2f_conn_local_close(&c, 9), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_reset(&c, 0), H2F_ERR_INVALID_ARGUMENT);
    /* reading: no NULLs; the next chunk only after H2F_NEED_MORE */
    assert_int_equal(h2f_conn_next(&c, &ev, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_feed(&c, (const uint8_t *)"\0\0", 2), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, (const uint8_t *)"\0\0", 2), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_NEED_MORE);
    h2f_conn_free(&c);
    /* an observer is told only of the other side's streams (a client's
     * reader of the server's, odd); a server opens only even ids */
    o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    o.sender = H2F_SENDER_CLIENT;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_OK);
    h2f_conn_free(&c);
    o.sender = H2F_SENDER_SERVER;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_OK);
    h2f_conn_free(&c);
    o.sender = (h2f_sender)3;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o.sender = H2F_SENDER_DETECT;
    o.max_frame_size = 16383;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o.max_frame_size = H2F_MAX_MAX_FRAME_SIZE + 1;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_OK);
    h2f_conn_free(&c);
}

/* h2frame.h's h2f_allocator: the reader frees what it allocates and grows
 * bodies (H2F_BODY_WHOLE) with realloc, so an allocator without any one of
 * its three functions is refused at init (H2F_ERR_INVALID_ARGUMENT), before
 * anything is allocated. */
static void test_init_refuses_an_allocator_missing_a_function(void **state)
{
    h2f_conn c;
    counting cnt;
    h2f_allocator a;
    (void)state;
    memset(&cnt, 0, sizeof cnt);
    a = counting_allocator(&cnt);
    a.free = NULL;
    assert_int_equal(h2f_conn_init(&c, &server_opts, &a), H2F_ERR_INVALID_ARGUMENT);
    a = counting_allocator(&cnt);
    a.realloc = NULL;
    assert_int_equal(h2f_conn_init(&c, &server_opts, &a), H2F_ERR_INVALID_ARGUMENT);
    a = counting_allocator(&cnt);
    a.alloc = NULL;
    assert_int_equal(h2f_conn_init(&c, &server_opts, &a), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(cnt.calls, 0);
    /* all three: fine */
    a = counting_allocator(&cnt);
    assert_int_equal(h2f_conn_init(&c, &server_opts, &a), H2F_OK);
    assert_true(cnt.live > 0);
    h2f_conn_free(&c);
    assert_int_equal(cnt.live, 0);
}

/* Every entry point given no reader refuses (H2F_ERR_INVALID_ARGUMENT) or,
 * for the queries, answers 0 / NULL; freeing none is a no-op. */
static void test_api_null_reader_is_refused(void **state)
{
    h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 10};
    h2f_event ev;
    h2f_error e;
    (void)state;
    assert_int_equal(h2f_conn_feed(NULL, (const uint8_t *)"x", 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_next(NULL, &ev, &e), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_settings(NULL, &s, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(NULL, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(NULL, 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_close(NULL, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_reset(NULL, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_other_reset(NULL, 1, H2F_CANCEL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_stream_count(NULL), 0);
    assert_int_equal(h2f_conn_peer_open(NULL), 0);
    assert_null(h2f_conn_hpack(NULL));
    assert_int_equal(h2f_conn_frame_offset(NULL), 0);
    h2f_conn_free(NULL);
}

/* The reader sizes its stream tables at init (h2frame.h) for at most 8192
 * streams each way: max_concurrent_streams and max_local_streams of 8192
 * are taken (the client's pool, the largest, holds 2 * 8192 + 8192), 8193
 * of either is refused. */
static void test_init_stream_limits_at_most_8192(void **state)
{
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    uint32_t id;
    (void)state;
    o.max_concurrent_streams = 8192;
    o.max_local_streams = 8192;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    for (id = 1; id < 2 * 8192; id += 2)
        assert_int_equal(h2f_conn_local_open(&c, id, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 2 * 8192 + 1, 0), H2F_ERR_LIMIT);
    assert_int_equal(h2f_conn_stream_count(&c), 8192);
    h2f_conn_free(&c);
    o.max_local_streams = 8193;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o.max_local_streams = 8192;
    o.max_concurrent_streams = 8193;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
}

/* §5.1.1: stream ids go up to 2^31-1; every entry point that takes one
 * takes that one and refuses 2^31 (H2F_ERR_INVALID_ARGUMENT). */
static void test_api_largest_stream_id(void **state)
{
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, H2F_MAX_STREAM_ID + 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, H2F_MAX_STREAM_ID, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_reset(&c, H2F_MAX_STREAM_ID + 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_reset(&c, H2F_MAX_STREAM_ID), H2F_OK);
    h2f_conn_free(&c);
    o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    o.sender = H2F_SENDER_SERVER;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_other_reset(&c, H2F_MAX_STREAM_ID + 1, H2F_CANCEL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_other_reset(&c, H2F_MAX_STREAM_ID, H2F_CANCEL), H2F_OK);
    assert_int_equal(h2f_conn_local_reset(&c, H2F_MAX_STREAM_ID + 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_reset(&c, H2F_MAX_STREAM_ID), H2F_OK);
    h2f_conn_free(&c);
}

/* ---- real traffic (issue 14) --------------------------------------------- */

/* A reader of the server's octets is told what the client's SETTINGS said:
 * SETTINGS_MAX_CONCURRENT_STREAMS = 0, as grpcio's client sends. */
static void client_said_no_streams(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 0};
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
}

/* §5.1.2: "Endpoints MUST NOT exceed the limit set by their peer": the
 * limit is on the streams the receiver of the setting opens. A client's 0
 * forbids the server's pushes, not its responses (grpcio's client). */
static void test_observer_max_concurrent_limits_only_senders_streams(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_settings_ack(&w); /* the client's 0 applies from here (§6.5.3) */
    w_headers(&w, 1, 0, ":status", "200");
    w_push_promise(&w, 1, 2, GET, "/pushed");
    w_headers(&w, 3, 1, ":status", "404");
    w_headers(&w, 2, 1, ":status", "200");
    w_data(&w, 1, "ok", 2, 1);
    r = expect_events(&w, &o, client_said_no_streams,
                      "frame SETTINGS s=0\n"
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /pushed\n"
                      "hend s=1 promise\n"
                      "h s=3 headers :status: 404\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "err s=2 REFUSED_STREAM ERR_LIMIT (more open streams than "
                      "MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n"
                      "end s=2 error REFUSED_STREAM\n"
                      "data s=1 2 es ok\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

static void server_said_one_stream(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 1};
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
}

/* ... and a server's limit is on the client's requests, counted while the
 * client's side is open (all an observer of one direction sees). */
static void test_observer_max_concurrent_limits_client_requests(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    client_start(&w);
    w_settings_ack(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 1, GET, "/");
    w_data(&w, 1, "x", 1, 1);
    w_headers(&w, 5, 1, GET, "/");
    r = expect_events(&w, &o, server_said_one_stream,
                      "frame SETTINGS s=0\n"
                      "frame SETTINGS s=0\n"
                      POST_EVENTS(1, "/")
                      "hend s=1 headers\n"
                      "err s=3 REFUSED_STREAM ERR_LIMIT (more open streams than "
                      "MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n"
                      "data s=1 1 es x\n"
                      "end s=1 end_stream\n"
                      GET_EVENTS(5)
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n");
    done(&r);
    w_free(&w);
}

/* A capture that starts mid-connection, without the preface: whose
 * streams these are is unknown, so no MAX_CONCURRENT_STREAMS applies. */
static void test_observer_of_unknown_sender_applies_no_stream_limit(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.allow_any_first_frame = 1;
    w_init(&w, 0);
    w_settings_ack(&w);
    w_headers(&w, 1, 1, ":status", "200");
    r = expect_events(&w, &o, client_said_no_streams,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.1 half-closed (remote): RST_STREAM ends the stream. After the peer's
 * END_STREAM (the usual cancel: a request sent whole, then
 * RST_STREAM(CANCEL) while the response streams) it reaches the
 * application as H2F_EV_RESET, once. */
static void test_rst_after_end_stream_is_a_reset_event(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_rst(&w, 1, H2F_CANCEL);
    w_rst(&w, 1, H2F_CANCEL);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "reset s=1 CANCEL\n"
                      "frame RST_STREAM s=1\n");
    done(&r);
    w_free(&w);
}

/* §8.1: "A server can send a complete response prior to the client
 * sending an entire request ... the server MAY request that the client
 * abort transmission of a request without error by sending a RST_STREAM
 * with an error code of NO_ERROR". A stream the server resets before
 * answering ends with H2F_END_RESET. */
/* Client role: stream 1 still uploading its body; 3 and 5 sent whole. */
static void uploading_1_then_3_5(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, 0), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_server_reset_after_response_is_a_reset_event(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "413");
    w_rst(&w, 1, H2F_NO_ERROR);
    w_rst(&w, 3, H2F_REFUSED_STREAM);
    w_headers(&w, 5, 1, ":status", "200");
    w_rst(&w, 5, H2F_NO_ERROR);
    r = expect_events(&w, &o, uploading_1_then_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 413\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "reset s=1 NO_ERROR\n"
                      "end s=3 reset REFUSED_STREAM\n"
                      "h s=5 headers :status: 200\n"
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n"
                      /* §5.1 closed: "Endpoints MUST ignore WINDOW_UPDATE or
                       * RST_STREAM frames received in this state" — our
                       * side of 5 had ended too */
                      "frame RST_STREAM s=5\n");
    done(&r);
    w_free(&w);
}

static void promised_2(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 2, 0), H2F_OK);
}

/* A client declining a push (§8.4: "it can send a RST_STREAM frame, using
 * either the CANCEL or REFUSED_STREAM code") tells the server to stop
 * sending it; an id we never promised is idle (§6.4). */
static void test_client_declines_push_is_a_reset_event(void **state)
{
    wire w;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_rst(&w, 2, H2F_CANCEL);
    w_rst(&w, 4, H2F_CANCEL);
    expect_conn_error(&w, &server_opts, promised_2,
                      "end s=1 end_stream\n"
                      "reset s=2 CANCEL\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (RST_STREAM on an idle stream (RFC 9113 §6.4))\n");
    w_free(&w);
}

/* §5.1: a reserved (remote) stream the server resets is closed, and no
 * longer counts among the promises the reader takes (at most
 * max_concurrent_streams reserved at once, §8.4): with room for one, the
 * promise after the first one's reset is taken. */
static void test_reset_reserved_stream_frees_its_promise_room(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.max_concurrent_streams = 1;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_rst(&w, 2, H2F_CANCEL);
    w_push_promise(&w, 1, 4, GET, "/b");
    w_headers(&w, 4, 1, ":status", "200");
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /a\n"
                      "hend s=1 promise\n"
                      "end s=2 reset CANCEL\n"
                      "h s=1 p=4 promise :method: GET\n"
                      "h s=1 p=4 promise :scheme: http\n"
                      "h s=1 p=4 promise :authority: localhost\n"
                      "h s=1 p=4 promise :path: /b\n"
                      "hend s=1 promise\n"
                      "h s=4 headers :status: 200\n"
                      "hend s=4 headers es\n"
                      "end s=4 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.4.2: a RST_STREAM that crosses ours is a frame in flight: the
 * application reset the stream already. */
static void test_rst_on_stream_we_reset_is_a_frame(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, GET, "/");
    w_window_update(&w, 1, 0); /* a stream error: we reset it */
    w_rst(&w, 1, H2F_CANCEL);
    r = expect_events(&w, &server_opts, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers\n"
                      "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE increment of 0 "
                      "on a stream (RFC 9113 §6.9))\n"
                      "end s=1 error PROTOCOL_ERROR\n"
                      "frame RST_STREAM s=1\n");
    done(&r);
    w_free(&w);
}

/* An observer of the server's octets: a request the server refuses
 * before answering (Node's server-side reset) is a reset of the client's
 * stream. Told of the request (h2f_conn_local_open), it is the stream's
 * end instead. */
static void opened_by_client_3(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_observer_reset_of_stream_server_never_sent_on(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER; /* told of the client's streams before any input */
    server_start(&w);
    w_rst(&w, 1, H2F_REFUSED_STREAM);
    w_rst(&w, 3, H2F_INTERNAL_ERROR);
    r = expect_events(&w, &o, opened_by_client_3,
                      "frame SETTINGS s=0\n"
                      "reset s=1 REFUSED_STREAM\n"
                      "end s=3 reset INTERNAL_ERROR\n");
    done(&r);
    w_free(&w);
}

/* §4.2: the frame size a receiver accepts is its SETTINGS_MAX_FRAME_SIZE;
 * the error names both sizes. An observer of one direction that cannot see
 * the other side's SETTINGS is told the largest (grpcio advertises more
 * than 16384 and sends 20009-octet frames). */
static void test_max_frame_size_option(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    static uint8_t big[20000];
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200");
    w.max_frame = sizeof big; /* one DATA frame of 20000 octets */
    memset(big, 'g', sizeof big);
    w_data(&w, 1, big, sizeof big, 1);
    r = expect_conn_error_run(&w, &o, NULL,
                              "ERR FRAME_SIZE_ERROR ERR_PROTOCOL (frame length exceeds "
                              "SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2))\n");
    assert_int_equal(r.err.length, sizeof big);
    assert_int_equal(r.err.limit, H2F_DEFAULT_MAX_FRAME_SIZE);
    done(&r);
    o.max_frame_size = H2F_MAX_MAX_FRAME_SIZE;
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers\n"
                      "data s=1 20000 es\n"
                      "end s=1 end_stream\n");
    done(&r);
    o.max_frame_size = 19999; /* one octet short */
    r = expect_conn_error_run(&w, &o, NULL,
                              "ERR FRAME_SIZE_ERROR ERR_PROTOCOL (frame length exceeds "
                              "SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2))\n");
    assert_int_equal(r.err.limit, 19999);
    done(&r);
    w_free(&w);
}

/* The observer's two directions share what each needs of the other: told
 * that stream 1 is a HEAD request, the response's content-length is no
 * promise of content (§8.1.1: "the response to a HEAD request" has none). */
static void opened_head_1_get_3(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM | H2F_LOCAL_HEAD), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_observer_head_response_with_content_length(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER; /* told of the client's streams before any input */
    o.validate_http = 1;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", "content-length", "42");
    w_headers(&w, 3, 1, ":status", "200", "content-length", "42");
    r = expect_events(&w, &o, opened_head_1_get_3,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers content-length: 42\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "h s=3 headers :status: 200\n"
                      "h s=3 headers content-length: 42\n"
                      "hend s=3 headers es\n"
                      "err s=3 PROTOCOL_ERROR ERR_PROTOCOL (content-length does not match the "
                      "DATA received (RFC 9113 §8.1.1))\n"
                      "end s=3 error PROTOCOL_ERROR\n");
    done(&r);
    w_free(&w);
}

/* An observer that knows whose octets it reads judges a block as a
 * request or as a response (§8.3.1, §8.3.2): here a response without
 * :status. */
static void test_observer_knows_responses_from_requests(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.validate_http = 1;
    o.sender = H2F_SENDER_SERVER;
    w_init(&w, 0);
    w_settings(&w, 0);
    w_headers(&w, 1, 1, GET, "/");
    r = run_conn(w.b, w.n, &o, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es problems="));
    assert_int_equal(r.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(r.err.stream_id, 1);
    done(&r);
    w_free(&w);
}

/* H2F_SENDER_DETECT (h2frame.h): input that starts without the client
 * preface is the server's. Once its first frame is read, an observer is
 * told only of the client's streams (odd): an even id, the server's own, is
 * refused (H2F_ERR_INVALID_ARGUMENT). */
static void test_observer_detects_the_server_without_preface(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    assert_int_equal(h2f_conn_next(&c, &ev, &e), H2F_OK);
    assert_int_equal(ev.type, H2F_EV_FRAME);
    assert_int_equal(h2f_conn_local_open(&c, 2, 0), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_OK);
    h2f_conn_free(&c);
    w_free(&w);
}

/* Feeds w[0..cut) and drains, calls `between`, then feeds the rest: for
 * what the other direction's reader learnt in the middle. */
static conn_result run_with_call(const wire *w, size_t cut, const h2f_conn_options *o,
                                 conn_prep prep, conn_prep between)
{
    conn_result r;
    h2f_conn c;
    memset(&r, 0, sizeof r);
    trace_add(&r.t, "%s", "");
    assert_int_equal(h2f_conn_init(&c, o, NULL), H2F_OK);
    if (prep)
        prep(&c);
    assert_int_equal(h2f_conn_feed(&c, w->b, cut), H2F_OK);
    if (conn_drain(&c, &r) == 0) {
        between(&c);
        assert_int_equal(h2f_conn_feed(&c, w->b + cut, w->n - cut), H2F_OK);
        conn_drain(&c, &r);
    }
    free(r.piece);
    h2f_conn_free(&c);
    return r;
}

static void server_reset_1(h2f_conn *c)
{
    assert_int_equal(h2f_conn_other_reset(c, 1, H2F_REFUSED_STREAM), H2F_OK);
}

/* §5.1: a stream "enters the closed state after an endpoint either sends or
 * receives a RST_STREAM frame", and only open and half-closed streams count
 * against MAX_CONCURRENT_STREAMS (§5.1.2). An observer of the client told
 * that the server reset stream 1 lets the client open the next one. */
static void test_observer_other_side_reset_frees_the_limit(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_CLIENT;
    client_start(&w);
    w_settings_ack(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    cut = w.n;
    w_data(&w, 1, "in flight", 9, 0); /* sent before the client saw the reset */
    w_headers(&w, 3, 1, GET, "/");
    r = run_with_call(&w, cut, &o, server_said_one_stream, server_reset_1);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               POST_EVENTS(1, "/")
                               "hend s=1 headers\n"
                               "data s=1 9 in flight\n"
                               GET_EVENTS(3)
                               "hend s=3 headers es\n"
                               "end s=3 end_stream\n");
    done(&r);
    /* not told: stream 1 still counts */
    r = run_conn(w.b, w.n, &o, server_said_one_stream);
    assert_non_null(strstr(r.t.s, "err s=3 REFUSED_STREAM"));
    done(&r);
    assert_int_equal(h2f_conn_other_reset(NULL, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    {   /* only an observer has another direction */
        h2f_conn c;
        assert_int_equal(h2f_conn_init(&c, &server_opts, NULL), H2F_OK);
        assert_int_equal(h2f_conn_other_reset(&c, 1, H2F_CANCEL), H2F_ERR_INVALID_ARGUMENT);
        h2f_conn_free(&c);
        assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
        assert_int_equal(h2f_conn_other_reset(&c, 0, H2F_CANCEL), H2F_ERR_INVALID_ARGUMENT);
        assert_int_equal(h2f_conn_other_reset(&c, H2F_MAX_STREAM_ID + 1, 0), H2F_ERR_INVALID_ARGUMENT);
        assert_int_equal(h2f_conn_other_reset(&c, 7, H2F_CANCEL), H2F_OK); /* not held: nothing */
        h2f_conn_free(&c);
    }
    w_free(&w);
}

/* §5.1: a reserved stream the other side resets is closed for both sides,
 * and no longer counts among the promises (at most max_concurrent_streams
 * reserved at once, §8.4). An observer of the server, told that the client
 * declined push 2, takes promise 4 — letting go of 2, which ends (its END
 * with the client's code) — where without being told it refuses it. */
static void client_request_1(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void client_declined_2(h2f_conn *c)
{
    assert_int_equal(h2f_conn_other_reset(c, 2, H2F_CANCEL), H2F_OK);
}

static void test_observer_other_side_reset_of_reserved_stream_frees_its_room(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    o.max_concurrent_streams = 1;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    cut = w.n;
    w_push_promise(&w, 1, 4, GET, "/b");
    w_headers(&w, 4, 1, ":status", "200");
    r = run_with_call(&w, cut, &o, client_request_1, client_declined_2);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               "h s=1 p=2 promise :method: GET\n"
                               "h s=1 p=2 promise :scheme: http\n"
                               "h s=1 p=2 promise :authority: localhost\n"
                               "h s=1 p=2 promise :path: /a\n"
                               "hend s=1 promise\n"
                               "end s=2 reset CANCEL\n"
                               "h s=1 p=4 promise :method: GET\n"
                               "h s=1 p=4 promise :scheme: http\n"
                               "h s=1 p=4 promise :authority: localhost\n"
                               "h s=1 p=4 promise :path: /b\n"
                               "hend s=1 promise\n"
                               "h s=4 headers :status: 200\n"
                               "hend s=4 headers es\n"
                               "end s=4 end_stream\n");
    done(&r);
    r = run_conn(w.b, w.n, &o, client_request_1);
    assert_non_null(strstr(r.t.s, "err s=4 REFUSED_STREAM ERR_LIMIT (too many promised streams (RFC 9113 §8.4))\n"));
    done(&r);
    w_free(&w);
}

/* §6.5.3: an acknowledged SETTINGS changes only what it lists: after our
 * SETTINGS of MAX_CONCURRENT_STREAMS alone is acknowledged, push is still
 * enabled (§6.5.2: ENABLE_PUSH starts at 1) and a PUSH_PROMISE is taken. */
static void only_max_streams_said(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 10};
    open_1_3_5(c);
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
}

static void test_settings_without_enable_push_leave_push_enabled(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_settings_ack(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    r = expect_events(&w, &o, only_max_streams_said,
                      "frame SETTINGS s=0\n"
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /a\n"
                      "hend s=1 promise\n");
    done(&r);
    w_free(&w);
}

/* h2frame.h: four SETTINGS may wait for their ACK; once one is
 * acknowledged there is room for another, and all apply in order (§6.5.3):
 * MAX_CONCURRENT_STREAMS 4, 3, 1, 3 sent, the first acknowledged, then 2
 * sent; after all five ACKs, 2 streams may be open. */
static void four_limits_said(h2f_conn *c)
{
    static const uint32_t v[4] = {4, 3, 1, 3};
    size_t i;
    for (i = 0; i < 4; i++) {
        h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, v[i]};
        assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
    }
    {
        h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 9};
        assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_ERR_LIMIT);
    }
}

static void fifth_limit_said(h2f_conn *c)
{
    h2f_setting s = {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 2};
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_OK);
    assert_int_equal(h2f_conn_local_settings(c, &s, 1), H2F_ERR_LIMIT);
}

static void test_settings_room_for_four_waiting_all_apply_in_order(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    int i;
    (void)state;
    client_start(&w);
    w_settings_ack(&w);
    cut = w.n;
    for (i = 0; i < 4; i++)
        w_settings_ack(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    r = run_with_call(&w, cut, &server_opts, four_limits_said, fifth_limit_said);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               "frame SETTINGS s=0\n"
                               POST_EVENTS(1, "/")
                               "hend s=1 headers\n"
                               POST_EVENTS(3, "/")
                               "hend s=3 headers\n"
                               "err s=5 REFUSED_STREAM ERR_LIMIT (more open streams than "
                               "MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n");
    done(&r);
    w_free(&w);
}

/* max_local_streams counts our open streams (h2frame.h): the server's
 * promises are not ours — with a limit of 2, one open stream of ours and a
 * promise reserved, our second stream opens; a third does not. */
static void open_3_then_5(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_ERR_LIMIT);
}

static void test_promises_do_not_count_as_our_streams(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    o.max_local_streams = 2;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    cut = w.n;
    w_headers(&w, 3, 1, ":status", "200");
    r = run_with_call(&w, cut, &o, client_request_1, open_3_then_5);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               "h s=1 p=2 promise :method: GET\n"
                               "h s=1 p=2 promise :scheme: http\n"
                               "h s=1 p=2 promise :authority: localhost\n"
                               "h s=1 p=2 promise :path: /a\n"
                               "hend s=1 promise\n"
                               "h s=3 headers :status: 200\n"
                               "hend s=3 headers es\n"
                               "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.4.2: after our RST_STREAM the peer's frames in flight are dropped — a
 * header block is decoded (§4.3) but reports nothing, not even a field over
 * max_string_len in it; the next stream is read as usual. */
static void we_reset_1(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_reset(c, 1), H2F_OK);
}

static void test_block_in_flight_after_our_reset_reports_nothing(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    o.hpack.max_string_len = 16;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    cut = w.n;
    w_headers(&w, 1, 1, "x-trailer", "a value of 25 octets long");
    w_headers(&w, 3, 1, GET, "/");
    r = run_with_call(&w, cut, &o, NULL, we_reset_1);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               POST_EVENTS(1, "/")
                               "hend s=1 headers\n"
                               "frame HEADERS s=1\n"
                               GET_EVENTS(3)
                               "hend s=3 headers es\n"
                               "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* A reader's pool is allocated at init: streams the other side reset and
 * whose sender then falls silent give way to new ones, with their END. */
static void open_1_3(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    /* full (one stream a side: a pool of two) */
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_ERR_LIMIT);
}

static void client_cancels_1_opens_5(h2f_conn *c)
{
    assert_int_equal(h2f_conn_other_reset(c, 1, H2F_CANCEL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 5, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void test_observer_pool_lets_go_of_streams_the_other_side_reset(void **state)
{
    wire w;
    conn_result r;
    size_t cut;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    o.max_concurrent_streams = 1;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200");
    cut = w.n;
    w_headers(&w, 5, 1, ":status", "204");
    r = run_with_call(&w, cut, &o, open_1_3, client_cancels_1_opens_5);
    assert_string_equal(r.t.s, "frame SETTINGS s=0\n"
                               "h s=1 headers :status: 200\n"
                               "hend s=1 headers\n"
                               "end s=1 reset CANCEL\n"
                               "h s=5 headers :status: 204\n"
                               "hend s=5 headers es\n"
                               "end s=5 end_stream\n");
    done(&r);
    w_free(&w);
}

/* Told of a stream it already holds (the response came first in the
 * capture) or one already over, an observer holds no second copy; before
 * its first octets with the sender to detect, it cannot tell whose the
 * stream is. */
static void test_observer_told_twice_holds_one_stream(void **state)
{
    wire w;
    h2f_conn c;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    h2f_event ev;
    h2f_error e;
    (void)state;
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 1, 0), H2F_ERR_INVALID_ARGUMENT);
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200");
    w_headers(&w, 3, 1, ":status", "200");
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while (h2f_conn_next(&c, &ev, &e) == H2F_OK)
        ;
    assert_int_equal(h2f_conn_stream_count(&c), 1); /* 1 open, 3 over */
    assert_int_equal(h2f_conn_local_open(&c, 1, H2F_LOCAL_HEAD | H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(&c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_stream_count(&c), 1);
    assert_int_equal(h2f_conn_local_open(&c, 3, 0), H2F_ERR_INVALID_ARGUMENT); /* out of order */
    h2f_conn_free(&c);
    w_free(&w);
}

/* A capture that starts inside a response: its DATA is on the client's
 * stream, which the client's MAX_CONCURRENT_STREAMS = 0 does not limit. */
static void test_observer_mid_capture_data_on_other_sides_stream(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    o.allow_any_first_frame = 1;
    w_init(&w, 0);
    w_settings_ack(&w);
    w_data(&w, 1, "tail", 4, 1);
    w_data(&w, 2, "pushed", 6, 1);
    r = expect_events(&w, &o, client_said_no_streams,
                      "frame SETTINGS s=0\n"
                      "data s=1 4 es tail\n"
                      "end s=1 end_stream\n"
                      "err s=2 REFUSED_STREAM ERR_LIMIT (more open streams than "
                      "MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2))\n");
    done(&r);
    w_free(&w);
    /* the client's side: a stream below the newest one seen may have
     * opened before the capture too */
    o.sender = H2F_SENDER_CLIENT;
    w_init(&w, 0);
    w_settings_ack(&w);
    w_data(&w, 5, "body", 4, 1);
    w_data(&w, 3, "older", 5, 1);
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "data s=5 4 es body\n"
                      "end s=5 end_stream\n"
                      "data s=3 5 es older\n"
                      "end s=3 end_stream\n");
    done(&r);
    w_free(&w);
}

/* ---- issue 15: gaps 1-10 ---- */

/* §5.1 reserved (remote): "Receiving any type of frame other than HEADERS,
 * RST_STREAM, or PRIORITY on a stream in this state MUST be treated as a
 * connection error (Section 5.4.1) of type PROTOCOL_ERROR." A client reads
 * the server's WINDOW_UPDATE on a stream the server promised but has not
 * opened yet; PRIORITY there is fine, and once the pushed response's
 * HEADERS came (half-closed (local) for the client), WINDOW_UPDATE is too. */
static void test_window_update_on_reserved_remote_stream_is_connection_error(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_frame(&w, H2F_PRIORITY, 0, 2, "\0\0\0\1\x10", 5);
    w_window_update(&w, 2, 100);
    w_headers(&w, 2, 1, ":status", "200"); /* never reached */
    expect_conn_error(&w, &o, open_1_3_5,
                      "frame PRIORITY s=2\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (WINDOW_UPDATE on a reserved stream "
                      "(RFC 9113 §5.1 reserved (remote)))\n");
    w_free(&w);
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_headers(&w, 2, 0, ":status", "200");
    w_window_update(&w, 2, 100);
    w_data(&w, 2, "x", 1, 1);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /a\n"
                      "hend s=1 promise\n"
                      "h s=2 headers :status: 200\n"
                      "hend s=2 headers\n"
                      "frame WINDOW_UPDATE s=2\n"
                      "data s=2 1 es x\n"
                      "end s=2 end_stream\n");
    done(&r);
    w_free(&w);
}

/* §5.1 reserved (remote), the same rule for DATA: the server's DATA on a
 * stream it promised but has not opened is a connection error — that one
 * error, nothing reported for the stream before it. */
static void test_data_on_reserved_remote_stream_is_connection_error(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_data(&w, 2, "x", 1, 1);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /a\n"
                      "hend s=1 promise\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (DATA on a reserved stream "
                      "(RFC 9113 §5.1 reserved (remote)))\n");
    done(&r);
    w_free(&w);
}

/* max_body_per_stream (docs/streams.md) is the most a stream's body may
 * hold: a body of exactly the limit is delivered, whole; one octet more is
 * refused (CANCEL), however the frames cut it. */
static void test_limit_body_per_stream_exact_boundary(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    static uint8_t body[3001];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)(i * 7);
    o.max_body_per_stream = 3000;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_frame(&w, H2F_DATA, 0, 1, body, 2000);
    w_frame(&w, H2F_DATA, H2F_FLAG_END_STREAM, 1, body + 2000, 1000); /* 3000: the limit */
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_frame(&w, H2F_DATA, 0, 3, body, 2000);
    w_frame(&w, H2F_DATA, H2F_FLAG_END_STREAM, 3, body + 2000, 1001); /* 3001 */
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_frame(&w, H2F_DATA, H2F_FLAG_END_STREAM, 5, body, 3000); /* the limit in one frame */
    w_headers(&w, 7, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_frame(&w, H2F_DATA, H2F_FLAG_END_STREAM, 7, body, 3001);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_false(r.conn_error);
    {
        trace want = {0};
        h2f_bytes whole = {body, 3000};
        trace_add(&want, "body s=1 3000 %08x\nend s=1 end_stream\n", (unsigned)fnv(whole));
        assert_non_null(strstr(r.t.s, want.s));
        free(want.s);
        want.s = NULL;
        want.len = want.cap = 0;
        trace_add(&want, "body s=5 3000 %08x\nend s=5 end_stream\n", (unsigned)fnv(whole));
        assert_non_null(strstr(r.t.s, want.s));
        free(want.s);
    }
    assert_non_null(strstr(r.t.s, "frame DATA s=3\n"
                                  "err s=3 CANCEL ERR_LIMIT (body larger than max_body_per_stream)\n"
                                  "end s=3 error CANCEL\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers\n"
                                  "err s=7 CANCEL ERR_LIMIT (body larger than max_body_per_stream)\n"
                                  "end s=7 error CANCEL\n"));
    assert_null(strstr(r.t.s, "body s=3"));
    assert_null(strstr(r.t.s, "body s=7"));
    done(&r);
    w_free(&w);
}

/* §5.1.1: "The first use of a new stream identifier implicitly closes all
 * streams in the "idle" state that might have been initiated by that peer
 * with a lower-valued stream identifier." An id the client skipped is never
 * a stream: HEADERS on it later is "an unexpected stream identifier" (a
 * connection PROTOCOL_ERROR); an id it used is a closed stream (here one
 * closed so long ago the reader no longer remembers it: a stream error).
 * The ids are picked so that their bits would meet in a table that mixed
 * ids up: neighbours, ids 8, 16, 32 and 4096 apart, and an id 8190 below
 * the newest (the oldest of the 4096 ids of its parity the reader keeps). */
#define SKIPPED_ERR "ERR PROTOCOL_ERROR ERR_PROTOCOL (new stream id not above the last one (RFC 9113 §5.1.1))\n"

/* The client opens (and ends) the streams of `used` (increasing, odd,
 * 0-terminated), then 300 more from `fill` on, each odd id in turn — enough
 * that the reader forgets the closed streams — and then sends HEADERS on
 * `probe`. */
static conn_result skipped_or_used(const uint32_t *used, uint32_t fill, uint32_t probe)
{
    wire w;
    conn_result r;
    uint32_t k;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    o.max_stream_errors = 1000;
    client_start(&w);
    for (; *used; used++)
        w_headers(&w, *used, 1, GET, "/");
    for (k = 0; k < 300; k++)
        w_headers(&w, fill + 2 * k, 1, GET, "/");
    w_headers(&w, probe, 1, GET, "/");
    r = run_conn(w.b, w.n, &o, NULL);
    w_free(&w);
    return r;
}

static void expect_used(const uint32_t *used, uint32_t fill, uint32_t probe)
{
    conn_result r = skipped_or_used(used, fill, probe);
    char want[160];
    snprintf(want, sizeof want, "err s=%u STREAM_CLOSED ERR_PROTOCOL (HEADERS on a closed stream (RFC 9113 §5.1))\n",
             (unsigned)probe);
    if (r.conn_error || strlen(r.t.s) < strlen(want) || strcmp(r.t.s + strlen(r.t.s) - strlen(want), want))
        fail_msg("stream %u was used: want a stream error, got the end:\n%s", (unsigned)probe,
                 r.t.s + (strlen(r.t.s) > 400 ? strlen(r.t.s) - 400 : 0));
    done(&r);
}

static void expect_skipped(const uint32_t *used, uint32_t fill, uint32_t probe)
{
    conn_result r = skipped_or_used(used, fill, probe);
    if (!r.conn_error || strlen(r.t.s) < strlen(SKIPPED_ERR) ||
        strcmp(r.t.s + strlen(r.t.s) - strlen(SKIPPED_ERR), SKIPPED_ERR))
        fail_msg("stream %u was skipped: want the connection error, got the end:\n%s", (unsigned)probe,
                 r.t.s + (strlen(r.t.s) > 400 ? strlen(r.t.s) - 400 : 0));
    done(&r);
}

static void test_skipped_stream_id_never_becomes_a_stream(void **state)
{
    /* 1 used, every other odd id up to 4097 skipped */
    static const uint32_t one[] = {1, 0};
    /* 1 skipped; used: its neighbour and ids 8, 16, 32 and 4096 above */
    static const uint32_t around_one[] = {3, 9, 17, 33, 4097, 0};
    /* the reverse: 4097 used, its neighbours and those ids below skipped */
    static const uint32_t high[] = {4097, 0};
    static const uint32_t around_high[] = {1, 4065, 4081, 4089, 4095, 4099, 0};
    (void)state;
    expect_used(one, 4099, 1);
    expect_skipped(one, 4099, 4097);
    expect_skipped(one, 4099, 3);
    expect_skipped(one, 4099, 17);
    expect_skipped(around_one, 4099, 1);
    expect_used(around_one, 4099, 9);
    expect_used(around_one, 4099, 4097);
    expect_skipped(around_one, 4099, 4095);
    expect_used(high, 4099, 4097);
    expect_skipped(high, 4099, 1);
    expect_skipped(high, 4099, 4081);
    expect_skipped(around_high, 4101, 4097);
    expect_used(around_high, 4101, 1);
    expect_used(around_high, 4101, 4081);
    /* the edge of what is kept: the newest id is 8191 (fillers 7593 up),
     * 1 is 8190 below it: known to be skipped, or used */
    {
        static const uint32_t used_3[] = {3, 0};
        expect_skipped(used_3, 7593, 1);
        expect_used(one, 7593, 1);
    }
    /* beyond it, an id is too old to know: taken as used (here 1, 8792
     * below the newest; 8193, which shares its bit, was skipped) */
    expect_used(one, 8195, 1);
}

/* §5.1.1: a stream first met by its DATA (allow_any_first_frame: a capture
 * that starts mid-stream) was used, not skipped: HEADERS on it once it is
 * closed and forgotten (130 streams later, with room for 128 remembered)
 * is a closed stream's stream error, not the connection error of an id the
 * client skipped. */
static void test_stream_first_met_by_data_counts_as_used(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    uint32_t k;
    (void)state;
    o.allow_any_first_frame = 1;
    o.max_concurrent_streams = 1;
    client_start(&w);
    w_data(&w, 1, "x", 1, 1);
    for (k = 0; k < 130; k++)
        w_headers(&w, 3 + 2 * k, 1, GET, "/");
    w_headers(&w, 1, 1, GET, "/");
    r = run_conn(w.b, w.n, &o, NULL);
    assert_false(r.conn_error);
    assert_trace_ends_with(r.t.s, "end s=261 end_stream\n"
                                  "err s=1 STREAM_CLOSED ERR_PROTOCOL (HEADERS on a closed stream "
                                  "(RFC 9113 §5.1))\n");
    assert_int_equal(strncmp(r.t.s, "frame SETTINGS s=0\ndata s=1 1 es x\nend s=1 end_stream\n", 53), 0);
    done(&r);
    w_free(&w);
}

/* §6.6: "A receiver MUST treat the receipt of a PUSH_PROMISE that promises
 * an illegal stream identifier (Section 5.1.1) as a connection error
 * (Section 5.4.1) of type PROTOCOL_ERROR." — and the id promised last is no
 * longer new: §5.1.1 "The identifier of a newly established stream MUST be
 * numerically greater than all streams that the initiating endpoint has
 * opened or reserved." A client refuses a second promise of the same id;
 * so does an observer of the server's bytes, while the first is reserved
 * and after it ended. */
static void test_push_promise_of_previous_promised_id_is_protocol_error(void **state)
{
    wire w;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_push_promise(&w, 1, 2, GET, "/b");
    expect_conn_error(&w, &o, open_1_3_5,
                      "hend s=1 promise\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises an illegal stream id "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
    /* the same after the pushed stream ended, and on another stream */
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_headers(&w, 2, 1, ":status", "200");
    w_push_promise(&w, 3, 2, GET, "/b");
    expect_conn_error(&w, &o, open_1_3_5,
                      "end s=2 end_stream\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises an illegal stream id "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
    /* an observer of the server's bytes */
    o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_push_promise(&w, 1, 2, GET, "/b");
    expect_conn_error(&w, &o, NULL,
                      "hend s=1 promise\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises a stream already used "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/a");
    w_headers(&w, 2, 1, ":status", "200");
    w_push_promise(&w, 1, 2, GET, "/b");
    expect_conn_error(&w, &o, NULL,
                      "end s=2 end_stream\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (PUSH_PROMISE promises a stream already used "
                      "(RFC 9113 §6.6, §5.1.1))\n");
    w_free(&w);
}

/* ---- mut-conn3: held-out survivors ----------------------------------------- */

/* §6.6: a PUSH_PROMISE on a stream we reset is still decoded, and a stream we
 * reset "is simply forgotten" (docs/streams.md): reset mid-promise, the
 * promise's remaining fields and its end are not reported either. */
static void test_local_reset_of_associated_stream_mid_promise_silences_the_promise(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    trace t = {0};
    int reset = 0;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/style.css");
    w_headers(&w, 1, 1, ":status", "200");
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    open_1_3_5(&c);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    trace_add(&t, "%s", "");
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        trace_event(&t, &ev);
        if (ev.type == H2F_EV_HEADER && ev.promised_stream_id == 2 && !reset) {
            assert_int_equal(h2f_conn_local_reset(&c, 1), H2F_OK);
            reset = 1;
        }
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_string_equal(t.s, "frame SETTINGS s=0\n"
                             "h s=1 p=2 promise :method: GET\n"
                             "frame HEADERS s=1\n");
    free(t.s);
    h2f_conn_free(&c);
    w_free(&w);
}

/* h2frame.h: H2F_BODY_WHOLE hands the body over "complete at END_STREAM":
 * the H2F_EV_BODY event carries end_stream, as the last DATA would. */
static void test_whole_body_event_has_end_stream(void **state)
{
    wire w;
    h2f_conn c;
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    int bodies = 0;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, "abc", 3, 0);
    w_data(&w, 1, "de", 2, 1);
    assert_int_equal(h2f_conn_init(&c, &o, NULL), H2F_OK);
    assert_int_equal(h2f_conn_feed(&c, w.b, w.n), H2F_OK);
    while ((st = h2f_conn_next(&c, &ev, &e)) == H2F_OK) {
        if (ev.type != H2F_EV_BODY)
            continue;
        bodies++;
        assert_int_equal(ev.stream_id, 1);
        assert_int_equal(ev.data.len, 5);
        assert_memory_equal(ev.data.ptr, "abcde", 5);
        assert_int_equal(ev.end_stream, 1);
    }
    assert_int_equal(st, H2F_NEED_MORE);
    assert_int_equal(bodies, 1);
    h2f_conn_free(&c);
    w_free(&w);
}

/* §5.1 closed: a pushed stream the server ended is closed; an observer of
 * the server's octets that sees HEADERS on it again has a connection
 * STREAM_CLOSED — the promise made the id used (§5.1.1), it is not a new
 * stream. */
static void test_observer_headers_on_an_ended_pushed_stream_is_stream_closed(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_OBSERVER, H2F_BODY_STREAM);
    (void)state;
    o.sender = H2F_SENDER_SERVER;
    server_start(&w);
    w_push_promise(&w, 1, 2, GET, "/p");
    w_headers(&w, 2, 1, ":status", "200");
    w_headers(&w, 2, 1, ":status", "200");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 p=2 promise :method: GET\n"
                      "h s=1 p=2 promise :scheme: http\n"
                      "h s=1 p=2 promise :authority: localhost\n"
                      "h s=1 p=2 promise :path: /p\n"
                      "hend s=1 promise\n"
                      "h s=2 headers :status: 200\n"
                      "hend s=2 headers es\n"
                      "end s=2 end_stream\n"
                      "ERR STREAM_CLOSED ERR_PROTOCOL (HEADERS on a stream the peer ended "
                      "(RFC 9113 §5.1 closed))\n");
    done(&r);
    w_free(&w);
}

/* body_append: the buffer grows by doubling "never past the stream's limit"
 * (max_body_per_stream, h2frame.h): a body of exactly the limit, 1500
 * octets, allocates 1500, not the 2048 that doubling from 1024 gives. */
static void test_body_buffer_never_larger_than_max_body_per_stream(void **state)
{
    static uint8_t big[1000];
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_WHOLE);
    (void)state;
    o.max_body_per_stream = 1500;
    memset(big, 'b', sizeof big);
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":path", "/");
    w_data(&w, 1, big, 1000, 0);
    w_data(&w, 1, big, 500, 1);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_false(r.conn_error);
    assert_non_null(strstr(r.t.s, "body s=1 1500 "));
    assert_int_equal(r.peak - r.after_init, 1500);
    done(&r);
    w_free(&w);
}

/* §6.8: after GOAWAY with last stream id 0 none of our streams was
 * processed: every one ends (H2F_END_GOAWAY) — also the first we opened,
 * held in the pool's first slot. */
static void test_goaway_zero_ends_every_stream_we_opened(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_goaway(&w, 0, H2F_NO_ERROR);
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "frame GOAWAY s=0\n"
                      "end s=1 goaway NO_ERROR\n"
                      "end s=3 goaway NO_ERROR\n"
                      "end s=5 goaway NO_ERROR\n");
    done(&r);
    w_free(&w);
}

/* §5.1.1: the ids a client skipped stay skipped after a jump of more than
 * the reader's window (4096 of them): one used later is "an unexpected
 * stream identifier", a connection PROTOCOL_ERROR, not a closed stream. */
static void test_id_skipped_in_a_long_jump_is_protocol_error(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_SERVER, H2F_BODY_STREAM);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, GET, "/");
    w_headers(&w, 8193, 1, GET, "/");
    w_headers(&w, 17, 1, GET, "/");
    r = expect_events(&w, &o, NULL,
                      "frame SETTINGS s=0\n"
                      GET_EVENTS(1)
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      GET_EVENTS(8193)
                      "hend s=8193 headers es\n"
                      "end s=8193 end_stream\n"
                      "ERR PROTOCOL_ERROR ERR_PROTOCOL (new stream id not above the last one "
                      "(RFC 9113 §5.1.1))\n");
    done(&r);
    w_free(&w);
}

/* §8.1: only ":status" tells a 1xx response; a first field ":statuz" (no
 * pseudo-header of §8.3.2) does not make the block informational. */
static void test_status_lookalike_first_field_is_not_informational(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = opts(H2F_ROLE_CLIENT, H2F_BODY_STREAM);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":statuz", "103", ":status", "200");
    r = expect_events(&w, &o, open_1_3_5,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :statuz: 103\n"
                      "h s=1 headers :status: 200\n"
                      "hend s=1 headers\n");
    done(&r);
    w_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_stream_when_pool_full_under_the_limit_is_refused),
        cmocka_unit_test(test_frames_after_peer_reset_of_ended_stream_are_stream_closed),
        cmocka_unit_test(test_local_reset_forgets_queued_end_and_body),
        cmocka_unit_test(test_local_open_of_last_local_id_again_is_refused),
        cmocka_unit_test(test_second_or_late_status_does_not_make_a_1xx),
        cmocka_unit_test(test_request_without_body),
        cmocka_unit_test(test_field_split_across_continuation_at_every_octet),
        cmocka_unit_test(test_end_stream_waits_for_end_headers),
        cmocka_unit_test(test_interleaved_streams_with_bodies),
        cmocka_unit_test(test_whole_bodies_handed_over_at_end_stream),
        cmocka_unit_test(test_streaming_bodies_do_not_allocate),
        cmocka_unit_test(test_data_cut_by_the_input_comes_out_as_it_arrives),
        cmocka_unit_test(test_whole_body_buffer_grows_only_when_full),
        cmocka_unit_test(test_padding_is_never_body),
        cmocka_unit_test(test_trailers_end_the_stream),
        cmocka_unit_test(test_informational_responses_then_final),
        cmocka_unit_test(test_rst_stream_mid_body_ends_the_stream),
        cmocka_unit_test(test_goaway_ends_streams_it_will_not_process),
        cmocka_unit_test(test_push_promise_then_pushed_response),
        cmocka_unit_test(test_control_frames_pass_through),
        cmocka_unit_test(test_frame_events_account_no_flow_but_their_data),
        cmocka_unit_test(test_data_on_idle_stream_is_connection_protocol_error),
        cmocka_unit_test(test_rst_stream_on_idle_stream_is_connection_protocol_error),
        cmocka_unit_test(test_window_update_on_idle_stream_is_connection_protocol_error),
        cmocka_unit_test(test_window_update_on_half_closed_remote_stream_is_a_frame),
        cmocka_unit_test(test_client_headers_on_even_stream_is_protocol_error),
        cmocka_unit_test(test_new_stream_id_must_increase),
        cmocka_unit_test(test_data_after_end_stream_is_connection_stream_closed),
        cmocka_unit_test(test_headers_after_end_stream_is_connection_stream_closed),
        cmocka_unit_test(test_observer_headers_after_end_stream_is_connection_stream_closed),
        cmocka_unit_test(test_half_closed_remote_data_is_stream_closed),
        cmocka_unit_test(test_track_local_counts_until_we_close),
        cmocka_unit_test(test_headers_after_peer_reset_is_stream_closed),
        cmocka_unit_test(test_frames_after_our_reset_are_dropped),
        cmocka_unit_test(test_streams_beyond_max_concurrent_are_refused),
        cmocka_unit_test(test_every_max_concurrent_streams_holds_that_many),
        cmocka_unit_test(test_client_holds_its_streams_the_servers_and_promises),
        cmocka_unit_test(test_data_before_response_headers_is_malformed),
        cmocka_unit_test(test_second_headers_without_end_stream_is_malformed),
        cmocka_unit_test(test_second_headers_without_end_stream_is_one_error),
        cmocka_unit_test(test_informational_with_end_stream_is_malformed),
        cmocka_unit_test(test_response_on_stream_we_did_not_open),
        cmocka_unit_test(test_client_mid_capture_headers_on_odd_stream_we_did_not_open),
        cmocka_unit_test(test_headers_depending_on_itself),
        cmocka_unit_test(test_window_update_zero_on_open_stream),
        cmocka_unit_test(test_push_promise_from_client_is_protocol_error),
        cmocka_unit_test(test_push_promise_after_enable_push_0),
        cmocka_unit_test(test_push_promise_illegal_promised_id),
        cmocka_unit_test(test_push_promise_on_stream_not_open),
        cmocka_unit_test(test_enable_push_1_from_server),
        cmocka_unit_test(test_goaway_may_not_raise_last_stream_id),
        cmocka_unit_test(test_local_settings_apply_at_ack),
        cmocka_unit_test(test_local_settings_apply_in_order_each_at_its_ack),
        cmocka_unit_test(test_lowered_table_size_requires_update),
        cmocka_unit_test(test_limit_continuation_frames_per_block),
        cmocka_unit_test(test_limit_header_block_bytes),
        cmocka_unit_test(test_limit_header_list_size_hpack_bomb),
        cmocka_unit_test(test_limit_fields_per_block_zero_length_headers),
        cmocka_unit_test(test_limit_settings_entries_per_frame),
        cmocka_unit_test(test_limit_ping_and_settings_flood),
        cmocka_unit_test(test_limit_empty_data_frames),
        cmocka_unit_test(test_limit_empty_continuation_frames),
        cmocka_unit_test(test_limit_rapid_reset),
        cmocka_unit_test(test_limit_stream_errors_we_report),
        cmocka_unit_test(test_limit_budgets_win_back_half_a_unit_up_to_their_max),
        cmocka_unit_test(test_limit_header_block_bytes_first_fragment),
        cmocka_unit_test(test_limit_body_per_stream),
        cmocka_unit_test(test_limit_body_per_connection),
        cmocka_unit_test(test_limit_defaults_100_streams_each_way),
        cmocka_unit_test(test_limit_default_header_block_bytes_131072),
        cmocka_unit_test(test_limit_default_bodies_1_mib_per_stream_8_per_connection),
        cmocka_unit_test(test_memory_at_defaults_is_bounded),
        cmocka_unit_test(test_memory_does_not_follow_announced_lengths),
        cmocka_unit_test(test_every_allocation_may_fail),
        cmocka_unit_test(test_reader_stays_within_what_it_allocates),
        cmocka_unit_test(test_observer_reads_real_capture),
        cmocka_unit_test(test_whole_body_before_trailers_is_intact),
        cmocka_unit_test(test_one_end_per_stream_with_track_local),
        cmocka_unit_test(test_closed_stream_with_high_id_is_remembered),
        cmocka_unit_test(test_old_closed_streams),
        cmocka_unit_test(test_closed_streams_remembered_twice_the_pool),
        cmocka_unit_test(test_client_headers_on_forgotten_pushed_stream_is_stream_closed),
        cmocka_unit_test(test_push_promise_on_stream_we_reset),
        cmocka_unit_test(test_observer_goaway_ends_receiver_streams_only),
        cmocka_unit_test(test_observer_of_server_goaway_ends_client_streams_above_last),
        cmocka_unit_test(test_observer_of_unknown_sender_goaway_ends_streams_told_of),
        cmocka_unit_test(test_observer_push_promise_illegal_promised_id),
        cmocka_unit_test(test_client_forgets_streams_beyond_twice_the_pool),
        cmocka_unit_test(test_block_after_stream_error_stays_silent),
        cmocka_unit_test(test_pushed_stream_released_with_track_local),
        cmocka_unit_test(test_no_local_stream_after_goaway),
        cmocka_unit_test(test_flood_counters_cannot_be_reset_for_free),
        cmocka_unit_test(test_error_on_data_gives_its_length),
        cmocka_unit_test(test_server_never_sees_informational_blocks),
        cmocka_unit_test(test_frame_error_on_idle_stream_is_connection_error),
        cmocka_unit_test(test_data_resets_control_frame_count),
        cmocka_unit_test(test_padded_data_counts_only_its_data_against_content_length),
        cmocka_unit_test(test_informational_blocks_do_not_reset_flood_counters),
        cmocka_unit_test(test_rst_on_skipped_id_keeps_it_skipped),
        cmocka_unit_test(test_observer_max_concurrent_limits_only_senders_streams),
        cmocka_unit_test(test_observer_max_concurrent_limits_client_requests),
        cmocka_unit_test(test_observer_of_unknown_sender_applies_no_stream_limit),
        cmocka_unit_test(test_rst_after_end_stream_is_a_reset_event),
        cmocka_unit_test(test_server_reset_after_response_is_a_reset_event),
        cmocka_unit_test(test_client_declines_push_is_a_reset_event),
        cmocka_unit_test(test_reset_reserved_stream_frees_its_promise_room),
        cmocka_unit_test(test_rst_on_stream_we_reset_is_a_frame),
        cmocka_unit_test(test_observer_reset_of_stream_server_never_sent_on),
        cmocka_unit_test(test_max_frame_size_option),
        cmocka_unit_test(test_observer_head_response_with_content_length),
        cmocka_unit_test(test_observer_knows_responses_from_requests),
        cmocka_unit_test(test_observer_detects_the_server_without_preface),
        cmocka_unit_test(test_observer_other_side_reset_frees_the_limit),
        cmocka_unit_test(test_observer_other_side_reset_of_reserved_stream_frees_its_room),
        cmocka_unit_test(test_settings_without_enable_push_leave_push_enabled),
        cmocka_unit_test(test_settings_room_for_four_waiting_all_apply_in_order),
        cmocka_unit_test(test_promises_do_not_count_as_our_streams),
        cmocka_unit_test(test_block_in_flight_after_our_reset_reports_nothing),
        cmocka_unit_test(test_observer_pool_lets_go_of_streams_the_other_side_reset),
        cmocka_unit_test(test_observer_told_twice_holds_one_stream),
        cmocka_unit_test(test_observer_mid_capture_data_on_other_sides_stream),
        cmocka_unit_test(test_local_reset_cancels_pending_error),
        cmocka_unit_test(test_local_reset_of_another_stream_mid_block_keeps_the_block),
        cmocka_unit_test(test_local_reset_forgets_end_queued_behind_another),
        cmocka_unit_test(test_local_reset_forgets_queued_empty_body),
        cmocka_unit_test(test_local_reset_of_associated_stream_mid_promise_silences_the_promise),
        cmocka_unit_test(test_whole_body_event_has_end_stream),
        cmocka_unit_test(test_observer_headers_on_an_ended_pushed_stream_is_stream_closed),
        cmocka_unit_test(test_body_buffer_never_larger_than_max_body_per_stream),
        cmocka_unit_test(test_goaway_zero_ends_every_stream_we_opened),
        cmocka_unit_test(test_id_skipped_in_a_long_jump_is_protocol_error),
        cmocka_unit_test(test_status_lookalike_first_field_is_not_informational),
        cmocka_unit_test(test_reported_size_update_is_not_a_field),
        cmocka_unit_test(test_observer_passes_unknown_fields_unjudged),
        cmocka_unit_test(test_observer_status_after_unknown_first_field_is_no_1xx),
        cmocka_unit_test(test_body_limit_same_however_cut),
        cmocka_unit_test(test_api_misuse),
        cmocka_unit_test(test_init_refuses_an_allocator_missing_a_function),
        cmocka_unit_test(test_api_null_reader_is_refused),
        cmocka_unit_test(test_init_stream_limits_at_most_8192),
        cmocka_unit_test(test_api_largest_stream_id),
        /* ---- issue 15: gaps 1-10 ---- */
        cmocka_unit_test(test_window_update_on_reserved_remote_stream_is_connection_error),
        cmocka_unit_test(test_data_on_reserved_remote_stream_is_connection_error),
        cmocka_unit_test(test_limit_body_per_stream_exact_boundary),
        cmocka_unit_test(test_skipped_stream_id_never_becomes_a_stream),
        cmocka_unit_test(test_stream_first_met_by_data_counts_as_used),
        cmocka_unit_test(test_push_promise_of_previous_promised_id_is_protocol_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
