/*
 * Tests for h2frame.c: the frame header, the ten frame types of RFC 9113 §6,
 * their validation rules, the serializers and the incremental reader.
 *
 * Frames are written in hex as the RFC draws them:
 *   length(3) type(1) flags(1) stream(4) | payload
 */
#include "harness.h"

static const h2f_reader_options any_first = {0, H2F_PREFACE_NONE, 1, 0};

/* Parses one frame both with h2f_frame_parse (guarded) and with the reader
 * (whole, byte by byte, random splits); all must agree and succeed. The
 * returned views point into the guard area: valid until the next call. */
static h2f_frame parse_ok(const char *hex)
{
    static uint8_t buf[1 << 16];
    size_t n = unhex(hex, buf, sizeof buf), consumed = 0;
    run_result rr = run_reader(buf, n, &any_first);
    trace one = {0};
    h2f_frame f;
    h2f_error e;

    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 1);
    assert_int_equal(h2f_frame_parse(guarded(buf, n), n, H2F_DEFAULT_MAX_FRAME_SIZE, &f,
                                     &consumed, &e),
                     H2F_OK);
    assert_int_equal(consumed, n);
    trace_frame(&one, &f);
    assert_string_equal(one.s, rr.t.s);
    free(one.s);
    run_result_free(&rr);
    return f;
}

/* A single frame that breaks a rule: the same code and scope from
 * h2f_frame_parse and from the reader in every split, at offset 0. */
static h2f_frame expect_error(const char *hex, h2f_error_code code, h2f_scope scope)
{
    static uint8_t buf[1 << 16];
    size_t n = unhex(hex, buf, sizeof buf), consumed = 0;
    run_result rr = run_reader(buf, n, &any_first);
    h2f_frame f;
    h2f_error e;

    assert_int_equal(rr.errors, 1);
    assert_int_equal(rr.err.code, code);
    assert_int_equal(rr.err.scope, scope);
    assert_int_equal(rr.err.offset, 0);
    assert_int_equal(rr.frames, scope == H2F_SCOPE_STREAM ? 1 : 0);
    assert_non_null(rr.err.reason);
    assert_non_null(strstr(rr.err.reason, "RFC"));
    run_result_free(&rr);

    memset(&e, 0, sizeof e);
    assert_int_equal(h2f_frame_parse(guarded(buf, n), n, H2F_DEFAULT_MAX_FRAME_SIZE, &f,
                                     &consumed, &e),
                     H2F_ERR_PROTOCOL);
    assert_int_equal(e.status, H2F_ERR_PROTOCOL);
    assert_int_equal(e.code, code);
    assert_int_equal(e.scope, scope);
    assert_int_equal(e.frame_type, buf[3]);
    assert_int_equal(e.stream_id, ((uint32_t)buf[5] << 24 | (uint32_t)buf[6] << 16 |
                                   (uint32_t)buf[7] << 8 | buf[8]) & 0x7fffffff);
    /* h2f_error: the offending frame starts at offset 0 of p; its length
     * is the header's */
    assert_int_equal(e.offset, 0);
    assert_int_equal(e.length, (uint32_t)buf[0] << 16 | (uint32_t)buf[1] << 8 | buf[2]);
    /* the whole frame is accounted for (an oversized one: its header) */
    assert_true(consumed == n || (consumed == 9 + f.hd.length && n == 9));
    return f;
}

static int bytes_eq(h2f_bytes b, const char *hex)
{
    uint8_t want[4096];
    size_t n = unhex(hex, want, sizeof want);
    return b.len == n && (n == 0 || memcmp(b.ptr, want, n) == 0);
}

/* ---- issue 15: gaps 11-20 ---- */

/* §4.1: "Length: The length of the frame payload expressed as an unsigned
 * 24-bit integer"; "Stream Identifier: A stream identifier (see Section
 * 5.1.1) expressed as an unsigned 31-bit integer". The encoder takes each
 * up to its largest value, and refuses one more. */
static void test_frame_header_encode_takes_24_bit_length_31_bit_stream(void **state)
{
    uint8_t b[9], want[9];
    h2f_frame_header hd = {0xffffff, 0xfe, 0xa5, 0x7fffffff}, back;
    (void)state;
    assert_int_equal(h2f_frame_header_encode(&hd, b), H2F_OK);
    unhex("ffffff fe a5 7fffffff", want, sizeof want);
    assert_memory_equal(b, want, 9);
    assert_int_equal(h2f_frame_header_decode(b, 9, &back), H2F_OK);
    assert_int_equal(back.length, 0xffffff);
    assert_int_equal(back.stream_id, 0x7fffffff);
    hd.length = 0x1000000; /* 2^24 */
    assert_int_equal(h2f_frame_header_encode(&hd, b), H2F_ERR_INVALID_ARGUMENT);
    hd.length = 0;
    hd.stream_id = 0x80000000u; /* 2^31: the reserved bit */
    assert_int_equal(h2f_frame_header_encode(&hd, b), H2F_ERR_INVALID_ARGUMENT);
    hd.stream_id = 0;
    assert_int_equal(h2f_frame_header_encode(&hd, b), H2F_OK);
    unhex("000000 fe a5 00000000", want, sizeof want);
    assert_memory_equal(b, want, 9);
    assert_int_equal(h2f_frame_header_encode(NULL, b), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_header_encode(&hd, NULL), H2F_ERR_INVALID_ARGUMENT);
}

/* §6.8: GOAWAY's "Last-Stream-ID" is 31 bits after a reserved bit: the
 * writer writes 2^31-1 and refuses anything above (it would set the
 * reserved bit). */
static void test_goaway_write_last_stream_id_is_31_bits(void **state)
{
    uint8_t out[64], want[64];
    size_t w = 0, n;
    h2f_frame f;
    (void)state;
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_GOAWAY;
    f.goaway.last_stream_id = 0x7fffffff;
    f.goaway.error_code = H2F_ENHANCE_YOUR_CALM;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &w), H2F_OK);
    n = unhex("000008 07 00 00000000 7fffffff 0000000b", want, sizeof want);
    assert_int_equal(w, n);
    assert_memory_equal(out, want, n);
    f = parse_ok("000008 07 00 00000000 7fffffff 0000000b");
    assert_int_equal(f.goaway.last_stream_id, 0x7fffffff);
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_GOAWAY;
    f.goaway.last_stream_id = 0x80000000u;
    memset(out, 0xee, sizeof out);
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    f.goaway.last_stream_id = 0xffffffffu;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(out[0], 0xee); /* nothing written */
}

/* ======================================================================== */
/* §4.1 frame header                                                        */
/* ======================================================================== */

static void test_frame_header_fields(void **state)
{
    uint8_t b[9];
    h2f_frame_header hd;
    (void)state;
    unhex("123456 fe a5 7fffffff", b, sizeof b);
    assert_int_equal(h2f_frame_header_decode(guarded(b, 9), 9, &hd), H2F_OK);
    assert_int_equal(hd.length, 0x123456);
    assert_int_equal(hd.type, 0xfe);
    assert_int_equal(hd.flags, 0xa5);
    assert_int_equal(hd.stream_id, 0x7fffffff);
}

static void test_frame_header_reserved_bit_ignored_on_receive(void **state)
{
    uint8_t b[9];
    h2f_frame_header hd;
    (void)state;
    unhex("000000 06 00 80000003", b, sizeof b);
    assert_int_equal(h2f_frame_header_decode(guarded(b, 9), 9, &hd), H2F_OK);
    assert_int_equal(hd.stream_id, 3);
}

static void test_frame_header_needs_9_octets(void **state)
{
    uint8_t b[9] = {0};
    h2f_frame_header hd;
    size_t i;
    (void)state;
    for (i = 0; i < 9; i++)
        assert_int_equal(h2f_frame_header_decode(guarded(b, i), i, &hd), H2F_NEED_MORE);
    assert_int_equal(h2f_frame_header_decode(NULL, 0, &hd), H2F_NEED_MORE);
    assert_int_equal(h2f_frame_header_decode(b, 9, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_header_decode(NULL, 9, &hd), H2F_ERR_INVALID_ARGUMENT);
}

/* h2frame.h: H2F_ERR_INVALID_ARGUMENT for NULL pointers: no frame to
 * fill, nowhere to say the size, or octets announced with no buffer. */
static void test_frame_parse_null_arguments(void **state)
{
    uint8_t b[16];
    size_t n = unhex("000000 04 01 00000000", b, sizeof b), consumed = 77;
    h2f_frame f;
    h2f_error e;
    (void)state;
    assert_int_equal(h2f_frame_parse(b, n, 16384, NULL, &consumed, &e), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(consumed, 77);
    assert_int_equal(h2f_frame_parse(b, n, 16384, &f, NULL, &e), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_parse(NULL, n, 16384, &f, &consumed, &e), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(consumed, 77);
    assert_int_equal(h2f_frame_parse(b, n, 16384, &f, &consumed, NULL), H2F_OK);
    assert_int_equal(consumed, 9);
}

static void test_frame_parse_need_more_reports_size(void **state)
{
    uint8_t b[32];
    size_t n = unhex("000008 06 00 00000000 0102030405060708", b, sizeof b), consumed, i;
    h2f_frame f;
    (void)state;
    for (i = 9; i < n; i++) {
        assert_int_equal(h2f_frame_parse(guarded(b, i), i, 16384, &f, &consumed, NULL),
                         H2F_NEED_MORE);
        assert_int_equal(consumed, 17);
    }
    assert_int_equal(h2f_frame_parse(guarded(b, 3), 3, 16384, &f, &consumed, NULL),
                     H2F_NEED_MORE);
    assert_int_equal(consumed, 9);
}

/* §4.2: a frame larger than SETTINGS_MAX_FRAME_SIZE is refused from its
 * header alone — no payload is needed to decide. */
static void test_frame_len_above_max_frame_size(void **state)
{
    static const uint8_t hd[9] = {0x00, 0x4e, 0x29, 0x00, 0x00, 0, 0, 0, 1}; /* 20009 */
    h2f_frame f;
    h2f_error e;
    size_t consumed;
    (void)state;
    expect_error("004001 00 00 00000001", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    /* the error names the two sizes it compared */
    memset(&e, 0xff, sizeof e);
    assert_int_equal(h2f_frame_parse(guarded(hd, 9), 9, 20008, &f, &consumed, &e),
                     H2F_ERR_PROTOCOL);
    assert_int_equal(e.length, 20009);
    assert_int_equal(e.limit, 20008);
    /* other errors have no limit */
    memset(&e, 0xff, sizeof e);
    assert_int_equal(h2f_frame_parse(guarded((const uint8_t *)"\0\0\3\3\0\0\0\0\1\0\0\0", 12), 12,
                                     16384, &f, &consumed, &e),
                     H2F_ERR_PROTOCOL);
    assert_int_equal(e.code, H2F_FRAME_SIZE_ERROR);
    assert_int_equal(e.limit, 0);
}

static void test_frame_len_equal_max_frame_size_accepted(void **state)
{
    static char hex[2 * (9 + 16384) + 1];
    size_t i;
    h2f_frame f;
    (void)state;
    strcpy(hex, "004000000000000001");
    for (i = 0; i < 16384; i++)
        memcpy(hex + 18 + 2 * i, "ab", 3);
    f = parse_ok(hex);
    assert_int_equal(f.data.data.len, 16384);
}

static void test_frame_len_against_raised_max_frame_size(void **state)
{
    uint8_t b[9];
    h2f_frame f;
    size_t consumed;
    h2f_error e;
    (void)state;
    unhex("ffffff 00 00 00000001", b, 9);
    assert_int_equal(h2f_frame_parse(b, 9, H2F_MAX_MAX_FRAME_SIZE, &f, &consumed, &e),
                     H2F_NEED_MORE);
    assert_int_equal(consumed, 9 + 0xffffff);
    unhex("004001 00 00 00000001", b, 9);
    assert_int_equal(h2f_frame_parse(b, 9, 16385, &f, &consumed, &e), H2F_NEED_MORE);
}

/* ======================================================================== */
/* Known-bytes vectors for each layout of RFC 9113 §6.1–§6.10                */
/* ======================================================================== */

static void test_rfc9113_6_1_data_layout(void **state)
{
    h2f_frame f;
    (void)state;
    /* PADDED | END_STREAM; Pad Length 2, data "hi", padding 00 00 */
    f = parse_ok("000005 00 09 00000001 02 6869 0000");
    assert_int_equal(f.hd.type, H2F_DATA);
    assert_int_equal(f.hd.flags, H2F_FLAG_PADDED | H2F_FLAG_END_STREAM);
    assert_int_equal(f.hd.stream_id, 1);
    assert_int_equal(f.pad_length, 2);
    assert_true(bytes_eq(f.data.data, "6869"));
    assert_true(bytes_eq(f.padding, "0000"));
    assert_true(bytes_eq(f.payload, "02 6869 0000"));
}

static void test_rfc9113_6_2_headers_layout(void **state)
{
    h2f_frame f;
    (void)state;
    /* PADDED | PRIORITY | END_HEADERS | END_STREAM: pad 1, E=1 dep 3, weight 15,
     * block 82 86, padding 00 */
    f = parse_ok("000009 01 2d 00000005 01 80000003 0f 8286 00");
    assert_int_equal(f.hd.type, H2F_HEADERS);
    assert_int_equal(f.pad_length, 1);
    assert_int_equal(f.headers.priority.exclusive, 1);
    assert_int_equal(f.headers.priority.stream_dependency, 3);
    assert_int_equal(f.headers.priority.weight, 15);
    assert_true(bytes_eq(f.headers.block, "8286"));
    assert_true(bytes_eq(f.padding, "00"));
}

static void test_rfc9113_6_3_priority_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000005 02 00 00000003 00000001 ff");
    assert_int_equal(f.priority.priority.exclusive, 0);
    assert_int_equal(f.priority.priority.stream_dependency, 1);
    assert_int_equal(f.priority.priority.weight, 255);
}

static void test_rfc9113_6_4_rst_stream_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000004 03 00 00000001 00000008");
    assert_int_equal(f.rst_stream.error_code, H2F_CANCEL);
}

static void test_rfc9113_6_5_settings_layout(void **state)
{
    h2f_frame f;
    h2f_setting s;
    (void)state;
    f = parse_ok("00000c 04 00 00000000 0003 00000064 0004 0000ffff");
    assert_int_equal(f.settings.count, 2);
    s = h2f_settings_get(&f, 0);
    assert_int_equal(s.id, H2F_SETTINGS_MAX_CONCURRENT_STREAMS);
    assert_int_equal(s.value, 100);
    s = h2f_settings_get(&f, 1);
    assert_int_equal(s.id, H2F_SETTINGS_INITIAL_WINDOW_SIZE);
    assert_int_equal(s.value, 65535);
    s = h2f_settings_get(&f, 2);
    assert_int_equal(s.id, 0);
    assert_int_equal(s.value, 0);
    /* the entries are a view, not a copy */
    assert_int_equal(f.settings.entries.ptr, f.payload.ptr);
}

static void test_rfc9113_6_5_settings_ack_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000000 04 01 00000000");
    assert_int_equal(f.hd.flags, H2F_FLAG_ACK);
    assert_int_equal(f.settings.count, 0);
}

static void test_rfc9113_6_6_push_promise_layout(void **state)
{
    h2f_frame f;
    (void)state;
    /* PADDED | END_HEADERS, pad 3, promised (R set) 2, block 8287, padding */
    f = parse_ok("00000a 05 0c 00000001 03 80000002 8287 000000");
    assert_int_equal(f.push_promise.promised_stream_id, 2);
    assert_int_equal(f.pad_length, 3);
    assert_true(bytes_eq(f.push_promise.block, "8287"));
    assert_true(bytes_eq(f.padding, "000000"));
}

static void test_rfc9113_6_7_ping_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000008 06 01 00000000 0102030405060708");
    assert_int_equal(f.hd.flags, H2F_FLAG_ACK);
    assert_true(bytes_eq(f.ping.opaque_data, "0102030405060708"));
}

static void test_rfc9113_6_8_goaway_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("00000c 07 00 00000000 80000007 0000000b 6f6f7073");
    assert_int_equal(f.goaway.last_stream_id, 7);
    assert_int_equal(f.goaway.error_code, H2F_ENHANCE_YOUR_CALM);
    assert_true(bytes_eq(f.goaway.debug_data, "6f6f7073"));
}

static void test_rfc9113_6_9_window_update_layout(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000004 08 00 00000000 ffffffff"); /* reserved bit set, ignored */
    assert_int_equal(f.window_update.window_size_increment, 0x7fffffff);
    f = parse_ok("000004 08 00 00000003 00001000");
    assert_int_equal(f.window_update.window_size_increment, 4096);
}

static void test_rfc9113_6_10_continuation_layout(void **state)
{
    static uint8_t b[64];
    size_t n = unhex("000001 01 00 00000001 82"
                     "000002 09 04 00000001 8687", b, sizeof b);
    run_result rr = run_reader(b, n, &any_first);
    (void)state;
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 2);
    assert_non_null(strstr(rr.t.s, "frame type=9 flags=04 stream=1 len=2 payload=8687"
                                   " pad=0 padding=- block=8687\n"));
    run_result_free(&rr);
}

/* ======================================================================== */
/* Unknown types and flags                                                   */
/* ======================================================================== */

/* §4.1/§5.5: "Implementations MUST ignore and discard frames of unknown
 * types" — the library hands them over, never as an error. */
static void test_unknown_frame_type_passes_through(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000003 fa ff 00000009 616263");
    assert_int_equal(f.hd.type, 0xfa);
    assert_int_equal(f.hd.flags, 0xff);
    assert_int_equal(f.hd.stream_id, 9);
    assert_null(h2f_frame_type_name(f.hd.type));
    assert_true(bytes_eq(f.payload, "616263"));
    f = parse_ok("000000 0a 00 00000000"); /* 0xa is not a type RFC 9113 defines */
    assert_int_equal(f.hd.type, 0x0a);
}

/* §4.1: "Flags that have no defined semantics for a particular frame type
 * MUST be ignored". PADDED on PING or PRIORITY on DATA change nothing. */
static void test_undefined_flags_ignored(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("000008 06 fe 00000000 0102030405060708");
    assert_true(bytes_eq(f.ping.opaque_data, "0102030405060708"));
    f = parse_ok("000002 00 20 00000001 6869");
    assert_true(bytes_eq(f.data.data, "6869"));
    assert_int_equal(f.pad_length, 0);
    f = parse_ok("000004 03 ff 00000001 00000000");
    assert_int_equal(f.rst_stream.error_code, 0);
}

/* ======================================================================== */
/* Stream identifier rules                                                    */
/* ======================================================================== */

static void test_data_on_stream_0(void **state)
{
    (void)state;
    expect_error("000001 00 00 00000000 61", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_headers_on_stream_0(void **state)
{
    (void)state;
    expect_error("000001 01 04 00000000 82", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_priority_on_stream_0(void **state)
{
    (void)state;
    expect_error("000005 02 00 00000000 00000001 10", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_rst_stream_on_stream_0(void **state)
{
    (void)state;
    expect_error("000004 03 00 00000000 00000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_settings_on_nonzero_stream(void **state)
{
    (void)state;
    expect_error("000000 04 00 00000001", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_push_promise_on_stream_0(void **state)
{
    (void)state;
    expect_error("000004 05 04 00000000 00000002", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_ping_on_nonzero_stream(void **state)
{
    (void)state;
    expect_error("000008 06 00 00000001 0000000000000000", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
}

static void test_goaway_on_nonzero_stream(void **state)
{
    (void)state;
    expect_error("000008 07 00 00000001 0000000000000000", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
}

static void test_continuation_on_stream_0(void **state)
{
    uint8_t b[16];
    size_t n = unhex("000001 09 04 00000000 82", b, sizeof b), consumed;
    h2f_frame f;
    h2f_error e;
    (void)state;
    assert_int_equal(h2f_frame_parse(guarded(b, n), n, 16384, &f, &consumed, &e),
                     H2F_ERR_PROTOCOL);
    assert_int_equal(e.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(e.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(e.frame_type, H2F_CONTINUATION);
}

/* ======================================================================== */
/* Fixed and minimum lengths                                                  */
/* ======================================================================== */

/* §6.3: PRIORITY of the wrong length is a *stream* error; the reader goes on. */
static void test_priority_len_not_5(void **state)
{
    static uint8_t b[64];
    size_t n;
    run_result rr;
    (void)state;
    expect_error("000004 02 00 00000001 00000003", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_STREAM);
    expect_error("000006 02 00 00000001 0000000310 00", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_STREAM);
    n = unhex("000006 02 00 00000001 000000031000"
              "000008 06 00 00000000 0000000000000000", b, sizeof b);
    rr = run_reader(b, n, &any_first);
    assert_int_equal(rr.errors, 1);
    assert_int_equal(rr.frames, 2);
    assert_int_equal(rr.last, H2F_ERR_PROTOCOL);
    assert_non_null(strstr(rr.t.s, "frame type=6"));
    run_result_free(&rr);
}

static void test_rst_stream_len_not_4(void **state)
{
    (void)state;
    expect_error("000003 03 00 00000001 000000", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000005 03 00 00000001 0000000000", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_ping_len_not_8(void **state)
{
    h2f_frame f;
    (void)state;
    f = expect_error("000007 06 00 00000000 00000000000000", H2F_FRAME_SIZE_ERROR,
                     H2F_SCOPE_CONNECTION);
    assert_int_equal(f.hd.type, H2F_PING);
    expect_error("000009 06 00 00000000 000000000000000000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
    expect_error("000000 06 01 00000000", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_window_update_len_not_4(void **state)
{
    (void)state;
    expect_error("000003 08 00 00000000 000001", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000005 08 00 00000001 0000000100", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_goaway_len_below_8(void **state)
{
    h2f_frame f;
    (void)state;
    expect_error("000007 07 00 00000000 00000000000000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
    f = parse_ok("000008 07 00 00000000 0000000000000000");
    assert_int_equal(f.goaway.debug_data.len, 0);
}

static void test_settings_len_not_multiple_of_6(void **state)
{
    (void)state;
    expect_error("000005 04 00 00000000 0001000010", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000007 04 00 00000000 00010000100000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
}

static void test_settings_ack_with_payload(void **state)
{
    (void)state;
    expect_error("000006 04 01 00000000 000100001000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
}

/* ======================================================================== */
/* Padding and priority fields that need more than the frame has             */
/* ======================================================================== */

static void test_data_padded_without_room_for_pad_length(void **state)
{
    (void)state;
    expect_error("000000 00 08 00000001", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_headers_priority_flag_without_room(void **state)
{
    (void)state;
    expect_error("000004 01 24 00000001 00000000", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    /* PADDED | PRIORITY need 6 octets before any fragment */
    expect_error("000005 01 2c 00000001 00 00000000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
}

static void test_headers_padded_without_room_for_pad_length(void **state)
{
    (void)state;
    expect_error("000000 01 0c 00000001", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_push_promise_without_room_for_promised_id(void **state)
{
    (void)state;
    expect_error("000003 05 04 00000001 000002", H2F_FRAME_SIZE_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000004 05 0c 00000001 01000000", H2F_FRAME_SIZE_ERROR,
                 H2F_SCOPE_CONNECTION);
}

/* §4.2: a frame "too small to contain mandatory frame data" is a
 * FRAME_SIZE_ERROR; the reason names the type's own fields and section
 * (§6.1 DATA's Pad Length, §6.2 HEADERS', §6.6 PUSH_PROMISE's). */
static void test_too_short_for_pad_length_reason_names_the_type(void **state)
{
    static const struct {
        const char *hex, *reason;
    } cases[] = {
        {"000000 00 08 00000001", "DATA frame too short for its Pad Length field (RFC 9113 §6.1)"},
        {"000000 01 0c 00000001",
         "HEADERS frame too short for its Pad Length and priority fields (RFC 9113 §6.2)"},
        {"000004 05 0c 00000001 01000000",
         "PUSH_PROMISE frame too short for its Pad Length and Promised Stream ID (RFC 9113 §6.6)"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[32];
        size_t n = unhex(cases[i].hex, b, sizeof b), consumed;
        h2f_frame f;
        h2f_error e;
        assert_int_equal(h2f_frame_parse(b, n, 16384, &f, &consumed, &e), H2F_ERR_PROTOCOL);
        assert_int_equal(e.code, H2F_FRAME_SIZE_ERROR);
        assert_int_equal(e.scope, H2F_SCOPE_CONNECTION);
        assert_string_equal(e.reason, cases[i].reason);
    }
}

/* §6.1: "If the length of the padding is the length of the frame payload or
 * greater, the recipient MUST treat this as a connection error of type
 * PROTOCOL_ERROR". */
static void test_data_pad_length_not_less_than_payload(void **state)
{
    h2f_frame f;
    (void)state;
    expect_error("000003 00 08 00000001 03 0000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000001 00 08 00000001 01", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
    /* the largest legal padding leaves an empty body */
    f = parse_ok("000003 00 08 00000001 02 0000");
    assert_int_equal(f.data.data.len, 0);
    assert_int_equal(f.pad_length, 2);
    f = parse_ok("000001 00 08 00000001 00");
    assert_int_equal(f.data.data.len, 0);
    assert_int_equal(f.padding.len, 0);
}

static void test_headers_pad_length_exceeds_fragment(void **state)
{
    h2f_frame f;
    (void)state;
    expect_error("000003 01 0c 00000001 03 8200", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
    /* with PRIORITY the priority fields are not available to padding */
    expect_error("000007 01 2c 00000001 02 00000000 10 00", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    f = parse_ok("000007 01 2c 00000001 01 00000000 10 00");
    assert_int_equal(f.headers.block.len, 0);
}

static void test_push_promise_pad_length_exceeds_fragment(void **state)
{
    (void)state;
    expect_error("000006 05 0c 00000001 02 00000002 82", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
}

/* ======================================================================== */
/* Values                                                                     */
/* ======================================================================== */

static void test_window_update_increment_0_on_stream(void **state)
{
    h2f_frame f;
    (void)state;
    f = expect_error("000004 08 00 00000005 00000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_STREAM);
    assert_int_equal(f.hd.stream_id, 5);
}

static void test_window_update_increment_0_on_connection(void **state)
{
    (void)state;
    expect_error("000004 08 00 00000000 00000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
    /* the reserved bit does not count: 0x80000000 is an increment of 0 */
    expect_error("000004 08 00 00000000 80000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

static void test_settings_enable_push_not_0_or_1(void **state)
{
    (void)state;
    expect_error("000006 04 00 00000000 0002 00000002", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    parse_ok("00000c 04 00 00000000 0002 00000000 0002 00000001");
}

static void test_settings_initial_window_size_above_2_31_minus_1(void **state)
{
    (void)state;
    expect_error("000006 04 00 00000000 0004 80000000", H2F_FLOW_CONTROL_ERROR,
                 H2F_SCOPE_CONNECTION);
    parse_ok("000006 04 00 00000000 0004 7fffffff");
}

static void test_settings_max_frame_size_out_of_range(void **state)
{
    (void)state;
    expect_error("000006 04 00 00000000 0005 00003fff", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    expect_error("000006 04 00 00000000 0005 01000000", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    parse_ok("00000c 04 00 00000000 0005 00004000 0005 00ffffff");
}

static void test_settings_enable_connect_protocol_not_0_or_1(void **state)
{
    (void)state;
    expect_error("000006 04 00 00000000 0008 00000002", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    parse_ok("000006 04 00 00000000 0008 00000001");
}

static void test_settings_no_rfc7540_priorities_not_0_or_1(void **state)
{
    (void)state;
    expect_error("000006 04 00 00000000 0009 ffffffff", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
    expect_error("000006 04 00 00000000 0009 00000002", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION); /* the least value past 1 */
    parse_ok("000006 04 00 00000000 0009 00000000");
    parse_ok("000006 04 00 00000000 0009 00000001");
}

/* §6.5.2: "An endpoint that receives a SETTINGS frame with any unknown or
 * unsupported identifier MUST ignore that setting." */
static void test_settings_unknown_id_ignored(void **state)
{
    h2f_frame f;
    (void)state;
    f = parse_ok("00000c 04 00 00000000 0007 ffffffff ff00 ffffffff");
    assert_int_equal(f.settings.count, 2);
    assert_int_equal(h2f_settings_get(&f, 1).id, 0xff00);
    /* count is entries of six octets (§6.5.1), five here */
    f = parse_ok("00001e 04 00 00000000 0007 00000001 ff00 00000002 ff01 00000003 ff02 00000004 "
                 "ff03 00000005");
    assert_int_equal(f.settings.count, 5);
    assert_int_equal(h2f_settings_get(&f, 4).value, 5);
    assert_int_equal(h2f_settings_get(&f, 5).id, 0);
    /* values of settings without a range are not checked */
    parse_ok("000012 04 00 00000000 0001 ffffffff 0003 ffffffff 0006 ffffffff");
}

/* A bad value after good ones still fails the whole frame. */
static void test_settings_bad_value_in_later_entry(void **state)
{
    (void)state;
    expect_error("00000c 04 00 00000000 0003 00000064 0002 00000005", H2F_PROTOCOL_ERROR,
                 H2F_SCOPE_CONNECTION);
}

static void test_push_promise_promised_stream_0(void **state)
{
    (void)state;
    expect_error("000004 05 04 00000001 00000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
    expect_error("000004 05 04 00000001 80000000", H2F_PROTOCOL_ERROR, H2F_SCOPE_CONNECTION);
}

/* RFC 7540 §5.3.1: "A stream cannot depend on itself." — a stream error. */
static void test_priority_self_dependency(void **state)
{
    (void)state;
    expect_error("000005 02 00 00000003 80000003 10", H2F_PROTOCOL_ERROR, H2F_SCOPE_STREAM);
}

static void test_headers_self_dependency(void **state)
{
    h2f_frame f;
    (void)state;
    f = expect_error("000007 01 24 00000003 00000003 10 8286", H2F_PROTOCOL_ERROR,
                     H2F_SCOPE_STREAM);
    /* the field block is still handed over, to keep HPACK in sync (§4.3) */
    assert_true(bytes_eq(f.headers.block, "8286"));
}

/* ======================================================================== */
/* The reader                                                                 */
/* ======================================================================== */

static const h2f_reader_options server_side = {0, H2F_PREFACE_EXPECT, 0, 0};

#define PREFACE_HEX "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"
#define SETTINGS_HEX "000006 04 00 00000000 0003 00000064"

static void test_reader_preface_then_settings(void **state)
{
    run_result rr = run_reader_hex(PREFACE_HEX SETTINGS_HEX "000000 04 01 00000000",
                                   &server_side);
    (void)state;
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 2);
    assert_string_equal(rr.t.s,
                        "frame type=4 flags=00 stream=0 len=6 payload=000300000064 pad=0 "
                        "padding=- 3=100\n"
                        "frame type=4 flags=01 stream=0 len=0 payload= pad=0 padding=-\n");
    assert_string_equal(rr.at.s, "24 39 ");
    run_result_free(&rr);
}

/* §3.4: "Clients and servers MUST treat an invalid connection preface as a
 * connection error of type PROTOCOL_ERROR." The offset names the first
 * octet that differs. */
static void test_reader_invalid_preface(void **state)
{
    run_result rr = run_reader_hex("505249202a20485454502f312e310d0a0d0a534d0d0a0d0a" SETTINGS_HEX,
                                   &server_side);
    (void)state;
    assert_int_equal(rr.errors, 1);
    assert_int_equal(rr.frames, 0);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(rr.err.offset, 11); /* "PRI * HTTP/" is 11 octets: then '1' */
    run_result_free(&rr);
    rr = run_reader_hex("474554202f20485454502f312e310d0a", &server_side); /* HTTP/1.1 */
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.offset, 0);
    run_result_free(&rr);
}

/* §3.4: the preface is no frame, so the error about it names none: no
 * type, no stream and no length (err.length is what a DATA frame's error
 * still counts against the connection window, §6.9: here nothing). */
static void test_reader_invalid_preface_error_names_no_frame(void **state)
{
    static const char *const inputs[] = {
        "505249202a20485454502f312e310d0a0d0a534d0d0a0d0a" SETTINGS_HEX, /* "HTTP/1.1" */
        "ff" SETTINGS_HEX,                                               /* not even "P" */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        run_result rr = run_reader_hex(inputs[i], &server_side);
        assert_int_equal(rr.errors, 1);
        assert_int_equal(rr.err.status, H2F_ERR_PROTOCOL);
        assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
        assert_int_equal(rr.err.offset, i == 0 ? 11 : 0);
        assert_int_equal(rr.err.frame_type, 0);
        assert_int_equal(rr.err.stream_id, 0);
        assert_int_equal(rr.err.length, 0);
        assert_int_equal(rr.err.limit, 0);
        assert_string_equal(rr.err.reason, "invalid client connection preface (RFC 9113 §3.4)");
        run_result_free(&rr);
    }
}

static void test_reader_preface_detect(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_DETECT, 0, 0};
    run_result a = run_reader_hex(PREFACE_HEX SETTINGS_HEX, &o);
    run_result b = run_reader_hex(SETTINGS_HEX, &o);
    (void)state;
    assert_int_equal(a.errors, 0);
    assert_int_equal(b.errors, 0);
    assert_int_equal(a.frames, 1);
    assert_string_equal(a.t.s, b.t.s);
    assert_string_equal(a.at.s, "24 ");
    assert_string_equal(b.at.s, "0 ");
    run_result_free(&a);
    run_result_free(&b);
    /* Octets that start like the preface but are not: read as a frame from
     * octet 0 ("PRI" announces 0x505249 octets: too large by default). */
    a = run_reader_hex("505249202a20485454502f31", &o);
    assert_int_equal(a.err.code, H2F_FRAME_SIZE_ERROR);
    assert_int_equal(a.err.offset, 0);
    assert_int_equal(a.err.frame_type, 0x20);
    run_result_free(&a);
}

/* §3.4: "the client connection preface starts with a sequence of 24
 * octets". With H2F_PREFACE_DETECT the reader says whether they were there
 * (preface_seen: the connection reader takes the sender for the client). */
static void test_reader_preface_detect_says_whether_present(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_DETECT, 0, 0};
    uint8_t b[128];
    size_t n = unhex(PREFACE_HEX SETTINGS_HEX, b, sizeof b), start;
    (void)state;
    for (start = 0; start <= 24; start += 24) {
        h2f_reader rd;
        h2f_frame f;
        h2f_error e;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        assert_int_equal(rd.preface_seen, 0);
        assert_int_equal(h2f_reader_feed(&rd, b + start, n - start), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
        assert_int_equal(f.hd.type, H2F_SETTINGS);
        assert_int_equal(rd.preface_seen, start == 0);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
        h2f_reader_free(&rd);
    }
}

/* Octets that began like the preface and then did not (H2F_PREFACE_DETECT)
 * are a frame header: "PRI * HTT" announces 5 MB, past the 16384 allowed
 * (§4.2: FRAME_SIZE_ERROR). Fed in one chunk with more than a frame's
 * room after them, the error comes from the header, and nothing is
 * gathered past the reader's buffer. */
static void test_reader_preface_detect_leftover_header_checked_first(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_DETECT, 1, 0};
    size_t n = 16 + 20000;
    uint8_t *b = calloc(1, n);
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    (void)state;
    assert_non_null(b);
    memcpy(b, "PRI * HTTP/2.0\r\nX", 17); /* the preface's first 16, then not */
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b, n), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(e.code, H2F_FRAME_SIZE_ERROR);
    assert_int_equal(e.length, 0x505249);
    assert_int_equal(e.offset, 0);
    h2f_reader_free(&rd);
    free(b);
}

/* h2frame.h: a read frame has 0 in what it does not carry. A HEADERS frame
 * without PRIORITY and unpadded (§6.2), from h2f_frame_parse and from the
 * reader, whole or after a cut: no priority fields, no padding. */
static void test_frame_read_has_zero_in_fields_not_carried(void **state)
{
    static const uint8_t in[] = {0, 0, 1, H2F_HEADERS, H2F_FLAG_END_HEADERS, 0, 0, 0, 1, 0x88};
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 0};
    size_t cut, used;
    h2f_frame f;
    h2f_error e;
    (void)state;
    for (cut = 0; cut < sizeof in; cut++) {
        h2f_reader rd;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        memset(&f, 0x5a, sizeof f);
        if (cut) {
            assert_int_equal(h2f_reader_feed(&rd, in, cut), H2F_OK);
            assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
        }
        assert_int_equal(h2f_reader_feed(&rd, in + cut, sizeof in - cut), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
        assert_int_equal(f.headers.priority.stream_dependency, 0);
        assert_int_equal(f.headers.priority.exclusive, 0);
        assert_int_equal(f.headers.priority.weight, 0);
        assert_int_equal(f.pad_length, 0);
        assert_null(f.padding.ptr);
        assert_int_equal(f.padding.len, 0);
        assert_int_equal(f.headers.block.len, 1);
        h2f_reader_free(&rd);
    }
    memset(&f, 0x5a, sizeof f);
    assert_int_equal(h2f_frame_parse(in, sizeof in, 16384, &f, &used, &e), H2F_OK);
    assert_int_equal(f.headers.priority.stream_dependency, 0);
    assert_int_equal(f.headers.priority.exclusive, 0);
    assert_int_equal(f.headers.priority.weight, 0);
    assert_int_equal(f.pad_length, 0);
    assert_null(f.padding.ptr);
}

/* The same, with a limit that admits the 5 MB frame "PRI..." announces. */
static void test_reader_preface_detect_frame_starting_with_p(void **state)
{
    h2f_reader_options o = {H2F_MAX_MAX_FRAME_SIZE, H2F_PREFACE_DETECT, 1, 0};
    size_t n = 9 + 0x505249, cut;
    uint8_t *b = calloc(1, n);
    (void)state;
    assert_non_null(b);
    memcpy(b, "PRI * HTTP", 10); /* type ' ', flags '*', stream " HTT" */
    for (cut = 1; cut <= 12; cut += 11) {
        h2f_reader rd;
        h2f_frame f;
        h2f_error e;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        assert_int_equal(h2f_reader_feed(&rd, b, cut), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
        assert_int_equal(h2f_reader_feed(&rd, b + cut, n - cut), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
        assert_int_equal(f.hd.length, 0x505249);
        assert_int_equal(f.hd.type, 0x20);
        assert_int_equal(f.hd.flags, 0x2a);
        assert_int_equal(h2f_reader_frame_offset(&rd), 0);
        assert_int_equal(rd.preface_seen, 0);
        h2f_reader_free(&rd);
    }
    free(b);
}

/* Without a preface (server-to-client), bytes start with frames. */
static void test_reader_without_preface(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 0, 0};
    run_result rr = run_reader_hex(SETTINGS_HEX, &o);
    (void)state;
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 1);
    run_result_free(&rr);
    rr = run_reader_hex(PREFACE_HEX, &o); /* 'P' read as a frame header: too large */
    assert_int_equal(rr.err.code, H2F_FRAME_SIZE_ERROR);
    run_result_free(&rr);
}

static void test_reader_first_frame_not_settings(void **state)
{
    run_result rr = run_reader_hex(PREFACE_HEX "000008 06 00 00000000 0000000000000000",
                                   &server_side);
    (void)state;
    assert_int_equal(rr.errors, 1);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(rr.err.offset, 24);
    assert_int_equal(rr.err.frame_type, H2F_PING);
    run_result_free(&rr);
    rr = run_reader_hex(PREFACE_HEX "000000 04 01 00000000", &server_side);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    run_result_free(&rr);
}

static void test_reader_continuation_sequence(void **state)
{
    run_result rr = run_reader_hex("000001 01 01 00000001 82"      /* HEADERS, END_STREAM */
                                   "000001 09 00 00000001 86"      /* CONTINUATION */
                                   "000001 09 04 00000001 84"      /* ... END_HEADERS */
                                   "000008 06 00 00000000 0000000000000000",
                                   &any_first);
    (void)state;
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 4);
    run_result_free(&rr);
}

/* §6.2: anything but CONTINUATION on the same stream inside a field block
 * is a connection PROTOCOL_ERROR — including frames of unknown type. */
static void test_reader_other_frame_inside_field_block(void **state)
{
    static const char *const intruders[] = {
        "000008 06 00 00000000 0000000000000000", /* PING */
        "000001 00 00 00000001 61",               /* DATA, same stream */
        "000001 01 04 00000003 82",               /* HEADERS, other stream */
        "000001 09 04 00000003 82",               /* CONTINUATION, other stream */
        "000000 fa 00 00000001",                  /* unknown type */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof intruders / sizeof intruders[0]; i++) {
        char hex[256];
        run_result rr;
        snprintf(hex, sizeof hex, "000001 01 00 00000001 82 %s", intruders[i]);
        rr = run_reader_hex(hex, &any_first);
        assert_int_equal(rr.frames, 1);
        assert_int_equal(rr.errors, 1);
        assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
        assert_int_equal(rr.err.scope, H2F_SCOPE_CONNECTION);
        assert_int_equal(rr.err.offset, 10);
        run_result_free(&rr);
    }
}

static void test_reader_push_promise_then_continuation(void **state)
{
    run_result rr = run_reader_hex("000005 05 00 00000001 00000002 82"
                                   "000001 09 04 00000001 86"
                                   "000008 06 00 00000000 0000000000000000",
                                   &any_first);
    (void)state;
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 3);
    run_result_free(&rr);
    rr = run_reader_hex("000005 05 00 00000001 00000002 82"
                        "000008 06 00 00000000 0000000000000000",
                        &any_first);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.offset, 14);
    run_result_free(&rr);
}

/* §6.10: a CONTINUATION with no open field block. */
static void test_reader_continuation_without_headers(void **state)
{
    run_result rr = run_reader_hex("000001 01 04 00000001 82"
                                   "000001 09 04 00000001 86",
                                   &any_first);
    (void)state;
    assert_int_equal(rr.frames, 1);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(rr.err.offset, 10);
    assert_int_equal(rr.err.frame_type, H2F_CONTINUATION);
    run_result_free(&rr);
}

/* A HEADERS frame with a stream error still opens its field block. */
static void test_reader_stream_error_keeps_field_block_open(void **state)
{
    run_result rr = run_reader_hex("000006 01 20 00000001 00000001 10 82"
                                   "000001 09 04 00000001 86",
                                   &any_first);
    (void)state;
    assert_int_equal(rr.errors, 1);
    assert_int_equal(rr.err.scope, H2F_SCOPE_STREAM);
    assert_int_equal(rr.frames, 2);
    run_result_free(&rr);
}

/* h2f_reader_next: "A stream-scope error returns the frame in *f as well
 * ... a connection-scope error is sticky" and returns no frame. The
 * reader's seen_frame ("a frame has been returned", read by the connection
 * reader) follows: set by a stream error's frame (§5.4.2), not by a
 * connection error (§5.4.1) on the first frame. */
static void test_reader_seen_frame_only_for_returned_frames(void **state)
{
    static const char *const hex[] = {
        "000008 06 00 00000001 0000000000000000", /* PING on a stream: connection */
        "000005 02 00 00000003 80000003 10",      /* PRIORITY on itself: stream */
    };
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        uint8_t b[64];
        size_t n = unhex(hex[i], b, sizeof b);
        h2f_reader rd;
        h2f_frame f;
        h2f_error err;
        assert_int_equal(h2f_reader_init(&rd, &any_first, NULL), H2F_OK);
        assert_int_equal(h2f_reader_feed(&rd, b, n), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_ERR_PROTOCOL);
        assert_int_equal(err.scope, i == 0 ? H2F_SCOPE_CONNECTION : H2F_SCOPE_STREAM);
        assert_int_equal(rd.seen_frame, i == 1);
        /* the connection error stays; after the stream error, reading goes on */
        assert_int_equal(h2f_reader_next(&rd, &f, &err), i == 0 ? H2F_ERR_PROTOCOL : H2F_NEED_MORE);
        h2f_reader_free(&rd);
    }
}

/* The oversized frame is refused after its 9 header octets, with no
 * payload sent at all, and then the error sticks. */
static void test_reader_oversized_frame_refused_from_header(void **state)
{
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    uint8_t b[32];
    size_t n = unhex("000006 04 00 00000000 000300000064  004001 00 00 00000001", b, sizeof b), i;
    (void)state;
    assert_int_equal(h2f_reader_init(&rd, NULL, NULL), H2F_OK);
    for (i = 0; i < n - 1; i++) {
        assert_int_equal(h2f_reader_feed(&rd, b + i, 1), H2F_OK);
        if (i == 14)
            assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    }
    assert_int_equal(h2f_reader_feed(&rd, b + n - 1, 1), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(e.code, H2F_FRAME_SIZE_ERROR);
    assert_int_equal(e.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(e.offset, 15);
    assert_int_equal(e.frame_type, H2F_DATA);
    assert_int_equal(e.stream_id, 1);
    /* sticky: feeding more changes nothing */
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(h2f_reader_feed(&rd, b, 9), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_ERR_PROTOCOL);
    assert_int_equal(e.offset, 15);
    h2f_reader_free(&rd);
}

static void test_reader_set_max_frame_size(void **state)
{
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    static uint8_t b[9 + 20000];
    (void)state;
    memset(b, 0x61, sizeof b);
    unhex("004e20 00 00 00000001", b, 9); /* DATA of 20000 octets */
    assert_int_equal(h2f_reader_init(&rd, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 16383), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 1u << 24), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 20000), H2F_OK);
    rd.opt.allow_any_first_frame = 1;
    /* straddling two chunks, so it is assembled in the (grown) buffer */
    assert_int_equal(h2f_reader_feed(&rd, b, 5000), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_reader_feed(&rd, b + 5000, sizeof b - 5000), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_int_equal(f.data.data.len, 20000);
    assert_int_equal(f.data.data.ptr[19999], 0x61);
    assert_int_equal(h2f_reader_offset(&rd), sizeof b);
    h2f_reader_free(&rd);
}

/* Raising the limit while a frame is half read: the frame completes, and a
 * frame larger than the old limit is then admitted. */
static void test_reader_max_frame_size_raised_mid_frame(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 0};
    static uint8_t b[9 + 16384 + 9 + 20000];
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    (void)state;
    memset(b, 0x62, sizeof b);
    unhex("004000 00 00 00000001", b, 9);
    unhex("004e20 00 01 00000003", b + 9 + 16384, 9);
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b, 100), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 20000), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b + 100, sizeof b - 100), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_int_equal(f.data.data.len, 16384);
    assert_int_equal(f.data.data.ptr[0], 0x62);
    assert_int_equal(f.data.data.ptr[16383], 0x62);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_int_equal(f.data.data.len, 20000);
    assert_int_equal(f.hd.stream_id, 3);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    h2f_reader_free(&rd);
    /* after free, nothing to resize */
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 30000), H2F_ERR_INVALID_ARGUMENT);
}

/* A frame wholly inside the chunk is a view into it; only a cut frame is
 * copied. */
static void test_reader_zero_copy_within_chunk(void **state)
{
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    uint8_t b[64];
    size_t n = unhex("000006 04 00 00000000 000300000064"
                     "000002 00 00 00000001 6869"
                     "000002 00 01 00000001 6869", b, sizeof b);
    (void)state;
    assert_int_equal(h2f_reader_init(&rd, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b, n - 3), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_ptr_equal(f.payload.ptr, b + 9);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_ptr_equal(f.data.data.ptr, b + 24);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_reader_feed(&rd, b + n - 3, 3), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_true(f.data.data.ptr < b || f.data.data.ptr >= b + sizeof b); /* copied */
    assert_int_equal(f.hd.flags, H2F_FLAG_END_STREAM);
    assert_true(bytes_eq(f.data.data, "6869"));
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    h2f_reader_free(&rd);
}

static void test_reader_feed_before_need_more_rejected(void **state)
{
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    uint8_t b[64];
    size_t n = unhex("000000 04 00 00000000 000000 04 01 00000000", b, sizeof b);
    (void)state;
    assert_int_equal(h2f_reader_init(&rd, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b, n), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, b, n), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_OK);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_reader_next(&rd, &f, &e), H2F_NEED_MORE);
    assert_int_equal(h2f_reader_feed(&rd, NULL, 1), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_feed(&rd, NULL, 0), H2F_OK);
    assert_int_equal(h2f_reader_next(NULL, &f, &e), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_next(&rd, &f, NULL), H2F_ERR_INVALID_ARGUMENT);
    h2f_reader_free(&rd);
}

/* No reader, no stream: its offsets are 0 (as h2f_reader_piece says no
 * piece), and a fresh reader's are 0 too (RFC 9113 §4.1: frames from the
 * first octet). */
static void test_reader_offsets_without_a_reader(void **state)
{
    h2f_reader rd;
    uint32_t octets = 5;
    (void)state;
    assert_int_equal(h2f_reader_offset(NULL), 0);
    assert_int_equal(h2f_reader_frame_offset(NULL), 0);
    assert_int_equal(h2f_reader_piece(NULL, &octets), 0);
    assert_int_equal(octets, 0);
    assert_int_equal(h2f_reader_init(&rd, &any_first, NULL), H2F_OK);
    assert_int_equal(h2f_reader_offset(&rd), 0);
    assert_int_equal(h2f_reader_frame_offset(&rd), 0);
    h2f_reader_free(&rd);
}

static void test_reader_init_rejects_bad_options(void **state)
{
    h2f_reader rd;
    h2f_reader_options o = {100, H2F_PREFACE_NONE, 0, 0};
    (void)state;
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    h2f_reader_free(&rd);
    o.max_frame_size = 1u << 24;
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    o.max_frame_size = 0;
    o.preface = (h2f_preface_mode)7;
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_reader_init(NULL, NULL, NULL), H2F_ERR_INVALID_ARGUMENT);
}

static int alloc_calls, alloc_fail_at;
static void *count_alloc(size_t n, void *u)
{
    (void)u;
    return ++alloc_calls == alloc_fail_at ? NULL : malloc(n);
}
static void *count_realloc(void *p, size_t n, void *u)
{
    (void)u;
    return ++alloc_calls == alloc_fail_at ? NULL : realloc(p, n);
}
static void count_free(void *p, void *u) { (void)u; free(p); }

/* The reader allocates through the hook, once; a failure is H2F_ERR_NOMEM. */
static void test_reader_allocator_hook_and_failure(void **state)
{
    h2f_allocator a = {count_alloc, count_realloc, count_free, NULL};
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    uint8_t b[32];
    size_t n = unhex("000006 04 00 00000000 000300000064", b, sizeof b), i;
    (void)state;
    alloc_calls = 0;
    alloc_fail_at = 1;
    assert_int_equal(h2f_reader_init(&rd, NULL, &a), H2F_ERR_NOMEM);
    h2f_reader_free(&rd);
    alloc_calls = 0;
    alloc_fail_at = 2;
    assert_int_equal(h2f_reader_init(&rd, NULL, &a), H2F_OK);
    assert_int_equal(h2f_reader_set_max_frame_size(&rd, 1u << 20), H2F_ERR_NOMEM);
    /* the reader still works after the failed growth */
    for (i = 0; i < n; i++) {
        assert_int_equal(h2f_reader_feed(&rd, b + i, 1), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &e), i + 1 < n ? H2F_NEED_MORE : H2F_OK);
    }
    assert_int_equal(alloc_calls, 2); /* parsing allocated nothing */
    h2f_reader_free(&rd);
}

/* An allocator must have all three functions (the reader allocates at
 * init, reallocates when the frame size grows, frees): one missing is
 * H2F_ERR_INVALID_ARGUMENT, with nothing allocated. */
static void test_reader_init_refuses_incomplete_allocator(void **state)
{
    h2f_allocator a[3] = {{NULL, count_realloc, count_free, NULL},
                          {count_alloc, NULL, count_free, NULL},
                          {count_alloc, count_realloc, NULL, NULL}};
    h2f_reader rd;
    int i;
    (void)state;
    for (i = 0; i < 3; i++) {
        alloc_calls = 0;
        alloc_fail_at = 0;
        assert_int_equal(h2f_reader_init(&rd, NULL, &a[i]), H2F_ERR_INVALID_ARGUMENT);
        assert_int_equal(alloc_calls, 0);
        assert_null(rd.buf);
    }
}

/* A realistic client stream: the same events whole, byte by byte and at
 * random splits (run_reader checks that), with offsets that add up. */
static void test_reader_same_frames_at_any_split(void **state)
{
    run_result rr = run_reader_hex(
        PREFACE_HEX
        "000012 04 00 00000000 0003 00000064 0004 40000000 0002 00000000"
        "000004 08 00 00000000 3fff0001"
        "00000c 01 25 00000001 80000000 ff 828684418a0890" /* HEADERS+PRIORITY */
        "000001 09 04 00000001 41"  /* CONTINUATION after END_HEADERS */
        , &server_side);
    (void)state;
    /* the CONTINUATION after END_HEADERS is an error at its offset */
    assert_int_equal(rr.frames, 3);
    assert_int_equal(rr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(rr.err.offset, 24 + 27 + 13 + 21);
    run_result_free(&rr);

    rr = run_reader_hex(
        PREFACE_HEX
        "000012 04 00 00000000 0003 00000064 0004 40000000 0002 00000000"
        "000004 08 00 00000000 3fff0001"
        "000000 04 01 00000000"
        "000007 01 20 00000001 80000000 ff 8286"
        "000002 09 00 00000001 8441"
        "000003 09 04 00000001 8a0890"
        "000010 00 09 00000001 05 68656c6c6f20776f726c 0000000000"
        "000008 06 00 00000000 0102030405060708"
        "000005 02 00 00000003 00000001 0f"
        "000004 03 00 00000003 00000008"
        "000003 bb 07 00000005 616263"
        "00000b 07 00 00000000 00000003 00000000 627965",
        &server_side);
    assert_int_equal(rr.errors, 0);
    assert_int_equal(rr.frames, 12);
    assert_string_equal(rr.at.s, "24 51 64 73 89 100 112 137 154 168 181 193 ");
    run_result_free(&rr);
}

/* ======================================================================== */
/* Serializers                                                                */
/* ======================================================================== */

/* Writes f, checks the size report and that nothing is written past a
 * short buffer, parses the bytes back and compares every field. */
static void round_trip(const h2f_frame *f)
{
    static uint8_t out[1024], again[1024];
    size_t written = 0, need, consumed, i;
    h2f_frame back;
    h2f_error e;
    trace a = {0}, b = {0};

    assert_int_equal(h2f_frame_write(f, NULL, 0, &need), H2F_ERR_BUFFER_TOO_SMALL);
    assert_true(need >= 9 && need <= sizeof out);
    for (i = 0; i < need; i++) {
        size_t j;
        memset(out, 0xee, sizeof out);
        assert_int_equal(h2f_frame_write(f, out, i, &written), H2F_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(written, need);
        for (j = 0; j < sizeof out; j++)
            assert_int_equal(out[j], 0xee); /* nothing written at all */
    }
    assert_int_equal(h2f_frame_write(f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, need);
    assert_int_equal(h2f_frame_parse(guarded(out, written), written, H2F_MAX_MAX_FRAME_SIZE,
                                     &back, &consumed, &e),
                     H2F_OK);
    assert_int_equal(consumed, written);
    assert_int_equal(back.hd.length, written - 9);
    assert_int_equal(back.hd.type, f->hd.type);
    assert_int_equal(back.hd.flags, f->hd.flags);
    assert_int_equal(back.hd.stream_id, f->hd.stream_id);
    /* every typed field comes back: compare the traces, with the header
     * length and raw payload (which the source frame lacks) taken from back */
    {
        h2f_frame src = *f;
        src.hd.length = back.hd.length;
        src.payload = back.payload;
        if (!(f->hd.flags & H2F_FLAG_PADDED) ||
            (f->hd.type != H2F_DATA && f->hd.type != H2F_HEADERS &&
             f->hd.type != H2F_PUSH_PROMISE)) {
            src.pad_length = 0;
            src.padding.ptr = NULL;
            src.padding.len = 0;
        } else if (!src.padding.ptr) {
            src.padding = back.padding; /* zeros */
            for (i = 0; i < back.padding.len; i++)
                assert_int_equal(back.padding.ptr[i], 0);
        }
        if (f->hd.type == H2F_SETTINGS)
            src.settings.count = back.settings.count;
        trace_frame(&a, &src);
        trace_frame(&b, &back);
        assert_string_equal(a.s, b.s);
    }
    /* and writing what was parsed gives the same bytes */
    assert_int_equal(h2f_frame_write(&back, again, sizeof again, &written), H2F_OK);
    assert_memory_equal(again, out, written);
    free(a.s);
    free(b.s);
}

static const uint8_t hello[] = "hello";
static const uint8_t eight[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t pad3[3] = {0, 0, 0};

static h2f_frame frame_of(uint8_t type, uint8_t flags, uint32_t stream)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = type;
    f.hd.flags = flags;
    f.hd.stream_id = stream;
    return f;
}

static void test_write_round_trip_data(void **state)
{
    static const uint8_t flag_sets[] = {0, H2F_FLAG_END_STREAM, H2F_FLAG_PADDED,
                                        H2F_FLAG_PADDED | H2F_FLAG_END_STREAM};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof flag_sets; i++) {
        h2f_frame f = frame_of(H2F_DATA, flag_sets[i], 1);
        f.data.data.ptr = hello;
        f.data.data.len = 5;
        f.pad_length = 3;
        round_trip(&f);
        f.padding.ptr = pad3;
        f.padding.len = 3;
        round_trip(&f);
        f.data.data.len = 0;
        round_trip(&f);
    }
}

static void test_write_round_trip_headers(void **state)
{
    static const uint8_t flag_sets[] = {
        0, H2F_FLAG_END_STREAM, H2F_FLAG_END_HEADERS, H2F_FLAG_PADDED, H2F_FLAG_PRIORITY,
        H2F_FLAG_END_STREAM | H2F_FLAG_END_HEADERS | H2F_FLAG_PADDED | H2F_FLAG_PRIORITY};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof flag_sets; i++) {
        h2f_frame f = frame_of(H2F_HEADERS, flag_sets[i], 0x7fffffff);
        f.headers.block.ptr = hello;
        f.headers.block.len = 5;
        f.headers.priority.exclusive = 1;
        f.headers.priority.stream_dependency = 0x7ffffffe;
        f.headers.priority.weight = 200;
        f.pad_length = 7;
        round_trip(&f);
    }
}

static void test_write_round_trip_priority_rst_window_update(void **state)
{
    h2f_frame f = frame_of(H2F_PRIORITY, 0, 3);
    (void)state;
    f.priority.priority.exclusive = 1;
    f.priority.priority.stream_dependency = 0;
    f.priority.priority.weight = 0;
    round_trip(&f);
    f = frame_of(H2F_RST_STREAM, 0, 3);
    f.rst_stream.error_code = 0xdeadbeef; /* unknown codes are carried as they are */
    round_trip(&f);
    f = frame_of(H2F_WINDOW_UPDATE, 0, 0);
    f.window_update.window_size_increment = H2F_MAX_WINDOW;
    round_trip(&f);
    f.hd.stream_id = 9;
    f.window_update.window_size_increment = 1;
    round_trip(&f);
}

static void test_write_round_trip_settings(void **state)
{
    static const uint8_t entries[12] = {0, 3, 0, 0, 0, 100, 0, 4, 0, 1, 0, 0};
    h2f_frame f = frame_of(H2F_SETTINGS, 0, 0);
    (void)state;
    f.settings.entries.ptr = entries;
    f.settings.entries.len = 12;
    round_trip(&f);
    f = frame_of(H2F_SETTINGS, H2F_FLAG_ACK, 0);
    round_trip(&f);
}

static void test_write_round_trip_push_promise(void **state)
{
    static const uint8_t flag_sets[] = {0, H2F_FLAG_END_HEADERS, H2F_FLAG_PADDED,
                                        H2F_FLAG_PADDED | H2F_FLAG_END_HEADERS};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof flag_sets; i++) {
        h2f_frame f = frame_of(H2F_PUSH_PROMISE, flag_sets[i], 1);
        f.push_promise.promised_stream_id = 2;
        f.push_promise.block.ptr = hello;
        f.push_promise.block.len = 5;
        f.pad_length = 255;
        round_trip(&f);
    }
}

static void test_write_round_trip_ping_goaway_continuation_unknown(void **state)
{
    h2f_frame f = frame_of(H2F_PING, 0, 0);
    (void)state;
    f.ping.opaque_data.ptr = eight;
    f.ping.opaque_data.len = 8;
    round_trip(&f);
    f.hd.flags = H2F_FLAG_ACK;
    round_trip(&f);
    f = frame_of(H2F_GOAWAY, 0, 0);
    f.goaway.last_stream_id = 0x7fffffff;
    f.goaway.error_code = H2F_ENHANCE_YOUR_CALM;
    f.goaway.debug_data.ptr = hello;
    f.goaway.debug_data.len = 5;
    round_trip(&f);
    f.goaway.debug_data.len = 0;
    round_trip(&f);
    f = frame_of(H2F_CONTINUATION, 0, 1);
    f.continuation.block.ptr = hello;
    f.continuation.block.len = 5;
    round_trip(&f);
    f.hd.flags = H2F_FLAG_END_HEADERS;
    round_trip(&f);
    f = frame_of(0xf0, 0xff, 77);
    f.payload.ptr = hello;
    f.payload.len = 5;
    round_trip(&f);
}

/* §4.1: the reserved bit "MUST remain unset (0x00) when sending". */
static void test_write_reserved_bit_cleared(void **state)
{
    uint8_t in[32], out[32];
    size_t n = unhex("000004 08 00 80000001 80000010", in, sizeof in), consumed, written;
    h2f_frame f;
    h2f_error e;
    (void)state;
    assert_int_equal(h2f_frame_parse(in, n, 16384, &f, &consumed, &e), H2F_OK);
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, 13);
    assert_int_equal(out[5], 0x00);
    assert_int_equal(out[9], 0x00);
    assert_int_equal(out[12], 0x10);
}

static void test_write_padding_is_zero_when_not_given(void **state)
{
    uint8_t out[64], want[64];
    size_t written, n = unhex("000009 00 09 00000001 03 68656c6c6f 000000", want, sizeof want);
    h2f_frame f = frame_of(H2F_DATA, H2F_FLAG_PADDED | H2F_FLAG_END_STREAM, 1);
    (void)state;
    memset(out, 0xaa, sizeof out);
    f.data.data.ptr = hello;
    f.data.data.len = 5;
    f.pad_length = 3;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
}

/* h2frame.h: "when writing, a NULL padding.ptr writes zeros": padding that
 * is given (as the parser views it, §6.1, §6.2) is written as given, so a
 * frame read with nonzero padding writes back octet for octet. */
static void test_write_padding_as_given(void **state)
{
    static const uint8_t pad[3] = {0x01, 0x7f, 0xff};
    uint8_t out[64], want[64];
    size_t written, n;
    h2f_frame f = frame_of(H2F_DATA, H2F_FLAG_PADDED, 1);
    (void)state;
    f.data.data.ptr = hello;
    f.data.data.len = 5;
    f.pad_length = 3;
    f.padding.ptr = pad;
    f.padding.len = 3;
    n = unhex("000009 00 08 00000001 03 68656c6c6f 017fff", want, sizeof want);
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
    /* a HEADERS frame read with padding 01 7f writes back the same */
    n = unhex("000005 01 0c 00000003 02 8286 017f", want, sizeof want);
    f = parse_ok("000005 01 0c 00000003 02 8286 017f");
    assert_int_equal(f.padding.len, 2);
    memset(out, 0, sizeof out);
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
}

/* h2frame.h: "set H2F_FLAG_PADDED to write pad_length octets of padding":
 * without the flag, pad_length and padding are not written (§6.1: the Pad
 * Length field and padding exist only with PADDED), nothing past *written. */
static void test_write_no_padding_without_padded_flag(void **state)
{
    static const uint8_t pad[4] = {1, 2, 3, 4};
    uint8_t out[64], want[64];
    size_t written, n;
    int given;
    (void)state;
    for (given = 0; given <= 1; given++) {
        h2f_frame f = frame_of(H2F_DATA, H2F_FLAG_END_STREAM, 1);
        f.data.data.ptr = hello;
        f.data.data.len = 5;
        f.pad_length = 4;
        f.padding.ptr = given ? pad : NULL;
        f.padding.len = given ? 4 : 0;
        memset(out, 0xaa, sizeof out);
        n = unhex("000005 00 01 00000001 68656c6c6f", want, sizeof want);
        assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
        assert_int_equal(written, n);
        assert_memory_equal(out, want, n);
        assert_memory_equal(out + n, "\xaa\xaa\xaa\xaa\xaa", 5);
    }
}

/* §6.1: DATA defines only PADDED and END_STREAM. The writer writes flags
 * as given (h2frame.h) and adds priority fields only to HEADERS with the
 * PRIORITY flag: DATA with that bit set is still its data alone. */
static void test_write_data_with_priority_bit_has_no_priority_fields(void **state)
{
    uint8_t out[64], want[64];
    size_t written, n = unhex("000005 00 21 00000001 68656c6c6f", want, sizeof want);
    h2f_frame f = frame_of(H2F_DATA, H2F_FLAG_PRIORITY | H2F_FLAG_END_STREAM, 1);
    (void)state;
    memset(out, 0xaa, sizeof out);
    f.data.data.ptr = hello;
    f.data.data.len = 5;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
    assert_int_equal(out[n], 0xaa);
}

/* §6.6: the Promised Stream ID is 31 bits after the reserved bit (§4.1):
 * the writer takes any of them, the largest too (whether an id suits the
 * sender, §5.1.1, is the connection's business, not the frame layer's). */
static void test_write_push_promise_largest_promised_id(void **state)
{
    uint8_t out[64];
    size_t written;
    h2f_frame f = frame_of(H2F_PUSH_PROMISE, H2F_FLAG_END_HEADERS, 1);
    (void)state;
    f.push_promise.promised_stream_id = 0x7fffffff;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, 13);
    assert_memory_equal(out + 9, "\x7f\xff\xff\xff", 4);
}

/* §6.2 (RFC 7540 §6.2's fields, kept by RFC 9113): the Stream Dependency
 * is 31 bits after the E bit; 2^31-1 is written, 2^31 does not fit. */
static void test_write_headers_priority_dependency_is_31_bits(void **state)
{
    uint8_t out[64];
    size_t written;
    h2f_frame f = frame_of(H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_PRIORITY, 1);
    (void)state;
    f.headers.priority.stream_dependency = 0x7fffffff;
    f.headers.priority.exclusive = 1;
    f.headers.priority.weight = 15;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, 14);
    assert_memory_equal(out + 9, "\xff\xff\xff\xff\x0f", 5);
    f.headers.priority.stream_dependency = 0x80000000u;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    /* without the PRIORITY flag the fields are not written, nor judged */
    f.hd.flags = H2F_FLAG_END_HEADERS;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, 9);
}

static void test_write_rejects_what_does_not_fit_the_wire(void **state)
{
    uint8_t out[64];
    size_t written;
    h2f_frame f = frame_of(H2F_DATA, 0, 0x80000000u);
    (void)state;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_DATA, 0, 1);
    f.data.data.ptr = hello;
    f.data.data.len = 1u << 24;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_PING, 0, 0);
    f.ping.opaque_data.ptr = hello;
    f.ping.opaque_data.len = 5;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_WINDOW_UPDATE, 0, 0);
    f.window_update.window_size_increment = 0x80000000u;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_PUSH_PROMISE, 0, 1);
    f.push_promise.promised_stream_id = 0x80000000u;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_SETTINGS, 0, 0);
    f.settings.entries.ptr = hello;
    f.settings.entries.len = 5;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_DATA, H2F_FLAG_PADDED, 1);
    f.pad_length = 4;
    f.padding.ptr = pad3;
    f.padding.len = 3;
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_write(NULL, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_write(&f, NULL, 10, &written), H2F_ERR_INVALID_ARGUMENT);
}

/* h2frame.h: H2F_ERR_INVALID_ARGUMENT for what the writer cannot use: no
 * frame, nowhere to say the size, no buffer but a capacity. No buffer and
 * no capacity asks the size (H2F_ERR_BUFFER_TOO_SMALL). */
static void test_write_null_arguments(void **state)
{
    uint8_t out[32];
    size_t written = 77;
    h2f_frame f = frame_of(H2F_RST_STREAM, 0, 1);
    (void)state;
    assert_int_equal(h2f_frame_write(NULL, out, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(written, 77);
    assert_int_equal(h2f_frame_write(&f, out, sizeof out, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_write(&f, NULL, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(written, 77);
    assert_int_equal(h2f_frame_write(&f, NULL, 0, &written), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 13);
    assert_int_equal(h2f_settings_write(NULL, 0, 0, out, sizeof out, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_settings_write(NULL, 0, 0, NULL, sizeof out, &written), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_settings_write(NULL, 0, 0, NULL, 0, &written), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 9);
}

/* Lengths near SIZE_MAX must not wrap the size computation (and so let the
 * writer run past cap). */
static void test_write_rejects_lengths_that_would_wrap(void **state)
{
    uint8_t out[16];
    size_t written;
    h2f_frame f = frame_of(H2F_GOAWAY, 0, 0);
    (void)state;
    f.goaway.debug_data.ptr = hello;
    f.goaway.debug_data.len = SIZE_MAX - 7;
    assert_int_equal(h2f_frame_write(&f, out, 9, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_DATA, H2F_FLAG_PADDED, 1);
    f.pad_length = 9;
    f.data.data.ptr = hello;
    f.data.data.len = SIZE_MAX - 9;
    assert_int_equal(h2f_frame_write(&f, out, 9, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_PUSH_PROMISE, 0, 1);
    f.push_promise.promised_stream_id = 2;
    f.push_promise.block.ptr = hello;
    f.push_promise.block.len = SIZE_MAX - 3;
    assert_int_equal(h2f_frame_write(&f, out, 9, &written), H2F_ERR_INVALID_ARGUMENT);
    f = frame_of(H2F_HEADERS, H2F_FLAG_PADDED | H2F_FLAG_PRIORITY, 1);
    f.pad_length = 255;
    f.headers.block.ptr = hello;
    f.headers.block.len = SIZE_MAX - 200;
    assert_int_equal(h2f_frame_write(&f, out, 9, &written), H2F_ERR_INVALID_ARGUMENT);
    /* the largest payload that fits 24 bits is fine */
    f = frame_of(H2F_DATA, 0, 1);
    f.data.data.ptr = hello;
    f.data.data.len = H2F_MAX_MAX_FRAME_SIZE;
    assert_int_equal(h2f_frame_write(&f, out, 9, &written), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 9 + H2F_MAX_MAX_FRAME_SIZE);
}

static void test_settings_write(void **state)
{
    static const h2f_setting list[] = {{H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 100},
                                       {H2F_SETTINGS_INITIAL_WINDOW_SIZE, 65535}};
    uint8_t out[64], want[64];
    size_t written, n = unhex("00000c 04 00 00000000 0003 00000064 0004 0000ffff", want,
                              sizeof want);
    (void)state;
    assert_int_equal(h2f_settings_write(list, 2, 0, out, 20, &written),
                     H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 21);
    assert_int_equal(h2f_settings_write(list, 2, 0, out, sizeof out, &written), H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
    n = unhex("000000 04 01 00000000", want, sizeof want);
    assert_int_equal(h2f_settings_write(NULL, 0, H2F_FLAG_ACK, out, sizeof out, &written),
                     H2F_OK);
    assert_int_equal(written, n);
    assert_memory_equal(out, want, n);
    assert_int_equal(h2f_settings_write(NULL, 1, 0, out, sizeof out, &written),
                     H2F_ERR_INVALID_ARGUMENT);
}

/* h2frame.h: H2F_ERR_BUFFER_TOO_SMALL only when cap is below the size: a
 * buffer of exactly the frame's size is enough (SETTINGS: 9 + 6 an entry,
 * §6.5.1; PING: 9 + 8, §6.7). */
static void test_write_into_a_buffer_of_exactly_the_size(void **state)
{
    static const h2f_setting list[] = {{H2F_SETTINGS_ENABLE_PUSH, 0}};
    uint8_t out[32];
    size_t written;
    h2f_frame f = frame_of(H2F_PING, 0, 0);
    (void)state;
    memset(out, 0xaa, sizeof out);
    assert_int_equal(h2f_settings_write(list, 1, 0, out, 15, &written), H2F_OK);
    assert_int_equal(written, 15);
    assert_memory_equal(out, "\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00", 15);
    assert_int_equal(out[15], 0xaa);
    assert_int_equal(h2f_settings_write(NULL, 0, H2F_FLAG_ACK, out, 9, &written), H2F_OK);
    assert_int_equal(written, 9);
    f.ping.opaque_data.ptr = (const uint8_t *)"12345678";
    f.ping.opaque_data.len = 8;
    assert_int_equal(h2f_frame_write(&f, out, 17, &written), H2F_OK);
    assert_int_equal(written, 17);
    assert_int_equal(h2f_frame_write(&f, out, 16, &written), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 17);
}

/* §4.1: "Length: The length of the frame payload expressed as an unsigned
 * 24-bit integer": SETTINGS carries 6 octets an entry (§6.5.1), so at most
 * floor((2^24-1)/6) entries fit; one more is refused before anything is
 * written, whatever cap says. */
static void test_settings_write_entries_fit_24_bit_length(void **state)
{
    static const h2f_setting list[1] = {{H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
    uint8_t out[64];
    size_t written = 0, most = 16777215 / 6;
    (void)state;
    assert_int_equal(most, 2796202);
    /* the list is not read when the frame does not fit cap */
    assert_int_equal(h2f_settings_write(list, most, 0, out, sizeof out, &written),
                     H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(written, 9 + 6 * most);
    written = 12345;
    assert_int_equal(h2f_settings_write(list, most + 1, 0, out, sizeof out, &written),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(written, 12345);
    assert_int_equal(h2f_settings_write(list, SIZE_MAX / 6 + 1, 0, out, sizeof out, &written),
                     H2F_ERR_INVALID_ARGUMENT);
}

/* h2frame.h: "Entry i (0 <= i < f->settings.count) ... a zeroed entry when
 * i is out of range": the range is the count, also when the caller narrows
 * it below the entries' octets. */
static void test_settings_get_range_is_the_count(void **state)
{
    h2f_frame f = parse_ok("00000c 04 00 00000000 0003 00000064 0004 0000ffff");
    h2f_setting st;
    (void)state;
    assert_int_equal(f.settings.count, 2);
    st = h2f_settings_get(&f, 1);
    assert_int_equal(st.id, H2F_SETTINGS_INITIAL_WINDOW_SIZE);
    assert_int_equal(st.value, 65535);
    st = h2f_settings_get(&f, 2);
    assert_int_equal(st.id, 0);
    assert_int_equal(st.value, 0);
    f.settings.count = 1;
    st = h2f_settings_get(&f, 0);
    assert_int_equal(st.id, H2F_SETTINGS_MAX_CONCURRENT_STREAMS);
    assert_int_equal(st.value, 100);
    st = h2f_settings_get(&f, 1);
    assert_int_equal(st.id, 0);
    assert_int_equal(st.value, 0);
    st = h2f_settings_get(NULL, 0);
    assert_int_equal(st.id, 0);
    f.hd.type = H2F_PING;
    st = h2f_settings_get(&f, 0);
    assert_int_equal(st.id, 0);
}

/* h2frame.h: entries are "count*6 octets"; a count that claims more than
 * the entries hold gives zeroed entries past them, never octets read past
 * the entries (here the last readable ones before a guard page). */
static void test_settings_get_never_reads_past_the_entries(void **state)
{
    uint8_t e[30];
    h2f_frame f;
    h2f_setting st;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof e; i++)
        e[i] = (uint8_t)(i + 1);
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_SETTINGS;
    f.settings.entries.ptr = guarded(e, sizeof e);
    f.settings.entries.len = sizeof e;
    f.settings.count = 7;
    st = h2f_settings_get(&f, 4);
    assert_int_equal(st.id, 0x191a);
    assert_int_equal(st.value, 0x1b1c1d1e);
    for (i = 5; i < 7; i++) {
        st = h2f_settings_get(&f, i);
        assert_int_equal(st.id, 0);
        assert_int_equal(st.value, 0);
    }
}

/* ======================================================================== */
/* Names                                                                      */
/* ======================================================================== */

static void test_error_code_names_match_rfc9113_section_7(void **state)
{
    (void)state;
    assert_string_equal(h2f_error_code_name(0x0), "NO_ERROR");
    assert_string_equal(h2f_error_code_name(0x1), "PROTOCOL_ERROR");
    assert_string_equal(h2f_error_code_name(0x2), "INTERNAL_ERROR");
    assert_string_equal(h2f_error_code_name(0x3), "FLOW_CONTROL_ERROR");
    assert_string_equal(h2f_error_code_name(0x4), "SETTINGS_TIMEOUT");
    assert_string_equal(h2f_error_code_name(0x5), "STREAM_CLOSED");
    assert_string_equal(h2f_error_code_name(0x6), "FRAME_SIZE_ERROR");
    assert_string_equal(h2f_error_code_name(0x7), "REFUSED_STREAM");
    assert_string_equal(h2f_error_code_name(0x8), "CANCEL");
    assert_string_equal(h2f_error_code_name(0x9), "COMPRESSION_ERROR");
    assert_string_equal(h2f_error_code_name(0xa), "CONNECT_ERROR");
    assert_string_equal(h2f_error_code_name(0xb), "ENHANCE_YOUR_CALM");
    assert_string_equal(h2f_error_code_name(0xc), "INADEQUATE_SECURITY");
    assert_string_equal(h2f_error_code_name(0xd), "HTTP_1_1_REQUIRED");
    assert_string_equal(h2f_error_code_name(0xe), "UNKNOWN");
    assert_string_equal(h2f_error_code_name(0xffffffffu), "UNKNOWN");
}

static void test_status_and_scope_names(void **state)
{
    (void)state;
    assert_string_equal(h2f_status_name(H2F_OK), "OK");
    assert_string_equal(h2f_status_name(H2F_NEED_MORE), "NEED_MORE");
    assert_string_equal(h2f_status_name(H2F_DONE), "DONE");
    assert_string_equal(h2f_status_name(H2F_ERR_PROTOCOL), "ERR_PROTOCOL");
    assert_string_equal(h2f_status_name(H2F_ERR_BUFFER_TOO_SMALL), "ERR_BUFFER_TOO_SMALL");
    assert_string_equal(h2f_status_name(H2F_ERR_LIMIT), "ERR_LIMIT");
    assert_string_equal(h2f_status_name(H2F_ERR_INVALID_ARGUMENT), "ERR_INVALID_ARGUMENT");
    assert_string_equal(h2f_status_name(H2F_ERR_NOMEM), "ERR_NOMEM");
    assert_string_equal(h2f_status_name((h2f_status)99), "UNKNOWN");
    assert_string_equal(h2f_scope_name(H2F_SCOPE_STREAM), "stream");
    assert_string_equal(h2f_scope_name(H2F_SCOPE_CONNECTION), "connection");
    assert_string_equal(h2f_scope_name(H2F_SCOPE_NONE), "none");
}

static void test_frame_type_and_setting_names(void **state)
{
    static const char *const types[] = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM",
                                        "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY",
                                        "WINDOW_UPDATE", "CONTINUATION"};
    unsigned i;
    (void)state;
    for (i = 0; i < 10; i++)
        assert_string_equal(h2f_frame_type_name((uint8_t)i), types[i]);
    assert_null(h2f_frame_type_name(10));
    assert_null(h2f_frame_type_name(255));
    assert_string_equal(h2f_setting_name(1), "HEADER_TABLE_SIZE");
    assert_string_equal(h2f_setting_name(2), "ENABLE_PUSH");
    assert_string_equal(h2f_setting_name(3), "MAX_CONCURRENT_STREAMS");
    assert_string_equal(h2f_setting_name(4), "INITIAL_WINDOW_SIZE");
    assert_string_equal(h2f_setting_name(5), "MAX_FRAME_SIZE");
    assert_string_equal(h2f_setting_name(6), "MAX_HEADER_LIST_SIZE");
    assert_string_equal(h2f_setting_name(8), "ENABLE_CONNECT_PROTOCOL");
    assert_string_equal(h2f_setting_name(9), "NO_RFC7540_PRIORITIES");
    assert_null(h2f_setting_name(7));
    assert_null(h2f_setting_name(0));
}

/* ---- data_pieces: DATA frames handed over as they arrive ------------------ */

/* Reads `in` cut once at `cut` with data_pieces: the DATA frames' data
 * gathered from the pieces, the octets the pieces account for, and the
 * number of pieces. Each piece's data must lie inside its own chunk. */
typedef struct pieces_run {
    uint8_t data[1024];
    size_t data_len, pieces, frames;
    uint32_t octets;
    h2f_status last;
    h2f_error err;
} pieces_run;

static pieces_run read_pieces(const uint8_t *in, size_t n, size_t cut)
{
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 1};
    h2f_reader rd;
    pieces_run pr;
    size_t pos = 0;
    unsigned expect_first = H2F_PIECE_FIRST; /* FIRST on a frame's first piece only */
    memset(&pr, 0, sizeof pr);
    assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
    while (pos < n) {
        size_t k = pos < cut ? cut - pos : n - pos;
        const uint8_t *chunk = guarded(in + pos, k);
        h2f_frame f;
        h2f_status st;
        assert_int_equal(h2f_reader_feed(&rd, chunk, k), H2F_OK);
        pos += k;
        while ((st = h2f_reader_next(&rd, &f, &pr.err)) == H2F_OK) {
            uint32_t octets;
            unsigned flags = h2f_reader_piece(&rd, &octets);
            if (f.hd.type != H2F_DATA)
                continue;
            if (f.data.data.len) {
                assert_true(f.data.data.ptr >= chunk && f.data.data.ptr + f.data.data.len <= chunk + k);
                memcpy(pr.data + pr.data_len, f.data.data.ptr, f.data.data.len);
                pr.data_len += f.data.data.len;
            }
            pr.octets += octets;
            pr.pieces++;
            if (flags & H2F_PIECE_LAST)
                pr.frames++;
            assert_true((flags & H2F_PIECE_FIRST) || pr.pieces > 1);
            assert_int_equal(flags & H2F_PIECE_FIRST, expect_first);
            expect_first = (flags & H2F_PIECE_LAST) ? H2F_PIECE_FIRST : 0;
        }
        pr.last = st;
        if (st != H2F_NEED_MORE)
            break;
    }
    h2f_reader_free(&rd);
    return pr;
}

/* A padded DATA frame cut at every octet: the same data, never the
 * padding, the pieces adding up to the frame's length. */
static void test_reader_data_pieces_at_every_cut(void **state)
{
    uint8_t in[9 + 1 + 10 + 3 + 9 + 4];
    size_t cut;
    (void)state;
    /* DATA, PADDED, stream 1: pad length 3, "0123456789", 3 octets padding */
    memcpy(in, "\x00\x00\x0e\x00\x08\x00\x00\x00\x01\x03" "0123456789" "\0\0\0", 23);
    /* DATA, END_STREAM, stream 1: "abcd" */
    memcpy(in + 23, "\x00\x00\x04\x00\x01\x00\x00\x00\x01" "abcd", 13);
    for (cut = 0; cut <= sizeof in; cut++) {
        pieces_run pr = read_pieces(in, sizeof in, cut);
        assert_int_equal(pr.last, H2F_NEED_MORE);
        assert_int_equal(pr.frames, 2);
        assert_int_equal(pr.data_len, 14);
        assert_memory_equal(pr.data, "0123456789abcd", 14);
        assert_int_equal(pr.octets, 14 + 4);
        /* a cut inside a payload makes two pieces of that frame (none of
         * them empty at the start) */
        assert_int_equal(pr.pieces, (cut > 9 && cut < 23) || (cut > 32 && cut < 36) ? 3 : 2);
    }
}

/* The Pad Length is checked when its piece arrives (§6.1). */
static void test_reader_data_pieces_padding_too_long(void **state)
{
    uint8_t in[] = {0, 0, 4, H2F_DATA, H2F_FLAG_PADDED, 0, 0, 0, 1, 4, 'a', 'b', 'c'};
    pieces_run pr;
    (void)state;
    pr = read_pieces(in, sizeof in, 11);
    assert_int_equal(pr.last, H2F_ERR_PROTOCOL);
    assert_int_equal(pr.err.code, H2F_PROTOCOL_ERROR);
    assert_int_equal(pr.err.scope, H2F_SCOPE_CONNECTION);
    assert_int_equal(pr.err.offset, 0);
    assert_int_equal(pr.data_len, 0);
}

/* DATA on stream 0 and DATA inside a field block are refused at the header,
 * before any piece. */
static void test_reader_data_pieces_header_rules(void **state)
{
    uint8_t zero[] = {0, 0, 4, H2F_DATA, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
    uint8_t inblock[] = {0, 0, 1, H2F_HEADERS, 0, 0, 0, 0, 1, 0x82,
                         0, 0, 4, H2F_DATA, 0, 0, 0, 0, 1, 'a', 'b', 'c', 'd'};
    pieces_run pr;
    (void)state;
    pr = read_pieces(zero, sizeof zero, 11);
    assert_int_equal(pr.last, H2F_ERR_PROTOCOL);
    assert_string_equal(pr.err.reason, "DATA frame on stream 0 (RFC 9113 §6.1)");
    pr = read_pieces(inblock, sizeof inblock, 21);
    assert_int_equal(pr.last, H2F_ERR_PROTOCOL);
    assert_int_equal(pr.err.offset, 10);
    assert_non_null(strstr(pr.err.reason, "only CONTINUATION"));
}

/* With data_pieces, a DATA frame of a single octet is handed over like any
 * other: its payload a view into the chunk it arrived in, never copied,
 * wherever the chunks are cut (in its header too); its one piece covers 1
 * octet (§6.9 counts it). Padded, that octet is the Pad Length (0): no
 * data (§6.1). */
static void test_reader_data_pieces_one_octet_frame(void **state)
{
    static const uint8_t plain[] = {0, 0, 1, H2F_DATA, H2F_FLAG_END_STREAM, 0, 0, 0, 1, 'x'};
    static const uint8_t padded[] = {0, 0, 1, H2F_DATA, H2F_FLAG_PADDED, 0, 0, 0, 3, 0};
    size_t cut;
    (void)state;
    for (cut = 0; cut <= sizeof plain; cut++) {
        pieces_run pr = read_pieces(plain, sizeof plain, cut);
        assert_int_equal(pr.last, H2F_NEED_MORE);
        assert_int_equal(pr.frames, 1);
        assert_int_equal(pr.pieces, 1);
        assert_int_equal(pr.octets, 1);
        assert_int_equal(pr.data_len, 1);
        assert_int_equal(pr.data[0], 'x');
        pr = read_pieces(padded, sizeof padded, cut);
        assert_int_equal(pr.last, H2F_NEED_MORE);
        assert_int_equal(pr.frames, 1);
        assert_int_equal(pr.pieces, 1);
        assert_int_equal(pr.octets, 1);
        assert_int_equal(pr.data_len, 0);
    }
}

/* §6.1: an empty DATA frame with END_STREAM ends a body. With data_pieces
 * it is returned whole (FIRST and LAST, 0 octets) as soon as its header is
 * in, wherever the header was cut, even when nothing follows it. */
static void test_reader_data_pieces_empty_frame_at_every_cut(void **state)
{
    static const uint8_t in[] = {0, 0, 0, H2F_DATA, H2F_FLAG_END_STREAM, 0, 0, 0, 1};
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 1};
    size_t cut;
    (void)state;
    for (cut = 1; cut < sizeof in; cut++) {
        h2f_reader rd;
        h2f_frame f;
        h2f_error err;
        uint32_t octets = 99;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        assert_int_equal(h2f_reader_feed(&rd, guarded(in, cut), cut), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_NEED_MORE);
        assert_int_equal(h2f_reader_feed(&rd, guarded(in + cut, sizeof in - cut), sizeof in - cut), H2F_OK);
        assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_OK);
        assert_int_equal(f.hd.type, H2F_DATA);
        assert_int_equal(f.hd.flags, H2F_FLAG_END_STREAM);
        assert_int_equal(f.hd.length, 0);
        assert_int_equal(f.data.data.len, 0);
        assert_int_equal(h2f_reader_piece(&rd, &octets), H2F_PIECE_FIRST | H2F_PIECE_LAST);
        assert_int_equal(octets, 0);
        assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_NEED_MORE);
        assert_int_equal(h2f_reader_offset(&rd), 9);
        h2f_reader_free(&rd);
    }
}

/* §3.4: the first frame must be SETTINGS; after it any frame may follow.
 * DATA handed over in pieces counts as a frame seen like any other: the
 * frames after it are not taken for a first frame. */
static void test_reader_data_pieces_after_settings(void **state)
{
    static const uint8_t in[] = {
        0, 0, 0, H2F_SETTINGS, 0, 0, 0, 0, 0,
        0, 0, 4, H2F_DATA, 0, 0, 0, 0, 1, 'a', 'b', 'c', 'd',
        0, 0, 8, H2F_PING, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 0, 1};
    size_t cut;
    (void)state;
    for (cut = 19; cut < 22; cut++) {
        h2f_reader rd;
        h2f_frame f;
        h2f_error err;
        uint8_t types[8];
        int frames = 0;
        size_t pos = 0;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        while (pos < sizeof in) {
            size_t k = pos < cut ? cut - pos : sizeof in - pos;
            h2f_status st;
            assert_int_equal(h2f_reader_feed(&rd, guarded(in + pos, k), k), H2F_OK);
            pos += k;
            while ((st = h2f_reader_next(&rd, &f, &err)) == H2F_OK) {
                assert_true(frames < 8);
                types[frames++] = f.hd.type;
            }
            assert_int_equal(st, H2F_NEED_MORE);
        }
        /* SETTINGS, DATA in two pieces, PING */
        assert_int_equal(frames, 4);
        assert_int_equal(types[0], H2F_SETTINGS);
        assert_int_equal(types[1], H2F_DATA);
        assert_int_equal(types[2], H2F_DATA);
        assert_int_equal(types[3], H2F_PING);
        h2f_reader_free(&rd);
    }
}

/* §6.1: "Pad Length: An 8-bit field containing the length of the frame
 * padding ... This field is conditional and is only present if the PADDED
 * flag is set." Pieces of an unpadded DATA frame have no Pad Length and no
 * padding, also after the pieces of a padded one. */
static void test_reader_data_pieces_unpadded_have_no_pad_length(void **state)
{
    static const uint8_t in[] = {
        0, 0, 6, H2F_DATA, H2F_FLAG_PADDED, 0, 0, 0, 1, 2, 'a', 'b', 'c', 0, 0, /* padded */
        0, 0, 4, H2F_DATA, 0, 0, 0, 0, 1, 'w', 'x', 'y', 'z'};                 /* not */
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 1};
    size_t cut;
    (void)state;
    for (cut = 16; cut < sizeof in; cut++) {
        h2f_reader rd;
        h2f_frame f;
        h2f_error err;
        int pieces = 0;
        size_t pos = 0;
        assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
        while (pos < sizeof in) {
            size_t k = pos == 0 ? 12 : pos == 12 ? cut - 12 : sizeof in - pos;
            h2f_status st;
            assert_int_equal(h2f_reader_feed(&rd, guarded(in + pos, k), k), H2F_OK);
            pos += k;
            while ((st = h2f_reader_next(&rd, &f, &err)) == H2F_OK) {
                pieces++;
                if (f.hd.flags & H2F_FLAG_PADDED) {
                    assert_int_equal(f.pad_length, 2);
                    continue;
                }
                assert_int_equal(f.pad_length, 0);
                assert_null(f.padding.ptr);
                assert_int_equal(f.padding.len, 0);
            }
            assert_int_equal(st, H2F_NEED_MORE);
        }
        /* the padded frame in 2 pieces; the other whole or in 1 piece
         * when cut in or just after its header (at 24), else in 2 */
        assert_int_equal(pieces, cut <= 24 ? 3 : 4);
        h2f_reader_free(&rd);
    }
}

/* §6.1: "Padding: Padding octets that contain no application semantic
 * value." A padded DATA frame cut anywhere: the pieces' padding views,
 * each inside its chunk, are the frame's padding octets in order (nonzero
 * here: a receiver need not check them); a piece without any has an
 * empty view with a NULL pointer, as h2frame.h says. */
static void test_reader_data_pieces_padding_views(void **state)
{
    static const uint8_t in[] = {0, 0, 9, H2F_DATA, H2F_FLAG_PADDED, 0, 0, 0, 1, 4,
                                 'a', 'b', 'c', 'd', 0x11, 0x22, 0x33, 0x44};
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 1};
    size_t cut1, cut2;
    (void)state;
    for (cut1 = 1; cut1 < sizeof in; cut1++) {
        for (cut2 = cut1; cut2 <= sizeof in; cut2++) {
            h2f_reader rd;
            uint8_t pad[8], data[8];
            size_t pad_len = 0, data_len = 0, pos = 0;
            assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
            while (pos < sizeof in) {
                size_t end = pos < cut1 ? cut1 : pos < cut2 ? cut2 : sizeof in, k = end - pos;
                const uint8_t *chunk = guarded(in + pos, k);
                h2f_frame f;
                h2f_error err;
                h2f_status st;
                assert_int_equal(h2f_reader_feed(&rd, chunk, k), H2F_OK);
                pos = end;
                while ((st = h2f_reader_next(&rd, &f, &err)) == H2F_OK) {
                    assert_int_equal(f.pad_length, 4);
                    if (f.padding.len) {
                        assert_true(f.padding.ptr >= chunk && f.padding.ptr + f.padding.len <= chunk + k);
                        memcpy(pad + pad_len, f.padding.ptr, f.padding.len);
                        pad_len += f.padding.len;
                    } else { /* none in this piece: {NULL, 0} (h2frame.h) */
                        assert_null(f.padding.ptr);
                    }
                    if (f.data.data.len) {
                        memcpy(data + data_len, f.data.data.ptr, f.data.data.len);
                        data_len += f.data.data.len;
                    }
                }
                assert_int_equal(st, H2F_NEED_MORE);
            }
            assert_int_equal(pad_len, 4);
            assert_memory_equal(pad, "\x11\x22\x33\x44", 4);
            assert_int_equal(data_len, 4);
            assert_memory_equal(data, "abcd", 4);
            h2f_reader_free(&rd);
        }
    }
}

/* §6.1: "If a DATA frame is received whose Stream Identifier field is 0x00,
 * the recipient MUST respond with a connection error of type
 * PROTOCOL_ERROR." With data_pieces that is known from the header: the
 * error comes once its nine octets are in, before the payload, whatever
 * the payload's length and however the header was cut. */
static void test_reader_data_pieces_stream_0_refused_before_payload(void **state)
{
    h2f_reader_options o = {0, H2F_PREFACE_NONE, 1, 1};
    uint32_t len;
    size_t cut;
    (void)state;
    for (len = 1; len <= 3; len++) {
        for (cut = 1; cut < 9 + len; cut++) { /* cut in the header, or after it */
            uint8_t hd[12] = {0, 0, (uint8_t)len, H2F_DATA, 0, 0, 0, 0, 0, 'a', 'b', 'c'};
            h2f_reader rd;
            h2f_frame f;
            h2f_error err;
            assert_int_equal(h2f_reader_init(&rd, &o, NULL), H2F_OK);
            assert_int_equal(h2f_reader_feed(&rd, guarded(hd, cut), cut), H2F_OK);
            if (cut < 9) {
                assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_NEED_MORE);
                assert_int_equal(h2f_reader_feed(&rd, guarded(hd + cut, 9 - cut), 9 - cut), H2F_OK);
            }
            memset(&err, 0, sizeof err);
            assert_int_equal(h2f_reader_next(&rd, &f, &err), H2F_ERR_PROTOCOL);
            assert_int_equal(err.code, H2F_PROTOCOL_ERROR);
            assert_int_equal(err.scope, H2F_SCOPE_CONNECTION);
            assert_int_equal(err.offset, 0);
            assert_int_equal(err.frame_type, H2F_DATA);
            assert_int_equal(err.length, len);
            assert_string_equal(err.reason, "DATA frame on stream 0 (RFC 9113 §6.1)");
            h2f_reader_free(&rd);
        }
    }
}

/* ---- finding frame boundaries again (h2f_frame_resync) ---------------------- */

/* SETTINGS(2 entries), HEADERS without END_HEADERS, its CONTINUATION,
 * DATA, PING: 21 + 13 + 11 + 14 + 17 octets. */
static const char resync_frames[] =
    "00000c 04 00 00000000  0003 00000064 0004 0000ffff"
    "000004 01 01 00000001  82868441"
    "000002 09 04 00000001  8a7a"
    "000005 00 01 00000001  68656c6c6f"
    "000008 06 00 00000000  0102030405060708";
static const size_t resync_at[] = {0, 21, 34, 45, 59, 76};

/* At a boundary, the boundary; inside a frame, the next one: every cut
 * point of the first three frames, the input complete (`last`: a candidate
 * that runs past its end is none). */
static void test_resync_finds_the_next_boundary(void **state)
{
    uint8_t b[128];
    size_t n = unhex(resync_frames, b, sizeof b), k, off, want;
    (void)state;
    assert_int_equal(n, 76);
    for (k = 0; k < resync_at[3]; k++) {
        for (want = 0; resync_at[want] < k; want++)
            ;
        off = 999;
        assert_int_equal(h2f_frame_resync(guarded(b + k, n - k), n - k, 0, 1, &off), H2F_OK);
        assert_int_equal(k + off, resync_at[want]);
    }
}

/* The candidate must be followed by a chain: a plausible header followed by
 * octets that are no frame is skipped, and so is one left open (no
 * END_HEADERS) but followed by something other than its CONTINUATION. */
static void test_resync_needs_a_chain(void **state)
{
    uint8_t b[128];
    size_t n, off;
    (void)state;
    /* PING, then octets that are no header (R bit set), then two PINGs */
    n = unhex("000008 06 00 00000000 0102030405060708  ff ffffffffffffffff"
              "000008 06 01 00000000 0102030405060708  000008 06 00 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 26);
    /* an unknown type (§5.5) chains, with no flags; it is no candidate */
    n = unhex("000002 0a 00 00000000 6869  000008 06 00 00000000 0102030405060708"
              "000002 0a 00 00000000 6869  000008 06 00 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 11);
    n = unhex("000008 06 00 00000000 0102030405060708  000002 0a 01 00000000 6869"
              "000008 06 00 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 28);
    /* HEADERS without END_HEADERS, then DATA: not a chain (RFC 9113 §6.10) */
    n = unhex("000001 01 00 00000001 82  000001 00 00 00000001 61  000001 00 00 00000001 62"
              "000001 00 01 00000001 63",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
}

/* §6.10: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE
 * or CONTINUATION frame without the END_HEADERS flag set." A frame followed
 * by a CONTINUATION though it left no field block open is no chain; the
 * CONTINUATION itself may be the candidate (its block began before). */
static void test_resync_continuation_needs_an_open_block(void **state)
{
    uint8_t b[128];
    size_t n, off;
    (void)state;
    n = unhex("000008 06 00 00000000 0102030405060708  000001 09 04 00000001 82"
              "000008 06 00 00000000 0102030405060708  000008 06 01 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 17);
    /* a HEADERS frame with END_HEADERS closed its block: the same */
    n = unhex("000001 01 04 00000001 82  000001 09 04 00000001 82"
              "000008 06 00 00000000 0102030405060708  000008 06 01 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
}

/* Flags a type does not define, a stream 0 where the type needs a stream,
 * a length past max_frame_size: not a frame header. */
static void test_resync_header_rules(void **state)
{
    uint8_t b[128];
    size_t n, off;
    static const char tail[] = "000008 06 00 00000000 0102030405060708"
                               "000008 06 01 00000000 0102030405060708"
                               "000008 06 00 00000000 0102030405060708";
    char hex[512];
    (void)state;
    snprintf(hex, sizeof hex, "000001 00 02 00000001 61 %s", tail); /* DATA flag 0x2 */
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
    snprintf(hex, sizeof hex, "000001 00 00 00000000 61 %s", tail); /* DATA on stream 0 */
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
    snprintf(hex, sizeof hex, "000001 08 00 00000001 61 %s", tail); /* WINDOW_UPDATE length 1 */
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
    /* 16385 octets of DATA: past the default maximum, within a larger one */
    {
        static uint8_t big[16394 + 64];
        size_t m = unhex("004001 00 00 00000001", big, sizeof big);
        memset(big + m, 0, 16385);
        m += 16385;
        m += unhex(tail, big + m, sizeof big - m);
        assert_int_equal(h2f_frame_resync(big, m, 0, 1, &off), H2F_OK);
        assert_int_equal(off, 16394);
        assert_int_equal(h2f_frame_resync(big, m, 32768, 1, &off), H2F_OK);
        assert_int_equal(off, 0);
    }
}

/* §6.3: "The PRIORITY frame always identifies a stream. If a PRIORITY frame
 * is received with a stream identifier of 0x00, the recipient MUST respond
 * with a connection error of type PROTOCOL_ERROR." A 5-octet PRIORITY on a
 * stream is a candidate like any other; on stream 0 it is no frame header,
 * also as the third header of a chain (checked from its header alone). */
static void test_resync_priority_needs_a_stream(void **state)
{
    static const char ping[] = "000008 06 00 00000000 0102030405060708";
    uint8_t b[128];
    char hex[512];
    size_t n, off;
    uint32_t stream;
    (void)state;
    for (stream = 1; stream <= 3; stream++) {
        snprintf(hex, sizeof hex, "000005 02 00 %08x 0000000010 %s %s", (unsigned)stream, ping, ping);
        n = unhex(hex, b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
        assert_int_equal(off, 0);
    }
    snprintf(hex, sizeof hex, "000005 02 00 00000000 0000000010 %s %s", ping, ping);
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 14);
    /* PING, PING, then a PRIORITY header: on a stream it completes the
     * chain, on stream 0 nothing in the input is a boundary */
    snprintf(hex, sizeof hex, "%s %s 000005 02 00 00000001", ping, ping);
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 0, &off), H2F_OK);
    assert_int_equal(off, 0);
    snprintf(hex, sizeof hex, "%s %s 000005 02 00 00000000", ping, ping);
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_NEED_MORE);
    assert_int_equal(off, n);
}

/* §4.1: flags "that have no defined semantics for a particular frame type
 * ... MUST be left unset (0x00) when sending". A header of a known type
 * with a flag its type does not define (§6) is taken for no frame's; the
 * same header without it is a boundary. (CONTINUATION needs an open block
 * and is left out.) */
static void test_resync_undefined_flags_not_a_boundary(void **state)
{
    static const char ping[] = "000008 06 00 00000000 0102030405060708";
    static const struct {
        uint8_t type, defined, base; /* base: END_HEADERS, so that a PING may follow */
        const char *rest;            /* length, and stream with the payload */
    } types[] = {
        {H2F_DATA, 0x09, 0, "000001 %02x %02x 00000001 00"},
        {H2F_HEADERS, 0x2d, 0x04, "000001 %02x %02x 00000001 88"},
        {H2F_PRIORITY, 0x00, 0, "000005 %02x %02x 00000001 0000000010"},
        {H2F_RST_STREAM, 0x00, 0, "000004 %02x %02x 00000001 00000008"},
        {H2F_SETTINGS, 0x01, 0, "000000 %02x %02x 00000000"},
        {H2F_PUSH_PROMISE, 0x0c, 0x04, "000004 %02x %02x 00000001 00000002"},
        {H2F_PING, 0x01, 0, "000008 %02x %02x 00000000 0000000000000000"},
        {H2F_GOAWAY, 0x00, 0, "000008 %02x %02x 00000000 0000000000000000"},
        {H2F_WINDOW_UPDATE, 0x00, 0, "000004 %02x %02x 00000001 00000001"},
    };
    uint8_t b[128];
    char head[96], hex[512];
    size_t i, n, off;
    unsigned bit;
    (void)state;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        snprintf(head, sizeof head, types[i].rest, types[i].type, types[i].base);
        snprintf(hex, sizeof hex, "%s %s %s", head, ping, ping);
        n = unhex(hex, b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
        assert_int_equal(off, 0);
        for (bit = 1; bit < 0x100; bit <<= 1) {
            if (bit & types[i].defined)
                continue;
            snprintf(head, sizeof head, types[i].rest, types[i].type, types[i].base | bit);
            snprintf(hex, sizeof hex, "%s %s %s", head, ping, ping);
            n = unhex(hex, b, sizeof b);
            assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
            assert_int_not_equal(off, 0);
        }
    }
}

/* §4.1: "Reserved: A reserved 1-bit field ... MUST remain unset (0x00)
 * when sending": a header with it set is taken for no frame's, but only
 * that bit of the stream field counts: stream ids at and past 2^24 (the
 * other bits of that octet) chain for the frames that are not the
 * candidate's DATA or HEADERS. */
static void test_resync_reserved_bit_only(void **state)
{
    static const char ping[] = "000008 06 00 00000000 0102030405060708";
    uint8_t b[128];
    char hex[512];
    size_t n, off;
    (void)state;
    /* PING with the R bit set, then two PINGs */
    snprintf(hex, sizeof hex, "000008 06 00 80000000 0102030405060708 %s %s", ping, ping);
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 17);
    /* PING, RST_STREAM on stream 2^31-1, WINDOW_UPDATE on stream 2^24 + 1 */
    snprintf(hex, sizeof hex, "%s 000004 03 00 7fffffff 00000008 000004 08 00 01000001 00000001", ping);
    n = unhex(hex, b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 0, &off), H2F_OK);
    assert_int_equal(off, 0);
}

/* The third frame of a chain is judged from its header alone, by the rules
 * a header shows: length within max_frame_size (§4.2), the type's stream
 * (§6: 0 for PING, GOAWAY, SETTINGS; a stream for RST_STREAM, PRIORITY,
 * DATA...), the fixed lengths (§6.3-§6.9), the type's flags, no empty frame
 * but where senders send one, CONTINUATION only in an open block (§6.10).
 * Two PINGs, then one header: the input may go on (not `last`). */
static void test_resync_third_header_rules(void **state)
{
    static const char *const bad[] = {
        "004001 00 00 00000001", /* 16385 octets of DATA, past the default max */
        "000008 06 00 00000001", /* PING on a stream */
        "000007 06 00 00000000", /* PING of 7 */
        "000009 06 00 00000000", /* PING of 9 */
        "000008 07 00 00000001", /* GOAWAY on a stream */
        "000007 07 00 00000000", /* GOAWAY below 8 */
        "000005 04 00 00000000", /* SETTINGS not a multiple of 6 */
        "000006 04 01 00000000", /* SETTINGS ACK with a payload */
        "000003 08 00 00000001", /* WINDOW_UPDATE of 3 */
        "000005 08 00 00000001", /* WINDOW_UPDATE of 5 */
        "000004 03 00 00000000", /* RST_STREAM on stream 0 */
        "000005 03 00 00000001", /* RST_STREAM of 5 */
        "000005 02 00 00000000", /* PRIORITY on stream 0 */
        "000000 00 00 00000001", /* empty DATA without END_STREAM */
        "000001 00 02 00000001", /* DATA with a flag it does not define */
        "000000 01 05 00000001", /* empty HEADERS */
        "000008 0a 01 00000000", /* an unknown type with a flag */
        "000000 09 04 00000001", /* CONTINUATION with no block open */
    };
    static const char *const good[] = {
        "000004 08 00 00000000", /* WINDOW_UPDATE on the connection */
        "000008 07 00 00000000", /* GOAWAY */
        "000006 04 00 00000000", /* SETTINGS, one entry */
        "000000 04 01 00000000", /* SETTINGS ACK */
        "000004 03 00 00000003", /* RST_STREAM */
        "000005 02 00 00000001", /* PRIORITY */
        "000000 00 01 00000001", /* empty DATA with END_STREAM */
        "000008 0a 00 00000000", /* an unknown type, no flags (§5.5) */
        "004000 00 00 00000001", /* 16384 octets of DATA: at max */
    };
    static const char pings[] = "000008 06 00 00000000 0102030405060708"
                                "000008 06 01 00000000 0102030405060708";
    uint8_t b[128];
    char hex[512];
    size_t n, off, i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(hex, sizeof hex, "%s %s", pings, bad[i]);
        n = unhex(hex, b, sizeof b);
        /* no boundary at 0; at 1 a header that announces more than is here */
        assert_int_equal(h2f_frame_resync(b, n, 0, 0, &off), H2F_NEED_MORE);
        assert_int_equal(off, 1);
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(hex, sizeof hex, "%s %s", pings, good[i]);
        n = unhex(hex, b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 0, &off), H2F_OK);
        assert_int_equal(off, 0);
    }
}

/* §6.2: "A HEADERS frame without the END_HEADERS flag set MUST be followed
 * by a CONTINUATION frame for the same stream." One on another stream
 * breaks the chain; the CONTINUATION may then be the candidate. */
static void test_resync_continuation_on_the_blocks_stream(void **state)
{
    uint8_t b[128];
    size_t n, off;
    (void)state;
    n = unhex("000001 01 00 00000001 82  000001 09 04 00000003 84"
              "000008 06 00 00000000 0102030405060708  000008 06 01 00000000 0102030405060708",
              b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 10);
    b[18] = 1; /* the same stream: a chain from 0 */
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 0);
}

/* The candidate must be more than zeros and small numbers (false ones are
 * mostly DATA read across a header, ending where a real frame starts):
 * DATA and HEADERS on an odd stream below 2^24, no empty frame but SETTINGS,
 * DATA with END_STREAM, CONTINUATION with END_HEADERS. */
static void test_resync_candidate_rules(void **state)
{
    static const char *const skipped[] = {
        "000001 00 00 00000002 61",   /* DATA on an even stream: push */
        "000001 01 04 00000004 82",   /* HEADERS on an even stream */
        "000001 00 00 01000001 61",   /* DATA on stream 2^24 + 1 */
        "000000 00 00 00000001 ",     /* empty DATA without END_STREAM */
        "000000 01 04 00000001 ",     /* empty HEADERS */
        "000000 09 00 00000001 ",     /* empty CONTINUATION, block open */
    };
    static const char *const taken[] = {
        "000000 00 01 00000001 ",     /* empty DATA with END_STREAM */
        "000000 04 00 00000000 ",     /* empty SETTINGS */
        "000001 00 00 00ffffff 61",   /* DATA on stream 2^24 - 1 */
    };
    static const char tail[] = "000008 06 00 00000000 0102030405060708"
                               "000008 06 01 00000000 0102030405060708";
    uint8_t b[128];
    char hex[512];
    size_t n, off, i;
    (void)state;
    for (i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        snprintf(hex, sizeof hex, "%s %s", skipped[i], tail);
        n = unhex(hex, b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
        assert_int_equal(off, n - 34);
    }
    for (i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        snprintf(hex, sizeof hex, "%s %s", taken[i], tail);
        n = unhex(hex, b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
        assert_int_equal(off, 0);
    }
    /* at the end of the input, one whole frame confirms, not one empty one */
    n = unhex("ffff 000001 00 01 00000001 61", b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 2);
    n = unhex("ffff 000000 00 01 00000001", b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_NEED_MORE);
    assert_int_equal(off, n);
}

/* The candidate rules hold where the chain is shortest too: a frame the
 * candidate rules skip (DATA or HEADERS on an even stream, on one past
 * 2^24) is no boundary even as the one whole frame that ends the input
 * (`last`), and when more may come the search does not wait at it. */
static void test_resync_candidate_rules_for_the_last_frame(void **state)
{
    static const char *const skipped[] = {
        "000001 00 00 00000002 61",   /* DATA on an even stream */
        "000001 01 04 00000004 82",   /* HEADERS on an even stream */
        "000001 00 00 01000001 61",   /* DATA on stream 2^24 + 1 */
    };
    /* without `last`: the first octet where a frame that the input cuts
     * could still start (at 1 a header announcing 256 octets; at 2 fewer
     * than 9 octets are left, and 00 01 01 04... at 1 is no header) */
    static const size_t wait_at[] = {1, 2, 1};
    uint8_t b[64];
    size_t n, off, i;
    (void)state;
    for (i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        n = unhex(skipped[i], b, sizeof b);
        assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_NEED_MORE);
        assert_int_equal(off, n);
        assert_int_equal(h2f_frame_resync(b, n, 0, 0, &off), H2F_NEED_MORE);
        assert_int_equal(off, wait_at[i]);
    }
    /* the same frame on stream 1 is a boundary */
    n = unhex("000001 00 00 00000001 61", b, sizeof b);
    assert_int_equal(h2f_frame_resync(b, n, 0, 1, &off), H2F_OK);
    assert_int_equal(off, 0);
}

/* The input ends before the chain does: H2F_NEED_MORE, and the candidate's
 * offset (nothing before it can be a frame). With `last`, whole frames that
 * end exactly at the end confirm; anything else is no boundary. */
static void test_resync_at_the_end_of_input(void **state)
{
    uint8_t b[128];
    size_t n = unhex(resync_frames, b, sizeof b), off;
    (void)state;
    /* from octet 50 (in DATA): PING is the candidate, cut */
    assert_int_equal(h2f_frame_resync(b + 50, 20, 0, 0, &off), H2F_NEED_MORE);
    assert_int_equal(50 + off, 59);
    assert_int_equal(h2f_frame_resync(b + 50, 20, 0, 1, &off), H2F_NEED_MORE);
    assert_int_equal(off, 20);
    assert_int_equal(h2f_frame_resync(b + 50, n - 50, 0, 1, &off), H2F_OK);
    assert_int_equal(50 + off, 59);
    assert_int_equal(h2f_frame_resync(b, 0, 0, 1, &off), H2F_NEED_MORE);
    assert_int_equal(off, 0);
    assert_int_equal(h2f_frame_resync(NULL, 1, 0, 1, &off), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_resync(b, n, 1u << 24, 1, &off), H2F_ERR_INVALID_ARGUMENT);
}

/* h2frame.h: max_frame_size is any value up to 2^24-1 (§4.2: "the maximum
 * size of a frame payload ... 2^24-1"), 0 meaning 16384; a frame of
 * 2^24-1 octets is within the largest. */
static void test_resync_max_frame_size_range(void **state)
{
    static uint8_t big[9 + 1024];
    uint8_t b[128];
    size_t n = unhex(resync_frames, b, sizeof b), off = 99;
    (void)state;
    assert_int_equal(h2f_frame_resync(b + 1, n - 1, 16777215, 1, &off), H2F_OK);
    assert_int_equal(1 + off, 21);
    assert_int_equal(h2f_frame_resync(b + 1, n - 1, 0, 1, &off), H2F_OK);
    assert_int_equal(1 + off, 21);
    assert_int_equal(h2f_frame_resync(b, n, 16777216, 1, &off), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_frame_resync(b, n, UINT32_MAX, 1, &off), H2F_ERR_INVALID_ARGUMENT);
    /* a DATA header announcing 2^24-1 octets, then 1024 of them: waited
     * for under that maximum; under one less (or the default) no frame, so
     * nothing before the last 8 octets can start one */
    n = unhex("ffffff 00 00 00000001", big, sizeof big) + 1024;
    assert_int_equal(h2f_frame_resync(big, n, 16777215, 0, &off), H2F_NEED_MORE);
    assert_int_equal(off, 0);
    assert_int_equal(h2f_frame_resync(big, n, 16777214, 0, &off), H2F_NEED_MORE);
    assert_int_equal(off, n - 8);
    assert_int_equal(h2f_frame_resync(big, n, 0, 0, &off), H2F_NEED_MORE);
    assert_int_equal(off, n - 8);
}

/* On real connections (every recording in examples/captures), a cut
 * (every octet within 64 of a frame boundary, one in 61 deeper inside a
 * payload) finds the next real frame boundary — never another one. Only
 * within the last two frames may it find none: one whole frame left, or an
 * empty one, proves too little. nghttpd's side (SETTINGS, HEADERS, 40 KB of
 * DATA) is found from every cut. */
static void test_resync_on_real_captures(void **state)
{
    static const char *const files[] = {
        "curl-h2c-client", "curl-h2c-server", "curl-nghttpd-client", "curl-nghttpd-server",
        "grpc-client", "grpc-server", "nghttp-client", "nghttp-server",
        "nghttp-table-client", "nghttp-table-server"};
    size_t fi;
    (void)state;
    for (fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
        char path[128];
        size_t len, at[64], nat = 0, pos, k, off, i = 0, missed = 0;
        char *data;
        const uint8_t *p;
        snprintf(path, sizeof path, "examples/captures/%s.bin", files[fi]);
        data = read_file(path, &len);
        p = (const uint8_t *)data;
        pos = len >= H2F_PREFACE_LEN && memcmp(p, H2F_PREFACE, H2F_PREFACE_LEN) == 0
                  ? H2F_PREFACE_LEN
                  : 0;
        k = pos;
        while (pos < len && nat < 64) {
            h2f_frame_header hd;
            at[nat++] = pos;
            assert_int_equal(h2f_frame_header_decode(p + pos, len - pos, &hd), H2F_OK);
            pos += 9 + hd.length;
        }
        assert_int_equal(pos, len);
        assert_true(nat >= 4);
        for (; k < len; k++) {
            h2f_status st;
            while (i < nat && at[i] < k)
                i++;
            /* every cut near a boundary; inside long payloads, one in 61
             * (each cut there scans on to the end of the frame) */
            if (i > 0 && i < nat && k - at[i - 1] > 64 && at[i] - k > 64 && k % 61)
                continue;
            if (i == nat && k - at[nat - 1] > 64 && k % 61)
                continue;
            st = h2f_frame_resync(p + k, len - k, 0, 1, &off);
            if (st == H2F_OK) {
                assert_true(i < nat);
                assert_int_equal(k + off, at[i]);
            } else {
                assert_int_equal(st, H2F_NEED_MORE);
                assert_int_equal(off, len - k);
                assert_true(k > at[nat - 2]);
                missed += i < nat; /* inside the last frame there is none */
            }
        }
        if (strcmp(files[fi], "nghttp-server") == 0)
            assert_int_equal(missed, 0);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_header_encode_takes_24_bit_length_31_bit_stream),
        cmocka_unit_test(test_goaway_write_last_stream_id_is_31_bits),
        cmocka_unit_test(test_frame_header_fields),
        cmocka_unit_test(test_frame_header_reserved_bit_ignored_on_receive),
        cmocka_unit_test(test_frame_header_needs_9_octets),
        cmocka_unit_test(test_frame_parse_null_arguments),
        cmocka_unit_test(test_frame_parse_need_more_reports_size),
        cmocka_unit_test(test_frame_len_above_max_frame_size),
        cmocka_unit_test(test_frame_len_equal_max_frame_size_accepted),
        cmocka_unit_test(test_frame_len_against_raised_max_frame_size),
        cmocka_unit_test(test_rfc9113_6_1_data_layout),
        cmocka_unit_test(test_rfc9113_6_2_headers_layout),
        cmocka_unit_test(test_rfc9113_6_3_priority_layout),
        cmocka_unit_test(test_rfc9113_6_4_rst_stream_layout),
        cmocka_unit_test(test_rfc9113_6_5_settings_layout),
        cmocka_unit_test(test_rfc9113_6_5_settings_ack_layout),
        cmocka_unit_test(test_rfc9113_6_6_push_promise_layout),
        cmocka_unit_test(test_rfc9113_6_7_ping_layout),
        cmocka_unit_test(test_rfc9113_6_8_goaway_layout),
        cmocka_unit_test(test_rfc9113_6_9_window_update_layout),
        cmocka_unit_test(test_rfc9113_6_10_continuation_layout),
        cmocka_unit_test(test_unknown_frame_type_passes_through),
        cmocka_unit_test(test_undefined_flags_ignored),
        cmocka_unit_test(test_data_on_stream_0),
        cmocka_unit_test(test_headers_on_stream_0),
        cmocka_unit_test(test_priority_on_stream_0),
        cmocka_unit_test(test_rst_stream_on_stream_0),
        cmocka_unit_test(test_settings_on_nonzero_stream),
        cmocka_unit_test(test_push_promise_on_stream_0),
        cmocka_unit_test(test_ping_on_nonzero_stream),
        cmocka_unit_test(test_goaway_on_nonzero_stream),
        cmocka_unit_test(test_continuation_on_stream_0),
        cmocka_unit_test(test_priority_len_not_5),
        cmocka_unit_test(test_rst_stream_len_not_4),
        cmocka_unit_test(test_ping_len_not_8),
        cmocka_unit_test(test_window_update_len_not_4),
        cmocka_unit_test(test_goaway_len_below_8),
        cmocka_unit_test(test_settings_len_not_multiple_of_6),
        cmocka_unit_test(test_settings_ack_with_payload),
        cmocka_unit_test(test_data_padded_without_room_for_pad_length),
        cmocka_unit_test(test_headers_priority_flag_without_room),
        cmocka_unit_test(test_headers_padded_without_room_for_pad_length),
        cmocka_unit_test(test_push_promise_without_room_for_promised_id),
        cmocka_unit_test(test_too_short_for_pad_length_reason_names_the_type),
        cmocka_unit_test(test_data_pad_length_not_less_than_payload),
        cmocka_unit_test(test_headers_pad_length_exceeds_fragment),
        cmocka_unit_test(test_push_promise_pad_length_exceeds_fragment),
        cmocka_unit_test(test_window_update_increment_0_on_stream),
        cmocka_unit_test(test_window_update_increment_0_on_connection),
        cmocka_unit_test(test_settings_enable_push_not_0_or_1),
        cmocka_unit_test(test_settings_initial_window_size_above_2_31_minus_1),
        cmocka_unit_test(test_settings_max_frame_size_out_of_range),
        cmocka_unit_test(test_settings_enable_connect_protocol_not_0_or_1),
        cmocka_unit_test(test_settings_no_rfc7540_priorities_not_0_or_1),
        cmocka_unit_test(test_settings_unknown_id_ignored),
        cmocka_unit_test(test_settings_bad_value_in_later_entry),
        cmocka_unit_test(test_push_promise_promised_stream_0),
        cmocka_unit_test(test_priority_self_dependency),
        cmocka_unit_test(test_headers_self_dependency),
        cmocka_unit_test(test_reader_preface_then_settings),
        cmocka_unit_test(test_reader_invalid_preface),
        cmocka_unit_test(test_reader_invalid_preface_error_names_no_frame),
        cmocka_unit_test(test_reader_preface_detect),
        cmocka_unit_test(test_reader_preface_detect_says_whether_present),
        cmocka_unit_test(test_reader_preface_detect_frame_starting_with_p),
        cmocka_unit_test(test_reader_preface_detect_leftover_header_checked_first),
        cmocka_unit_test(test_frame_read_has_zero_in_fields_not_carried),
        cmocka_unit_test(test_reader_max_frame_size_raised_mid_frame),
        cmocka_unit_test(test_write_rejects_lengths_that_would_wrap),
        cmocka_unit_test(test_reader_without_preface),
        cmocka_unit_test(test_reader_first_frame_not_settings),
        cmocka_unit_test(test_reader_continuation_sequence),
        cmocka_unit_test(test_reader_other_frame_inside_field_block),
        cmocka_unit_test(test_reader_push_promise_then_continuation),
        cmocka_unit_test(test_reader_continuation_without_headers),
        cmocka_unit_test(test_reader_stream_error_keeps_field_block_open),
        cmocka_unit_test(test_reader_seen_frame_only_for_returned_frames),
        cmocka_unit_test(test_reader_data_pieces_at_every_cut),
        cmocka_unit_test(test_reader_data_pieces_padding_too_long),
        cmocka_unit_test(test_reader_data_pieces_header_rules),
        cmocka_unit_test(test_reader_data_pieces_one_octet_frame),
        cmocka_unit_test(test_reader_data_pieces_empty_frame_at_every_cut),
        cmocka_unit_test(test_reader_data_pieces_after_settings),
        cmocka_unit_test(test_reader_data_pieces_unpadded_have_no_pad_length),
        cmocka_unit_test(test_reader_data_pieces_padding_views),
        cmocka_unit_test(test_reader_data_pieces_stream_0_refused_before_payload),
        cmocka_unit_test(test_reader_oversized_frame_refused_from_header),
        cmocka_unit_test(test_reader_set_max_frame_size),
        cmocka_unit_test(test_reader_zero_copy_within_chunk),
        cmocka_unit_test(test_reader_feed_before_need_more_rejected),
        cmocka_unit_test(test_reader_offsets_without_a_reader),
        cmocka_unit_test(test_reader_init_rejects_bad_options),
        cmocka_unit_test(test_reader_allocator_hook_and_failure),
        cmocka_unit_test(test_reader_init_refuses_incomplete_allocator),
        cmocka_unit_test(test_reader_same_frames_at_any_split),
        cmocka_unit_test(test_write_round_trip_data),
        cmocka_unit_test(test_write_round_trip_headers),
        cmocka_unit_test(test_write_round_trip_priority_rst_window_update),
        cmocka_unit_test(test_write_round_trip_settings),
        cmocka_unit_test(test_write_round_trip_push_promise),
        cmocka_unit_test(test_write_round_trip_ping_goaway_continuation_unknown),
        cmocka_unit_test(test_write_reserved_bit_cleared),
        cmocka_unit_test(test_write_padding_is_zero_when_not_given),
        cmocka_unit_test(test_write_padding_as_given),
        cmocka_unit_test(test_write_no_padding_without_padded_flag),
        cmocka_unit_test(test_write_data_with_priority_bit_has_no_priority_fields),
        cmocka_unit_test(test_write_rejects_what_does_not_fit_the_wire),
        cmocka_unit_test(test_write_headers_priority_dependency_is_31_bits),
        cmocka_unit_test(test_write_push_promise_largest_promised_id),
        cmocka_unit_test(test_write_null_arguments),
        cmocka_unit_test(test_settings_write),
        cmocka_unit_test(test_write_into_a_buffer_of_exactly_the_size),
        cmocka_unit_test(test_settings_write_entries_fit_24_bit_length),
        cmocka_unit_test(test_settings_get_range_is_the_count),
        cmocka_unit_test(test_settings_get_never_reads_past_the_entries),
        cmocka_unit_test(test_error_code_names_match_rfc9113_section_7),
        cmocka_unit_test(test_status_and_scope_names),
        cmocka_unit_test(test_frame_type_and_setting_names),
        cmocka_unit_test(test_resync_finds_the_next_boundary),
        cmocka_unit_test(test_resync_needs_a_chain),
        cmocka_unit_test(test_resync_continuation_needs_an_open_block),
        cmocka_unit_test(test_resync_header_rules),
        cmocka_unit_test(test_resync_priority_needs_a_stream),
        cmocka_unit_test(test_resync_undefined_flags_not_a_boundary),
        cmocka_unit_test(test_resync_reserved_bit_only),
        cmocka_unit_test(test_resync_third_header_rules),
        cmocka_unit_test(test_resync_continuation_on_the_blocks_stream),
        cmocka_unit_test(test_resync_candidate_rules),
        cmocka_unit_test(test_resync_candidate_rules_for_the_last_frame),
        cmocka_unit_test(test_resync_at_the_end_of_input),
        cmocka_unit_test(test_resync_max_frame_size_range),
        cmocka_unit_test(test_resync_on_real_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
