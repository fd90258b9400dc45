/*
 * fuzz_conn — the connection reader (frames, HPACK, streams, limits) in
 * every role. The events and errors must be the same whether the input
 * comes whole or cut at fuzzer-chosen points; no stream may get an event
 * after its H2F_EV_END, nor two ENDs, and after the END at most one
 * H2F_EV_RESET and nothing after that; with streaming bodies nothing is
 * allocated after init. Aborts on any of it.
 *
 * Input: byte 0 = role, body mode, validate_http, track_local, mid-capture;
 * byte 1 = small limits (concurrent streams, CONTINUATION frames, flood
 * counts, body sizes) or the defaults; byte 2 = streams we opened (client;
 * an observer: streams the other direction opened, its sender and frame
 * size in the high bits, and whether the other direction resets each
 * stream as its block ends); byte 3 = a seed for the cut points; then the
 * bytes the peer sent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2frame.h"

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t mix_u(uint64_t h, uint64_t v)
{
    return mix(h, &v, sizeof v);
}

/* Streams seen and ended, to check "one END, nothing after it". */
#define TRACK 256
typedef struct tracker {
    uint32_t id[TRACK];
    uint8_t ended[TRACK];
    int n, overflow;
} tracker;

static uint8_t *state_of(tracker *t, uint32_t id)
{
    int i;
    for (i = 0; i < t->n; i++)
        if (t->id[i] == id)
            return &t->ended[i];
    if (t->n == TRACK) {
        t->overflow = 1;
        return NULL;
    }
    t->id[t->n] = id;
    t->ended[t->n] = 0;
    return &t->ended[t->n++];
}

static size_t allocs;
static void *a_alloc(size_t n, void *u) { (void)u; allocs++; return malloc(n); }
static void *a_realloc(void *p, size_t n, void *u) { (void)u; allocs++; return realloc(p, n); }
static void a_free(void *p, void *u) { (void)u; free(p); }

typedef struct result {
    uint64_t hash;
    size_t events;
} result;

static int other_resets; /* observer: the other direction resets each stream at its HEADERS_END */

static result run(const uint8_t *in, size_t n, const h2f_conn_options *o, int opened, uint32_t seed,
                  int cut)
{
    h2f_allocator a = {a_alloc, a_realloc, a_free, NULL};
    h2f_conn c;
    tracker t;
    result r = {14695981039346656037ull, 0};
    size_t pos = 0, after_init, piece_len = 0;
    uint64_t piece_hash = 14695981039346656037ull;
    uint32_t flow = 0;
    int i, stop = 0;

    allocs = 0;
    if (h2f_conn_init(&c, o, &a) != H2F_OK)
        abort();
    for (i = 0; i < opened; i++) {
        h2f_status st = h2f_conn_local_open(&c, (uint32_t)(2 * i + 1),
                                            (i & 1) ? H2F_LOCAL_END_STREAM
                                            : (i & 2) ? H2F_LOCAL_HEAD
                                                      : 0);
        /* (an observer holds the other side's streams in its pool: a small
         * one fills) */
        if (st != H2F_OK && !(st == H2F_ERR_LIMIT && o->role == H2F_ROLE_OBSERVER))
            abort();
    }
    after_init = allocs;
    memset(&t, 0, sizeof t);
    while (pos < n && !stop) {
        size_t k = n - pos;
        uint8_t *chunk;
        h2f_event ev;
        h2f_error e;
        h2f_status st;
        if (cut) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 16) % (k < 200 ? k : 200);
        }
        chunk = malloc(k); /* exact size: ASan sees any over-read */
        memcpy(chunk, in + pos, k);
        if (h2f_conn_feed(&c, chunk, k) != H2F_OK)
            abort();
        pos += k;
        while ((st = h2f_conn_next(&c, &ev, &e)) != H2F_NEED_MORE) {
            if (st == H2F_OK && ev.type == H2F_EV_DATA) {
                /* the input may cut a DATA frame into pieces: they join up
                 * (same hash however it was cut), and the frame's events
                 * account for its whole length */
                piece_hash = mix(piece_hash, ev.data.ptr, ev.data.len);
                piece_len += ev.data.len;
                flow += ev.flow;
                if (ev.more)
                    continue;
                if (flow != ev.frame->hd.length)
                    abort();
                flow = 0;
            }
            r.events++;
            r.hash = mix_u(r.hash, (uint64_t)st);
            if (st != H2F_OK) {
                r.hash = mix_u(r.hash, e.code);
                r.hash = mix_u(r.hash, e.scope);
                r.hash = mix_u(r.hash, e.stream_id);
                r.hash = mix_u(r.hash, e.offset);
                if (e.scope != H2F_SCOPE_STREAM) {
                    stop = 1;
                    break;
                }
                continue;
            }
            r.hash = mix_u(r.hash, ev.type);
            r.hash = mix_u(r.hash, ev.stream_id);
            r.hash = mix_u(r.hash, h2f_conn_frame_offset(&c));
            switch (ev.type) {
            case H2F_EV_HEADER:
                r.hash = mix(r.hash, ev.field.name.ptr, ev.field.name.len);
                r.hash = mix_u(r.hash, ev.field.name.len);
                r.hash = mix(r.hash, ev.field.value.ptr, ev.field.value.len);
                r.hash = mix_u(r.hash, ev.field.value.len);
                r.hash = mix_u(r.hash, ev.problems);
                /* fall through */
            case H2F_EV_HEADERS_END:
                r.hash = mix_u(r.hash, ev.block);
                r.hash = mix_u(r.hash, ev.promised_stream_id);
                r.hash = mix_u(r.hash, ev.end_stream);
                if (other_resets && ev.type == H2F_EV_HEADERS_END &&
                    h2f_conn_other_reset(&c, ev.stream_id, H2F_CANCEL) != H2F_OK)
                    abort();
                break;
            case H2F_EV_DATA:
                r.hash = mix_u(r.hash, piece_hash);
                r.hash = mix_u(r.hash, piece_len);
                piece_hash = 14695981039346656037ull;
                piece_len = 0;
                break;
            case H2F_EV_BODY:
                r.hash = mix(r.hash, ev.data.ptr, ev.data.len);
                r.hash = mix_u(r.hash, ev.data.len);
                break;
            case H2F_EV_END:
                r.hash = mix_u(r.hash, ev.end);
                r.hash = mix_u(r.hash, ev.error_code);
                break;
            case H2F_EV_RESET:
                r.hash = mix_u(r.hash, ev.error_code);
                break;
            default:
                break;
            }
            /* one END per stream, nothing after it but one RESET (an
             * observer may meet a forgotten id again as a new stream: not
             * checked there) */
            if (o->role != H2F_ROLE_OBSERVER && ev.type != H2F_EV_FRAME) {
                uint32_t id = ev.type == H2F_EV_END || ev.type == H2F_EV_RESET ||
                                      ev.block != H2F_BLOCK_PUSH_PROMISE
                                  ? ev.stream_id
                                  : ev.promised_stream_id;
                uint8_t *ended = state_of(&t, id);
                if (ended) {
                    if (*ended == 2 || (*ended == 1 && ev.type != H2F_EV_RESET))
                        abort();
                    if (ev.type == H2F_EV_END)
                        *ended = 1;
                    else if (ev.type == H2F_EV_RESET)
                        *ended = 2;
                }
            }
        }
        free(chunk);
    }
    if (o->body == H2F_BODY_STREAM && allocs != after_init)
        abort(); /* streaming bodies: nothing allocated after init */
    h2f_conn_free(&c);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2f_conn_options o;
    result whole, split;
    int opened;
    uint32_t seed;
    if (size < 4)
        return 0;
    memset(&o, 0, sizeof o);
    o.role = (h2f_role)(data[0] % 3);
    o.body = (data[0] & 4) ? H2F_BODY_WHOLE : H2F_BODY_STREAM;
    o.validate_http = (data[0] & 8) != 0;
    o.track_local = (data[0] & 16) != 0;
    o.allow_any_first_frame = (data[0] & 32) != 0;
    if (data[1] & 1) {
        o.max_concurrent_streams = 1 + (data[1] >> 1 & 7);
        o.max_local_streams = 8;
        o.max_continuations = 1 + (data[1] >> 4 & 3);
        o.max_block_bytes = 64 << (data[1] >> 6);
        o.max_settings_entries = 2;
        o.max_control_frames = 4;
        o.max_empty_frames = 2;
        o.max_peer_resets = 3;
        o.max_stream_errors = 3;
        o.max_body_per_stream = 100;
        o.max_body_per_conn = 150;
        o.hpack.max_header_list_size = 300;
        o.hpack.max_fields = 8;
        o.hpack.max_string_len = 64;
    }
    opened = o.role == H2F_ROLE_CLIENT ? data[2] % 9 : 0;
    if (o.role == H2F_ROLE_OBSERVER) {
        /* the server's octets, told of the client's requests; or a sender
         * named or detected; one direction's frame size unknown */
        o.sender = (h2f_sender)(data[2] >> 4 & 3) % 3;
        if (data[2] & 0x40)
            o.max_frame_size = H2F_MAX_MAX_FRAME_SIZE;
        other_resets = (data[2] & 0x80) != 0;
    } else {
        other_resets = 0;
        if (o.sender == H2F_SENDER_SERVER)
            opened = data[2] % 9;
    }
    if (o.max_local_streams && opened > (int)o.max_local_streams)
        opened = (int)o.max_local_streams;
    seed = data[3];
    whole = run(data + 4, size - 4, &o, opened, seed, 0);
    split = run(data + 4, size - 4, &o, opened, seed, 1);
    if (whole.hash != split.hash || whole.events != split.events)
        abort();
    return 0;
}
