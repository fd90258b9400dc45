/*
 * Tests for stream.c: header lists framed as HEADERS + CONTINUATION, bodies
 * as DATA frames. Every result is read back with the frame reader (whole,
 * byte by byte, random splits) and the HPACK decoder.
 */
#include "harness.h"

static const h2f_reader_options any_first = {H2F_MAX_MAX_FRAME_SIZE, H2F_PREFACE_NONE, 1, 0};

/* Reads frames back from buf, checks the frame layout rules and returns the
 * concatenated field block and the frames' flags and lengths. */
typedef struct readback {
    int frames;
    uint8_t types[64], flags[64];
    uint32_t lens[64];
    uint8_t block[1 << 17];
    size_t block_len;
    uint8_t data[1 << 17];
    size_t data_len;
} readback;

static void read_back(const uint8_t *buf, size_t n, readback *rb)
{
    h2f_reader rd;
    h2f_frame f;
    h2f_error e;
    h2f_status st;
    run_result rr = run_reader(buf, n, &any_first); /* split-invariant, no error */
    assert_int_equal(rr.errors, 0);
    run_result_free(&rr);
    memset(rb, 0, sizeof *rb);
    assert_int_equal(h2f_reader_init(&rd, &any_first, NULL), H2F_OK);
    assert_int_equal(h2f_reader_feed(&rd, buf, n), H2F_OK);
    while ((st = h2f_reader_next(&rd, &f, &e)) == H2F_OK) {
        h2f_bytes part = {NULL, 0};
        assert_true(rb->frames < 64);
        rb->types[rb->frames] = f.hd.type;
        rb->flags[rb->frames] = f.hd.flags;
        rb->lens[rb->frames] = f.hd.length;
        rb->frames++;
        if (f.hd.type == H2F_HEADERS)
            part = f.headers.block;
        else if (f.hd.type == H2F_CONTINUATION)
            part = f.continuation.block;
        if (part.len) {
            memcpy(rb->block + rb->block_len, part.ptr, part.len);
            rb->block_len += part.len;
        }
        if (f.hd.type == H2F_DATA && f.data.data.len) {
            memcpy(rb->data + rb->data_len, f.data.data.ptr, f.data.data.len);
            rb->data_len += f.data.data.len;
        }
    }
    assert_int_equal(st, H2F_NEED_MORE);
    h2f_reader_free(&rd);
}

/* Decodes a block and checks it gives the fields back. */
static void expect_fields(const uint8_t *block, size_t n, const h2f_header *h, size_t count)
{
    h2f_hpack_decoder d;
    h2f_hpack_field f;
    h2f_error e;
    size_t i = 0;
    assert_int_equal(h2f_hpack_decoder_init(&d, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_hpack_decode_feed(&d, block, n, 1), H2F_OK);
    while (h2f_hpack_decode_next(&d, &f, &e) == H2F_OK) {
        assert_true(i < count);
        assert_int_equal(f.name.len, h[i].name.len);
        assert_memory_equal(f.name.ptr, h[i].name.ptr, f.name.len);
        assert_int_equal(f.value.len, h[i].value.len);
        if (f.value.len)
            assert_memory_equal(f.value.ptr, h[i].value.ptr, f.value.len);
        i++;
    }
    assert_int_equal(i, count);
    h2f_hpack_decoder_free(&d);
}

static h2f_header field(const char *name, const char *value)
{
    h2f_header h;
    h.name.ptr = (const uint8_t *)name;
    h.name.len = strlen(name);
    h.value.ptr = (const uint8_t *)value;
    h.value.len = strlen(value);
    h.flags = 0;
    return h;
}

/* ---- issue 15: gaps 11-20 ---- */

/* §6.2: with the PRIORITY flag the HEADERS frame carries "Exclusive: A
 * single-bit flag", "Stream Dependency: A 31-bit stream identifier" and
 * "Weight": h2f_write_headers writes them as given, read back by the frame
 * parser; a dependency above 2^31-1 does not fit. */
static void test_headers_priority_fields_read_back(void **state)
{
    static const struct {
        uint32_t dep;
        uint8_t exclusive, weight;
    } cases[] = {{0x7fffffff, 0, 0}, {0x7fffffff, 1, 255}, {0, 1, 15}, {0x01020304, 0, 200},
                 {0x01020304, 1, 1}};
    uint8_t out[256];
    h2f_header h = field(":method", "GET");
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h2f_priority pr = {cases[i].dep, cases[i].exclusive, cases[i].weight};
        h2f_headers_options o = {5, 0, 0, 0, 0, &pr};
        h2f_hpack_encoder e;
        h2f_frame f;
        h2f_error err;
        size_t w, consumed;
        assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
        assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_OK);
        assert_int_equal(h2f_frame_parse(out, w, 16384, &f, &consumed, &err), H2F_OK);
        assert_int_equal(consumed, w);
        assert_int_equal(f.hd.flags, H2F_FLAG_END_HEADERS | H2F_FLAG_PRIORITY);
        assert_int_equal(f.headers.priority.stream_dependency, cases[i].dep);
        assert_int_equal(f.headers.priority.exclusive, cases[i].exclusive);
        assert_int_equal(f.headers.priority.weight, cases[i].weight);
        /* on the wire: E bit, 31 bits, weight, then the block */
        assert_int_equal(out[9] >> 7, cases[i].exclusive);
        assert_int_equal(((uint32_t)(out[9] & 0x7f) << 24 | (uint32_t)out[10] << 16 |
                          (uint32_t)out[11] << 8 | out[12]), cases[i].dep);
        assert_int_equal(out[13], cases[i].weight);
        expect_fields(f.headers.block.ptr, f.headers.block.len, &h, 1);
        pr.stream_dependency = 0x80000000u;
        assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w),
                         H2F_ERR_INVALID_ARGUMENT);
        h2f_hpack_encoder_free(&e);
    }
}

static void test_headers_fit_one_frame(void **state)
{
    static uint8_t out[4096];
    static readback rb;
    h2f_hpack_encoder e;
    h2f_header h[3];
    h2f_headers_options o = {1, 0, 1, 0, 0, NULL};
    size_t w;
    (void)state;
    h[0] = field(":method", "GET");
    h[1] = field(":path", "/index.html");
    h[2] = field("user-agent", "h2frame-test");
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_write_headers(&e, h, 3, &o, out, sizeof out, &w), H2F_OK);
    read_back(out, w, &rb);
    assert_int_equal(rb.frames, 1);
    assert_int_equal(rb.types[0], H2F_HEADERS);
    assert_int_equal(rb.flags[0], H2F_FLAG_END_STREAM | H2F_FLAG_END_HEADERS);
    expect_fields(rb.block, rb.block_len, h, 3);
    h2f_hpack_encoder_free(&e);
}

/* A block larger than the peer's frame size: HEADERS, then CONTINUATION
 * frames of at most that size, END_HEADERS only on the last; END_STREAM on
 * the HEADERS frame; padding and priority only there. */
static void test_headers_split_into_continuation(void **state)
{
    static uint8_t out[1 << 17];
    static readback rb;
    static char big[3][20000];
    h2f_hpack_encoder e;
    h2f_header h[4];
    h2f_priority pr = {3, 1, 200};
    int variant;
    (void)state;
    memset(big, 'v', sizeof big);
    big[0][12000] = big[1][12000] = big[2][9000] = 0; /* under the decoder's 16384 limit */
    for (variant = 0; variant < 4; variant++) {
        h2f_headers_options o = {7, 16384, 1, (uint8_t)(variant & 1), 33,
                                 (variant & 2) ? &pr : NULL};
        size_t w, i, bound;
        h[0] = field(":status", "200");
        h[1] = field("x-a", big[0]);
        h[2] = field("x-b", big[1]);
        h[3] = field("x-c", big[2]);
        h[1].flags = h[2].flags = h[3].flags = H2F_HPACK_NO_HUFFMAN;
        assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
        bound = h2f_write_headers_bound(&e, h, 4, &o);
        assert_int_equal(h2f_write_headers(&e, h, 4, &o, out, bound - 1, &w),
                         H2F_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(w, bound);
        assert_int_equal(e.table.count, 0); /* nothing changed */
        memset(out, 0xee, sizeof out);
        assert_int_equal(h2f_write_headers(&e, h, 4, &o, out, sizeof out, &w), H2F_OK);
        assert_true(w <= bound);
        assert_int_equal(out[w], 0xee);
        read_back(out, w, &rb);
        assert_int_equal(rb.frames, 3); /* 33 KB in 16 KB frames */
        assert_int_equal(rb.types[0], H2F_HEADERS);
        assert_int_equal(rb.flags[0], H2F_FLAG_END_STREAM | ((variant & 1) ? H2F_FLAG_PADDED : 0) |
                                          ((variant & 2) ? H2F_FLAG_PRIORITY : 0));
        assert_int_equal(rb.lens[0], 16384);
        for (i = 1; i < 3; i++) {
            assert_int_equal(rb.types[i], H2F_CONTINUATION);
            assert_int_equal(rb.flags[i], i == 2 ? H2F_FLAG_END_HEADERS : 0);
            assert_true(rb.lens[i] <= 16384);
        }
        assert_int_equal(rb.lens[1], 16384);
        expect_fields(rb.block, rb.block_len, h, 4);
        h2f_hpack_encoder_free(&e);
    }
}

/* §6.2: "Padding octets MUST be set to zero when sending." The HEADERS
 * frame's padding is zeros whatever the buffer held, in one frame and
 * before CONTINUATION frames, after the priority fields or not; and a
 * buffer of exactly the bound is enough. */
static void test_headers_padding_octets_are_zero(void **state)
{
    static uint8_t out[1 << 16];
    static char big[20001];
    h2f_hpack_encoder e;
    h2f_header h[2];
    h2f_priority pr = {1, 1, 7};
    int variant;
    (void)state;
    memset(big, 'z', sizeof big - 1);
    for (variant = 0; variant < 4; variant++) {
        int split = variant & 1;
        h2f_headers_options o = {3, 0, 0, 1, 40, (variant & 2) ? &pr : NULL};
        size_t w, bound, i, n = split ? 2 : 1;
        h2f_frame f;
        size_t consumed;
        h[0] = field(":status", "204");
        h[1] = field("x-big", big);
        h[1].flags = H2F_HPACK_NO_HUFFMAN;
        assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
        bound = h2f_write_headers_bound(&e, h, n, &o);
        memset(out, 0xee, sizeof out);
        assert_int_equal(h2f_write_headers(&e, h, n, &o, out, bound, &w), H2F_OK);
        assert_true(w <= bound);
        assert_int_equal(h2f_frame_parse(out, w, 16384, &f, &consumed, NULL), H2F_OK);
        assert_int_equal(f.hd.type, H2F_HEADERS);
        assert_int_equal(f.hd.flags & H2F_FLAG_PADDED, H2F_FLAG_PADDED);
        assert_int_equal(f.hd.flags & H2F_FLAG_END_HEADERS, split ? 0 : H2F_FLAG_END_HEADERS);
        assert_int_equal(f.pad_length, 40);
        assert_int_equal(f.padding.len, 40);
        assert_int_equal(consumed, split ? 9 + 16384 : w);
        for (i = 0; i < 40; i++)
            assert_int_equal(f.padding.ptr[i], 0);
        /* the padding ends the HEADERS frame */
        assert_ptr_equal(f.padding.ptr + 40, out + consumed);
        if (variant & 2) {
            assert_int_equal(f.headers.priority.stream_dependency, 1);
            assert_int_equal(f.headers.priority.weight, 7);
        }
        if (split) /* a CONTINUATION header follows */
            assert_memory_equal(out + consumed + 3, "\x09\x04\x00\x00\x00\x03", 6);
        else
            assert_int_equal(out[w], 0xee);
        h2f_hpack_encoder_free(&e);
    }
}

/* h2f_write_headers_bound must hold for any block the encoder may make,
 * up to h2f_hpack_encode_bound octets B: §6.2, §6.10 put B octets in a
 * HEADERS frame of (max - Pad Length field - priority - padding) octets of
 * block, then CONTINUATION frames of up to max; the bound is B, the fixed
 * fields, the padding and 9 octets a frame. Checked for B on both sides of
 * each frame's edge, padded or not. */
static void test_headers_bound_counts_the_frames_of_the_block_bound(void **state)
{
    static char value[3 * 16384 + 600];
    h2f_hpack_encoder e;
    h2f_priority pr = {0, 0, 15};
    int variant;
    (void)state;
    memset(value, 'v', sizeof value - 1);
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    for (variant = 0; variant < 4; variant++) {
        h2f_headers_options o = {1, 16384, 0, (uint8_t)(variant & 1), (uint8_t)((variant & 1) ? 255 : 0),
                                 (variant & 2) ? &pr : NULL};
        size_t fixed = ((variant & 1) ? 1 + 255 : 0) + ((variant & 2) ? 5 : 0);
        size_t first_room = 16384 - fixed, edge;
        for (edge = 0; edge < 3; edge++) {
            size_t at = first_room + edge * 16384, b;
            for (b = at - 300; b <= at + 300; b++) {
                h2f_header h = field("x-v", "");
                size_t block, frames;
                h.value.ptr = (const uint8_t *)value;
                h.value.len = b - 33; /* B near b (about 33 octets beyond the value) */
                block = h2f_hpack_encode_bound(&e, &h, 1);
                assert_true(block >= b - 33 && block != SIZE_MAX);
                frames = block <= first_room ? 1 : 1 + (block - first_room + 16383) / 16384;
                assert_int_equal(h2f_write_headers_bound(&e, &h, 1, &o), block + fixed + 9 * frames);
            }
        }
    }
    h2f_hpack_encoder_free(&e);
}

static void test_headers_reject_bad_arguments(void **state)
{
    uint8_t out[256];
    size_t w;
    h2f_hpack_encoder e;
    h2f_header h = field(":method", "GET");
    h2f_headers_options o = {0, 0, 0, 0, 0, NULL};
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    o.stream_id = 1;
    o.max_frame_size = 100;
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    h2f_hpack_encoder_free(&e);
}

/* §4.1, §5.1.1: "Stream Identifier: A stream identifier ... expressed as an
 * unsigned 31-bit integer": 2^31-1 is the last stream a HEADERS frame can
 * name; 2^31 and above do not fit and are refused, nothing written. */
static void test_headers_stream_id_is_31_bits(void **state)
{
    static const uint32_t refused[] = {0x80000000u, 0x80000001u, 0xffffffffu};
    uint8_t out[256];
    h2f_hpack_encoder e;
    h2f_header h = field(":method", "GET");
    h2f_headers_options o = {0x7fffffff, 0, 1, 0, 0, NULL};
    h2f_frame f;
    size_t w, consumed, i;
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 10);
    assert_memory_equal(out, "\x00\x00\x01\x01\x05\x7f\xff\xff\xff\x82", 10);
    assert_int_equal(h2f_frame_parse(out, w, 16384, &f, &consumed, NULL), H2F_OK);
    assert_int_equal(f.hd.stream_id, 0x7fffffff);
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        o.stream_id = refused[i];
        memset(out, 0xee, sizeof out);
        assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w),
                         H2F_ERR_INVALID_ARGUMENT);
        assert_int_equal(out[0], 0xee);
    }
    h2f_hpack_encoder_free(&e);
}

/* The arguments h2f_write_headers cannot use (h2frame.h: "the caller passed
 * something unusable"): no encoder, no options, nowhere to say the size,
 * no buffer but a capacity, no fields but a count. Each is
 * H2F_ERR_INVALID_ARGUMENT; and no bound exists for them (SIZE_MAX, as
 * h2f_hpack_encode_bound gives), nor for a frame size outside
 * 16384..2^24-1 (RFC 9113 §6.5.2 SETTINGS_MAX_FRAME_SIZE). */
static void test_headers_unusable_arguments_refused(void **state)
{
    uint8_t out[256];
    size_t w = 777;
    h2f_hpack_encoder e;
    h2f_header h = field(":method", "GET");
    h2f_headers_options o = {1, 0, 0, 0, 0, NULL}, bad = o;
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    assert_int_equal(h2f_write_headers(NULL, &h, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_headers(&e, &h, 1, NULL, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, NULL), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, NULL, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_headers(&e, NULL, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(w, 777);
    assert_true(h2f_write_headers_bound(NULL, &h, 1, &o) == SIZE_MAX);
    assert_true(h2f_write_headers_bound(&e, &h, 1, NULL) == SIZE_MAX);
    assert_true(h2f_write_headers_bound(&e, NULL, 1, &o) == SIZE_MAX);
    bad.max_frame_size = 16383;
    assert_true(h2f_write_headers_bound(&e, &h, 1, &bad) == SIZE_MAX);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &bad, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    bad.max_frame_size = 1u << 24;
    assert_true(h2f_write_headers_bound(&e, &h, 1, &bad) == SIZE_MAX);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &bad, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    bad.max_frame_size = (1u << 24) - 1;
    assert_int_equal(h2f_write_headers(&e, &h, 1, &bad, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 10);
    /* no buffer and no capacity: a size query */
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, NULL, 0, &w), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(w, h2f_write_headers_bound(&e, &h, 1, &o));
    h2f_hpack_encoder_free(&e);
}

/* An encoder without its tables (freed, or its init failed) cannot encode
 * (h2f_hpack_encode: H2F_ERR_INVALID_ARGUMENT); h2f_write_headers passes
 * that on and writes nothing. */
static void *no_alloc(size_t n, void *u) { (void)n; (void)u; return NULL; }
static void *no_realloc(void *p, size_t n, void *u) { (void)p; (void)n; (void)u; return NULL; }
static void no_free(void *p, void *u) { (void)p; (void)u; }

static void test_headers_unusable_encoder_refused(void **state)
{
    static const h2f_allocator none = {no_alloc, no_realloc, no_free, NULL};
    uint8_t out[256];
    size_t w = 777;
    h2f_hpack_encoder e;
    h2f_header h = field(":method", "GET");
    h2f_headers_options o = {1, 0, 0, 0, 0, NULL};
    (void)state;
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, &none), H2F_ERR_NOMEM);
    memset(out, 0xee, sizeof out);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(w, 777);
    assert_int_equal(out[0], 0xee);
    assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
    h2f_hpack_encoder_free(&e);
    assert_int_equal(h2f_write_headers(&e, &h, 1, &o, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(w, 777);
    assert_int_equal(out[0], 0xee);
}

static void test_data_split_by_frame_size(void **state)
{
    static uint8_t body[40000], out[1 << 17];
    static readback rb;
    size_t w, i;
    (void)state;
    for (i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)i;
    assert_int_equal(h2f_write_data(3, body, sizeof body, 1, 16384, out, 100, &w),
                     H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(w, sizeof body + 3 * 9);
    assert_int_equal(h2f_write_data(3, body, sizeof body, 1, 16384, out, sizeof out, &w), H2F_OK);
    read_back(out, w, &rb);
    assert_int_equal(rb.frames, 3);
    assert_int_equal(rb.lens[0], 16384);
    assert_int_equal(rb.lens[1], 16384);
    assert_int_equal(rb.lens[2], 40000 - 32768);
    assert_int_equal(rb.flags[0], 0);
    assert_int_equal(rb.flags[1], 0);
    assert_int_equal(rb.flags[2], H2F_FLAG_END_STREAM);
    assert_int_equal(rb.data_len, sizeof body);
    assert_memory_equal(rb.data, body, sizeof body);
    /* an exact multiple: no empty frame after it */
    assert_int_equal(h2f_write_data(3, body, 32768, 0, 0, out, sizeof out, &w), H2F_OK);
    read_back(out, w, &rb);
    assert_int_equal(rb.frames, 2);
    assert_int_equal(rb.flags[1], 0); /* no END_STREAM asked */
}

static void test_data_empty_end_stream(void **state)
{
    uint8_t out[16];
    size_t w;
    (void)state;
    assert_int_equal(h2f_write_data(5, NULL, 0, 1, 0, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 9);
    assert_int_equal(out[4], H2F_FLAG_END_STREAM);
    assert_int_equal(h2f_write_data(0, NULL, 0, 1, 0, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
}

/* §4.1, §5.1.1: a stream identifier is 31 bits: DATA on stream 2^31-1 is
 * written, on 2^31 refused; and §6.5.2: frames of at most
 * SETTINGS_MAX_FRAME_SIZE, a value in 16384..2^24-1 (0 = 16384 here). */
static void test_data_stream_id_and_frame_size_ranges(void **state)
{
    uint8_t out[32];
    size_t w = 777;
    (void)state;
    assert_int_equal(h2f_write_data(0x7fffffff, (const uint8_t *)"x", 1, 1, 0, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 10);
    assert_memory_equal(out, "\x00\x00\x01\x00\x01\x7f\xff\xff\xff" "x", 10);
    w = 777;
    assert_int_equal(h2f_write_data(0x80000000u, (const uint8_t *)"x", 1, 1, 0, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(0xffffffffu, (const uint8_t *)"x", 1, 1, 0, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, (const uint8_t *)"x", 1, 1, 16383, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, (const uint8_t *)"x", 1, 1, 1u << 24, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, NULL, 1, 1, 0, out, sizeof out, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, (const uint8_t *)"x", 1, 1, 0, NULL, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(w, 777);
    assert_int_equal(h2f_write_data(1, (const uint8_t *)"x", 1, 1, 0, out, sizeof out, NULL),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, (const uint8_t *)"x", 1, 1, (1u << 24) - 1, out, sizeof out, &w),
                     H2F_OK);
    assert_int_equal(w, 10);
}

/* §6.1: DATA frames of at most the frame size: one octet is one frame of
 * length 1; one octet past the frame size is a full frame and a frame of 1
 * (END_STREAM on it). The size said is the octets written, and a buffer
 * one short is refused with nothing written. */
static void test_data_one_octet_past_a_frame(void **state)
{
    static uint8_t body[16385], out[16385 + 18 + 1];
    static readback rb;
    size_t w, i;
    (void)state;
    for (i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)(i * 7);
    memset(out, 0xee, sizeof out);
    assert_int_equal(h2f_write_data(3, body, 1, 0, 0, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 10);
    assert_memory_equal(out, "\x00\x00\x01\x00\x00\x00\x00\x00\x03", 9);
    assert_int_equal(out[9], body[0]);
    assert_int_equal(out[10], 0xee);
    memset(out, 0xee, sizeof out);
    assert_int_equal(h2f_write_data(3, body, 16385, 1, 16384, out, 16385 + 18 - 1, &w),
                     H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(w, 16385 + 18);
    assert_int_equal(out[0], 0xee);
    assert_int_equal(h2f_write_data(3, body, 16385, 1, 16384, out, sizeof out, &w), H2F_OK);
    assert_int_equal(w, 16385 + 18);
    assert_int_equal(out[w], 0xee);
    read_back(out, w, &rb);
    assert_int_equal(rb.frames, 2);
    assert_int_equal(rb.lens[0], 16384);
    assert_int_equal(rb.lens[1], 1);
    assert_int_equal(rb.flags[0], 0);
    assert_int_equal(rb.flags[1], H2F_FLAG_END_STREAM);
    assert_int_equal(rb.data_len, sizeof body);
    assert_memory_equal(rb.data, body, sizeof body);
}

/* h2frame.h: H2F_ERR_BUFFER_TOO_SMALL only "when cap is below" the size: a
 * buffer of exactly the octets the DATA frames take is enough. */
static void test_data_buffer_of_exactly_the_size(void **state)
{
    static uint8_t body[20000], out[20000 + 18 + 1];
    size_t w, len;
    static const size_t lens[] = {0, 1, 16384, 16385, 20000};
    size_t i;
    (void)state;
    memset(body, 'b', sizeof body);
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        len = lens[i];
        w = len + (len > 16384 ? 18 : 9);
        memset(out, 0xee, sizeof out);
        assert_int_equal(h2f_write_data(1, body, len, 1, 0, out, w, &w), H2F_OK);
        assert_int_equal(w, len + (len > 16384 ? 18 : 9));
        assert_int_equal(out[w], 0xee);
        assert_int_equal(out[4], len > 16384 ? 0 : H2F_FLAG_END_STREAM);
    }
}

/* The octets a body takes (its length plus 9 a frame) must be a size_t:
 * the largest length whose frames fit is measured exactly (*written =
 * SIZE_MAX), one more is refused, and so is a length whose frame count
 * would wrap (the data are not read: nothing fits cap). */
static void test_data_size_past_size_max_refused(void **state)
{
    static const uint8_t any[1];
    uint8_t out[32];
    size_t w, frames = SIZE_MAX / (16384 + 9) + 1, len = SIZE_MAX - 9 * frames;
    (void)state;
    /* len takes exactly `frames` frames of 16384 (the last one partial) */
    assert_true(len > (frames - 1) * 16384 && len <= frames * 16384);
    assert_int_equal(h2f_write_data(1, any, len, 0, 16384, out, sizeof out, &w),
                     H2F_ERR_BUFFER_TOO_SMALL);
    assert_true(w == SIZE_MAX);
    w = 777;
    assert_int_equal(h2f_write_data(1, any, len + 1, 0, 16384, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, any, SIZE_MAX - 16383, 0, 16384, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_data(1, any, SIZE_MAX, 0, 0, out, sizeof out, &w),
                     H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(w, 777);
}

/* ---- control frames ------------------------------------------------------ */

/* Each writer gives the RFC's bytes (§6.4, §6.7, §6.8, §6.9), reads back
 * with the frame parser, and refuses what the wire cannot carry. */
static void test_control_frame_writers(void **state)
{
    uint8_t buf[64], ref[64];
    size_t w, n;
    h2f_frame f;
    (void)state;
    assert_int_equal(h2f_write_window_update(3, 0x12345, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000004 08 00 00000003 00012345", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_rst_stream(5, H2F_CANCEL, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000004 03 00 00000005 00000008", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_goaway(7, H2F_ENHANCE_YOUR_CALM, (const uint8_t *)"bye", 3, buf,
                                      sizeof buf, &w), H2F_OK);
    n = unhex("00000b 07 00 00000000 00000007 0000000b 627965", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_ping((const uint8_t *)"12345678", 1, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000008 06 01 00000000 3132333435363738", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
    assert_int_equal(f.hd.flags, H2F_FLAG_ACK);
    /* too small: nothing past cap, the size needed said */
    assert_int_equal(h2f_write_ping(NULL, 0, buf, 16, &w), H2F_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(w, 17);
    /* what the wire cannot say */
    assert_int_equal(h2f_write_window_update(1, 0, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_window_update(1, 0x80000000u, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_rst_stream(0, 0, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_goaway(1, 0, NULL, 3, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
}

/* §6.9: "The legal range for the increment to the flow-control window is 1
 * to 2^31-1 (2,147,483,647) octets." The largest is written, one more is
 * refused; stream ids (§5.1.1) and GOAWAY's last stream id (§6.8) are 31
 * bits the same way. */
static void test_control_frames_at_their_largest_values(void **state)
{
    uint8_t buf[32], ref[32];
    size_t w, n;
    (void)state;
    assert_int_equal(h2f_write_window_update(0, 0x7fffffff, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000004 08 00 00000000 7fffffff", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_window_update(0x7fffffff, 1, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000004 08 00 7fffffff 00000001", ref, sizeof ref);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_window_update(0, 0x80000000u, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_window_update(0x80000000u, 1, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_rst_stream(0x7fffffff, H2F_NO_ERROR, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000004 03 00 7fffffff 00000000", ref, sizeof ref);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_rst_stream(0x80000000u, H2F_NO_ERROR, buf, sizeof buf, &w), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_write_goaway(0x7fffffff, H2F_NO_ERROR, NULL, 0, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000008 07 00 00000000 7fffffff 00000000", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_goaway(0x80000000u, H2F_NO_ERROR, NULL, 0, buf, sizeof buf, &w),
                     H2F_ERR_INVALID_ARGUMENT);
}

/* §6.7: "ACK (0x01): When set, the ACK flag indicates that this PING frame
 * is a PING response." A PING that is not a response carries no flag; with
 * no opaque data given it sends eight zero octets. */
static void test_ping_request_has_no_flags(void **state)
{
    uint8_t buf[32], ref[32];
    size_t w, n;
    (void)state;
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(h2f_write_ping(NULL, 0, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000008 06 00 00000000 0000000000000000", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(buf[n], 0xee);
    assert_int_equal(h2f_write_ping((const uint8_t *)"abcdefgh", 0, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000008 06 00 00000000 6162636465666768", ref, sizeof ref);
    assert_int_equal(w, n);
    assert_memory_equal(buf, ref, n);
    assert_int_equal(h2f_write_ping(NULL, 1, buf, sizeof buf, &w), H2F_OK);
    n = unhex("000008 06 01 00000000 0000000000000000", ref, sizeof ref);
    assert_memory_equal(buf, ref, n);
}

/* ---- the peer's SETTINGS ------------------------------------------------- */

static void test_peer_settings_initial_values_and_apply(void **state)
{
    h2f_peer_settings ps;
    h2f_setting list[4] = {{H2F_SETTINGS_INITIAL_WINDOW_SIZE, 100000},
                           {H2F_SETTINGS_MAX_FRAME_SIZE, 32768},
                           {0x99, 7},
                           {H2F_SETTINGS_INITIAL_WINDOW_SIZE, 1000}};
    uint8_t buf[64];
    size_t w, n;
    h2f_frame f;
    int64_t delta;
    (void)state;
    h2f_peer_settings_init(&ps);
    /* §6.5.2's initial values */
    assert_int_equal(ps.header_table_size, 4096);
    assert_int_equal(ps.enable_push, 1);
    assert_int_equal(ps.max_concurrent_streams, UINT32_MAX);
    assert_int_equal(ps.initial_window_size, 65535);
    assert_int_equal(ps.max_frame_size, 16384);
    assert_int_equal(ps.max_header_list_size, UINT32_MAX);
    assert_int_equal(h2f_settings_write(list, 4, 0, buf, sizeof buf, &w), H2F_OK);
    assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
    assert_int_equal(h2f_peer_settings_apply(&ps, &f, &delta), H2F_OK);
    /* in order: the last INITIAL_WINDOW_SIZE wins, the delta is the net
     * change; the unknown id is ignored */
    assert_int_equal(ps.initial_window_size, 1000);
    assert_int_equal(delta, 1000 - 65535);
    assert_int_equal(ps.max_frame_size, 32768);
    /* an ACK is not settings */
    assert_int_equal(h2f_settings_write(NULL, 0, H2F_FLAG_ACK, buf, sizeof buf, &w), H2F_OK);
    assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
    assert_int_equal(h2f_peer_settings_apply(&ps, &f, &delta), H2F_ERR_INVALID_ARGUMENT);
}

/* §6.5.2, §6.5.3: "Each parameter in a SETTINGS frame replaces any existing
 * value for that parameter": each defined parameter, alone in its frame (so
 * also as the first entry), replaces the value it names and only that one;
 * only INITIAL_WINDOW_SIZE moves the send windows (§6.9.2). */
static void test_peer_settings_each_parameter_alone(void **state)
{
    static const struct {
        uint16_t id;
        uint32_t value;
        size_t field; /* offset in h2f_peer_settings */
    } cases[] = {
        {H2F_SETTINGS_HEADER_TABLE_SIZE, 100, offsetof(h2f_peer_settings, header_table_size)},
        {H2F_SETTINGS_ENABLE_PUSH, 0, offsetof(h2f_peer_settings, enable_push)},
        {H2F_SETTINGS_MAX_CONCURRENT_STREAMS, 7, offsetof(h2f_peer_settings, max_concurrent_streams)},
        {H2F_SETTINGS_INITIAL_WINDOW_SIZE, 70000, offsetof(h2f_peer_settings, initial_window_size)},
        {H2F_SETTINGS_MAX_FRAME_SIZE, 20000, offsetof(h2f_peer_settings, max_frame_size)},
        {H2F_SETTINGS_MAX_HEADER_LIST_SIZE, 8192, offsetof(h2f_peer_settings, max_header_list_size)},
        {H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1, offsetof(h2f_peer_settings, enable_connect_protocol)},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h2f_peer_settings ps, want;
        h2f_setting one = {cases[i].id, cases[i].value};
        uint8_t buf[32];
        size_t w, n;
        h2f_frame f;
        int64_t delta = 99;
        h2f_peer_settings_init(&ps);
        want = ps;
        memcpy((uint8_t *)&want + cases[i].field, &cases[i].value, sizeof(uint32_t));
        assert_int_equal(h2f_settings_write(&one, 1, 0, buf, sizeof buf, &w), H2F_OK);
        assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
        assert_int_equal(h2f_peer_settings_apply(&ps, &f, &delta), H2F_OK);
        assert_memory_equal(&ps, &want, sizeof ps);
        assert_true(delta == (cases[i].id == H2F_SETTINGS_INITIAL_WINDOW_SIZE ? 70000 - 65535 : 0));
    }
}

/* h2frame.h: h2f_peer_settings_apply takes a SETTINGS frame that is not an
 * ACK (§6.5: an ACK "MUST" have an empty payload, it carries no values):
 * any other frame, or no frame, is H2F_ERR_INVALID_ARGUMENT and changes
 * nothing. */
static void test_peer_settings_apply_refuses_other_frames(void **state)
{
    h2f_peer_settings ps, before;
    uint8_t buf[64];
    size_t w, n;
    h2f_frame f;
    int64_t delta = 99;
    (void)state;
    h2f_peer_settings_init(&ps);
    before = ps;
    assert_int_equal(h2f_write_ping((const uint8_t *)"\x00\x04\x00\x00\x00\x01\x00\x00", 0, buf,
                                    sizeof buf, &w), H2F_OK);
    assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
    f.settings.count = 1; /* the union's other member: a PING has no settings */
    assert_int_equal(h2f_peer_settings_apply(&ps, &f, &delta), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(delta, 99);
    assert_memory_equal(&ps, &before, sizeof ps);
    assert_int_equal(h2f_peer_settings_apply(&ps, NULL, &delta), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_settings_write(NULL, 0, 0, buf, sizeof buf, &w), H2F_OK);
    assert_int_equal(h2f_frame_parse(buf, w, 16384, &f, &n, NULL), H2F_OK);
    assert_int_equal(h2f_peer_settings_apply(NULL, &f, &delta), H2F_ERR_INVALID_ARGUMENT);
    assert_int_equal(h2f_peer_settings_apply(&ps, &f, NULL), H2F_OK);
    assert_memory_equal(&ps, &before, sizeof ps);
}

/* ---- flow control ----------------------------------------------------------- */

static void test_recv_window_take_consume_resize(void **state)
{
    h2f_recv_window w;
    (void)state;
    h2f_recv_window_init(&w, 65535);
    assert_int_equal(h2f_recv_window_take(&w, 60000), H2F_OK);
    assert_int_equal(h2f_recv_window_take(&w, 5535), H2F_OK);
    /* §6.9.1: past the window is a FLOW_CONTROL_ERROR */
    assert_int_equal(h2f_recv_window_take(&w, 1), H2F_ERR_PROTOCOL);
    assert_int_equal(w.window, 0);
    /* given back in one WINDOW_UPDATE once half the window is consumed */
    assert_int_equal(h2f_recv_window_consume(&w, 30000), 0);
    assert_int_equal(h2f_recv_window_consume(&w, 3000), 33000);
    assert_int_equal(w.window, 33000);
    assert_int_equal(h2f_recv_window_consume(&w, 0), 0);
    /* never more back than the window's size */
    assert_int_equal(h2f_recv_window_consume(&w, 1u << 20), 65535);
    assert_int_equal(w.window, 33000 + 65535);
    /* §6.9.2: a new INITIAL_WINDOW_SIZE moves the window by the difference,
     * maybe below zero */
    h2f_recv_window_init(&w, 65535);
    assert_int_equal(h2f_recv_window_take(&w, 60000), H2F_OK);
    h2f_recv_window_resize(&w, 16384);
    assert_true(w.window == 5535 - (65535 - 16384));
    assert_int_equal(h2f_recv_window_take(&w, 1), H2F_ERR_PROTOCOL);
}

/* §6.9.2: SETTINGS_INITIAL_WINDOW_SIZE may be as small as 1 (or 0). The
 * consumed octets still go back once half the window is consumed: in a
 * window of 1, 2 or 3 octets, one octet consumed is one WINDOW_UPDATE of 1
 * (§6.9: an increment is at least 1); a window of 0 never gives any. */
static void test_recv_window_tiny_windows(void **state)
{
    h2f_recv_window w;
    uint32_t size;
    (void)state;
    for (size = 1; size <= 3; size++) {
        h2f_recv_window_init(&w, size);
        assert_int_equal(h2f_recv_window_take(&w, 1), H2F_OK);
        assert_int_equal(h2f_recv_window_consume(&w, 1), 1);
        assert_true(w.window == size);
        assert_int_equal(w.consumed, 0);
    }
    h2f_recv_window_init(&w, 4);
    assert_int_equal(h2f_recv_window_take(&w, 4), H2F_OK);
    assert_int_equal(h2f_recv_window_consume(&w, 1), 0); /* below half of 4 */
    assert_int_equal(h2f_recv_window_consume(&w, 1), 2);
    h2f_recv_window_init(&w, 0);
    assert_int_equal(h2f_recv_window_take(&w, 1), H2F_ERR_PROTOCOL);
    assert_int_equal(h2f_recv_window_consume(&w, 5), 0);
    assert_true(w.window == 0);
}

/* §6.9.2: a new window size moves the window by the difference; what the
 * application consumed but was not given back yet is still owed: after
 * growing it is given back once half the new size is consumed, after
 * shrinking at most the new size of it is (never more back than taken). */
static void test_recv_window_resize_keeps_what_is_owed(void **state)
{
    h2f_recv_window w;
    (void)state;
    h2f_recv_window_init(&w, 65535);
    assert_int_equal(h2f_recv_window_take(&w, 30000), H2F_OK);
    assert_int_equal(h2f_recv_window_consume(&w, 10000), 0);
    h2f_recv_window_resize(&w, 100000);
    assert_true(w.window == 35535 + (100000 - 65535));
    assert_int_equal(w.consumed, 10000);
    assert_int_equal(h2f_recv_window_consume(&w, 1), 0);
    assert_int_equal(h2f_recv_window_consume(&w, 39999), 50000);
    assert_int_equal(w.consumed, 0);
    /* shrinking below what is owed: the new size of it */
    h2f_recv_window_init(&w, 65535);
    assert_int_equal(h2f_recv_window_take(&w, 30000), H2F_OK);
    assert_int_equal(h2f_recv_window_consume(&w, 30000), 0);
    h2f_recv_window_resize(&w, 20000);
    assert_int_equal(w.consumed, 20000);
    assert_int_equal(h2f_recv_window_consume(&w, 0), 20000);
}

/* §6.9.1: "A sender MUST NOT allow a flow-control window to exceed 2^31-1
 * octets." */
static void test_send_window_update_limit(void **state)
{
    int64_t window = 65535;
    (void)state;
    assert_int_equal(h2f_send_window_update(&window, 0x7fffffffu - 65535), H2F_OK);
    assert_true(window == 0x7fffffff);
    assert_int_equal(h2f_send_window_update(&window, 1), H2F_ERR_PROTOCOL);
    assert_true(window == 0x7fffffff);
    window = -100; /* after SETTINGS lowered it (§6.9.2) */
    assert_int_equal(h2f_send_window_update(&window, 0x7fffffffu), H2F_OK);
    assert_true(window == 0x7fffffff - 100);
}

/* ---- issue 15: gaps 1-10 ---- */

/* §6.2: END_STREAM on HEADERS is the sender's to set ("When set, the
 * END_STREAM flag indicates that the header block is the last that the
 * endpoint will send"); a block written without it and cut into HEADERS +
 * CONTINUATION frames carries it nowhere — not on the HEADERS frame, and
 * CONTINUATION defines no such flag at all (§6.10: only END_HEADERS, on the
 * last) — so the stream stays open: a server reading the frames sees the
 * request's fields, then the body that follows, and the stream ends with
 * the DATA frame's END_STREAM. A block that fits one frame is the same. */
static void test_headers_split_without_end_stream(void **state)
{
    static uint8_t out[1 << 17];
    static readback rb;
    static char big[2][12001];
    h2f_hpack_encoder e;
    h2f_header h[6];
    h2f_priority pr = {0, 0, 15};
    int variant;
    (void)state;
    memset(big, 'q', sizeof big);
    big[0][12000] = big[1][11000] = 0;
    for (variant = 0; variant < 6; variant++) {
        /* 0-3: split (padded, priority or not); 4-5: one frame */
        int split = variant < 4;
        h2f_headers_options o = {1, 16384, 0, (uint8_t)(variant & 1), 7, (variant & 2) ? &pr : NULL};
        size_t w, i, n = split ? 6 : 4, data_w, total;
        h2f_conn c;
        h2f_conn_options co;
        h2f_event ev;
        h2f_error err;
        h2f_status st;
        int fields = 0, hend = 0, data_es = 0, ended = 0;
        size_t settings_len;
        h[0] = field(":method", "POST");
        h[1] = field(":scheme", "https");
        h[2] = field(":path", "/upload");
        h[3] = field(":authority", "example.com");
        h[4] = field("x-a", big[0]);
        h[5] = field("x-b", big[1]);
        h[4].flags = h[5].flags = H2F_HPACK_NO_HUFFMAN;
        assert_int_equal(h2f_hpack_encoder_init(&e, NULL, NULL), H2F_OK);
        /* the client's preface and SETTINGS, then the request */
        memcpy(out, H2F_PREFACE, H2F_PREFACE_LEN);
        assert_int_equal(h2f_settings_write(NULL, 0, 0, out + H2F_PREFACE_LEN, 64, &settings_len), H2F_OK);
        total = H2F_PREFACE_LEN + settings_len;
        assert_int_equal(h2f_write_headers(&e, h, n, &o, out + total, sizeof out - total, &w), H2F_OK);
        read_back(out + total, w, &rb);
        assert_int_equal(rb.frames, split ? 2 : 1);
        assert_int_equal(rb.types[0], H2F_HEADERS);
        assert_int_equal(rb.flags[0], (split ? 0 : H2F_FLAG_END_HEADERS) |
                                          ((variant & 1) ? H2F_FLAG_PADDED : 0) |
                                          ((variant & 2) ? H2F_FLAG_PRIORITY : 0));
        if (split) {
            assert_int_equal(rb.types[1], H2F_CONTINUATION);
            assert_int_equal(rb.flags[1], H2F_FLAG_END_HEADERS);
        }
        for (i = 0; i < (size_t)rb.frames; i++)
            assert_int_equal(rb.flags[i] & H2F_FLAG_END_STREAM, 0);
        expect_fields(rb.block, rb.block_len, h, n);
        total += w;
        assert_int_equal(h2f_write_data(1, (const uint8_t *)"body", 4, 1, 0, out + total, sizeof out - total,
                                        &data_w), H2F_OK);
        total += data_w;
        /* a server reads it: the stream is still open after the block */
        memset(&co, 0, sizeof co);
        co.role = H2F_ROLE_SERVER;
        co.body = H2F_BODY_STREAM;
        assert_int_equal(h2f_conn_init(&c, &co, NULL), H2F_OK);
        assert_int_equal(h2f_conn_feed(&c, guarded(out, total), total), H2F_OK);
        while ((st = h2f_conn_next(&c, &ev, &err)) == H2F_OK) {
            if (ev.type == H2F_EV_HEADER)
                fields++;
            else if (ev.type == H2F_EV_HEADERS_END) {
                assert_int_equal(ev.stream_id, 1);
                assert_int_equal(ev.end_stream, 0);
                hend++;
            } else if (ev.type == H2F_EV_DATA) {
                assert_int_equal(hend, 1);
                assert_int_equal(ev.data.len, 4);
                assert_memory_equal(ev.data.ptr, "body", 4);
                data_es += ev.end_stream;
            } else if (ev.type == H2F_EV_END) {
                assert_int_equal(ev.end, H2F_END_STREAM);
                assert_int_equal(data_es, 1);
                ended++;
            }
        }
        assert_int_equal(st, H2F_NEED_MORE);
        assert_int_equal(fields, (int)n);
        assert_int_equal(hend, 1);
        assert_int_equal(ended, 1);
        h2f_conn_free(&c);
        h2f_hpack_encoder_free(&e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_priority_fields_read_back),
        cmocka_unit_test(test_headers_fit_one_frame),
        cmocka_unit_test(test_headers_split_into_continuation),
        cmocka_unit_test(test_headers_padding_octets_are_zero),
        cmocka_unit_test(test_headers_bound_counts_the_frames_of_the_block_bound),
        cmocka_unit_test(test_headers_reject_bad_arguments),
        cmocka_unit_test(test_headers_stream_id_is_31_bits),
        cmocka_unit_test(test_headers_unusable_arguments_refused),
        cmocka_unit_test(test_headers_unusable_encoder_refused),
        cmocka_unit_test(test_data_split_by_frame_size),
        cmocka_unit_test(test_data_empty_end_stream),
        cmocka_unit_test(test_data_stream_id_and_frame_size_ranges),
        cmocka_unit_test(test_data_one_octet_past_a_frame),
        cmocka_unit_test(test_data_buffer_of_exactly_the_size),
        cmocka_unit_test(test_data_size_past_size_max_refused),
        cmocka_unit_test(test_control_frame_writers),
        cmocka_unit_test(test_control_frames_at_their_largest_values),
        cmocka_unit_test(test_ping_request_has_no_flags),
        cmocka_unit_test(test_peer_settings_initial_values_and_apply),
        cmocka_unit_test(test_peer_settings_each_parameter_alone),
        cmocka_unit_test(test_peer_settings_apply_refuses_other_frames),
        cmocka_unit_test(test_recv_window_take_consume_resize),
        cmocka_unit_test(test_recv_window_tiny_windows),
        cmocka_unit_test(test_recv_window_resize_keeps_what_is_owed),
        cmocka_unit_test(test_send_window_update_limit),
        /* ---- issue 15: gaps 1-10 ---- */
        cmocka_unit_test(test_headers_split_without_end_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
