/*
 * conn.c — the connection reader: frames (h2frame.c) and HPACK (hpack.c)
 * joined into streams, RFC 9113 §5 and §8.1.
 *
 * One direction of a connection is read: what the peer sends. Each frame is
 * checked against the state of its stream (§5.1), header blocks are decoded
 * fragment by fragment as HEADERS/PUSH_PROMISE and CONTINUATION frames
 * arrive (always to the end, even for a refused or reset stream, so the
 * HPACK table stays in step: §4.3, §10.5.1), and what the peer says on each
 * stream comes out as events: fields, end of block, body, end of stream.
 *
 * Memory: the frame reader's buffer, the HPACK decoder's table and scratch,
 * and the stream tables are allocated at init and never grow (apart from
 * the frame buffer when a larger SETTINGS_MAX_FRAME_SIZE is acknowledged).
 * Only H2F_BODY_WHOLE allocates afterwards: the bodies, within their limits.
 */
#include "hpack_internal.h"

#include <stddef.h>
#include <string.h>

/* A stream the reader holds. */
struct h2f_conn_stream {
    uint32_t id;
    uint32_t next_free;      /* free list link (pool position + 1) */
    uint8_t phase;           /* the peer's side: PH_* */
    uint8_t flags;           /* S_* */
    uint16_t status;         /* the final response status, 0 if none */
    uint64_t content_length; /* UINT64_MAX: none */
    uint64_t received;       /* DATA octets (padding excluded) */
    uint32_t other_reset;    /* observer: the other direction's RST_STREAM code */
    uint8_t *body;           /* H2F_BODY_WHOLE */
    size_t body_len, body_cap;
};

enum {
    PH_RESERVED = 1, /* promised by the peer (§5.1 "reserved (remote)") */
    PH_OPEN,         /* the peer may send on it */
    PH_DONE          /* the peer ended it; held while our side is open */
};

enum {
    S_LOCAL = 0x01,      /* we opened (or were told of) it */
    S_LOCAL_OPEN = 0x02, /* our side has not ended it (track_local) */
    S_ANNOUNCED = 0x04,  /* an event named it: it gets an H2F_EV_END */
    S_FINAL = 0x08,      /* the request or final response headers arrived */
    S_NO_CONTENT = 0x10, /* HEAD, 204, 304: content-length is not a promise */
    S_HAD_DATA = 0x20,
    S_COUNTED = 0x40,    /* counts in npeer_open */
    S_CLOSED_OTHER = 0x80 /* observer: the other direction reset it */
};

/* How a stream no longer held was closed, kept for a while in a ring: the
 * RFC answers a frame on a closed stream differently by how it closed.
 * C_BOTH_END: the peer ended it and our side was known to be over too
 * (§5.1 closed: "Endpoints MUST ignore WINDOW_UPDATE or RST_STREAM frames
 * received in this state"). */
enum { C_PEER_END = 1, C_PEER_RESET, C_LOCAL_RESET, C_BOTH_END };
#define C_BITS 3

#define AGAIN ((h2f_status)-1) /* internal: no event yet, go on */

/* ---- defaults ---------------------------------------------------------- */

static uint32_t or_default(uint32_t v, uint32_t d)
{
    return v ? v : d;
}

static void apply_defaults(h2f_conn_options *o)
{
    o->max_concurrent_streams = or_default(o->max_concurrent_streams, 100);
    o->max_local_streams = or_default(o->max_local_streams, 100);
    o->max_block_bytes = or_default(o->max_block_bytes, 131072);
    o->max_continuations = or_default(o->max_continuations, 16);
    o->max_settings_entries = or_default(o->max_settings_entries, 32);
    o->max_control_frames = or_default(o->max_control_frames, 1000);
    o->max_empty_frames = or_default(o->max_empty_frames, 100);
    o->max_peer_resets = or_default(o->max_peer_resets, 200);
    o->max_stream_errors = or_default(o->max_stream_errors, 200);
    if (!o->max_body_per_stream)
        o->max_body_per_stream = (size_t)1 << 20;
    if (!o->max_body_per_conn)
        o->max_body_per_conn = (size_t)8 << 20;
}

/* ---- the stream tables --------------------------------------------------- */

static uint32_t hash_id(uint32_t id)
{
    return (id * 2654435761u) >> 7;
}

static h2f_conn_stream *find(const h2f_conn *c, uint32_t id)
{
    uint32_t i = hash_id(id) & c->index_mask;
    for (;;) {
        uint16_t k = c->index[i];
        if (k == 0)
            return NULL;
        if (c->pool[k - 1].id == id)
            return &c->pool[k - 1];
        i = (i + 1) & c->index_mask;
    }
}

static h2f_conn_stream *add(h2f_conn *c, uint32_t id, uint8_t phase, uint8_t flags)
{
    h2f_conn_stream *s;
    uint32_t i, k = c->free_head;
    if (k == 0)
        return NULL;
    s = &c->pool[k - 1];
    c->free_head = s->next_free;
    memset(s, 0, sizeof *s);
    s->id = id;
    s->phase = phase;
    s->flags = flags;
    s->content_length = UINT64_MAX;
    for (i = hash_id(id) & c->index_mask; c->index[i]; i = (i + 1) & c->index_mask)
        ;
    c->index[i] = (uint16_t)k;
    c->nstreams++;
    if (phase == PH_RESERVED)
        c->nreserved++;
    return s;
}

static void remember_closed(h2f_conn *c, uint32_t id, uint32_t how)
{
    c->closed[c->closed_pos] = (uint64_t)id << C_BITS | how;
    c->closed_pos = (c->closed_pos + 1) & (c->closed_cap - 1);
}

/* How a stream that is not held was closed, 0 if not remembered. The
 * newest entry wins (a stream is remembered once, but be safe). Only frames
 * on streams no longer held come here, never a new stream's. */
static uint32_t closed_how(const h2f_conn *c, uint32_t id)
{
    uint32_t i, pos = c->closed_pos, mask = c->closed_cap - 1;
    uint64_t key = (uint64_t)id << C_BITS, low = ((uint64_t)1 << C_BITS) - 1;
    for (i = 0; i < c->closed_cap; i++) {
        pos = (pos - 1) & mask;
        if ((c->closed[pos] & ~low) == key)
            return (uint32_t)(c->closed[pos] & low);
    }
    return 0;
}

/* Removes s (linear probing: shift back the entries after it). */
static void drop(h2f_conn *c, h2f_conn_stream *s, uint32_t how)
{
    uint32_t k = (uint32_t)(s - c->pool) + 1, i, j;
    for (i = hash_id(s->id) & c->index_mask; c->index[i] != k; i = (i + 1) & c->index_mask)
        ;
    for (j = (i + 1) & c->index_mask; c->index[j]; j = (j + 1) & c->index_mask) {
        uint32_t home = hash_id(c->pool[c->index[j] - 1].id) & c->index_mask;
        /* move j's entry into the hole at i unless its home lies in (i, j] */
        if (((j - home) & c->index_mask) >= ((j - i) & c->index_mask)) {
            c->index[i] = c->index[j];
            i = j;
        }
    }
    c->index[i] = 0;
    if (s->flags & S_COUNTED)
        c->npeer_open--;
    if (s->phase == PH_RESERVED)
        c->nreserved--;
    if (s->body) {
        c->held -= s->body_len;
        c->alloc.free(s->body, c->alloc.user);
    }
    remember_closed(c, s->id, how);
    s->id = 0;
    s->body = NULL;
    s->next_free = c->free_head;
    c->free_head = k;
    c->nstreams--;
}

/* The peer ended s: how it is remembered once dropped — closed for both
 * sides when ours is known to be over (we sent END_STREAM, or a pushed
 * stream, whose side is ours only to receive on). */
static uint32_t ended_how(const h2f_conn_stream *s)
{
    return (s->flags & S_LOCAL_OPEN) ? C_PEER_END : C_BOTH_END;
}

/* Room in the pool for one more stream. An observer makes it, when full,
 * by letting go of a stream the other direction reset (§5.1: closed for
 * both sides; kept only to show the sender's frames in flight): its END
 * is queued if it had events. */
static void queue(h2f_conn *c, const h2f_event *ev);
static void end_event(h2f_conn *c, h2f_event *ev, uint32_t id, h2f_stream_end how, uint32_t code);

static int has_room(h2f_conn *c)
{
    uint32_t i;
    if (c->free_head != 0)
        return 1;
    if (c->opt.role != H2F_ROLE_OBSERVER)
        return 0;
    for (i = 0; i < c->pool_cap; i++) {
        h2f_conn_stream *s = &c->pool[i];
        if (s->id && (s->flags & S_CLOSED_OTHER)) {
            if (s->flags & S_ANNOUNCED) {
                h2f_event ev;
                end_event(c, &ev, s->id, H2F_END_RESET, s->other_reset);
                queue(c, &ev);
            }
            drop(c, s, C_LOCAL_RESET);
            return 1;
        }
    }
    return 0;
}

/* ---- which of the peer's stream ids were used ------------------------------ */

/* §5.1.1: "The first use of a new stream identifier implicitly closes all
 * streams in the idle state that might have been initiated by that peer
 * with a lower-valued stream identifier." Such an id, used later, is not a
 * closed stream but an id out of order — a connection PROTOCOL_ERROR. A
 * bitmap of the last 4096 ids of the peer's parity tells the two apart. */
#define USED_WINDOW 4096u

static void used_set(h2f_conn *c, uint32_t id, int on)
{
    uint32_t k = (id >> 1) & (USED_WINDOW - 1);
    if (on)
        c->used[k >> 3] |= (uint8_t)(1u << (k & 7));
    else
        c->used[k >> 3] &= (uint8_t)~(1u << (k & 7));
}

/* The peer opened or promised `id`, above last_peer_id. */
static void peer_uses(h2f_conn *c, uint32_t id)
{
    uint32_t k, from = c->last_peer_id;
    if (id - from >= 2 * USED_WINDOW) {
        memset(c->used, 0, sizeof c->used);
    } else {
        for (k = from ? from + 2 : 2 - (id & 1); k < id; k += 2)
            used_set(c, k, 0);
    }
    used_set(c, id, 1);
    c->last_peer_id = id;
}

/* For a peer id at most last_peer_id: 1 used, 0 skipped, -1 too old to know. */
static int peer_used(const h2f_conn *c, uint32_t id)
{
    uint32_t k = (id >> 1) & (USED_WINDOW - 1);
    if (c->last_peer_id - id >= 2 * USED_WINDOW)
        return -1;
    return (c->used[k >> 3] >> (k & 7)) & 1;
}

/* ---- roles ------------------------------------------------------------- */

/* Which side sends what this reader reads. */
enum { SIDE_UNKNOWN = 0, SIDE_CLIENT, SIDE_SERVER };

static int peer_side(const h2f_conn *c)
{
    if (c->opt.role == H2F_ROLE_SERVER)
        return SIDE_CLIENT;
    if (c->opt.role == H2F_ROLE_CLIENT)
        return SIDE_SERVER;
    if (c->opt.sender != H2F_SENDER_DETECT)
        return c->opt.sender == H2F_SENDER_CLIENT ? SIDE_CLIENT : SIDE_SERVER;
    /* §3.4: "the client connection preface starts with a sequence of 24
     * octets"; the server's starts with a SETTINGS frame. A capture that
     * starts mid-connection has neither. */
    if (c->rd.preface_seen)
        return SIDE_CLIENT;
    return c->opt.allow_any_first_frame ? SIDE_UNKNOWN : SIDE_SERVER;
}

/* Whether the peer opens stream `id` (§5.1.1: "Streams initiated by a
 * client MUST use odd-numbered stream identifiers; those initiated by the
 * server MUST use even-numbered stream identifiers"). Not knowing who the
 * peer is, every stream counts as the peer's. */
static int peer_initiated(const h2f_conn *c, uint32_t id)
{
    switch (peer_side(c)) {
    case SIDE_CLIENT:
        return id & 1;
    case SIDE_SERVER:
        return !(id & 1);
    default:
        return 1;
    }
}

/* §5.1: a stream is idle until first used; a new id closes the lower idle
 * ones of the same side (§5.1.1). An observer cannot tell. */
static int is_idle(const h2f_conn *c, uint32_t id)
{
    if (c->opt.role == H2F_ROLE_OBSERVER)
        return 0;
    return id > (peer_initiated(c, id) ? c->last_peer_id : c->last_local_id);
}

/* ---- errors ------------------------------------------------------------ */

static h2f_status fill(const h2f_conn *c, h2f_error *err, h2f_status st, h2f_error_code code,
                       h2f_scope scope, uint32_t stream, const char *reason)
{
    err->status = st;
    err->code = code;
    err->scope = scope;
    err->offset = h2f_reader_frame_offset(&c->rd);
    err->frame_type = c->frame.hd.type;
    err->stream_id = stream;
    /* a DATA frame's octets not yet accounted for by events (flow control) */
    err->length = c->frame.hd.type == H2F_DATA ? c->frame.hd.length - c->piece_flow : c->frame.hd.length;
    err->limit = 0;
    err->reason = reason;
    return st;
}

/* A connection error: sticky (send GOAWAY). */
static h2f_status conn_error(h2f_conn *c, h2f_error *err, h2f_status st, h2f_error_code code,
                             const char *reason)
{
    fill(c, &c->err, st, code, H2F_SCOPE_CONNECTION, c->frame.hd.stream_id, reason);
    *err = c->err;
    return st;
}

static void queue(h2f_conn *c, const h2f_event *ev)
{
    /* at most two events ever wait (BODY, END): the third slot is spare */
    if (c->nqueue < sizeof c->queue / sizeof c->queue[0])
        c->queue[c->nqueue++] = *ev;
}

static void end_event(h2f_conn *c, h2f_event *ev, uint32_t id, h2f_stream_end how,
                      uint32_t code)
{
    memset(ev, 0, sizeof *ev);
    ev->type = H2F_EV_END;
    ev->stream_id = id;
    ev->frame = &c->frame;
    ev->end = how;
    ev->error_code = code;
}

/* The peer reset a stream it no longer sends on (H2F_EV_RESET). */
static h2f_status reset_event(h2f_conn *c, h2f_event *ev, uint32_t id)
{
    memset(ev, 0, sizeof *ev);
    ev->type = H2F_EV_RESET;
    ev->stream_id = id;
    ev->frame = &c->frame;
    ev->error_code = c->frame.rst_stream.error_code;
    return H2F_OK;
}

static h2f_status frame_event(h2f_conn *c, h2f_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->type = H2F_EV_FRAME;
    ev->stream_id = c->frame.hd.stream_id;
    ev->frame = &c->frame;
    return H2F_OK;
}

/* A budget of `max` units kept in halves: a charge takes a unit, a stream
 * that ends normally gives half of one back. Zero left: the peer is making
 * us do this on purpose. */
static int charge(uint32_t *budget)
{
    if (*budget < 2)
        return 0;
    *budget -= 2;
    return 1;
}

/* A stream error found by the reader: the stream is reset by us from now
 * on (frames in flight are dropped), and if it had events it gets an
 * H2F_EV_END. Too many of them and the peer is provoking them
 * (CVE-2025-8671): a connection ENHANCE_YOUR_CALM instead. */
static h2f_status stream_error(h2f_conn *c, h2f_error *err, h2f_status st, uint32_t id,
                               h2f_error_code code, const char *reason)
{
    h2f_conn_stream *s = find(c, id);
    if (!charge(&c->error_budget))
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "too many stream errors: max_stream_errors (CVE-2025-8671)");
    fill(c, err, st, code, H2F_SCOPE_STREAM, id, reason);
    if (c->in_block && (c->block_stream == id || c->block_promised == id))
        c->block_emit = 0;
    if (s) {
        /* a stream the peer already ended (held for our side) had its END */
        if ((s->flags & (S_ANNOUNCED | S_LOCAL)) && s->phase != PH_DONE) {
            h2f_event ev;
            end_event(c, &ev, id, H2F_END_ERROR, code);
            queue(c, &ev);
        }
        drop(c, s, C_LOCAL_RESET);
    } else if (closed_how(c, id) != C_LOCAL_RESET) {
        remember_closed(c, id, C_LOCAL_RESET);
    }
    return st;
}

/* ---- init -------------------------------------------------------------- */

h2f_status h2f_conn_init(h2f_conn *c, const h2f_conn_options *opt, const h2f_allocator *alloc)
{
    h2f_reader_options ro;
    h2f_status st;
    uint32_t pool, idx, i;
    if (!c)
        return H2F_ERR_INVALID_ARGUMENT;
    memset(c, 0, sizeof *c);
    if (opt)
        c->opt = *opt;
    if (c->opt.role > H2F_ROLE_OBSERVER || c->opt.body > H2F_BODY_WHOLE ||
        c->opt.sender > H2F_SENDER_SERVER ||
        (c->opt.max_frame_size && !h2f__valid_max_frame_size(c->opt.max_frame_size)))
        return H2F_ERR_INVALID_ARGUMENT;
    apply_defaults(&c->opt);
    c->alloc = h2f__allocator(alloc);
    if (!c->alloc.alloc || !c->alloc.free || !c->alloc.realloc)
        return H2F_ERR_INVALID_ARGUMENT;
    /* The pool holds what each role can have at once: the peer's open
     * streams, its promises (client), our own streams (client). */
    if (c->opt.max_concurrent_streams > 8192 || c->opt.max_local_streams > 8192)
        return H2F_ERR_INVALID_ARGUMENT;
    pool = c->opt.max_concurrent_streams;
    if (c->opt.role == H2F_ROLE_CLIENT)
        pool = 2 * pool + c->opt.max_local_streams;
    else if (c->opt.role == H2F_ROLE_OBSERVER)
        pool = 2 * pool;
    for (idx = 16; idx < 2 * pool; idx *= 2)
        ;
    memset(&ro, 0, sizeof ro);
    ro.preface = c->opt.role == H2F_ROLE_SERVER   ? H2F_PREFACE_EXPECT
                 : c->opt.role == H2F_ROLE_CLIENT ? H2F_PREFACE_NONE
                                                  : H2F_PREFACE_DETECT;
    ro.allow_any_first_frame = c->opt.allow_any_first_frame;
    ro.max_frame_size = c->opt.max_frame_size;
    ro.data_pieces = 1; /* bodies are never copied on their way through */
    st = h2f_reader_init(&c->rd, &ro, &c->alloc);
    if (st != H2F_OK)
        return st;
    st = h2f_hpack_decoder_init(&c->hpack, &c->opt.hpack, &c->alloc);
    if (st != H2F_OK) {
        h2f_reader_free(&c->rd);
        return st;
    }
    c->pool_cap = pool;
    c->index_mask = idx - 1;
    /* every stream the pool can hold, twice over, is remembered when it
     * closes: frames in flight on it are told apart from a peer's errors */
    for (c->closed_cap = 128; c->closed_cap < 2 * pool; c->closed_cap *= 2)
        ;
    c->pool = c->alloc.alloc(pool * sizeof *c->pool, c->alloc.user);
    if (c->pool) /* zeroed at once: h2f_conn_free looks at its bodies */
        memset(c->pool, 0, pool * sizeof *c->pool);
    c->index = c->alloc.alloc(idx * sizeof *c->index, c->alloc.user);
    c->closed = c->alloc.alloc(c->closed_cap * sizeof *c->closed, c->alloc.user);
    if (!c->pool || !c->index || !c->closed) {
        h2f_conn_free(c);
        return H2F_ERR_NOMEM;
    }
    memset(c->index, 0, idx * sizeof *c->index);
    memset(c->closed, 0, c->closed_cap * sizeof *c->closed);
    for (i = 0; i < pool; i++)
        c->pool[i].next_free = i + 2 <= pool ? i + 2 : 0;
    c->free_head = pool ? 1 : 0;
    c->max_concurrent = c->opt.max_concurrent_streams;
    c->push_enabled = 1; /* §6.5.2: SETTINGS_ENABLE_PUSH starts at 1 */
    c->reset_budget = 2 * c->opt.max_peer_resets;
    c->error_budget = 2 * c->opt.max_stream_errors;
    return H2F_OK;
}

void h2f_conn_free(h2f_conn *c)
{
    uint32_t i;
    if (!c)
        return;
    if (c->pool) {
        for (i = 0; i < c->pool_cap; i++)
            if (c->pool[i].body)
                c->alloc.free(c->pool[i].body, c->alloc.user);
        c->alloc.free(c->pool, c->alloc.user);
    }
    if (c->release)
        c->alloc.free(c->release, c->alloc.user);
    for (i = 0; i < c->nqueue; i++)
        if (c->queue[i].type == H2F_EV_BODY && c->queue[i].data.ptr)
            c->alloc.free((void *)c->queue[i].data.ptr, c->alloc.user);
    if (c->index)
        c->alloc.free(c->index, c->alloc.user);
    if (c->closed)
        c->alloc.free(c->closed, c->alloc.user);
    h2f_hpack_decoder_free(&c->hpack);
    h2f_reader_free(&c->rd);
    memset(c, 0, sizeof *c);
}

h2f_status h2f_conn_feed(h2f_conn *c, const uint8_t *data, size_t len)
{
    if (!c)
        return H2F_ERR_INVALID_ARGUMENT;
    return h2f_reader_feed(&c->rd, data, len);
}

/* ---- what we sent -------------------------------------------------------- */

h2f_status h2f_conn_local_settings(h2f_conn *c, const h2f_setting *list, size_t n)
{
    size_t i;
    if (!c || (!list && n))
        return H2F_ERR_INVALID_ARGUMENT;
    if (c->npending == 4)
        return H2F_ERR_LIMIT;
    /* Start from the values in force once the earlier ones are acked. */
    if (c->npending)
        c->pending[c->npending] = c->pending[c->npending - 1];
    else {
        c->pending[0].table = c->hpack.settings_size;
        c->pending[0].frame = c->rd.opt.max_frame_size;
        c->pending[0].concurrent = c->max_concurrent;
        c->pending[0].list = c->hpack.opt.max_header_list_size;
        c->pending[0].push = c->push_enabled;
        c->pending[0].connect = c->connect_protocol;
    }
    for (i = 0; i < n; i++) {
        uint32_t v = list[i].value;
        switch (list[i].id) {
        case H2F_SETTINGS_HEADER_TABLE_SIZE:
            if (v > c->hpack.table.capacity)
                return H2F_ERR_INVALID_ARGUMENT;
            c->pending[c->npending].table = v;
            break;
        case H2F_SETTINGS_MAX_FRAME_SIZE:
            if (!h2f__valid_max_frame_size(v))
                return H2F_ERR_INVALID_ARGUMENT;
            c->pending[c->npending].frame = v;
            break;
        case H2F_SETTINGS_MAX_CONCURRENT_STREAMS:
            if (v > c->opt.max_concurrent_streams)
                return H2F_ERR_INVALID_ARGUMENT;
            c->pending[c->npending].concurrent = v;
            break;
        case H2F_SETTINGS_MAX_HEADER_LIST_SIZE:
            c->pending[c->npending].list = v;
            break;
        case H2F_SETTINGS_ENABLE_PUSH:
            c->pending[c->npending].push = v;
            break;
        case H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL:
            c->pending[c->npending].connect = v;
            break;
        default:
            break;
        }
    }
    c->npending++;
    return H2F_OK;
}

/* The peer acknowledged our oldest SETTINGS (§6.5.3). */
static h2f_status apply_settings(h2f_conn *c)
{
    h2f_status st;
    if (!c->npending)
        return H2F_OK; /* settings the user did not tell us about */
    st = h2f_hpack_decoder_set_max_table_size(&c->hpack, c->pending[0].table);
    if (st == H2F_OK)
        st = h2f_reader_set_max_frame_size(&c->rd, c->pending[0].frame);
    c->max_concurrent = c->pending[0].concurrent;
    c->hpack.opt.max_header_list_size = c->pending[0].list;
    c->push_enabled = (uint8_t)(c->pending[0].push != 0);
    c->connect_protocol = (uint8_t)(c->pending[0].connect != 0);
    memmove(&c->pending[0], &c->pending[1], (c->npending - 1) * sizeof c->pending[0]);
    c->npending--;
    return st;
}

h2f_status h2f_conn_local_open(h2f_conn *c, uint32_t stream_id, unsigned flags)
{
    h2f_conn_stream *s;
    if (!c || stream_id == 0 || stream_id > H2F_MAX_STREAM_ID || stream_id <= c->last_local_id ||
        (c->opt.role != H2F_ROLE_OBSERVER && peer_initiated(c, stream_id)) ||
        (c->opt.role == H2F_ROLE_OBSERVER && peer_side(c) != SIDE_UNKNOWN &&
         peer_initiated(c, stream_id)) ||
        (c->goaway_seen && stream_id > c->goaway_last))
        return H2F_ERR_INVALID_ARGUMENT;
    if (c->opt.role == H2F_ROLE_SERVER) {
        /* A stream we promised: the client only sends RST_STREAM,
         * WINDOW_UPDATE and PRIORITY on it, which need no state. */
        c->last_local_id = stream_id;
        return H2F_OK;
    }
    if (c->opt.role == H2F_ROLE_OBSERVER) {
        /* Whose streams are whose is not known before the first octets
         * (opt.sender names it). */
        if (c->opt.sender == H2F_SENDER_DETECT && !c->rd.preface_seen && !c->rd.seen_frame)
            return H2F_ERR_INVALID_ARGUMENT;
        /* A response that came first (a capture's order), or a stream
         * already over: told, not held twice. */
        if ((s = find(c, stream_id)) != NULL) {
            if (flags & H2F_LOCAL_HEAD)
                s->flags |= S_NO_CONTENT;
            if (flags & H2F_LOCAL_END_STREAM)
                s->flags &= (uint8_t)~S_LOCAL_OPEN;
            c->last_local_id = stream_id;
            return H2F_OK;
        }
        if (closed_how(c, stream_id)) {
            c->last_local_id = stream_id;
            return H2F_OK;
        }
    }
    /* (an observer holds the other side's streams within its pool) */
    if ((c->opt.role == H2F_ROLE_CLIENT &&
         c->nstreams - c->npeer_open - c->nreserved >= c->opt.max_local_streams) ||
        !has_room(c))
        return H2F_ERR_LIMIT;
    s = add(c, stream_id, PH_OPEN,
            (uint8_t)(S_LOCAL | ((flags & H2F_LOCAL_END_STREAM) ? 0 : S_LOCAL_OPEN) |
                      ((flags & H2F_LOCAL_HEAD) ? S_NO_CONTENT : 0)));
    if (!s)
        return H2F_ERR_LIMIT;
    c->last_local_id = stream_id;
    return H2F_OK;
}

h2f_status h2f_conn_local_close(h2f_conn *c, uint32_t stream_id)
{
    h2f_conn_stream *s = c ? find(c, stream_id) : NULL;
    if (!s)
        return H2F_ERR_INVALID_ARGUMENT;
    s->flags &= (uint8_t)~S_LOCAL_OPEN;
    if (s->phase == PH_DONE)
        drop(c, s, C_BOTH_END);
    return H2F_OK;
}

h2f_status h2f_conn_local_reset(h2f_conn *c, uint32_t stream_id)
{
    h2f_conn_stream *s;
    uint32_t i;
    if (!c || stream_id == 0 || stream_id > H2F_MAX_STREAM_ID)
        return H2F_ERR_INVALID_ARGUMENT;
    s = find(c, stream_id);
    /* §6.4: "RST_STREAM frames MUST NOT be sent for a stream in the "idle"
     * state." */
    if (!s && is_idle(c, stream_id))
        return H2F_ERR_INVALID_ARGUMENT;
    if (c->in_block && (c->block_stream == stream_id || c->block_promised == stream_id))
        c->block_emit = 0;
    if (c->perr_stream == stream_id) /* the error it was reset for */
        c->perr_stream = 0;
    for (i = 0; i < c->nqueue;) { /* it is forgotten: no END, no BODY */
        if (c->queue[i].stream_id == stream_id &&
            (c->queue[i].type == H2F_EV_END || c->queue[i].type == H2F_EV_BODY)) {
            if (c->queue[i].type == H2F_EV_BODY && c->queue[i].data.ptr)
                c->alloc.free((void *)c->queue[i].data.ptr, c->alloc.user);
            memmove(&c->queue[i], &c->queue[i + 1], (--c->nqueue - i) * sizeof c->queue[0]);
        } else {
            i++;
        }
    }
    if (s)
        drop(c, s, C_LOCAL_RESET);
    else
        remember_closed(c, stream_id, C_LOCAL_RESET);
    return H2F_OK;
}

h2f_status h2f_conn_other_reset(h2f_conn *c, uint32_t stream_id, uint32_t error_code)
{
    h2f_conn_stream *s;
    if (!c || c->opt.role != H2F_ROLE_OBSERVER || stream_id == 0 || stream_id > H2F_MAX_STREAM_ID)
        return H2F_ERR_INVALID_ARGUMENT;
    /* The other direction reset the stream: closed for both sides (§5.1),
     * it counts against no limit from now on. It is still held so that the
     * frames its sender had in flight (§5.4.2) are shown as they were sent,
     * END included; when the pool is full it gives way first (has_room). */
    s = find(c, stream_id);
    if (s && !(s->flags & S_CLOSED_OTHER)) {
        if (s->flags & S_COUNTED) {
            c->npeer_open--;
            s->flags &= (uint8_t)~S_COUNTED;
        }
        if (s->phase == PH_RESERVED) {
            c->nreserved--;
            s->phase = PH_OPEN;
        }
        s->flags |= S_CLOSED_OTHER;
        s->other_reset = error_code;
    }
    return H2F_OK;
}

size_t h2f_conn_stream_count(const h2f_conn *c)
{
    return c ? c->nstreams : 0;
}

size_t h2f_conn_peer_open(const h2f_conn *c)
{
    return c ? c->npeer_open : 0;
}

const h2f_hpack_decoder *h2f_conn_hpack(const h2f_conn *c)
{
    return c ? &c->hpack : NULL;
}

uint64_t h2f_conn_frame_offset(const h2f_conn *c)
{
    return c ? h2f_reader_frame_offset(&c->rd) : 0;
}

/* ---- the peer ends a stream ---------------------------------------------- */

/* END_STREAM: the peer's side is done. The stream is forgotten unless our
 * side is still open and counted (track_local). */
static void peer_end(h2f_conn *c, h2f_conn_stream *s)
{
    h2f_event ev;
    end_event(c, &ev, s->id, H2F_END_STREAM, 0);
    queue(c, &ev);
    /* half a unit back for each budget */
    if (c->reset_budget < 2 * c->opt.max_peer_resets)
        c->reset_budget++;
    if (c->error_budget < 2 * c->opt.max_stream_errors)
        c->error_budget++;
    if (c->opt.track_local && (s->flags & S_LOCAL_OPEN))
        s->phase = PH_DONE;
    else
        drop(c, s, ended_how(s));
}

/* §8.1.1: "A request or response is also malformed if the value of a
 * content-length header field does not equal the sum of the DATA frame
 * payload lengths that form the content, unless the message is defined as
 * having no content." Checked when the message ends, with `more` octets
 * of its last DATA frame still to be counted. */
static int content_length_wrong(const h2f_conn *c, const h2f_conn_stream *s, uint64_t more)
{
    return c->opt.validate_http && s->content_length != UINT64_MAX &&
           !(s->flags & S_NO_CONTENT) && s->received + more != s->content_length;
}

/* H2F_BODY_WHOLE, END_STREAM: the stream's body as an H2F_EV_BODY. The
 * buffer leaves the stream (the event's view must outlive it): whoever
 * returns the event frees it at the call after. */
static void body_handover(h2f_conn *c, h2f_conn_stream *s, h2f_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->type = H2F_EV_BODY;
    ev->stream_id = s->id;
    ev->frame = &c->frame;
    ev->data.ptr = s->body;
    ev->data.len = s->body_len;
    ev->end_stream = 1;
    c->held -= s->body_len;
    s->body = NULL;
    s->body_len = s->body_cap = 0;
}

/* ---- header blocks ------------------------------------------------------- */

/* Starts decoding a field block (HEADERS or PUSH_PROMISE). emit: whether
 * its fields are reported (not for a stream refused or reset). */
static h2f_status begin_block(h2f_conn *c, h2f_error *err, uint32_t stream, uint32_t promised,
                              int kind, int emit, h2f_bytes frag)
{
    int message;
    c->in_block = 1;
    c->block_stream = stream;
    c->block_promised = promised;
    c->block_kind = (uint8_t)kind;
    c->block_emit = (uint8_t)emit;
    c->block_end_stream = (uint8_t)(c->frame.hd.type == H2F_HEADERS &&
                                    (c->frame.hd.flags & H2F_FLAG_END_STREAM));
    c->block_bytes = (uint32_t)frag.len;
    c->block_frames = 0;
    c->block_problems = 0;
    c->block_first = 1;
    if (kind == H2F_BLOCK_PUSH_PROMISE || peer_side(c) == SIDE_CLIENT)
        message = H2F__MSG_REQUEST;
    else if (peer_side(c) == SIDE_SERVER)
        message = H2F__MSG_RESPONSE;
    else
        message = H2F__MSG_UNKNOWN;
    h2f__http_begin(&c->http, message, kind == H2F_BLOCK_TRAILERS, kind == H2F_BLOCK_PUSH_PROMISE,
                    c->connect_protocol || c->opt.role == H2F_ROLE_OBSERVER);
    if (frag.len > c->opt.max_block_bytes)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "header block larger than max_block_bytes (CVE-2024-27316)");
    return h2f_hpack_decode_feed(&c->hpack, frag.ptr, frag.len,
                                 (c->frame.hd.flags & H2F_FLAG_END_HEADERS) != 0) == H2F_OK
               ? AGAIN
               : conn_error(c, err, H2F_ERR_INVALID_ARGUMENT, H2F_INTERNAL_ERROR,
                            "HPACK decoder refused a fragment");
}

/* A block decoded only so that the HPACK table stays in step (§4.3,
 * §10.5.1), its stream refused with a stream error. */
static h2f_status refuse_block(h2f_conn *c, h2f_error *err, uint32_t stream, uint32_t promised,
                               int kind, h2f_bytes frag, h2f_status st, uint32_t id,
                               h2f_error_code code, const char *reason)
{
    h2f_status b = begin_block(c, err, stream, promised, kind, 0, frag);
    return b != AGAIN ? b : stream_error(c, err, st, id, code, reason);
}

/* A CONTINUATION frame of the open block (the frame reader has checked it
 * follows on the same stream, §6.10). */
static h2f_status on_continuation(h2f_conn *c, h2f_error *err)
{
    h2f_bytes frag = c->frame.continuation.block;
    if (++c->block_frames > c->opt.max_continuations)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "more CONTINUATION frames than max_continuations (CVE-2024-28182)");
    if (frag.len > c->opt.max_block_bytes - c->block_bytes)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "header block larger than max_block_bytes (CVE-2024-27316)");
    c->block_bytes += (uint32_t)frag.len;
    if (frag.len == 0 && !(c->frame.hd.flags & H2F_FLAG_END_HEADERS) &&
        ++c->empty_frames > c->opt.max_empty_frames)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "too many empty frames: max_empty_frames (CVE-2019-9518)");
    c->in_block = 1;
    if (h2f_hpack_decode_feed(&c->hpack, frag.ptr, frag.len,
                              (c->frame.hd.flags & H2F_FLAG_END_HEADERS) != 0) != H2F_OK)
        return conn_error(c, err, H2F_ERR_INVALID_ARGUMENT, H2F_INTERNAL_ERROR,
                          "HPACK decoder refused a fragment");
    return AGAIN;
}

/* The stream whose message the block belongs to (a PUSH_PROMISE's block is
 * the promised stream's request). */
static h2f_conn_stream *block_target(const h2f_conn *c)
{
    return find(c, c->block_kind == H2F_BLOCK_PUSH_PROMISE ? c->block_promised : c->block_stream);
}

/* The block ended (H2F_DONE from the decoder). */
static h2f_status end_block(h2f_conn *c, h2f_event *ev)
{
    h2f_conn_stream *s = block_target(c);
    int emit = c->block_emit && s;
    c->in_block = 0;
    if (!emit)
        return AGAIN;
    if (c->opt.validate_http)
        c->block_problems |= h2f__http_end(&c->http);
    /* progress: a header block we act on resets the flood counters — not
     * one on a stream we reset or refused, nor a 1xx (a server may send any
     * number of them) */
    if (c->block_kind != H2F_BLOCK_INFORMATIONAL) {
        c->control_frames = 0;
        c->empty_frames = 0;
    }
    memset(ev, 0, sizeof *ev);
    ev->type = H2F_EV_HEADERS_END;
    ev->stream_id = c->block_stream;
    ev->frame = &c->frame;
    ev->block = (h2f_block_kind)c->block_kind;
    ev->promised_stream_id = c->block_promised;
    ev->problems = c->block_problems;
    ev->end_stream = c->block_end_stream;
    s->flags |= S_ANNOUNCED;
    if (c->block_kind == H2F_BLOCK_HEADERS) {
        s->flags |= S_FINAL;
        if (c->opt.validate_http)
            s->content_length = c->http.content_length;
        if (c->http.status == 204 || c->http.status == 304)
            s->flags |= S_NO_CONTENT;
    }
    if (c->block_problems) {
        c->perr_stream = s->id;
        c->perr_reason = "malformed message: see the problems of H2F_EV_HEADERS_END (RFC 9113 §8.2, §8.3)";
    } else if (c->block_kind == H2F_BLOCK_INFORMATIONAL && c->block_end_stream) {
        c->perr_stream = s->id;
        c->perr_reason = "informational (1xx) response with END_STREAM (RFC 9113 §8.1)";
    } else if (c->block_end_stream && content_length_wrong(c, s, 0)) {
        c->perr_stream = s->id;
        c->perr_reason = "content-length does not match the DATA received (RFC 9113 §8.1.1)";
    } else if (c->block_end_stream) {
        if (c->opt.body == H2F_BODY_WHOLE && (s->flags & S_HAD_DATA)) {
            h2f_event body;
            body_handover(c, s, &body);
            queue(c, &body); /* owns the buffer now: freed after it is returned */
        }
        peer_end(c, s);
    }
    return H2F_OK;
}

/* Zeroes every member of ev but the field, which the decoder wrote. */
static void clear_but_field(h2f_event *ev)
{
    size_t after = offsetof(h2f_event, field) + sizeof ev->field;
    memset(ev, 0, offsetof(h2f_event, field));
    memset((char *)ev + after, 0, sizeof *ev - after);
}

/* One step of the open block: the next field, decoded straight into the
 * event (an event per field: no copy of it). */
static h2f_status block_step(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    h2f_hpack_field *f = &ev->field;
    h2f_error e;
    h2f_conn_stream *s;
    h2f_status st = h2f_hpack_decode_next(&c->hpack, f, &e);
    if (st == H2F_NEED_MORE) {
        c->in_block = 2; /* a CONTINUATION frame must come next */
        return AGAIN;
    }
    if (st == H2F_DONE)
        return end_block(c, ev);
    if (st == H2F_ERR_LIMIT) {
        /* A header list over our limits: the rest of the block is decoded
         * silently (the decoder goes on), the stream is reset. */
        uint32_t id = c->block_kind == H2F_BLOCK_PUSH_PROMISE ? c->block_promised : c->block_stream;
        if (!c->block_emit)
            return AGAIN;
        return stream_error(c, err, H2F_ERR_LIMIT, id, e.code, e.reason);
    }
    if (st != H2F_OK) {
        /* COMPRESSION_ERROR: the table cannot be trusted (RFC 7541 §2.3) */
        fill(c, &c->err, st, e.code, H2F_SCOPE_CONNECTION, c->frame.hd.stream_id, e.reason);
        *err = c->err;
        return st;
    }
    s = block_target(c);
    if (!c->block_emit || !s)
        return AGAIN;
    clear_but_field(ev);
    ev->type = H2F_EV_HEADER;
    ev->stream_id = c->block_stream;
    ev->frame = &c->frame;
    ev->block = (h2f_block_kind)c->block_kind;
    ev->promised_stream_id = c->block_promised;
    if (f->rep == H2F_HPACK_SIZE_UPDATE) {
        /* (hpack.report_size_updates) an instruction to the table, not a
         * field: passed on, never judged, never the block's first field */
        return H2F_OK;
    }
    if (f->unknown) {
        /* (hpack.unknown_history) a field that refers to the part of the
         * table before the capture began: passed on, never judged */
        c->block_first = 0;
        s->flags |= S_ANNOUNCED;
        return H2F_OK;
    }
    /* The first field tells a 1xx response (§8.1: ":status" comes first
     * among the pseudo-headers, which come first). */
    if (c->block_first && c->block_kind == H2F_BLOCK_HEADERS && peer_side(c) != SIDE_CLIENT &&
        f->name.len == 7 && memcmp(f->name.ptr, ":status", 7) == 0) {
        uint32_t status = h2f__http_status(f->value);
        if (status >= 100 && status < 200)
            c->block_kind = H2F_BLOCK_INFORMATIONAL;
        else
            s->status = (uint16_t)status;
        ev->block = (h2f_block_kind)c->block_kind;
    }
    c->block_first = 0;
    if (c->opt.validate_http) {
        ev->problems = h2f__http_field(&c->http, f->name, f->value);
        c->block_problems |= ev->problems;
    } else if (c->block_kind == H2F_BLOCK_HEADERS && f->name.len == 7 &&
               memcmp(f->name.ptr, ":status", 7) == 0) {
        c->http.status = h2f__http_status(f->value);
    }
    s->flags |= S_ANNOUNCED;
    return H2F_OK;
}

/* HEADERS: which stream, in which state (§5.1), what kind of block (§8.1). */
static h2f_status on_headers(h2f_conn *c, h2f_event *ev, h2f_error *err, int frame_err,
                             const h2f_error *ferr)
{
    uint32_t id = c->frame.hd.stream_id, how;
    h2f_bytes frag = c->frame.headers.block;
    h2f_conn_stream *s = find(c, id);
    int kind = H2F_BLOCK_HEADERS, own;
    h2f_status st;

    if (s) {
        if (s->phase == PH_RESERVED) {
            /* reserved (remote) -> half-closed (local): the pushed response */
            if (c->npeer_open >= c->max_concurrent) {
                return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_LIMIT,
                                    id, H2F_REFUSED_STREAM,
                                    "more open streams than MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2)");
            }
            s->phase = PH_OPEN;
            s->flags |= S_COUNTED; /* our side of a pushed stream is closed */
            c->npeer_open++;
            c->nreserved--;
        } else if (s->phase == PH_DONE) {
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_PROTOCOL,
                                id, H2F_STREAM_CLOSED,
                                "HEADERS after END_STREAM (RFC 9113 §5.1 half-closed (remote))");
        } else if (s->flags & S_FINAL) {
            kind = H2F_BLOCK_TRAILERS;
        }
    } else {
        /* (a stream above every one the peer used is new, not closed) */
        how = id > c->last_peer_id && peer_initiated(c, id) ? 0 : closed_how(c, id);
        if (how == C_LOCAL_RESET) {
            /* §5.4.2: frames in flight after our RST_STREAM are dropped, but
             * the block still goes through HPACK */
            st = begin_block(c, err, id, 0, kind, 0, frag);
            return st != AGAIN ? st : frame_event(c, ev);
        }
        if (how == C_PEER_END || how == C_BOTH_END)
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_STREAM_CLOSED,
                              "HEADERS on a stream the peer ended (RFC 9113 §5.1 closed)");
        if (how == C_PEER_RESET) {
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_PROTOCOL,
                                id, H2F_STREAM_CLOSED,
                                "HEADERS on a stream the peer reset (RFC 9113 §5.1 closed)");
        }
        if (c->opt.role != H2F_ROLE_OBSERVER && !peer_initiated(c, id)) {
            if (c->opt.role == H2F_ROLE_SERVER)
                return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                                  "HEADERS on an even stream id from a client (RFC 9113 §5.1.1)");
            if (is_idle(c, id))
                return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                                  "HEADERS on a stream we did not open (RFC 9113 §5.1 idle)");
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_PROTOCOL,
                                id, H2F_STREAM_CLOSED,
                                "HEADERS on a closed stream (RFC 9113 §5.1)");
        }
        if (c->opt.role == H2F_ROLE_CLIENT) {
            /* a server opens streams only by PUSH_PROMISE (§8.4) */
            if (is_idle(c, id))
                return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                                  "HEADERS on a stream the server did not promise (RFC 9113 §8.4, §5.1)");
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_PROTOCOL,
                                id, H2F_STREAM_CLOSED,
                                "HEADERS on a closed stream (RFC 9113 §5.1)");
        }
        if (c->opt.role == H2F_ROLE_SERVER && id <= c->last_peer_id) {
            /* an id the peer skipped is not a stream but a mistake (§5.1.1:
             * "An endpoint that receives an unexpected stream identifier
             * MUST respond with a connection error ... PROTOCOL_ERROR");
             * one it used is a closed stream we no longer remember: its
             * block is decoded and the stream refused */
            if (peer_used(c, id) == 0)
                return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                                  "new stream id not above the last one (RFC 9113 §5.1.1)");
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_PROTOCOL,
                                id, H2F_STREAM_CLOSED,
                                "HEADERS on a closed stream (RFC 9113 §5.1)");
        }
        /* An observer may meet a response on a stream the other direction
         * opened, which it was not told of (h2f_conn_local_open). It is not
         * the sender's stream: its MAX_CONCURRENT_STREAMS does not count it
         * (§5.1.2: "Endpoints MUST NOT exceed the limit set by their peer"
         * — a limit on the streams each one initiates). */
        own = c->opt.role != H2F_ROLE_OBSERVER || peer_initiated(c, id);
        if (!own && peer_side(c) == SIDE_CLIENT)
            /* §5.1.1: a client's streams are odd; it sends HEADERS on no
             * other (a pushed stream is half-closed for it, §8.4) */
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                              "HEADERS on an even stream id from a client (RFC 9113 §5.1.1)");
        if (own && c->opt.role == H2F_ROLE_OBSERVER) {
            if (id > c->last_peer_id)
                c->last_peer_id = id;
        } else if (own) {
            peer_uses(c, id);
        }
        /* (an observer that does not know whose streams these are applies
         * no MAX_CONCURRENT_STREAMS: they may be the other side's) */
        if (own && c->npeer_open >= c->max_concurrent && peer_side(c) != SIDE_UNKNOWN)
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_LIMIT, id, H2F_REFUSED_STREAM,
                                "more open streams than MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2)");
        if (!has_room(c))
            return refuse_block(c, err, id, 0, kind, frag, H2F_ERR_LIMIT, id, H2F_REFUSED_STREAM,
                                "more streams than the reader holds (max_concurrent_streams)");
        /* (the other side's: whether its side is over is not known, taken
         * as open) */
        s = add(c, id, PH_OPEN, (uint8_t)(S_LOCAL_OPEN | (own ? S_COUNTED : S_LOCAL)));
        if (own)
            c->npeer_open++;
    }
    st = begin_block(c, err, id, 0, kind, !frame_err, frag);
    if (st != AGAIN)
        return st;
    if (frame_err) /* e.g. a self-dependency: a stream error, block decoded */
        return stream_error(c, err, ferr->status, id, ferr->code, ferr->reason);
    /* §8.1: "An endpoint that receives a HEADERS frame without the
     * END_STREAM flag set after receiving the HEADERS frame that opens a
     * request or after receiving a final (non-informational) status code
     * MUST treat the corresponding request or response as malformed". */
    if (kind == H2F_BLOCK_TRAILERS && !c->block_end_stream)
        return stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR,
                            "second HEADERS without END_STREAM (RFC 9113 §8.1)");
    return AGAIN;
}

/* PUSH_PROMISE (§6.6, §8.4). */
static h2f_status on_push_promise(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    uint32_t id = c->frame.hd.stream_id, promised = c->frame.push_promise.promised_stream_id;
    h2f_bytes frag = c->frame.push_promise.block;
    h2f_conn_stream *assoc = find(c, id);
    h2f_status st;
    if (c->opt.role == H2F_ROLE_SERVER)
        /* §8.4: "A client cannot push. Thus, servers MUST treat the receipt
         * of a PUSH_PROMISE frame as a connection error of type
         * PROTOCOL_ERROR." */
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "PUSH_PROMISE from a client (RFC 9113 §8.4)");
    if (c->opt.role == H2F_ROLE_CLIENT) {
        /* §6.6: "PUSH_PROMISE MUST NOT be sent if the SETTINGS_ENABLE_PUSH
         * setting of the peer endpoint is set to 0." */
        if (!c->push_enabled)
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                              "PUSH_PROMISE after SETTINGS_ENABLE_PUSH = 0 (RFC 9113 §6.6)");
        /* "A receiver MUST treat the receipt of a PUSH_PROMISE that promises
         * an illegal stream identifier (Section 5.1.1) as a connection error"
         * — the server's, even, above every one it used. */
        if ((promised & 1) || promised <= c->last_peer_id)
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                              "PUSH_PROMISE promises an illegal stream id (RFC 9113 §6.6, §5.1.1)");
        /* "an endpoint that has sent RST_STREAM on the associated stream
         * MUST handle PUSH_PROMISE frames that might have been created
         * before the RST_STREAM frame is received": the promise is decoded
         * and its stream counts as reset by us too (H2F_EV_FRAME; send
         * RST_STREAM on the promised stream). */
        if (!assoc && closed_how(c, id) == C_LOCAL_RESET) {
            peer_uses(c, promised);
            remember_closed(c, promised, C_LOCAL_RESET);
            st = begin_block(c, err, id, promised, H2F_BLOCK_PUSH_PROMISE, 0, frag);
            return st != AGAIN ? st : frame_event(c, ev);
        }
        /* "A receiver MUST treat the receipt of a PUSH_PROMISE on a stream
         * that is neither "open" nor "half-closed (local)" as a connection
         * error" — one of our streams the server has not ended. */
        if (!assoc || !(assoc->flags & S_LOCAL) || assoc->phase != PH_OPEN)
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                              "PUSH_PROMISE on a stream that is not open (RFC 9113 §6.6)");
    } else if (peer_side(c) == SIDE_CLIENT) {
        /* an observer of a client's octets: §8.4 as for a server */
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "PUSH_PROMISE from a client (RFC 9113 §8.4)");
    } else if (peer_side(c) == SIDE_SERVER && (promised & 1)) {
        /* of a server's: it promises its own streams, even (§5.1.1) */
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "PUSH_PROMISE promises an illegal stream id (RFC 9113 §6.6, §5.1.1)");
    } else if (find(c, promised) || closed_how(c, promised)) {
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "PUSH_PROMISE promises a stream already used (RFC 9113 §6.6, §5.1.1)");
    }
    if (c->opt.role == H2F_ROLE_CLIENT)
        peer_uses(c, promised);
    else if (promised > c->last_peer_id)
        c->last_peer_id = promised;
    if (c->nreserved >= c->opt.max_concurrent_streams || !has_room(c)) {
        return refuse_block(c, err, id, promised, H2F_BLOCK_PUSH_PROMISE, frag, H2F_ERR_LIMIT,
                            promised, H2F_REFUSED_STREAM,
                            "too many promised streams (RFC 9113 §8.4)");
    }
    add(c, promised, PH_RESERVED, 0);
    return begin_block(c, err, id, promised, H2F_BLOCK_PUSH_PROMISE, 1, frag);
}

/* ---- DATA ------------------------------------------------------------- */

/* H2F_BODY_WHOLE: the octets of a DATA frame (or a piece of one) join the
 * stream's body. The limits count body octets, so they fire at the same
 * octet however the input was cut; the buffer grows by doubling (never
 * past the stream's limit), so what is allocated stays within twice the
 * octets held, or 1 KiB a stream. */
static h2f_status body_append(h2f_conn *c, h2f_conn_stream *s, h2f_error *err, h2f_bytes d)
{
    if (d.len > c->opt.max_body_per_stream - s->body_len)
        return stream_error(c, err, H2F_ERR_LIMIT, s->id, H2F_CANCEL,
                            "body larger than max_body_per_stream");
    if (d.len > c->opt.max_body_per_conn - c->held)
        return stream_error(c, err, H2F_ERR_LIMIT, s->id, H2F_CANCEL,
                            "bodies held larger than max_body_per_conn");
    if (s->body_len + d.len > s->body_cap) {
        size_t cap = s->body_cap ? s->body_cap : 1024;
        uint8_t *p;
        while (cap < s->body_len + d.len)
            cap *= 2;
        if (cap > c->opt.max_body_per_stream)
            cap = c->opt.max_body_per_stream;
        p = c->alloc.realloc(s->body, cap, c->alloc.user);
        if (!p)
            return stream_error(c, err, H2F_ERR_NOMEM, s->id, H2F_INTERNAL_ERROR,
                                "out of memory for a body");
        s->body = p;
        s->body_cap = cap;
    }
    if (d.len)
        memcpy(s->body + s->body_len, d.ptr, d.len);
    s->body_len += d.len;
    c->held += d.len;
    return H2F_OK;
}

/* DATA arrives whole or, when the input cuts the frame, in pieces (the
 * frame reader's data_pieces): the checks run at the first piece, the
 * octets of every piece are handed over (streaming) or held (whole), the
 * stream ends at the last piece of a frame with END_STREAM. Every DATA
 * frame is accounted for in flow control by the `flow` of its events, or
 * by err->length when it brought an error. */

/* The DATA frame is dropped from here on; the rest of its octets reach the
 * user as one H2F_EV_FRAME at its end (how == 2) or not at all (1: an
 * error covered them). */
static h2f_status data_drop(h2f_conn *c, h2f_event *ev, unsigned piece, int how)
{
    c->piece_drop = (uint8_t)how;
    if (!(piece & H2F_PIECE_LAST))
        return AGAIN;
    c->piece_drop = 0;
    if (how == 1)
        return AGAIN;
    frame_event(c, ev); /* dropped; still counts for flow control */
    ev->flow = c->frame.hd.length - c->piece_flow;
    return H2F_OK;
}

/* The checks of a DATA frame, at its first piece: the state of its stream
 * (§5.1, §6.1), the message (§8.1), the empty-frame count. Returns the
 * stream, or NULL with *st set. */
static h2f_conn_stream *data_stream(h2f_conn *c, h2f_event *ev, h2f_error *err, unsigned piece,
                                    h2f_status *st)
{
    uint32_t id = c->frame.hd.stream_id, how, data_len;
    int end = (c->frame.hd.flags & H2F_FLAG_END_STREAM) != 0;
    h2f_conn_stream *s = find(c, id);

    *st = AGAIN;
    if (!s) {
        how = closed_how(c, id);
        if (how == C_LOCAL_RESET) {
            *st = data_drop(c, ev, piece, 2);
            return NULL;
        }
        if (how == C_PEER_END || how == C_BOTH_END) {
            *st = conn_error(c, err, H2F_ERR_PROTOCOL, H2F_STREAM_CLOSED,
                             "DATA on a stream the peer ended (RFC 9113 §5.1 closed)");
            return NULL;
        }
        if (!how && c->opt.allow_any_first_frame &&
            (c->opt.role == H2F_ROLE_OBSERVER || (peer_initiated(c, id) && id > c->last_peer_id))) {
            /* a capture that starts mid-stream: take the stream as found —
             * the sender's own, counted against the limit when the sender
             * is known (§5.1.2), or the other side's (a response). An
             * observer takes any stream it does not remember closing: one
             * below the newest it saw may have opened before the capture */
            int own = peer_initiated(c, id);
            if (own && peer_side(c) != SIDE_UNKNOWN && c->npeer_open >= c->max_concurrent) {
                *st = stream_error(c, err, H2F_ERR_LIMIT, id, H2F_REFUSED_STREAM,
                                   "more open streams than MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2)");
                return NULL;
            }
            if (!has_room(c)) {
                *st = stream_error(c, err, H2F_ERR_LIMIT, id, H2F_REFUSED_STREAM,
                                   "more streams than the reader holds (max_concurrent_streams)");
                return NULL;
            }
            if (own && c->opt.role == H2F_ROLE_OBSERVER)
                c->last_peer_id = id;
            else if (own)
                peer_uses(c, id);
            s = add(c, id, PH_OPEN,
                    (uint8_t)(S_FINAL | S_LOCAL_OPEN | (own ? S_COUNTED : S_LOCAL)));
            if (own)
                c->npeer_open++;
        } else if (!how && is_idle(c, id)) {
            /* §5.1 idle: "Receiving any frame other than HEADERS or PRIORITY
             * on a stream in this state MUST be treated as a connection
             * error (Section 5.4.1) of type PROTOCOL_ERROR." */
            *st = conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                             "DATA on an idle stream (RFC 9113 §5.1)");
            return NULL;
        } else {
            /* §6.1: "If a DATA frame is received whose stream is not in the
             * "open" or "half-closed (local)" state, the recipient MUST
             * respond with a stream error (Section 5.4.2) of type
             * STREAM_CLOSED." */
            *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_STREAM_CLOSED,
                               "DATA on a closed stream (RFC 9113 §6.1)");
            return NULL;
        }
    }
    if (s->phase == PH_RESERVED) {
        *st = conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                         "DATA on a reserved stream (RFC 9113 §5.1 reserved (remote))");
        return NULL;
    }
    if (s->phase == PH_DONE) {
        *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_STREAM_CLOSED,
                           "DATA after END_STREAM (RFC 9113 §5.1 half-closed (remote))");
        return NULL;
    }
    if (!(s->flags & S_FINAL)) {
        /* §8.1: a message is HEADERS, then DATA */
        *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR,
                           "DATA before the message's HEADERS (RFC 9113 §8.1)");
        return NULL;
    }
    /* the frame's data octets: its length less Pad Length and padding
     * (known: the first piece holds at least the Pad Length field) */
    data_len = c->frame.hd.length -
               ((c->frame.hd.flags & H2F_FLAG_PADDED) ? 1u + c->frame.pad_length : 0u);
    /* (a frame of padding alone is as empty as one of nothing) */
    if (data_len) {
        c->control_frames = 0;
        c->empty_frames = 0;
    } else if (!end && ++c->empty_frames > c->opt.max_empty_frames) {
        *st = conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                         "too many empty frames: max_empty_frames (CVE-2019-9518)");
        return NULL;
    }
    /* §8.1.1: the DATA must not pass content-length — judged on the whole
     * frame, before any of it is handed over */
    if (c->opt.validate_http && s->content_length != UINT64_MAX && !(s->flags & S_NO_CONTENT) &&
        data_len > s->content_length - s->received) {
        *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR,
                           "more DATA than content-length (RFC 9113 §8.1.1)");
        return NULL;
    }
    if (end && content_length_wrong(c, s, data_len)) {
        *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR,
                           "content-length does not match the DATA received (RFC 9113 §8.1.1)");
        return NULL;
    }
    /* §8.1.1: "204 or 304 responses contain no content, as does the
     * response to a HEAD request." */
    if (c->opt.validate_http && data_len && (s->flags & S_NO_CONTENT)) {
        *st = stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR,
                           "DATA in a response that has no content (RFC 9113 §8.1.1)");
        return NULL;
    }
    s->flags |= S_HAD_DATA | S_ANNOUNCED;
    return s;
}

static h2f_status on_data(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    uint32_t id = c->frame.hd.stream_id, octets;
    unsigned piece = h2f_reader_piece(&c->rd, &octets);
    h2f_bytes d = c->frame.data.data;
    int last = (piece & H2F_PIECE_LAST) != 0;
    int end = last && (c->frame.hd.flags & H2F_FLAG_END_STREAM);
    h2f_conn_stream *s;
    h2f_status st;

    if (piece & H2F_PIECE_FIRST) {
        c->piece_flow = 0;
        c->piece_drop = 0;
        s = data_stream(c, ev, err, piece, &st);
        if (!s) {
            if (st == H2F_ERR_PROTOCOL || st == H2F_ERR_LIMIT || st == H2F_ERR_NOMEM)
                if (err->scope == H2F_SCOPE_STREAM && !last)
                    c->piece_drop = 1; /* err->length covers the frame */
            return st;
        }
    } else {
        if (c->piece_drop)
            return data_drop(c, ev, piece, c->piece_drop);
        s = find(c, id);
        if (!s) /* reset by us (h2f_conn_local_reset) between two pieces */
            return data_drop(c, ev, piece, 2);
    }
    s->received += d.len;
    memset(ev, 0, sizeof *ev);
    ev->stream_id = id;
    ev->frame = &c->frame;
    ev->end_stream = (uint8_t)end;
    if (c->opt.body == H2F_BODY_STREAM) {
        ev->type = H2F_EV_DATA;
        ev->data = d;
        ev->more = (uint8_t)!last;
        ev->flow = octets;
        c->piece_flow += octets;
        if (end)
            peer_end(c, s);
        return H2F_OK;
    }
    st = body_append(c, s, err, d);
    if (st != H2F_OK) {
        if (!last)
            c->piece_drop = 1;
        return st;
    }
    if (!last)
        return AGAIN; /* held; the frame's flow is reported at its end */
    ev->flow = c->frame.hd.length;
    if (!end) {
        ev->type = H2F_EV_FRAME; /* held; reported for flow control */
        return H2F_OK;
    }
    body_handover(c, s, ev);
    ev->flow = c->frame.hd.length;
    c->release = (uint8_t *)(uintptr_t)ev->data.ptr; /* freed at the next call */
    peer_end(c, s);
    return H2F_OK;
}

/* ---- the other frames ---------------------------------------------------- */

static h2f_status on_rst_stream(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    uint32_t id = c->frame.hd.stream_id;
    h2f_conn_stream *s = find(c, id);
    int counted = peer_initiated(c, id);
    if (!s) {
        uint32_t how = closed_how(c, id);
        /* §6.4: "If a RST_STREAM frame identifying an idle stream is
         * received, the recipient MUST treat this as a connection error
         * (Section 5.4.1) of type PROTOCOL_ERROR." */
        if (!how && is_idle(c, id))
            return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                              "RST_STREAM on an idle stream (RFC 9113 §6.4)");
        /* A request sent whole and then reset (Rapid Reset sends HEADERS
         * with END_STREAM, then RST_STREAM) costs us as much as one reset
         * while open. */
        if (how == C_PEER_END && counted && !charge(&c->reset_budget))
            return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                              "too many streams reset by the peer: max_peer_resets (CVE-2023-44487)");
        /* Reset already: the peer's second RST_STREAM, or one that crossed
         * ours (§5.4.2) — the application knows. Or closed for both sides
         * (§5.1 closed: "Endpoints MUST ignore WINDOW_UPDATE or RST_STREAM
         * frames received in this state"). */
        if (how == C_PEER_RESET || how == C_LOCAL_RESET || how == C_BOTH_END)
            return frame_event(c, ev);
        /* An id the peer skipped was never a stream (§5.1.1): nothing ends,
         * and it stays skipped (a HEADERS on it later is still an error). */
        if (c->opt.role != H2F_ROLE_OBSERVER && counted && peer_used(c, id) == 0)
            return frame_event(c, ev);
        /* The peer ended its side (or never sent on the stream) and now
         * resets it: ours ends too. §8.1: a server "MAY request that the
         * client abort transmission of a request without error by sending a
         * RST_STREAM with an error code of NO_ERROR"; a client cancels a
         * response it no longer wants with CANCEL (§8.7). */
        remember_closed(c, id, C_PEER_RESET);
        return reset_event(c, ev, id);
    }
    if (counted && !charge(&c->reset_budget))
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "too many streams reset by the peer: max_peer_resets (CVE-2023-44487)");
    if (c->in_block && (c->block_stream == id || c->block_promised == id))
        c->block_emit = 0;
    if (s->phase == PH_DONE) {
        /* the peer ended it (its END is out) and now cancels our side, as
         * §5.1 half-closed (remote) allows */
        drop(c, s, C_PEER_RESET);
        return reset_event(c, ev, id);
    }
    end_event(c, ev, id, H2F_END_RESET, c->frame.rst_stream.error_code);
    drop(c, s, C_PEER_RESET);
    return H2F_OK;
}

static h2f_status on_settings(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    size_t i;
    if (c->frame.hd.flags & H2F_FLAG_ACK) {
        h2f_status st = apply_settings(c);
        if (st != H2F_OK)
            return conn_error(c, err, st, H2F_INTERNAL_ERROR, "could not apply our SETTINGS");
        return frame_event(c, ev);
    }
    if (c->frame.settings.count > c->opt.max_settings_entries)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "SETTINGS with more entries than max_settings_entries (CVE-2019-9515)");
    if (++c->control_frames > c->opt.max_control_frames)
        return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                          "too many SETTINGS/PING frames without progress: max_control_frames "
                          "(CVE-2019-9512, CVE-2019-9515)");
    if (c->opt.role == H2F_ROLE_CLIENT)
        for (i = 0; i < c->frame.settings.count; i++) {
            h2f_setting st = h2f_settings_get(&c->frame, i);
            /* §6.5.2: "A client MUST treat receipt of a SETTINGS frame with
             * SETTINGS_ENABLE_PUSH set to 1 as a connection error
             * (Section 5.4.1) of type PROTOCOL_ERROR." */
            if (st.id == H2F_SETTINGS_ENABLE_PUSH && st.value == 1)
                return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                                  "SETTINGS_ENABLE_PUSH = 1 from a server (RFC 9113 §6.5.2)");
        }
    return frame_event(c, ev);
}

static h2f_status on_goaway(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    uint32_t last = c->frame.goaway.last_stream_id;
    /* §6.8: "Endpoints MUST NOT increase the value they send in the last
     * stream identifier". */
    if (c->goaway_seen && last > c->goaway_last)
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "GOAWAY raises the last stream id (RFC 9113 §6.8)");
    c->goaway_seen = 1;
    c->goaway_last = last;
    c->sweeping = 1;
    c->sweep_pos = 0;
    return frame_event(c, ev);
}

/* After GOAWAY: "the sender will ignore frames sent on streams initiated
 * by the receiver if the stream has an identifier higher than the included
 * last stream identifier" (§6.8) — our streams above it end, unprocessed.
 * An observer knows whose they are when it knows who sends (peer_side);
 * else only the streams it was told of (h2f_conn_local_open) are. */
static int receiver_stream(const h2f_conn *c, const h2f_conn_stream *s)
{
    if (c->opt.role != H2F_ROLE_OBSERVER || peer_side(c) == SIDE_UNKNOWN)
        return (s->flags & S_LOCAL) != 0;
    return !peer_initiated(c, s->id);
}

static int sweep(h2f_conn *c, h2f_event *ev)
{
    while (c->sweep_pos < c->pool_cap) {
        h2f_conn_stream *s = &c->pool[c->sweep_pos++];
        /* (a stream the peer already ended was processed) */
        if (s->id && s->id > c->goaway_last && s->phase != PH_DONE && receiver_stream(c, s)) {
            end_event(c, ev, s->id, H2F_END_GOAWAY, c->frame.goaway.error_code);
            drop(c, s, C_PEER_RESET);
            return 1;
        }
    }
    c->sweeping = 0;
    return 0;
}

/* WINDOW_UPDATE, PRIORITY on a stream: fine in every state but idle (and
 * reserved for WINDOW_UPDATE), §5.1. */
static h2f_status on_stream_control(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    uint32_t id = c->frame.hd.stream_id;
    h2f_conn_stream *s;
    if (c->frame.hd.type == H2F_PRIORITY || id == 0)
        return frame_event(c, ev);
    s = find(c, id);
    if (!s && !closed_how(c, id) && is_idle(c, id))
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "WINDOW_UPDATE on an idle stream (RFC 9113 §5.1)");
    if (s && s->phase == PH_RESERVED)
        return conn_error(c, err, H2F_ERR_PROTOCOL, H2F_PROTOCOL_ERROR,
                          "WINDOW_UPDATE on a reserved stream (RFC 9113 §5.1 reserved (remote))");
    return frame_event(c, ev);
}

static h2f_status on_frame(h2f_conn *c, h2f_event *ev, h2f_error *err, int frame_err,
                           const h2f_error *ferr)
{
    switch (c->frame.hd.type) {
    case H2F_HEADERS:
        return on_headers(c, ev, err, frame_err, ferr);
    case H2F_CONTINUATION:
        return on_continuation(c, err);
    default:
        break;
    }
    if (frame_err) { /* PRIORITY or WINDOW_UPDATE: a stream error */
        uint32_t id = c->frame.hd.stream_id;
        /* ... but RST_STREAM "MUST NOT be sent for a stream in the "idle"
         * state" (§6.4): on an idle stream it ends the connection instead
         * (§5.4.1: "an endpoint MAY choose to treat a stream error as a
         * connection error"), and WINDOW_UPDATE there is one anyway (§5.1) */
        if (!find(c, id) && !closed_how(c, id) && is_idle(c, id))
            return conn_error(c, err, ferr->status, ferr->code, ferr->reason);
        return stream_error(c, err, ferr->status, id, ferr->code, ferr->reason);
    }
    switch (c->frame.hd.type) {
    case H2F_DATA:
        return on_data(c, ev, err);
    case H2F_PUSH_PROMISE:
        return on_push_promise(c, ev, err);
    case H2F_RST_STREAM:
        return on_rst_stream(c, ev, err);
    case H2F_SETTINGS:
        return on_settings(c, ev, err);
    case H2F_PING:
        if (!(c->frame.hd.flags & H2F_FLAG_ACK) && ++c->control_frames > c->opt.max_control_frames)
            return conn_error(c, err, H2F_ERR_LIMIT, H2F_ENHANCE_YOUR_CALM,
                              "too many SETTINGS/PING frames without progress: max_control_frames "
                              "(CVE-2019-9512, CVE-2019-9515)");
        return frame_event(c, ev);
    case H2F_GOAWAY:
        return on_goaway(c, ev, err);
    case H2F_WINDOW_UPDATE:
    case H2F_PRIORITY:
        return on_stream_control(c, ev, err);
    default:
        return frame_event(c, ev); /* unknown types pass (§4.1, §5.5) */
    }
}

h2f_status h2f_conn_next(h2f_conn *c, h2f_event *ev, h2f_error *err)
{
    h2f_status st;
    if (!c || !ev || !err)
        return H2F_ERR_INVALID_ARGUMENT;
    if (c->err.status != H2F_OK) {
        *err = c->err;
        return c->err.status;
    }
    if (c->release) {
        c->alloc.free(c->release, c->alloc.user);
        c->release = NULL;
    }
    for (;;) {
        if (c->perr_stream) {
            uint32_t id = c->perr_stream;
            c->perr_stream = 0;
            return stream_error(c, err, H2F_ERR_PROTOCOL, id, H2F_PROTOCOL_ERROR, c->perr_reason);
        }
        if (c->nqueue) {
            *ev = c->queue[0];
            memmove(&c->queue[0], &c->queue[1], --c->nqueue * sizeof c->queue[0]);
            if (ev->type == H2F_EV_BODY) /* its buffer lives until the next call */
                c->release = (uint8_t *)(uintptr_t)ev->data.ptr;
            return H2F_OK;
        }
        if (c->sweeping && sweep(c, ev))
            return H2F_OK;
        if (c->in_block == 1) {
            st = block_step(c, ev, err);
        } else {
            h2f_error ferr;
            int frame_err = 0;
            st = h2f_reader_next(&c->rd, &c->frame, &ferr);
            if (st == H2F_NEED_MORE)
                return st;
            if (st != H2F_OK) {
                if (ferr.scope != H2F_SCOPE_STREAM) {
                    c->err = ferr;
                    *err = ferr;
                    return st;
                }
                frame_err = 1;
            }
            st = on_frame(c, ev, err, frame_err, &ferr);
        }
        if (st != AGAIN)
            return st;
    }
}
