/*
 * Test harness shared by the tests: guard pages and input splitting.
 *
 * Every decode runs three ways, as picohttpparser's tests do: the input whole,
 * one byte at a time, and cut at random points; each chunk is placed right
 * before an unreadable page, so reading one octet past it faults.
 */
#ifndef H2F_TEST_HARNESS_H
#define H2F_TEST_HARNESS_H

#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "h2frame.h"

/* ---- guard page ---------------------------------------------------------- */

#define GUARD_AREA (1u << 20)

static uint8_t *guard_base;
static size_t guard_len;

/* Copies data[0..n) so that its last octet is the last readable one before a
 * PROT_NONE page, and returns the copy. The area is reused by the next call. */
static inline const uint8_t *guarded(const void *data, size_t n)
{
    if (!guard_base) {
        long page = sysconf(_SC_PAGESIZE);
        guard_len = GUARD_AREA;
        guard_base = mmap(NULL, guard_len + (size_t)page, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(guard_base != MAP_FAILED);
        assert_int_equal(mprotect(guard_base + guard_len, (size_t)page, PROT_NONE), 0);
    }
    assert_true(n <= guard_len);
    if (n)
        memcpy(guard_base + guard_len - n, data, n);
    return guard_base + guard_len - n;
}

/* ---- test data files ---------------------------------------------------- */

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

/* The whole file, NUL-terminated; *len (if not NULL) its size. */
static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    if (len)
        *len = (size_t)n;
    return s;
}

/* ---- a deterministic PRNG for split points -------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static inline uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- hex helpers ---------------------------------------------------------- */

/* Decodes a hex string that may contain spaces and newlines. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        char c = *hex;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_int_equal(hi, -1);
    return n;
}

/* ---- a growable text trace -------------------------------------------------- */

typedef struct trace {
    char *s;
    size_t len, cap;
} trace;

static inline void trace_add(trace *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    for (;;) {
        size_t room = t->cap - t->len;
        va_start(ap, fmt);
        n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? room : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (t->s && (size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        t->cap = (t->cap + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
        if (t->len == 0)
            t->s[0] = 0;
    }
}

/* Printable ASCII as is, anything else (and the backslash) as \xNN. */
static inline void trace_text(trace *t, h2f_bytes b)
{
    size_t i;
    for (i = 0; i < b.len; i++) {
        uint8_t c = b.ptr[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            trace_add(t, "%c", c);
        else
            trace_add(t, "\\x%02x", c);
    }
}

static inline void trace_bytes(trace *t, const char *name, h2f_bytes b)
{
    size_t i;
    trace_add(t, " %s=", name);
    if (!b.ptr && b.len == 0) {
        trace_add(t, "-");
        return;
    }
    for (i = 0; i < b.len; i++)
        trace_add(t, "%02x", b.ptr[i]);
}

static inline void trace_priority(trace *t, const h2f_priority *p)
{
    trace_add(t, " dep=%u excl=%u weight=%u", (unsigned)p->stream_dependency,
              (unsigned)p->exclusive, (unsigned)p->weight);
}

/* Everything a frame says, as one line: two runs agree iff their lines do. */
static inline void trace_frame(trace *t, const h2f_frame *f)
{
    trace_add(t, "frame type=%u flags=%02x stream=%u len=%u", f->hd.type, f->hd.flags,
              (unsigned)f->hd.stream_id, (unsigned)f->hd.length);
    trace_bytes(t, "payload", f->payload);
    trace_add(t, " pad=%u", f->pad_length);
    trace_bytes(t, "padding", f->padding);
    switch (f->hd.type) {
    case H2F_DATA: trace_bytes(t, "data", f->data.data); break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            trace_priority(t, &f->headers.priority);
        trace_bytes(t, "block", f->headers.block);
        break;
    case H2F_PRIORITY: trace_priority(t, &f->priority.priority); break;
    case H2F_RST_STREAM: trace_add(t, " code=%u", (unsigned)f->rst_stream.error_code); break;
    case H2F_SETTINGS: {
        size_t i;
        for (i = 0; i < f->settings.count; i++) {
            h2f_setting s = h2f_settings_get(f, i);
            trace_add(t, " %u=%u", s.id, (unsigned)s.value);
        }
        break;
    }
    case H2F_PUSH_PROMISE:
        trace_add(t, " promised=%u", (unsigned)f->push_promise.promised_stream_id);
        trace_bytes(t, "block", f->push_promise.block);
        break;
    case H2F_PING: trace_bytes(t, "opaque", f->ping.opaque_data); break;
    case H2F_GOAWAY:
        trace_add(t, " last=%u code=%u", (unsigned)f->goaway.last_stream_id,
                  (unsigned)f->goaway.error_code);
        trace_bytes(t, "debug", f->goaway.debug_data);
        break;
    case H2F_WINDOW_UPDATE:
        trace_add(t, " incr=%u", (unsigned)f->window_update.window_size_increment);
        break;
    case H2F_CONTINUATION: trace_bytes(t, "block", f->continuation.block); break;
    default: break;
    }
    trace_add(t, "\n");
}

static inline void trace_error(trace *t, const h2f_error *e)
{
    trace_add(t, "error %s %s at=%llu type=%u stream=%u (%s)\n", h2f_error_code_name(e->code),
              h2f_scope_name(e->scope), (unsigned long long)e->offset, e->frame_type,
              (unsigned)e->stream_id, e->reason ? e->reason : "?");
}

/* ---- running a reader ------------------------------------------------------ */

/* What a run ended with. */
typedef struct run_result {
    trace t;            /* one line per frame or error */
    trace at;           /* the stream offset of each frame, space-separated */
    size_t frames;      /* frames returned (with OK or a stream error) */
    h2f_status last;    /* the status that ended the run */
    h2f_error err;      /* the last error seen */
    int errors;         /* protocol errors seen */
    size_t partial;     /* octets of an unfinished frame left at the end */
} run_result;

static inline void run_result_free(run_result *r)
{
    free(r->t.s);
    free(r->at.s);
    memset(r, 0, sizeof *r);
}

/* Drains the reader after a feed. Returns 0 when it asks for more input, 1
 * when it stopped on a connection error. */
static inline int drain(h2f_reader *rd, run_result *res)
{
    for (;;) {
        h2f_frame f;
        h2f_error e;
        h2f_status st = h2f_reader_next(rd, &f, &e);
        if (st == H2F_NEED_MORE)
            return 0;
        if (st == H2F_OK) {
            res->frames++;
            trace_frame(&res->t, &f);
            trace_add(&res->at, "%llu ", (unsigned long long)h2f_reader_frame_offset(rd));
            continue;
        }
        assert_int_equal(st, H2F_ERR_PROTOCOL);
        res->errors++;
        res->err = e;
        res->last = st;
        trace_error(&res->t, &e);
        if (e.scope == H2F_SCOPE_STREAM) {
            res->frames++;
            trace_frame(&res->t, &f);
            assert_int_equal(h2f_reader_frame_offset(rd), e.offset);
            trace_add(&res->at, "%llu ", (unsigned long long)e.offset);
            continue;
        }
        /* Connection errors stick. */
        {
            h2f_error e2;
            assert_int_equal(h2f_reader_next(rd, &f, &e2), H2F_ERR_PROTOCOL);
            assert_int_equal(e2.code, e.code);
            assert_int_equal(e2.offset, e.offset);
        }
        return 1;
    }
}

enum split_mode { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_RANDOM };

/* Feeds in[0..n) to a new reader, cut as `mode` says (each chunk before the
 * guard page) and records every event. */
static inline run_result run_reader_mode(const uint8_t *in, size_t n, const h2f_reader_options *opt,
                                  enum split_mode mode)
{
    run_result res;
    h2f_reader rd;
    size_t pos = 0;

    memset(&res, 0, sizeof res);
    res.last = H2F_NEED_MORE;
    assert_int_equal(h2f_reader_init(&rd, opt, NULL), H2F_OK);
    trace_add(&res.t, "%s", "");
    trace_add(&res.at, "%s", "");
    while (pos < n) {
        size_t k = n - pos;
        if (mode == SPLIT_BYTES)
            k = 1;
        else if (mode == SPLIT_RANDOM)
            k = 1 + (size_t)(rng() % (uint64_t)(k < 40 ? k : 40));
        assert_int_equal(h2f_reader_feed(&rd, guarded(in + pos, k), k), H2F_OK);
        pos += k;
        if (drain(&rd, &res))
            break;
    }
    /* a test whose input ends mid-frame is a typo unless it ended in error */
    res.partial = rd.buf_len;
    if (res.last != H2F_ERR_PROTOCOL || res.err.scope != H2F_SCOPE_CONNECTION)
        assert_int_equal(res.partial, 0);
    h2f_reader_free(&rd);
    return res;
}

/* Runs the input whole, byte by byte and at 20 random splittings; all must
 * give the same trace. Returns the whole run. */
static inline run_result run_reader(const uint8_t *in, size_t n, const h2f_reader_options *opt)
{
    run_result whole = run_reader_mode(in, n, opt, SPLIT_WHOLE);
    run_result other = run_reader_mode(in, n, opt, SPLIT_BYTES);
    int i;
    assert_string_equal(whole.t.s, other.t.s);
    assert_string_equal(whole.at.s, other.at.s);
    run_result_free(&other);
    for (i = 0; i < 20; i++) {
        other = run_reader_mode(in, n, opt, SPLIT_RANDOM);
        assert_string_equal(whole.t.s, other.t.s);
        assert_string_equal(whole.at.s, other.at.s);
        run_result_free(&other);
    }
    return whole;
}

static inline run_result run_reader_hex(const char *hex, const h2f_reader_options *opt)
{
    static uint8_t buf[1 << 16];
    size_t n = unhex(hex, buf, sizeof buf);
    return run_reader(buf, n, opt);
}

#endif
