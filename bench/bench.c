/*
 * bench — h2frame against Debian's libnghttp2, in one run, on the same
 * inputs, interleaved (h2frame, nghttp2, nghttp2, h2frame, ...), reporting
 * the median of the samples, their spread, and the ratio.
 *
 *   bench [--samples N] [--tsv] [--once FUNCTION]
 *
 * Inputs are the hpack-test-case corpus in tests/data/hpack-test-case/.
 * Every decoded field is checked once against the expected header lists,
 * outside the timed runs. The last line is for scripts:
 *   RESULT hpack_decode_speedup=X hpack_encode_speedup=X hpack_encode_ratio=R ...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <malloc.h>
#include <nghttp2/nghttp2.h>

#include "h2frame.h"

#define DATA "tests/data/hpack-test-case/"

static int tsv;

/* ---- input ------------------------------------------------------------------- */

typedef struct hcase {
    uint8_t *wire;
    size_t wire_len;
    long table_size;      /* -1: unchanged */
    h2f_header *fields;   /* the expected list */
    nghttp2_nv *nv;       /* the same, for nghttp2's deflater */
    size_t nfields;
    int story_start;      /* first case of a story: fresh decoder/encoder */
} hcase;

typedef struct corpus {
    const char *name;
    hcase *cases;
    size_t n;
    size_t wire_bytes, fields, plain_bytes;
} corpus;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    s[n] = 0;
    fclose(f);
    return s;
}

/* headers.txt: "# NN SEQ" then name TAB value lines. Kept as one array of
 * cases in file order (stories in order, cases in order). */
static corpus load_headers(void)
{
    corpus c = {"raw-data", NULL, 0, 0, 0, 0};
    char *s = slurp(DATA "headers.txt"), *line;
    size_t cap = 4096, fcap = 0;
    c.cases = calloc(cap, sizeof *c.cases);
    for (line = s; *line;) {
        char *eol = strchr(line, '\n');
        *eol = 0;
        if (line[0] == '#') {
            int story, seq;
            sscanf(line, "# %d %d", &story, &seq);
            c.cases[c.n].story_start = seq == 0;
            c.cases[c.n].table_size = -1;
            c.n++;
            fcap = 0;
        } else {
            hcase *hc = &c.cases[c.n - 1];
            char *tab = strchr(line, '\t');
            *tab = 0;
            if (hc->nfields == fcap) {
                fcap = fcap ? 2 * fcap : 16;
                hc->fields = realloc(hc->fields, fcap * sizeof *hc->fields);
                hc->nv = realloc(hc->nv, fcap * sizeof *hc->nv);
            }
            hc->fields[hc->nfields].name.ptr = (const uint8_t *)line;
            hc->fields[hc->nfields].name.len = strlen(line);
            hc->fields[hc->nfields].value.ptr = (const uint8_t *)tab + 1;
            hc->fields[hc->nfields].value.len = strlen(tab + 1);
            hc->fields[hc->nfields].flags = 0;
            hc->nv[hc->nfields].name = (uint8_t *)line;
            hc->nv[hc->nfields].namelen = strlen(line);
            hc->nv[hc->nfields].value = (uint8_t *)tab + 1;
            hc->nv[hc->nfields].valuelen = strlen(tab + 1);
            hc->nv[hc->nfields].flags = NGHTTP2_NV_FLAG_NONE;
            hc->nfields++;
            c.fields++;
            c.plain_bytes += strlen(line) + strlen(tab + 1);
        }
        line = eol + 1;
    }
    return c; /* s stays allocated: the fields point into it */
}

static int hexval(char ch) { return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10; }

/* <folder>.txt: "NN SEQ TABLE_SIZE HEX" per case, in the order of headers. */
static corpus load_wires(const char *name, const corpus *hdrs)
{
    char path[256], *s, *line;
    corpus c = {name, NULL, 0, 0, 0, 0};
    snprintf(path, sizeof path, DATA "%s.txt", name);
    s = slurp(path);
    c.cases = calloc(hdrs->n, sizeof *c.cases);
    for (line = s; *line; c.n++) {
        char *eol = strchr(line, '\n'), ts[16], *hex;
        int story, seq;
        size_t i, n;
        *eol = 0;
        sscanf(line, "%d %d %15s", &story, &seq, ts);
        hex = strrchr(line, ' ') + 1;
        n = strlen(hex) / 2;
        c.cases[c.n] = hdrs->cases[c.n]; /* same order as headers.txt */
        c.cases[c.n].wire = malloc(n + 1);
        for (i = 0; i < n; i++)
            c.cases[c.n].wire[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
        c.cases[c.n].wire_len = n;
        c.cases[c.n].table_size = ts[0] == '-' ? -1 : atol(ts);
        c.cases[c.n].story_start = seq == 0;
        c.wire_bytes += n;
        c.fields += c.cases[c.n].nfields;
        line = eol + 1;
    }
    free(s);
    return c;
}

/* ---- timing ---------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats {
    double median, lo, hi; /* seconds per run */
} stats;

static stats summarize(double *t, int n)
{
    stats s;
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    s.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    s.lo = t[0];
    s.hi = t[n - 1];
    return s;
}

/* ---- HPACK decode ----------------------------------------------------------- */

static volatile size_t sink;

/* h2frame: a fresh decoder per story, table size changes applied. Returns
 * fields decoded; with `check`, compares each with the expected list. */
static size_t h2f_decode_corpus(const corpus *c, int check)
{
    h2f_hpack_decoder d;
    size_t i, fields = 0, acc = 0;
    int open = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        h2f_hpack_field f;
        h2f_error err;
        h2f_status st;
        size_t k = 0;
        if (hc->story_start) {
            if (open)
                h2f_hpack_decoder_free(&d);
            h2f_hpack_decoder_init(&d, NULL, NULL);
            open = 1;
        }
        if (hc->table_size >= 0)
            h2f_hpack_decoder_set_max_table_size(&d, (uint32_t)hc->table_size);
        h2f_hpack_decode_feed(&d, hc->wire, hc->wire_len, 1);
        while ((st = h2f_hpack_decode_next(&d, &f, &err)) == H2F_OK) {
            acc += f.name.len + f.value.len;
            if (check && (k >= hc->nfields || f.name.len != hc->fields[k].name.len ||
                          memcmp(f.name.ptr, hc->fields[k].name.ptr, f.name.len) ||
                          f.value.len != hc->fields[k].value.len ||
                          memcmp(f.value.ptr, hc->fields[k].value.ptr, f.value.len))) {
                fprintf(stderr, "h2frame decodes %s case %zu wrongly\n", c->name, i);
                exit(1);
            }
            k++;
        }
        if (st != H2F_DONE || (check && k != hc->nfields)) {
            fprintf(stderr, "h2frame fails on %s case %zu: %s\n", c->name, i, err.reason);
            exit(1);
        }
        fields += k;
    }
    if (open)
        h2f_hpack_decoder_free(&d);
    sink += acc;
    return fields;
}

static size_t ng_decode_corpus(const corpus *c, int check)
{
    nghttp2_hd_inflater *inf = NULL;
    size_t i, fields = 0, acc = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        const uint8_t *in = hc->wire;
        size_t left = hc->wire_len, k = 0;
        if (hc->story_start) {
            if (inf)
                nghttp2_hd_inflate_del(inf);
            nghttp2_hd_inflate_new(&inf);
        }
        if (hc->table_size >= 0)
            nghttp2_hd_inflate_change_table_size(inf, (size_t)hc->table_size);
        for (;;) {
            nghttp2_nv nv;
            int flags = 0;
            ssize_t r = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, left, 1);
            if (r < 0) {
                fprintf(stderr, "nghttp2 fails on %s case %zu\n", c->name, i);
                exit(1);
            }
            in += r;
            left -= (size_t)r;
            if (flags & NGHTTP2_HD_INFLATE_EMIT) {
                acc += nv.namelen + nv.valuelen;
                if (check && (k >= hc->nfields || nv.namelen != hc->fields[k].name.len ||
                              memcmp(nv.name, hc->fields[k].name.ptr, nv.namelen) ||
                              nv.valuelen != hc->fields[k].value.len ||
                              memcmp(nv.value, hc->fields[k].value.ptr, nv.valuelen))) {
                    fprintf(stderr, "nghttp2 decodes %s case %zu differently\n", c->name, i);
                    exit(1);
                }
                k++;
            }
            if (flags & NGHTTP2_HD_INFLATE_FINAL) {
                nghttp2_hd_inflate_end_headers(inf);
                break;
            }
            if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0)
                break;
        }
        fields += k;
    }
    if (inf)
        nghttp2_hd_inflate_del(inf);
    sink += acc;
    return fields;
}

/* ---- HPACK encode ----------------------------------------------------------- */

static uint8_t enc_buf[1 << 20];

static size_t h2f_encode_corpus(const corpus *c)
{
    h2f_hpack_encoder e;
    size_t i, wire = 0;
    int open = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        size_t w = 0;
        if (hc->story_start) {
            if (open)
                h2f_hpack_encoder_free(&e);
            h2f_hpack_encoder_init(&e, NULL, NULL);
            open = 1;
        }
        if (h2f_hpack_encode(&e, hc->fields, hc->nfields, enc_buf, sizeof enc_buf, &w) != H2F_OK)
            exit(1);
        wire += w;
    }
    if (open)
        h2f_hpack_encoder_free(&e);
    return wire;
}

static size_t ng_encode_corpus(const corpus *c)
{
    nghttp2_hd_deflater *def = NULL;
    size_t i, wire = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        ssize_t w;
        if (hc->story_start) {
            if (def)
                nghttp2_hd_deflate_del(def);
            nghttp2_hd_deflate_new(&def, 4096);
        }
        w = nghttp2_hd_deflate_hd(def, enc_buf, sizeof enc_buf, hc->nv, hc->nfields);
        if (w < 0)
            exit(1);
        wire += (size_t)w;
    }
    if (def)
        nghttp2_hd_deflate_del(def);
    return wire;
}

/* ---- frames and whole connections ------------------------------------------- */

/* A byte stream a client sends, built with h2frame's writers. */
typedef struct input {
    uint8_t *b;
    size_t n, cap;
    size_t frames, requests, blocks, fields, body_bytes;
} input;

static void put(input *in, const void *p, size_t n)
{
    if (in->n + n > in->cap) {
        in->cap = 2 * (in->n + n);
        in->b = realloc(in->b, in->cap);
        if (!in->b)
            exit(2);
    }
    memcpy(in->b + in->n, p, n);
    in->n += n;
}

static void put_frame(input *in, uint8_t type, uint8_t flags, uint32_t stream, const void *p, size_t n)
{
    uint8_t hd[9];
    h2f_frame_header h;
    h.length = (uint32_t)n;
    h.type = type;
    h.flags = flags;
    h.stream_id = stream;
    h2f_frame_header_encode(&h, hd);
    put(in, hd, 9);
    if (n)
        put(in, p, n);
    in->frames++;
}

static void put_start(input *in)
{
    put(in, H2F_PREFACE, H2F_PREFACE_LEN);
    put_frame(in, H2F_SETTINGS, 0, 0, NULL, 0);
    /* the server's SETTINGS (nghttp2's: its windows at 2^31-1, so that
     * nobody has to send WINDOW_UPDATE while the benchmark runs) acked */
    put_frame(in, H2F_SETTINGS, H2F_FLAG_ACK, 0, NULL, 0);
}

static void put_headers(input *in, h2f_hpack_encoder *e, uint32_t stream, const h2f_header *f, size_t n,
                        int end_stream)
{
    static uint8_t buf[1 << 18];
    h2f_headers_options o;
    size_t w, off;
    memset(&o, 0, sizeof o);
    o.stream_id = stream;
    o.end_stream = (uint8_t)end_stream;
    if (h2f_write_headers(e, f, n, &o, buf, sizeof buf, &w) != H2F_OK)
        exit(2);
    put(in, buf, w);
    for (off = 0; off < w; in->frames++) { /* HEADERS and its CONTINUATION frames */
        h2f_frame_header hd;
        h2f_frame_header_decode(buf + off, w - off, &hd);
        off += H2F_FRAME_HEADER_LEN + hd.length;
    }
    in->blocks++;
    in->fields += n;
}

static void put_data(input *in, uint32_t stream, const uint8_t *d, size_t n, int end)
{
    put_frame(in, H2F_DATA, end ? H2F_FLAG_END_STREAM : 0, stream, d, n);
    in->body_bytes += n;
}

/* Many small frames: 100 streams opened, then rounds of a 16-octet DATA
 * frame, a connection WINDOW_UPDATE, now and then a PING or an empty
 * SETTINGS; the streams end with trailers. */
static input small_frames_input(void)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    static const h2f_header req[4] = {
        {{(const uint8_t *)":method", 7}, {(const uint8_t *)"POST", 4}, 0},
        {{(const uint8_t *)":scheme", 7}, {(const uint8_t *)"http", 4}, 0},
        {{(const uint8_t *)":authority", 10}, {(const uint8_t *)"localhost", 9}, 0},
        {{(const uint8_t *)":path", 5}, {(const uint8_t *)"/upload", 7}, 0}};
    static const h2f_header trailer[1] = {{{(const uint8_t *)"x-sum", 5}, {(const uint8_t *)"0", 1}, 0}};
    input in;
    h2f_hpack_encoder e;
    uint32_t i;
    uint8_t wu[4] = {0, 0, 0, 16};
    memset(&in, 0, sizeof in);
    h2f_hpack_encoder_init(&e, NULL, NULL);
    put_start(&in);
    for (i = 0; i < 100; i++)
        put_headers(&in, &e, 2 * i + 1, req, 4, 0);
    for (i = 0; i < 20000; i++) {
        put_data(&in, 2 * (i % 100) + 1, payload, sizeof payload, 0);
        put_frame(&in, H2F_WINDOW_UPDATE, 0, 0, wu, 4);
        if (i % 16 == 0)
            put_frame(&in, H2F_PING, 0, 0, "pingpong", 8);
        if (i % 64 == 0)
            put_frame(&in, H2F_SETTINGS, 0, 0, NULL, 0);
    }
    for (i = 0; i < 100; i++)
        put_headers(&in, &e, 2 * i + 1, trailer, 1, 1);
    in.requests = 100;
    h2f_hpack_encoder_free(&e);
    return in;
}

/* One upload in DATA frames of `frame` octets, `total` octets in all. */
static input data_frames_input(size_t frame, size_t total)
{
    static const h2f_header req[4] = {
        {{(const uint8_t *)":method", 7}, {(const uint8_t *)"POST", 4}, 0},
        {{(const uint8_t *)":scheme", 7}, {(const uint8_t *)"http", 4}, 0},
        {{(const uint8_t *)":authority", 10}, {(const uint8_t *)"localhost", 9}, 0},
        {{(const uint8_t *)":path", 5}, {(const uint8_t *)"/upload", 7}, 0}};
    input in;
    h2f_hpack_encoder e;
    uint8_t *chunk = malloc(frame);
    size_t done = 0, i;
    for (i = 0; i < frame; i++)
        chunk[i] = (uint8_t)(i * 31 + 7);
    memset(&in, 0, sizeof in);
    h2f_hpack_encoder_init(&e, NULL, NULL);
    put_start(&in);
    put_headers(&in, &e, 1, req, 4, 0);
    while (done < total) {
        size_t n = total - done < frame ? total - done : frame;
        put_data(&in, 1, chunk, n, done + n == total);
        done += n;
    }
    in.requests = 1;
    h2f_hpack_encoder_free(&e);
    free(chunk);
    return in;
}

/* A realistic server-side input: 1000 requests with the request header
 * lists of raw-data (in order), ten streams at a time, bodies of mixed
 * sizes cut into DATA frames that interleave across the open streams. */
static input connection_input(const corpus *hdrs)
{
    static const size_t sizes[] = {0, 0, 0, 120, 900, 4000, 16000, 70000};
    static uint8_t body[70000];
    input in;
    h2f_hpack_encoder e;
    struct { uint32_t id; size_t left; } open[10];
    size_t next_case = 0, started = 0, i, nopen = 0;
    for (i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)(i * 13 + 1);
    memset(&in, 0, sizeof in);
    h2f_hpack_encoder_init(&e, NULL, NULL);
    put_start(&in);
    while (started < 1000 || nopen) {
        /* open streams up to ten */
        while (nopen < 10 && started < 1000) {
            const hcase *hc;
            do { /* the next request header list of raw-data */
                hc = &hdrs->cases[next_case++ % hdrs->n];
            } while (hc->nfields == 0 || hc->fields[0].name.len != 7 ||
                     memcmp(hc->fields[0].name.ptr, ":method", 7) != 0);
            open[nopen].id = (uint32_t)(2 * started + 1);
            open[nopen].left = sizes[started % 8];
            put_headers(&in, &e, open[nopen].id, hc->fields, hc->nfields, open[nopen].left == 0);
            if (open[nopen].left == 0)
                in.requests++;
            else
                nopen++;
            started++;
        }
        /* one DATA frame for each open stream, in turn */
        for (i = 0; i < nopen;) {
            size_t n = open[i].left < 16384 ? open[i].left : 16384;
            open[i].left -= n;
            put_data(&in, open[i].id, body, n, open[i].left == 0);
            if (open[i].left == 0) {
                in.requests++;
                open[i] = open[--nopen];
            } else {
                i++;
            }
        }
    }
    h2f_hpack_encoder_free(&e);
    return in;
}

/* What both readers count, to check they read the same thing. */
typedef struct tally {
    size_t frames, fields, body, ended;
} tally;

/* Counting allocators: bytes in use, peak, calls. */
typedef struct mem_count {
    size_t live, peak, calls;
} mem_count;

static void *mc_alloc(size_t n, void *u)
{
    mem_count *m = u;
    size_t *p = malloc(n + sizeof(size_t));
    if (!p)
        return NULL;
    *p = n;
    m->calls++;
    m->live += n;
    if (m->live > m->peak)
        m->peak = m->live;
    return p + 1;
}

static void mc_free(void *q, void *u)
{
    mem_count *m = u;
    size_t *p = q;
    if (!p)
        return;
    m->live -= p[-1];
    free(p - 1);
}

static void *mc_realloc(void *q, size_t n, void *u)
{
    mem_count *m = u;
    size_t *p = q ? (size_t *)q - 1 : NULL, old = p ? *p : 0;
    p = realloc(p, n + sizeof(size_t));
    if (!p)
        return NULL;
    *p = n;
    m->calls++;
    m->live = m->live - old + n;
    if (m->live > m->peak)
        m->peak = m->live;
    return p + 1;
}

static void *mc_calloc(size_t k, size_t n, void *u)
{
    void *p = mc_alloc(k * n, u);
    if (p)
        memset(p, 0, k * n);
    return p;
}

#define CHUNK 16384 /* what a socket read hands over */

/* h2frame's connection reader, server role, streaming bodies. */
typedef struct conn_run {
    const input *in;
    h2f_body_mode body;
    tally t;
    mem_count m;
    size_t init_bytes, init_calls;
} conn_run;

static size_t h2f_conn_read(void *ctx)
{
    conn_run *r = ctx;
    h2f_allocator a = {mc_alloc, mc_realloc, mc_free, &r->m};
    h2f_conn_options o;
    h2f_conn c;
    size_t pos = 0;
    memset(&o, 0, sizeof o);
    o.role = H2F_ROLE_SERVER;
    o.body = r->body;
    o.max_body_per_stream = o.max_body_per_conn = (size_t)1 << 30;
    o.max_concurrent_streams = 128;
    memset(&r->t, 0, sizeof r->t);
    memset(&r->m, 0, sizeof r->m);
    if (h2f_conn_init(&c, &o, &a) != H2F_OK)
        exit(1);
    r->init_bytes = r->m.live;
    r->init_calls = r->m.calls;
    while (pos < r->in->n) {
        size_t k = r->in->n - pos < CHUNK ? r->in->n - pos : CHUNK;
        h2f_event ev;
        h2f_error err;
        h2f_status st;
        h2f_conn_feed(&c, r->in->b + pos, k);
        pos += k;
        while ((st = h2f_conn_next(&c, &ev, &err)) == H2F_OK) {
            switch (ev.type) {
            case H2F_EV_HEADER: r->t.fields++; break;
            case H2F_EV_DATA: r->t.frames++; r->t.body += ev.data.len; break;
            case H2F_EV_BODY: r->t.body += ev.data.len; break;
            case H2F_EV_END: r->t.ended++; break;
            case H2F_EV_FRAME: r->t.frames++; break;
            default: break;
            }
        }
        if (st != H2F_NEED_MORE) {
            fprintf(stderr, "h2frame: %s (%s)\n", h2f_error_code_name(err.code), err.reason);
            exit(1);
        }
    }
    h2f_conn_free(&c);
    return r->t.fields;
}

/* The frame layer alone: h2f_reader. */
static size_t h2f_frames_read(void *ctx)
{
    conn_run *r = ctx;
    h2f_reader_options o = {0, H2F_PREFACE_EXPECT, 0, 0};
    h2f_reader rd;
    size_t pos = 0, frames = 0;
    h2f_reader_init(&rd, &o, NULL);
    while (pos < r->in->n) {
        size_t k = r->in->n - pos < CHUNK ? r->in->n - pos : CHUNK;
        h2f_frame f;
        h2f_error err;
        h2f_reader_feed(&rd, r->in->b + pos, k);
        pos += k;
        while (h2f_reader_next(&rd, &f, &err) == H2F_OK)
            frames++;
    }
    h2f_reader_free(&rd);
    sink += frames;
    return frames;
}

/* What any connection reader built on h2frame's frame reader and HPACK
 * decoder must do at least, and nothing else: read the frames (DATA in
 * pieces, as the connection reader does) and decode every header block
 * field by field. No streams, no states, no events. Its time against
 * nghttp2's session bounds the speedup a connection reader could reach. */
static size_t h2f_conn_floor(void *ctx)
{
    conn_run *r = ctx;
    h2f_reader_options o = {0, H2F_PREFACE_EXPECT, 0, 1};
    h2f_reader rd;
    h2f_hpack_decoder d;
    size_t pos = 0, fields = 0;
    h2f_status st;
    if (h2f_reader_init(&rd, &o, NULL) != H2F_OK || h2f_hpack_decoder_init(&d, NULL, NULL) != H2F_OK)
        exit(1);
    while (pos < r->in->n) {
        size_t k = r->in->n - pos < CHUNK ? r->in->n - pos : CHUNK;
        h2f_frame f;
        h2f_error err;
        if (h2f_reader_feed(&rd, r->in->b + pos, k) != H2F_OK)
            exit(1);
        pos += k;
        while ((st = h2f_reader_next(&rd, &f, &err)) == H2F_OK) {
            h2f_bytes block;
            h2f_hpack_field field;
            if (f.hd.type == H2F_HEADERS)
                block = f.headers.block;
            else if (f.hd.type == H2F_PUSH_PROMISE)
                block = f.push_promise.block;
            else if (f.hd.type == H2F_CONTINUATION)
                block = f.continuation.block;
            else
                continue;
            if (h2f_hpack_decode_feed(&d, block.ptr, block.len,
                                      (f.hd.flags & H2F_FLAG_END_HEADERS) != 0) != H2F_OK)
                exit(1);
            while ((st = h2f_hpack_decode_next(&d, &field, &err)) == H2F_OK)
                fields++;
            if (st != H2F_DONE && st != H2F_NEED_MORE) {
                fprintf(stderr, "floor: %s\n", err.reason);
                exit(1);
            }
        }
        if (st != H2F_NEED_MORE) { /* an error: the floor must read it all */
            fprintf(stderr, "floor: %s\n", err.reason);
            exit(1);
        }
    }
    h2f_hpack_decoder_free(&d);
    h2f_reader_free(&rd);
    sink += fields;
    return fields;
}

/* nghttp2's session, server side, callbacks doing the same minimal work. */
static int ng_on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *n, size_t nl,
                        const uint8_t *v, size_t vl, uint8_t fl, void *u)
{
    (void)s; (void)f; (void)n; (void)nl; (void)v; (void)vl; (void)fl;
    ((conn_run *)u)->t.fields++;
    return 0;
}

static int ng_on_data(nghttp2_session *s, uint8_t fl, int32_t id, const uint8_t *d, size_t n, void *u)
{
    (void)s; (void)fl; (void)id; (void)d;
    ((conn_run *)u)->t.body += n;
    return 0;
}

static int ng_on_frame(nghttp2_session *s, const nghttp2_frame *f, void *u)
{
    conn_run *r = u;
    (void)s;
    if (f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_CONTINUATION)
        r->t.frames++;
    if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) &&
        (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
        r->t.ended++;
    return 0;
}

static size_t ng_conn_read(void *ctx)
{
    conn_run *r = ctx;
    nghttp2_mem mem = {&r->m, mc_alloc, mc_free, mc_calloc, mc_realloc};
    nghttp2_session_callbacks *cb;
    nghttp2_option *opt;
    nghttp2_session *s;
    size_t pos = 0;
    memset(&r->t, 0, sizeof r->t);
    memset(&r->m, 0, sizeof r->m);
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, ng_on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, ng_on_data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, ng_on_frame);
    nghttp2_option_new(&opt);
    /* the same work as h2frame's reader: no HTTP checks (validate_http is
     * off), no PING answers queued (the caller answers) */
    nghttp2_option_set_no_http_messaging(opt, 1);
    nghttp2_option_set_no_auto_ping_ack(opt, 1);
    nghttp2_session_server_new3(&s, cb, r, opt, &mem);
    {
        /* (MAX_CONCURRENT_STREAMS left unlimited: with no responses sent,
         * nghttp2 keeps every request's stream half-closed) */
        nghttp2_settings_entry set[1] = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff}};
        nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, set, 1);
        nghttp2_session_set_local_window_size(s, NGHTTP2_FLAG_NONE, 0, 0x7fffffff);
    }
    r->init_bytes = r->m.live;
    r->init_calls = r->m.calls;
    while (pos < r->in->n) {
        size_t k = r->in->n - pos < CHUNK ? r->in->n - pos : CHUNK;
        ssize_t rv = nghttp2_session_mem_recv(s, r->in->b + pos, k);
        if (rv < 0 || (size_t)rv != k) {
            fprintf(stderr, "nghttp2: %s\n", nghttp2_strerror((int)rv));
            exit(1);
        }
        pos += k;
    }
    nghttp2_session_del(s);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
    return r->t.fields;
}

/* memcpy of the same DATA payload octets, frame by frame: the physical
 * limit for anything that hands a body over in one piece. */
static uint8_t *copy_dst;
static size_t memcpy_frames(void *ctx)
{
    conn_run *r = ctx;
    size_t pos = H2F_PREFACE_LEN, out = 0;
    while (pos + 9 <= r->in->n) {
        h2f_frame_header hd;
        h2f_frame_header_decode(r->in->b + pos, 9, &hd);
        if (hd.type == H2F_DATA) {
            memcpy(copy_dst + out, r->in->b + pos + 9, hd.length);
            out += hd.length;
        }
        pos += 9 + hd.length;
    }
    sink += copy_dst[out / 2];
    return out;
}

typedef size_t (*ctx_fn)(void *);

static void race_ctx(ctx_fn a, void *ca, ctx_fn b, void *cb, int samples, stats *sa, stats *sb)
{
    double *ta = malloc(sizeof(double) * (size_t)samples), *tb = malloc(sizeof(double) * (size_t)samples);
    int i;
    a(ca);
    b(cb);
    for (i = 0; i < samples; i++) {
        double t0, t1, t2;
        if (i % 2) {
            t0 = now(); b(cb); t1 = now(); a(ca); t2 = now();
            tb[i] = t1 - t0; ta[i] = t2 - t1;
        } else {
            t0 = now(); a(ca); t1 = now(); b(cb); t2 = now();
            ta[i] = t1 - t0; tb[i] = t2 - t1;
        }
    }
    *sa = summarize(ta, samples);
    *sb = summarize(tb, samples);
    free(ta);
    free(tb);
}


/* ---- reporting --------------------------------------------------------------- */

static void row(const char *what, const char *lib, stats s, double bytes, double items,
                const char *item_name)
{
    if (tsv) {
        printf("%s\t%s\t%.6f\t%.6f\t%.6f\t%.2f\t%.1f\n", what, lib, s.median, s.lo, s.hi,
               bytes / s.median / 1e6, s.median / items * 1e9);
        return;
    }
    printf("  %-28s %-8s %8.2f MB/s %10.0f %s/s %7.1f ns/%s  (spread %.1f%%)\n", what, lib,
           bytes / s.median / 1e6, items / s.median, item_name, s.median / items * 1e9, item_name,
           (s.hi - s.lo) / s.median * 100);
}

/* The timed functions, by name (for --once under callgrind). */
static size_t h2f_dec_fn(void *c) { return h2f_decode_corpus(c, 0); }
static size_t ng_dec_fn(void *c) { return ng_decode_corpus(c, 0); }
static size_t h2f_enc_fn(void *c) { return h2f_encode_corpus(c); }
static size_t ng_enc_fn(void *c) { return ng_encode_corpus(c); }

/* Same counts from both readers, or the comparison means nothing. */
static void same_tally(const char *what, const conn_run *a, const conn_run *b)
{
    if (a->t.fields != b->t.fields || a->t.body != b->t.body || a->t.ended != b->t.ended) {
        fprintf(stderr, "%s: h2frame read %zu fields, %zu body octets, %zu ends; nghttp2 %zu, %zu, %zu\n",
                what, a->t.fields, a->t.body, a->t.ended, b->t.fields, b->t.body, b->t.ended);
        exit(1);
    }
}

static void ratio_line(const char *what, stats a, stats b)
{
    if (!tsv)
        printf("  %-28s ratio h2frame/nghttp2 = %.2fx\n", what, b.median / a.median);
}

/* Allocations after init per run, for both. */
static void memory_line(const char *what, const conn_run *h, const conn_run *n, const input *in)
{
    if (tsv)
        return;
    printf("  %-28s h2frame %zu B at init (%zu allocations), %zu after; peak %zu B\n", what,
           h->init_bytes, h->init_calls, h->m.calls - h->init_calls, h->m.peak);
    printf("  %-28s nghttp2 %zu B at init (%zu allocations), %zu after; peak %zu B\n", "",
           n->init_bytes, n->init_calls, n->m.calls - n->init_calls, n->m.peak);
    printf("  %-28s allocations per header block / per frame: h2frame %.2f / %.3f, nghttp2 %.2f / %.3f\n",
           "", (double)(h->m.calls - h->init_calls) / (double)in->blocks,
           (double)(h->m.calls - h->init_calls) / (double)in->frames,
           (double)(n->m.calls - n->init_calls) / (double)in->blocks,
           (double)(n->m.calls - n->init_calls) / (double)in->frames);
}

int main(int argc, char **argv)
{
    static const char *const folders[] = {"nghttp2", "go-hpack", "python-hpack", "node-http2-hpack"};
    corpus hdrs, wires[4];
    int samples = 11, i;
    double dec_h = 0, dec_n = 0, dec_bytes = 0, dec_fields = 0;
    double enc_speedup, dec_speedup, conn_speedup, floor_speedup;
    stats sh, sn;
    size_t hw, nw;
    const char *once = NULL;
    input small, d16, d1, conn;
    conn_run rh, rn;

    /* Memory a run frees is reused by the next, as in a long-running
     * server, instead of going back to the kernel and faulting in again:
     * otherwise the whole-body measure (a 64 MiB body per run) is mostly
     * page faults (glibc maps blocks over 128 KiB afresh each time). */
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--samples") && i + 1 < argc)
            samples = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tsv"))
            tsv = 1;
        else if (!strcmp(argv[i], "--once") && i + 1 < argc)
            once = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--samples N] [--tsv] [--once FUNCTION]\n", argv[0]);
            return 2;
        }
    }
    if (samples < 1)
        samples = 1;

    hdrs = load_headers();
    for (i = 0; i < 4; i++)
        wires[i] = load_wires(folders[i], &hdrs);
    conn = connection_input(&hdrs);
    memset(&rh, 0, sizeof rh);
    memset(&rn, 0, sizeof rn);
    rh.in = rn.in = &conn;

    /* --once F: run F once on its input and say how many items it did, for
     * `make bench-callgrind` (instructions per item are stable where time
     * is not) */
    if (once) {
        static const struct { const char *name; ctx_fn fn; int what; const char *unit; } fns[] = {
            {"h2f_dec_fn", h2f_dec_fn, 0, "header"}, {"ng_dec_fn", ng_dec_fn, 0, "header"},
            {"h2f_enc_fn", h2f_enc_fn, 1, "header"}, {"ng_enc_fn", ng_enc_fn, 1, "header"},
            {"h2f_conn_read", h2f_conn_read, 2, "request"}, {"ng_conn_read", ng_conn_read, 2, "request"},
            {"h2f_conn_floor", h2f_conn_floor, 2, "request"}};
        size_t k, items = 0;
        for (k = 0; k < sizeof fns / sizeof fns[0]; k++) {
            if (strcmp(once, fns[k].name) != 0)
                continue;
            if (fns[k].what == 0)
                for (i = 0; i < 4; i++)
                    items += fns[k].fn(&wires[i]);
            else if (fns[k].what == 1)
                items = (fns[k].fn(&hdrs), hdrs.fields);
            else
                items = (fns[k].fn(&rh), conn.requests);
            printf("ONCE %s %zu %s\n", once, items, fns[k].unit);
            return 0;
        }
        fprintf(stderr, "no function %s\n", once);
        return 2;
    }

    for (i = 0; i < 4; i++) {
        /* correctness first, untimed: both decode every field as expected */
        h2f_decode_corpus(&wires[i], 1);
        ng_decode_corpus(&wires[i], 1);
    }

    printf(tsv ? "what\tlib\tmedian_s\tmin_s\tmax_s\tMB/s\tns/item\n"
               : "h2frame %s vs nghttp2 %s, %d samples each, interleaved (median; spread = (max-min)/median)\n",
           H2F_VERSION, nghttp2_version(0)->version_str, samples);
    if (!tsv)
        printf("HPACK decode (wire MB/s, fresh decoder per story):\n");
    for (i = 0; i < 4; i++) {
        char what[64];
        race_ctx(h2f_dec_fn, &wires[i], ng_dec_fn, &wires[i], samples, &sh, &sn);
        snprintf(what, sizeof what, "decode %s", folders[i]);
        row(what, "h2frame", sh, (double)wires[i].wire_bytes, (double)wires[i].fields, "header");
        row(what, "nghttp2", sn, (double)wires[i].wire_bytes, (double)wires[i].fields, "header");
        if (!tsv)
            printf("  %-28s ratio h2frame/nghttp2 = %.2fx\n", "", sn.median / sh.median);
        dec_h += sh.median;
        dec_n += sn.median;
        dec_bytes += (double)wires[i].wire_bytes;
        dec_fields += (double)wires[i].fields;
    }
    dec_speedup = dec_n / dec_h;
    if (!tsv)
        printf("  %-28s h2frame %.1f ns/header (%.1f MB/s of wire), nghttp2 %.1f ns/header "
               "(%.1f MB/s): %.2fx\n",
               "decode, all four", dec_h / dec_fields * 1e9, dec_bytes / dec_h / 1e6,
               dec_n / dec_fields * 1e9, dec_bytes / dec_n / 1e6, dec_speedup);

    if (!tsv)
        printf("HPACK encode (raw-data, table 4096, input MB/s = name+value octets):\n");
    hw = h2f_encode_corpus(&hdrs);
    nw = ng_encode_corpus(&hdrs);
    race_ctx(h2f_enc_fn, &hdrs, ng_enc_fn, &hdrs, samples, &sh, &sn);
    row("encode raw-data", "h2frame", sh, (double)hdrs.plain_bytes, (double)hdrs.fields, "header");
    row("encode raw-data", "nghttp2", sn, (double)hdrs.plain_bytes, (double)hdrs.fields, "header");
    enc_speedup = sn.median / sh.median;
    if (!tsv)
        printf("  %-28s ratio h2frame/nghttp2 = %.2fx; compression (wire/name+value): "
               "h2frame %.4f, nghttp2 %.4f\n",
               "", enc_speedup, (double)hw / (double)hdrs.plain_bytes,
               (double)nw / (double)hdrs.plain_bytes);


    /* ---- frames ---- */
    small = small_frames_input();
    rh.in = rn.in = &small;
    rh.body = H2F_BODY_STREAM;
    h2f_conn_read(&rh);
    ng_conn_read(&rn);
    same_tally("small frames", &rh, &rn);
    if (!tsv)
        printf("Frames (a client's stream of %zu small frames: DATA, WINDOW_UPDATE, PING, SETTINGS, "
               "HEADERS; read in %d-octet chunks):\n", small.frames, CHUNK);
    race_ctx(h2f_conn_read, &rh, ng_conn_read, &rn, samples, &sh, &sn);
    row("small frames, stream reader", "h2frame", sh, (double)small.n, (double)small.frames, "frame");
    row("small frames, session", "nghttp2", sn, (double)small.n, (double)small.frames, "frame");
    ratio_line("", sh, sn);
    race_ctx(h2f_frames_read, &rh, ng_conn_read, &rn, samples, &sh, &sn);
    row("small frames, h2f_reader", "h2frame", sh, (double)small.n, (double)small.frames, "frame");
    row("  (session, timed again)", "nghttp2", sn, (double)small.n, (double)small.frames, "frame");
    ratio_line("(frame layer alone)", sh, sn);

    d16 = data_frames_input(16384, (size_t)64 << 20);
    d1 = data_frames_input(1024, (size_t)8 << 20);
    copy_dst = malloc((size_t)64 << 20);
    if (!tsv)
        printf("DATA frames (one 64 MiB upload in 16 KiB frames; 8 MiB in 1 KiB frames):\n");
    rh.in = rn.in = &d16;
    h2f_conn_read(&rh);
    ng_conn_read(&rn);
    same_tally("16 KiB DATA", &rh, &rn);
    race_ctx(h2f_conn_read, &rh, ng_conn_read, &rn, samples, &sh, &sn);
    row("16 KiB DATA, streaming", "h2frame", sh, (double)d16.n, (double)d16.frames, "frame");
    row("16 KiB DATA, session", "nghttp2", sn, (double)d16.n, (double)d16.frames, "frame");
    ratio_line("", sh, sn);
    rh.body = H2F_BODY_WHOLE;
    race_ctx(h2f_conn_read, &rh, memcpy_frames, &rh, samples, &sh, &sn);
    rh.body = H2F_BODY_STREAM;
    row("16 KiB DATA, whole body", "h2frame", sh, (double)d16.n, (double)d16.frames, "frame");
    row("16 KiB DATA, memcpy", "memcpy", sn, (double)d16.n, (double)d16.frames, "frame");
    if (!tsv)
        printf("  %-28s whole-body mode at %.0f%% of memcpy's bandwidth\n", "",
               sn.median / sh.median * 100);
    {
        stats s1, s16;
        rh.in = &d1;
        rn.in = &d16;
        race_ctx(h2f_conn_read, &rh, h2f_conn_read, &rn, samples, &s1, &s16);
        if (!tsv)
            printf("  %-28s streaming: %.1f ns per 1 KiB frame, %.1f ns per 16 KiB frame "
                   "(no copy: the cost does not grow with the payload)\n", "",
                   s1.median / (double)d1.frames * 1e9, s16.median / (double)d16.frames * 1e9);
    }

    /* ---- a whole connection ---- */
    rh.in = rn.in = &conn;
    rh.body = H2F_BODY_STREAM;
    h2f_conn_read(&rh);
    ng_conn_read(&rn);
    same_tally("connection", &rh, &rn);
    if (rh.t.ended != conn.requests) {
        fprintf(stderr, "connection: %zu requests ended of %zu\n", rh.t.ended, conn.requests);
        return 1;
    }
    if (!tsv)
        printf("Whole connection (server side: %zu requests, raw-data headers, 10 streams at a time, "
               "%zu body octets, %zu frames, %.1f MB):\n",
               conn.requests, conn.body_bytes, conn.frames, (double)conn.n / 1e6);
    race_ctx(h2f_conn_read, &rh, ng_conn_read, &rn, samples, &sh, &sn);
    row("connection", "h2frame", sh, (double)conn.n, (double)conn.requests, "request");
    row("connection", "nghttp2", sn, (double)conn.n, (double)conn.requests, "request");
    conn_speedup = sn.median / sh.median;
    ratio_line("", sh, sn);
    {
        size_t floor_fields = h2f_conn_floor(&rh);
        if (floor_fields != rh.t.fields) {
            fprintf(stderr, "floor: %zu fields, the connection reader %zu\n", floor_fields,
                    rh.t.fields);
            return 1;
        }
    }
    race_ctx(h2f_conn_floor, &rh, ng_conn_read, &rn, samples, &sh, &sn);
    row("frames + HPACK alone", "h2frame", sh, (double)conn.n, (double)conn.requests, "request");
    row("  (session, timed again)", "nghttp2", sn, (double)conn.n, (double)conn.requests, "request");
    floor_speedup = sn.median / sh.median;
    if (!tsv)
        printf("  %-28s what any connection reader on h2frame's frame reader and HPACK decoder\n"
               "  %-28s must do: it could run at most %.2fx nghttp2's session\n",
               "", "", floor_speedup);
    h2f_conn_read(&rh);
    ng_conn_read(&rn);
    if (!tsv)
        printf("Memory (the connection above, streaming bodies, counting allocators):\n");
    memory_line("per connection", &rh, &rn, &conn);

    printf("RESULT hpack_decode_speedup=%.2f hpack_encode_speedup=%.2f hpack_encode_ratio=%.4f "
           "conn_speedup=%.2f nghttp2_encode_ratio=%.4f conn_floor_speedup=%.2f\n",
           dec_speedup, enc_speedup, (double)hw / (double)hdrs.plain_bytes, conn_speedup,
           (double)nw / (double)hdrs.plain_bytes, floor_speedup);
    return (int)(sink & 0);
}
