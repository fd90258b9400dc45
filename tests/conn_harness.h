/*
 * Helpers for the connection reader's tests: building a peer's bytes, and
 * running a reader over them whole, byte by byte and at random splits,
 * recording every event as one line of text. All runs must agree.
 */
#ifndef H2F_CONN_HARNESS_H
#define H2F_CONN_HARNESS_H

#include "harness.h"

/* ---- the peer's bytes ------------------------------------------------------ */

typedef struct wire {
    uint8_t *b;
    size_t n, cap;
    h2f_hpack_encoder enc;
    uint32_t max_frame;  /* for w_headers / w_data */
} wire;

static inline void w_reserve(wire *w, size_t more)
{
    if (w->n + more > w->cap) {
        w->cap = (w->n + more) * 2;
        w->b = realloc(w->b, w->cap);
        assert_non_null(w->b);
    }
}

static inline void w_bytes(wire *w, const void *p, size_t len)
{
    w_reserve(w, len);
    if (len)
        memcpy(w->b + w->n, p, len);
    w->n += len;
}

/* A new peer; preface: start with the client preface (a client's bytes). */
static inline void w_init(wire *w, int preface)
{
    memset(w, 0, sizeof *w);
    assert_int_equal(h2f_hpack_encoder_init(&w->enc, NULL, NULL), H2F_OK);
    w->max_frame = 16384;
    if (preface)
        w_bytes(w, H2F_PREFACE, H2F_PREFACE_LEN);
}

static inline void w_free(wire *w)
{
    h2f_hpack_encoder_free(&w->enc);
    free(w->b);
    memset(w, 0, sizeof *w);
}

/* Any frame, from its parts: the header as given, then the payload. */
static inline void w_frame(wire *w, uint8_t type, uint8_t flags, uint32_t stream, const void *payload,
                           size_t len)
{
    uint8_t hd[9];
    h2f_frame_header h = {(uint32_t)len, type, flags, stream};
    assert_int_equal(h2f_frame_header_encode(&h, hd), H2F_OK);
    w_bytes(w, hd, 9);
    w_bytes(w, payload, len);
}

/* SETTINGS with n (id, value) pairs from the arguments. */
static inline void w_settings(wire *w, int n, ...)
{
    h2f_setting s[16];
    uint8_t buf[9 + 16 * 6];
    size_t written;
    va_list ap;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        s[i].id = (uint16_t)va_arg(ap, int);
        s[i].value = va_arg(ap, uint32_t);
    }
    va_end(ap);
    assert_int_equal(h2f_settings_write(s, (size_t)n, 0, buf, sizeof buf, &written), H2F_OK);
    w_bytes(w, buf, written);
}

static inline void w_settings_ack(wire *w)
{
    w_frame(w, H2F_SETTINGS, H2F_FLAG_ACK, 0, NULL, 0);
}

/* A header list "name", "value", ..., NULL, HPACK-encoded with the wire's
 * encoder and framed as HEADERS + CONTINUATION of w->max_frame octets. */
static inline void w_headers_list(wire *w, uint32_t stream, int end_stream, const char *const *nv)
{
    h2f_header h[64];
    size_t n = 0, need, written;
    h2f_headers_options o;
    memset(&o, 0, sizeof o);
    o.stream_id = stream;
    o.max_frame_size = w->max_frame;
    o.end_stream = (uint8_t)end_stream;
    for (; nv[0]; nv += 2, n++) {
        assert_true(n < 64);
        h[n].name.ptr = (const uint8_t *)nv[0];
        h[n].name.len = strlen(nv[0]);
        h[n].value.ptr = (const uint8_t *)nv[1];
        h[n].value.len = strlen(nv[1]);
        h[n].flags = 0;
    }
    need = h2f_write_headers_bound(&w->enc, h, n, &o);
    w_reserve(w, need);
    assert_int_equal(h2f_write_headers(&w->enc, h, n, &o, w->b + w->n, need, &written), H2F_OK);
    w->n += written;
}
#define w_headers(w, stream, end_stream, ...)                                                  \
    do {                                                                                        \
        static const char *const nv_[] = {__VA_ARGS__, NULL};                                   \
        w_headers_list(w, stream, end_stream, nv_);                                             \
    } while (0)

/* A request's pseudo-headers, for brevity. */
#define GET ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path"

static inline void w_data(wire *w, uint32_t stream, const void *data, size_t len, int end)
{
    size_t written, need = len + 9 * (len / w->max_frame + 1);
    w_reserve(w, need);
    assert_int_equal(h2f_write_data(stream, data, len, end, w->max_frame, w->b + w->n, need, &written),
                     H2F_OK);
    w->n += written;
}

static inline void w_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void w_rst(wire *w, uint32_t stream, uint32_t code)
{
    uint8_t p[4];
    w_u32(p, code);
    w_frame(w, H2F_RST_STREAM, 0, stream, p, 4);
}

static inline void w_window_update(wire *w, uint32_t stream, uint32_t incr)
{
    uint8_t p[4];
    w_u32(p, incr);
    w_frame(w, H2F_WINDOW_UPDATE, 0, stream, p, 4);
}

static inline void w_goaway(wire *w, uint32_t last, uint32_t code)
{
    uint8_t p[8];
    w_u32(p, last);
    w_u32(p + 4, code);
    w_frame(w, H2F_GOAWAY, 0, 0, p, 8);
}

static inline void w_ping(wire *w, uint8_t flags)
{
    w_frame(w, H2F_PING, flags, 0, "12345678", 8);
}

/* PUSH_PROMISE on `stream` promising `promised`, with an encoded list. */
static inline void w_push_promise_list(wire *w, uint32_t stream, uint32_t promised, const char *const *nv)
{
    h2f_header h[16];
    uint8_t block[4096], payload[4100];
    size_t n = 0, written;
    for (; nv[0]; nv += 2, n++) {
        h[n].name.ptr = (const uint8_t *)nv[0];
        h[n].name.len = strlen(nv[0]);
        h[n].value.ptr = (const uint8_t *)nv[1];
        h[n].value.len = strlen(nv[1]);
        h[n].flags = 0;
    }
    assert_int_equal(h2f_hpack_encode(&w->enc, h, n, block, sizeof block, &written), H2F_OK);
    w_u32(payload, promised);
    memcpy(payload + 4, block, written);
    w_frame(w, H2F_PUSH_PROMISE, H2F_FLAG_END_HEADERS, stream, payload, 4 + written);
}
#define w_push_promise(w, stream, promised, ...)                                              \
    do {                                                                                        \
        static const char *const nv_[] = {__VA_ARGS__, NULL};                                   \
        w_push_promise_list(w, stream, promised, nv_);                                          \
    } while (0)

/* ---- an allocator that counts, and fails on request ------------------------ */

typedef struct counting {
    size_t live, peak, calls, frees;
    size_t fail_at;      /* the call (1-based) that fails, 0: none */
} counting;

static inline void *count_alloc(size_t size, void *user)
{
    counting *c = user;
    size_t *p;
    if (++c->calls == c->fail_at)
        return NULL;
    p = malloc(size + sizeof(size_t));
    if (!p)
        return NULL;
    *p = size;
    c->live += size;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 1;
}

static inline void count_free(void *ptr, void *user)
{
    counting *c = user;
    size_t *p = ptr;
    if (!p)
        return;
    p--;
    c->live -= *p;
    c->frees++;
    free(p);
}

static inline void *count_realloc(void *ptr, size_t size, void *user)
{
    counting *c = user;
    size_t *p = ptr, old = 0;
    if (++c->calls == c->fail_at)
        return NULL;
    if (p) {
        p--;
        old = *p;
    }
    p = realloc(p, size + sizeof(size_t));
    if (!p)
        return NULL;
    *p = size;
    c->live = c->live - old + size;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 1;
}

static inline h2f_allocator counting_allocator(counting *c)
{
    h2f_allocator a = {count_alloc, count_realloc, count_free, c};
    return a;
}

/* ---- running a connection reader -------------------------------------------- */

static const char *const kind_names[] = {"headers", "1xx", "trailers", "promise"};
static const char *const end_names[] = {"end_stream", "reset", "goaway", "error"};

static inline uint32_t fnv(h2f_bytes b)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < b.len; i++)
        h = (h ^ b.ptr[i]) * 16777619u;
    return h;
}

/* One line per event. */
static inline void trace_event(trace *t, const h2f_event *ev)
{
    switch (ev->type) {
    case H2F_EV_FRAME: {
        const char *name = h2f_frame_type_name(ev->frame->hd.type);
        if (name)
            trace_add(t, "frame %s s=%u\n", name, (unsigned)ev->stream_id);
        else
            trace_add(t, "frame type=%u s=%u\n", ev->frame->hd.type, (unsigned)ev->stream_id);
        break;
    }
    case H2F_EV_HEADER:
        trace_add(t, "h s=%u ", (unsigned)ev->stream_id);
        if (ev->promised_stream_id)
            trace_add(t, "p=%u ", (unsigned)ev->promised_stream_id);
        trace_add(t, "%s ", kind_names[ev->block]);
        trace_text(t, ev->field.name);
        trace_add(t, ": ");
        trace_text(t, ev->field.value);
        if (ev->problems)
            trace_add(t, " !%s", h2f_http_problem_name(ev->problems));
        trace_add(t, "\n");
        break;
    case H2F_EV_HEADERS_END:
        trace_add(t, "hend s=%u %s%s", (unsigned)ev->stream_id, kind_names[ev->block],
                  ev->end_stream ? " es" : "");
        if (ev->problems)
            trace_add(t, " problems=%04x", (unsigned)ev->problems);
        trace_add(t, "\n");
        break;
    case H2F_EV_DATA:
        trace_add(t, "data s=%u %zu%s", (unsigned)ev->stream_id, ev->data.len,
                  ev->end_stream ? " es" : "");
        if (ev->data.len <= 16) {
            trace_add(t, " ");
            trace_text(t, ev->data);
        }
        trace_add(t, "\n");
        break;
    case H2F_EV_BODY:
        trace_add(t, "body s=%u %zu %08x\n", (unsigned)ev->stream_id, ev->data.len,
                  (unsigned)fnv(ev->data));
        break;
    case H2F_EV_END:
        trace_add(t, "end s=%u %s", (unsigned)ev->stream_id, end_names[ev->end]);
        if (ev->end != H2F_END_STREAM)
            trace_add(t, " %s", h2f_error_code_name(ev->error_code));
        trace_add(t, "\n");
        break;
    case H2F_EV_RESET:
        trace_add(t, "reset s=%u %s\n", (unsigned)ev->stream_id,
                  h2f_error_code_name(ev->error_code));
        break;
    default:
        fail_msg("unknown event %d", (int)ev->type);
    }
}

/* Called once the reader is set up, before any input (local streams,
 * settings). */
typedef void (*conn_prep)(h2f_conn *c);

typedef struct conn_result {
    trace t;
    uint8_t *piece;        /* a DATA frame's payload gathered from its pieces */
    size_t piece_len, piece_cap;
    uint32_t piece_flow;
    size_t pieces;         /* DATA events that were pieces (more = 1) */
    int conn_error;        /* ended on a connection error */
    h2f_error err;         /* the last error */
    size_t max_streams;    /* most streams held at once */
    size_t peak;           /* most memory in use (counting allocator) */
    size_t after_init;     /* memory in use after init */
} conn_result;

/* Events in *t until NEED_MORE (0) or a connection error (1). */
static inline int conn_drain(h2f_conn *c, conn_result *r)
{
    for (;;) {
        h2f_event ev;
        h2f_error e;
        h2f_status st = h2f_conn_next(c, &ev, &e);
        if (h2f_conn_stream_count(c) > r->max_streams)
            r->max_streams = h2f_conn_stream_count(c);
        if (st == H2F_NEED_MORE)
            return 0;
        if (st == H2F_OK && ev.type == H2F_EV_DATA) {
            /* the input may cut a DATA frame: its pieces join up here, so
             * that every way of cutting gives the same trace; their flow
             * adds up to the frame's length */
            if (r->piece_len + ev.data.len > r->piece_cap) {
                r->piece_cap = 2 * (r->piece_len + ev.data.len) + 64;
                r->piece = realloc(r->piece, r->piece_cap);
                assert_non_null(r->piece);
            }
            if (ev.data.len)
                memcpy(r->piece + r->piece_len, ev.data.ptr, ev.data.len);
            r->piece_len += ev.data.len;
            r->piece_flow += ev.flow;
            if (ev.more) {
                assert_false(ev.end_stream);
                r->pieces++;
                continue;
            }
            assert_int_equal(r->piece_flow, ev.frame->hd.length);
            ev.data.ptr = r->piece;
            ev.data.len = r->piece_len;
            r->piece_len = 0;
            r->piece_flow = 0;
        } else if (st == H2F_OK && (ev.type == H2F_EV_BODY || ev.type == H2F_EV_FRAME) &&
                   ev.frame->hd.type == H2F_DATA) {
            assert_int_equal(ev.flow, ev.frame->hd.length);
        }
        if (st == H2F_OK) {
            trace_event(&r->t, &ev);
            continue;
        }
        assert_int_equal(r->piece_len, 0); /* no error in the middle of a frame here */
        r->err = e;
        assert_int_equal(e.status, st);
        if (e.scope == H2F_SCOPE_STREAM) {
            trace_add(&r->t, "err s=%u %s %s (%s)\n", (unsigned)e.stream_id,
                      h2f_error_code_name(e.code), h2f_status_name(st), e.reason);
            continue;
        }
        assert_int_equal(e.scope, H2F_SCOPE_CONNECTION);
        trace_add(&r->t, "ERR %s %s (%s)\n", h2f_error_code_name(e.code), h2f_status_name(st),
                  e.reason);
        /* sticky */
        {
            h2f_error e2;
            assert_int_equal(h2f_conn_next(c, &ev, &e2), st);
            assert_int_equal(e2.code, e.code);
        }
        r->conn_error = 1;
        return 1;
    }
}

static inline conn_result run_conn_mode(const uint8_t *in, size_t n, const h2f_conn_options *o,
                                        conn_prep prep, enum split_mode mode)
{
    conn_result r;
    counting cnt;
    h2f_allocator a;
    h2f_conn c;
    size_t pos = 0;
    memset(&r, 0, sizeof r);
    memset(&cnt, 0, sizeof cnt);
    a = counting_allocator(&cnt);
    assert_int_equal(h2f_conn_init(&c, o, &a), H2F_OK);
    if (prep)
        prep(&c);
    r.after_init = cnt.live;
    trace_add(&r.t, "%s", "");
    while (pos < n) {
        size_t k = n - pos;
        if (mode == SPLIT_BYTES)
            k = n > 200000 ? 7 : 1; /* big inputs: small chunks, not single octets */
        else if (mode == SPLIT_RANDOM)
            k = 1 + (size_t)(rng() % (uint64_t)(k < 300 ? k : 300));
        assert_int_equal(h2f_conn_feed(&c, guarded(in + pos, k), k), H2F_OK);
        pos += k;
        if (conn_drain(&c, &r))
            break;
    }
    r.peak = cnt.peak;
    free(r.piece);
    r.piece = NULL;
    h2f_conn_free(&c);
    assert_int_equal(cnt.live, 0); /* nothing leaks */
    return r;
}

/* Whole, byte by byte, 20 random splits: the traces must agree. The caller
 * frees r.t.s. */
static inline conn_result run_conn(const uint8_t *in, size_t n, const h2f_conn_options *o, conn_prep prep)
{
    conn_result whole = run_conn_mode(in, n, o, prep, SPLIT_WHOLE);
    conn_result other = run_conn_mode(in, n, o, prep, SPLIT_BYTES);
    int i;
    assert_string_equal(whole.t.s, other.t.s);
    free(other.t.s);
    for (i = 0; i < 20; i++) {
        other = run_conn_mode(in, n, o, prep, SPLIT_RANDOM);
        assert_string_equal(whole.t.s, other.t.s);
        free(other.t.s);
    }
    return whole;
}

/* Runs and compares the trace with `expected`. */
static inline conn_result expect_events(const wire *w, const h2f_conn_options *o, conn_prep prep,
                                        const char *expected)
{
    conn_result r = run_conn(w->b, w->n, o, prep);
    if (strcmp(r.t.s, expected) != 0) {
        print_message("--- got:\n%s--- expected:\n%s", r.t.s, expected);
        fail();
    }
    return r;
}

#endif
