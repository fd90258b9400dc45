/*
 * One HTTP/2 connection, as h2dump reads it.
 *
 * Each direction has its own h2f_conn in the observer role (docs/streams.md):
 * it applies the frame rules (RFC 9113 §4, §6), CONTINUATION sequencing
 * (§6.10), the stream state rules both sides share (§5.1) and HPACK
 * (RFC 7541). h2dump cuts the byte stream into units itself — the preface
 * (§3.4), then frames of 9 + Length octets (§4.1) — and feeds the reader
 * one whole unit at a time, taking events until it asks for more. So every
 * event, and every error, belongs to the frame that caused it, even a frame
 * that yields no event at all (a CONTINUATION that completes no field).
 *
 * What one side sends in SETTINGS governs what the other side may send
 * once it acknowledges them (§6.5.3): the table size its HPACK encoder may
 * use, the frame size, concurrent streams. So a SETTINGS frame read in one
 * direction is handed to the OTHER direction's reader as its "local"
 * settings (h2f_conn_local_settings), which that reader applies when it
 * reads the ACK in its own direction — exactly as an endpoint would.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Observer limits: a dump tool should show a big-but-legal connection as it
 * is, so these are more generous than a server's defaults; all memory is
 * still allocated at init and bounded (docs/streams.md "Memory"). */
#define OBS_TABLE_MAX 65536u        /* the largest HEADER_TABLE_SIZE followed */
#define OBS_CONCURRENT 1000u        /* streams one side may have open */
#define OBS_LIST_SIZE (256u * 1024) /* decoded header list octets per block */
#define OBS_STRING_LEN 65536u       /* one decoded name or value */
#define OBS_RESETS 1000000u         /* resets and stream errors (max_peer_resets) */
#define MAX_EVENTS_PER_UNIT 100000  /* a guard: no unit yields this many */
/* --mid: a frame boundary is looked for among frames of at most the
 * initial SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2); h2f_frame_resync then
 * holds at most three such frames while it decides */
#define RESYNC_MAX_FRAME H2F_DEFAULT_MAX_FRAME_SIZE

/* What h2dump shows (text, --streams) for a name or value that refers to
 * the part of the HPACK table before the capture (unknown_history) */
static const h2f_bytes UNKNOWN_TEXT = {(const uint8_t *)"<unknown>", 9};

void h2d_session_init(h2d_session *s, const h2dump_options *o, FILE *out)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->out = out;
    if (o->color) {
        s->c.type = "\033[1;33m";
        s->c.name = "\033[36m";
        s->c.err = "\033[1;31m";
        s->c.note = "\033[2m";
        s->c.off = "\033[0m";
    } else {
        s->c.type = s->c.name = s->c.err = s->c.note = s->c.off = "";
    }
}

void h2d_session_rc(h2d_session *s, int rc)
{
    if (rc > s->rc)
        s->rc = rc;
}

void h2d_note(h2d_session *s, int conn, int dir, const char *kind, const char *fmt, ...)
{
    va_list ap;
    if (!h2d_shown(s, conn, 0, 0))
        return;
    va_start(ap, fmt);
    if (s->o->json) {
        char msg[512];
        vsnprintf(msg, sizeof msg, fmt, ap);
        fprintf(s->out, "{\"note\":");
        h2d_json_cstr(s->out, kind);
        fprintf(s->out, ",\"conn\":%d", conn);
        if (dir >= 0)
            fprintf(s->out, ",\"dir\":\"%s\"", h2d_dir_name(dir));
        fprintf(s->out, ",\"text\":");
        h2d_json_cstr(s->out, msg);
        fprintf(s->out, "}\n");
    } else {
        h2d_prefix(s, conn);
        fprintf(s->out, "%s-- ", s->c.note);
        if (dir >= 0)
            fprintf(s->out, "%s: ", h2d_dir_name(dir));
        vfprintf(s->out, fmt, ap);
        fprintf(s->out, "%s\n", s->c.off);
    }
    va_end(ap);
}

size_t h2d_unit_len(const uint8_t *p, size_t n, int at_start)
{
    h2f_frame_header hd;
    /* §3.4: the client's bytes begin with the preface; h2frame's DETECT
     * mode takes it only if all 24 octets match, as here. */
    if (at_start && n > 0) {
        size_t k = n < H2F_PREFACE_LEN ? n : H2F_PREFACE_LEN;
        if (memcmp(p, H2F_PREFACE, k) == 0)
            return H2F_PREFACE_LEN;
    }
    if (h2f_frame_header_decode(p, n, &hd) != H2F_OK)
        return H2F_FRAME_HEADER_LEN;
    return H2F_FRAME_HEADER_LEN + (size_t)hd.length;
}

/* ---- records ------------------------------------------------------------- */

static void record_free(h2d_record *r)
{
    h2d_fields_free(&r->fields);
    free(r->msgs);
    h2d_buf_free(&r->msgbytes);
    h2d_buf_free(&r->evicted_text);
}

int h2d_fields_add(h2d_fields *fs, const h2f_hpack_field *f, uint32_t problems)
{
    h2d_field *x;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? 2 * fs->cap : 16;
        h2d_field *n = realloc(fs->v, cap * sizeof *n);
        if (!n)
            return -1;
        fs->v = n;
        fs->cap = cap;
    }
    x = &fs->v[fs->n];
    memset(x, 0, sizeof *x);
    x->name = fs->pool.len;
    x->name_len = f->name.len;
    if (h2d_buf_add(&fs->pool, f->name.ptr, f->name.len) != 0)
        return -1;
    x->value = fs->pool.len;
    x->value_len = f->value.len;
    if (h2d_buf_add(&fs->pool, f->value.ptr, f->value.len) != 0)
        return -1;
    x->rep = f->rep;
    x->index = f->index;
    x->size = f->size;
    x->name_huffman = f->name_huffman;
    x->value_huffman = f->value_huffman;
    x->unknown = f->unknown;
    x->name_wire_len = f->name_wire_len;
    x->value_wire_len = f->value_wire_len;
    x->offset = f->offset;
    x->wire_len = f->wire_len;
    x->problems = problems;
    fs->n++;
    return 0;
}

void h2d_fields_free(h2d_fields *fs)
{
    free(fs->v);
    h2d_buf_free(&fs->pool);
    memset(fs, 0, sizeof *fs);
}

static void record_error(h2d_record *r, const h2f_error *e)
{
    if (r->nerrs < H2D_MAX_ERRS)
        r->errs[r->nerrs++] = *e;
}

/* ---- the directions -------------------------------------------------------- */

static void dir_oom(h2d_dir *d)
{
    h2d_note(d->conn->s, d->conn->id, d->idx, "nomem", "out of memory: direction abandoned");
    h2d_session_rc(d->conn->s, H2DUMP_EXIT_USAGE);
    d->dead = 1;
}

static int dir_ready(h2d_dir *d)
{
    h2f_conn_options o;
    const h2dump_options *ho = d->conn->s->o;
    if (d->ready)
        return 1;
    if (d->dead)
        return 0;
    memset(&o, 0, sizeof o);
    o.role = H2F_ROLE_OBSERVER;
    o.body = H2F_BODY_STREAM; /* views, nothing buffered: --save-bodies streams */
    o.validate_http = ho->validate;
    o.allow_any_first_frame = ho->any_first || d->conn->any_first;
    /* a connection seen from its middle: references to the part of the
     * HPACK table before it are fields of unknown name or value */
    o.hpack.unknown_history = o.allow_any_first_frame;
    o.hpack.max_table_size = OBS_TABLE_MAX;
    o.hpack.max_header_list_size = OBS_LIST_SIZE;
    o.hpack.max_string_len = OBS_STRING_LEN;
    /* size updates come as fields too: h2dump shows how a block was sent */
    o.hpack.report_size_updates = 1;
    o.max_concurrent_streams = OBS_CONCURRENT;
    /* The budgets against Rapid Reset and MadeYouReset count resets and
     * stream errors without a clock; a long capture of a busy client that
     * cancels a lot (gRPC, browsers) is not an attack to report */
    o.max_peer_resets = OBS_RESETS;
    o.max_stream_errors = OBS_RESETS;
    if (d->conn->ndirs == 2 && !o.allow_any_first_frame) {
        /* whose octets these are: the limits the other side's SETTINGS set
         * are on this side's own streams only (§5.1.2) */
        o.sender = d->idx == 0 ? H2F_SENDER_CLIENT : H2F_SENDER_SERVER;
    } else if (d->conn->ndirs == 1) {
        /* the receiver's SETTINGS_MAX_FRAME_SIZE is not in this input:
         * whatever it was, frames up to the largest are allowed (§4.2) */
        o.max_frame_size = H2F_MAX_MAX_FRAME_SIZE;
    }
    if (h2f_conn_init(&d->rd, &o, NULL) != H2F_OK) {
        dir_oom(d);
        return 0;
    }
    d->ready = 1;
    d->resync = ho->any_first;
    return 1;
}

/* --table: the dynamic table as the block found it (pairs, newest first),
 * to tell what the block evicted. */
static int snapshot_table(h2d_dir *d)
{
    const h2f_hpack_decoder *h = h2f_conn_hpack(&d->rd);
    size_t i, n = h2f_hpack_decoder_table_len(h);
    d->snap.len = 0;
    d->snap_len = 0;
    for (i = 1; i <= n; i++) {
        h2f_bytes name, value;
        if (h2f_hpack_decoder_entry(h, i, &name, &value) != H2F_OK)
            break;
        if (h2f_hpack_decoder_entry_unknown(h, i))
            name = UNKNOWN_TEXT; /* --mid: shown so if evicted */
        if (h2d_pair_add(&d->snap, name.ptr, name.len, value.ptr, value.len))
            return -1;
        d->snap_len++;
    }
    return 0;
}

/* After the block: the oldest entries of the snapshot that are gone. The
 * table is first in, first out (RFC 7541 §2.3.2, §4.4), so of the
 * snap_len + added entries ever held, the newest table_len remain. */
static int table_after_block(h2d_dir *d, h2d_record *r)
{
    const h2f_hpack_decoder *h = h2f_conn_hpack(&d->rd);
    size_t now = h2f_hpack_decoder_table_len(h), total = d->snap_len + d->block_added;
    size_t gone = total > now ? total - now : 0, i, pos = 0;
    h2f_bytes name, value;
    r->table_print = 1;
    r->hpack = h;
    r->added = d->block_added;
    r->evicted = gone;
    /* snapshot entries snap_len - gone + 1 .. snap_len (1 = newest) */
    for (i = 1; h2d_pair_next(&d->snap, &pos, &name, &value); i++)
        if (i + gone > d->snap_len &&
            h2d_pair_add(&r->evicted_text, name.ptr, name.len, value.ptr, value.len))
            return -1;
    return 0;
}

/* SETTINGS from this direction become the other reader's "local" settings
 * (see the top of the file). Only those that change what the other side
 * may send are passed on. */
static void cross_settings(h2d_dir *d, const h2f_frame *f)
{
    h2d_conn *c = d->conn;
    h2d_dir *o = &c->dir[!d->idx];
    h2f_setting list[64];
    size_t i, n = 0;
    h2f_status st;
    if (c->ndirs < 2 || !dir_ready(o))
        return;
    for (i = 0; i < f->settings.count && n < 64; i++) {
        h2f_setting s = h2f_settings_get(f, i);
        switch (s.id) {
        case H2F_SETTINGS_HEADER_TABLE_SIZE:
            if (s.value > OBS_TABLE_MAX) {
                h2d_note(c->s, c->id, d->idx, "limit",
                         "HEADER_TABLE_SIZE %u is more than h2dump follows (%u): kept at the "
                         "previous value", (unsigned)s.value, OBS_TABLE_MAX);
                continue;
            }
            break;
        case H2F_SETTINGS_MAX_CONCURRENT_STREAMS:
            if (s.value > OBS_CONCURRENT)
                s.value = OBS_CONCURRENT;
            break;
        case H2F_SETTINGS_MAX_FRAME_SIZE:
        case H2F_SETTINGS_ENABLE_PUSH:
        case H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL:
            break;
        default:
            continue; /* MAX_HEADER_LIST_SIZE is advisory (§6.5.2) */
        }
        list[n++] = s;
    }
    st = h2f_conn_local_settings(&o->rd, list, n);
    if (st == H2F_ERR_LIMIT)
        h2d_note(c->s, c->id, d->idx, "limit",
                 "more than 4 SETTINGS frames not yet acknowledged: this one is not followed");
    else if (st != H2F_OK)
        h2d_note(c->s, c->id, d->idx, "limit", "SETTINGS not followed (%s)", h2f_status_name(st));
}

/* What one direction's reader learnt that the other's needs (an endpoint
 * knows both): the client's requests, so that the server's reader reads
 * responses on them (a HEAD response has no content, §8.1.1); each side's
 * END_STREAM (a stream both sides ended is closed, §5.1); and resets,
 * after which a stream counts against no limit (§5.1.2) while the other
 * side's frames in flight (§5.4.2) are still shown, fields and all. */
static void tell_other(h2d_dir *d, const h2f_event *ev)
{
    h2d_conn *c = d->conn;
    h2d_dir *o = &c->dir[!d->idx];
    if (c->ndirs < 2 || !dir_ready(o) || o->dead)
        return;
    if (ev->type == H2F_EV_HEADERS_END && d->idx == 0 && ev->block == H2F_BLOCK_HEADERS) {
        unsigned flags = (ev->end_stream ? H2F_LOCAL_END_STREAM : 0) |
                         (d->block_head ? H2F_LOCAL_HEAD : 0);
        if (h2f_conn_local_open(&o->rd, ev->stream_id, flags) == H2F_ERR_LIMIT)
            h2d_note(c->s, c->id, d->idx, "limit",
                     "more open streams than h2dump follows: stream %u not followed",
                     (unsigned)ev->stream_id);
    } else if (ev->type == H2F_EV_END && ev->end == H2F_END_STREAM) {
        (void)h2f_conn_local_close(&o->rd, ev->stream_id); /* (not held there: nothing to do) */
    } else if (ev->type == H2F_EV_RESET || (ev->type == H2F_EV_END && ev->end == H2F_END_RESET)) {
        h2f_conn_other_reset(&o->rd, ev->stream_id, ev->error_code);
    }
}

static void on_event(h2d_dir *d, h2d_record *r, const h2f_event *ev)
{
    h2d_conn *c = d->conn;
    int rc = 0;
    uint32_t msg_stream = ev->block == H2F_BLOCK_PUSH_PROMISE ? ev->promised_stream_id
                                                              : ev->stream_id;
    switch (ev->type) {
    case H2F_EV_HEADER:
        if (ev->field.rep == H2F_HPACK_INCREMENTAL)
            d->block_added++;
        if (ev->field.name.len == 7 && memcmp(ev->field.name.ptr, ":method", 7) == 0)
            d->block_head = ev->field.value.len == 4 && memcmp(ev->field.value.ptr, "HEAD", 4) == 0;
        rc = h2d_fields_add(&r->fields, &ev->field, ev->problems);
        if (!rc && ev->field.rep != H2F_HPACK_SIZE_UPDATE) {
            h2f_bytes name = ev->field.name, value = ev->field.value;
            if (ev->field.unknown & H2F_HPACK_UNKNOWN_NAME)
                name = UNKNOWN_TEXT;
            if (ev->field.unknown & H2F_HPACK_UNKNOWN_VALUE)
                value = UNKNOWN_TEXT;
            rc = h2d_streams_field(c, d->idx, msg_stream, ev->block, name.ptr, name.len,
                                   value.ptr, value.len);
        }
        break;
    case H2F_EV_HEADERS_END:
        r->headers_end = 1;
        r->block_kind = ev->block;
        r->block_problems = ev->problems;
        r->block_stream = msg_stream;
        rc = h2d_streams_block_end(c, d->idx, msg_stream, ev->block, ev->promised_stream_id);
        tell_other(d, ev);
        d->block_head = 0;
        break;
    case H2F_EV_DATA:
        r->data_len += ev->data.len;
        rc = h2d_streams_data(c, d->idx, ev->stream_id, ev->data.ptr, ev->data.len, r);
        break;
    case H2F_EV_END:
        if (r->nends < sizeof r->ends / sizeof r->ends[0]) {
            r->ends[r->nends].stream = ev->stream_id;
            r->ends[r->nends].how = ev->end;
            r->ends[r->nends].code = ev->error_code;
            r->nends++;
        } else {
            r->ends_lost++;
        }
        h2d_streams_end(c, d->idx, ev->stream_id, ev->end, ev->error_code);
        tell_other(d, ev);
        break;
    case H2F_EV_RESET:
        if (r->nends < sizeof r->ends / sizeof r->ends[0]) {
            r->ends[r->nends].stream = ev->stream_id;
            r->ends[r->nends].how = H2F_END_RESET;
            r->ends[r->nends].code = ev->error_code;
            r->ends[r->nends].after_end = 1;
            r->nends++;
        } else {
            r->ends_lost++;
        }
        h2d_streams_reset(c, d->idx, ev->stream_id, ev->error_code);
        tell_other(d, ev);
        break;
    default:
        break; /* H2F_EV_FRAME: the frame says it all; no H2F_EV_BODY here */
    }
    if (rc)
        dir_oom(d);
}

/* Takes events until the reader wants more input. */
static void drain(h2d_dir *d, h2d_record *r)
{
    h2d_conn *c = d->conn;
    int n;
    for (n = 0; n < MAX_EVENTS_PER_UNIT && !d->dead; n++) {
        h2f_event ev;
        h2f_error err;
        h2f_status st = h2f_conn_next(&d->rd, &ev, &err);
        if (st == H2F_NEED_MORE)
            return;
        if (st == H2F_OK) {
            on_event(d, r, &ev);
            continue;
        }
        record_error(r, &err);
        h2d_streams_error(c, d->idx, &err);
        h2d_session_rc(c->s, st == H2F_ERR_NOMEM ? H2DUMP_EXIT_USAGE : H2DUMP_EXIT_PROTOCOL);
        if (err.scope != H2F_SCOPE_STREAM) {
            /* a connection error is sticky (§5.4.1): the rest is not read */
            d->dead = 1;
            c->failed = 1;
        }
    }
    if (!d->dead) {
        h2d_note(c->s, c->id, d->idx, "limit", "too many events for one frame: direction abandoned");
        d->dead = 1;
    }
}

static void feed_and_drain(h2d_dir *d, h2d_record *r, const uint8_t *p, size_t n)
{
    if (h2f_conn_feed(&d->rd, p, n) != H2F_OK) {
        h2d_note(d->conn->s, d->conn->id, d->idx, "internal", "the reader refused input");
        d->dead = 1;
        return;
    }
    drain(d, r);
}

/* Header block bookkeeping before the frame goes to the reader. */
static int begin_fragment(h2d_dir *d, h2d_record *r)
{
    const h2f_frame *f = &r->f;
    if (f->hd.type == H2F_HEADERS || f->hd.type == H2F_PUSH_PROMISE) {
        r->frag = f->hd.type == H2F_HEADERS ? f->headers.block : f->push_promise.block;
        r->frag_start = 0;
        d->block_off = 0;
        d->block_added = 0;
        if (d->conn->s->o->table && snapshot_table(d))
            return -1;
    } else if (f->hd.type == H2F_CONTINUATION) {
        r->frag = f->continuation.block;
        r->frag_start = d->block_off;
    } else {
        return 0;
    }
    r->has_frag = 1;
    r->block_end = (f->hd.flags & H2F_FLAG_END_HEADERS) != 0;
    d->block_off += r->frag.len;
    return 0;
}

/* The slot of a stream in d's window table (open addressing by id): its
 * entry, or the empty slot where it would go; NULL when the table is full
 * without it (streams past the first 512 are not followed). */
static struct h2d_window *window_slot(const h2d_dir *d, uint32_t id)
{
    size_t n = sizeof d->windows / sizeof d->windows[0], i, k;
    for (k = 0, i = (id * 2654435761u) % n; k < n; k++, i = (i + 1) % n)
        if (d->windows[i].id == id || d->windows[i].id == 0)
            return (struct h2d_window *)&d->windows[i];
    return NULL;
}

/* The stream's entry, made if need be. */
static struct h2d_window *window_of(h2d_dir *d, uint32_t id)
{
    struct h2d_window *w = window_slot(d, id);
    if (w && w->id == 0) {
        w->id = id;
        w->delta = 0;
    }
    return w;
}

/* Counters the two-file scheduler looks at (h2dump_run_pair). */
static void count_frame(h2d_dir *d, const h2d_record *r)
{
    h2d_dir *o = &d->conn->dir[!d->idx];
    struct h2d_window *w;
    size_t i;
    d->frames++;
    if (r->hd.type == H2F_SETTINGS && r->hd.stream_id == 0) {
        if (r->hd.flags & H2F_FLAG_ACK) {
            d->acks_sent++;
        } else {
            d->settings_sent++;
            /* §6.9.2: the other side's stream windows move with it */
            for (i = 0; r->parsed && i < r->f.settings.count; i++) {
                h2f_setting st = h2f_settings_get(&r->f, i);
                if (st.id == H2F_SETTINGS_INITIAL_WINDOW_SIZE)
                    o->initial_window = st.value;
            }
        }
    }
    if (r->hd.type == H2F_PING && r->hd.length == 8)
        (r->hd.flags & H2F_FLAG_ACK) ? d->ping_acks_sent++ : d->pings_sent++;
    if (r->hd.type == H2F_HEADERS && r->hd.stream_id > d->max_opened)
        d->max_opened = r->hd.stream_id;
    if (r->hd.type == H2F_DATA) {
        d->conn_window -= r->hd.length;
        if ((w = window_of(d, r->hd.stream_id)) != NULL)
            w->delta -= r->hd.length;
    }
    if (r->hd.type == H2F_WINDOW_UPDATE && r->parsed) {
        if (r->hd.stream_id == 0)
            o->conn_window += r->f.window_update.window_size_increment;
        else if ((w = window_of(o, r->hd.stream_id)) != NULL)
            w->delta += r->f.window_update.window_size_increment;
    }
}

static void run_frame(h2d_dir *d, h2d_record *r)
{
    size_t used;
    h2f_error perr;
    h2f_status st;
    r->have_header = 1;
    h2f_frame_header_decode(r->bytes, r->len, &r->hd);
    /* For display, the frame is parsed on its own with no size limit (the
     * reader applies the real one); a stream error still fills it. */
    st = h2f_frame_parse(r->bytes, r->len, H2F_MAX_MAX_FRAME_SIZE, &r->f, &used, &perr);
    r->parsed = st == H2F_OK || (st == H2F_ERR_PROTOCOL && perr.scope == H2F_SCOPE_STREAM);
    if (r->parsed && begin_fragment(d, r)) {
        dir_oom(d);
        return;
    }
    count_frame(d, r);
    feed_and_drain(d, r, r->bytes, r->len);
    if (r->has_frag && r->block_end && d->conn->s->o->table && !d->dead &&
        table_after_block(d, r))
        dir_oom(d);
    if (r->parsed && !d->dead && r->hd.type == H2F_SETTINGS && !(r->hd.flags & H2F_FLAG_ACK))
        cross_settings(d, &r->f);
}

/* ---- capture times: which packet a record's first octet came in -------- */

typedef struct mark {
    uint64_t at;            /* stream offset of the packet's first octet here */
    h2d_when w;
} mark;

/* The packet holding the octet at stream offset `at`. Records come in
 * stream order, so marks before the one found are not needed again. */
static void when_of(h2d_dir *d, uint64_t at, h2d_when *w)
{
    mark *m = (mark *)(void *)d->marks.p;
    size_t n = d->marks.len / sizeof *m;
    while (d->mark0 + 1 < n && m[d->mark0 + 1].at <= at)
        d->mark0++;
    if (d->mark0 < n && m[d->mark0].at <= at)
        *w = m[d->mark0].w;
    if (d->mark0 > 64 && d->mark0 * 2 > n) { /* keep the array small */
        memmove(m, m + d->mark0, (n - d->mark0) * sizeof *m);
        d->marks.len = (n - d->mark0) * sizeof *m;
        d->mark0 = 0;
    }
}

void h2d_conn_push_when(h2d_conn *c, int dir, const uint8_t *p, size_t n, const h2d_when *w)
{
    h2d_dir *d = &c->dir[dir & 1];
    mark m;
    if (n && w && w->packet && !d->dead) {
        memset(&m, 0, sizeof m);
        m.at = d->base + d->pend.len; /* where these octets begin */
        m.w = *w;
        if (h2d_buf_add(&d->marks, &m, sizeof m)) {
            dir_oom(d);
            return;
        }
    }
    h2d_conn_push(c, dir, p, n);
}

static void run_unit(h2d_dir *d, const uint8_t *p, size_t n)
{
    h2d_record r;
    if (d->skip_cont) {
        /* --mid: the first frames after the boundary may continue a header
         * block that began before it (§6.10); its fields cannot be decoded
         * (they may start inside a field), nor is the reader shown them */
        if (n >= H2F_FRAME_HEADER_LEN && p[3] == H2F_CONTINUATION) {
            h2d_note(d->conn->s, d->conn->id, d->idx, "resync",
                     "CONTINUATION of a header block that began before the capture: %zu octets "
                     "not decoded", n);
            d->base += n;
            return;
        }
        d->skip_cont = 0;
    }
    memset(&r, 0, sizeof r);
    r.dir = d->idx;
    r.offset = d->base;
    when_of(d, r.offset, &r.when);
    r.bytes = p;
    r.len = n;
    if (!d->started && n == H2F_PREFACE_LEN && memcmp(p, H2F_PREFACE, n) == 0) {
        r.preface = 1;
        feed_and_drain(d, &r, p, n);
    } else {
        run_frame(d, &r);
    }
    d->started = 1;
    d->base += n;
    h2d_print_record(d->conn->s, d->conn, &r);
    record_free(&r);
    h2d_streams_flush_done(d->conn);
}

static int starts_with_preface(const uint8_t *p, size_t n);

/* --mid: drops the octets of pend before the first frame boundary
 * (h2f_frame_resync), saying how many. Returns 1 once pend starts at a
 * boundary (or with the client preface: nothing to look for), 0 while it
 * is still looking. `last`: the direction ended. */
static int resync_step(h2d_dir *d, int last)
{
    size_t off;
    h2f_status st;
    if (d->skipped == 0 && d->pend.len && starts_with_preface(d->pend.p, d->pend.len)) {
        if (d->pend.len >= H2F_PREFACE_LEN) {
            d->resync = 0;
            return 1;
        }
        if (!last)
            return 0;
    }
    st = h2f_frame_resync(d->pend.p, d->pend.len, RESYNC_MAX_FRAME, last, &off);
    if (off) {
        memmove(d->pend.p, d->pend.p + off, d->pend.len - off);
        d->pend.len -= off;
        d->base += off;
        d->skipped += off;
    }
    if (st != H2F_OK)
        return 0;
    d->resync = 0;
    d->started = 1; /* frames from here: no preface */
    d->skip_cont = 1;
    if (d->skipped)
        h2d_note(d->conn->s, d->conn->id, d->idx, "resync",
                 "skipped %llu octets to the first frame boundary",
                 (unsigned long long)d->skipped);
    return 1;
}

/* Whole units from p[0..n); returns the octets used. */
static size_t run_units(h2d_dir *d, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && !d->dead) {
        size_t u = h2d_unit_len(p + i, n - i, !d->started);
        if (u > n - i)
            break;
        run_unit(d, p + i, u);
        i += u;
    }
    return i;
}

void h2d_conn_push(h2d_conn *c, int dir, const uint8_t *p, size_t n)
{
    h2d_dir *d = &c->dir[dir & 1];
    size_t used;
    if (!n || !dir_ready(d) || d->dead)
        return;
    if (d->resync) {
        /* held until a boundary is found: at most three frames past the
         * octets dropped (h2f_frame_resync) */
        if (h2d_buf_add(&d->pend, p, n)) {
            dir_oom(d);
            return;
        }
        if (!resync_step(d, 0))
            return;
        p = NULL;
        n = 0;
    }
    if (d->pend.len == 0) {
        /* the usual case: whole frames straight from the caller's buffer */
        used = run_units(d, p, n);
        if (!d->dead && used < n && h2d_buf_add(&d->pend, p + used, n - used))
            dir_oom(d);
        return;
    }
    /* A frame was cut: it is assembled in pend (at most 9 + 2^24-1 octets
     * plus one push, since a whole frame leaves at once). */
    if (n && h2d_buf_add(&d->pend, p, n)) {
        dir_oom(d);
        return;
    }
    used = run_units(d, d->pend.p, d->pend.len);
    if (d->dead) {
        d->pend.len = 0;
        return;
    }
    memmove(d->pend.p, d->pend.p + used, d->pend.len - used);
    d->pend.len -= used;
}

h2d_conn *h2d_conn_open(h2d_session *s, int ndirs)
{
    h2d_conn *c = calloc(1, sizeof *c);
    int i;
    if (c)
        c->streams = h2d_streams_new();
    if (!c || !c->streams) {
        free(c);
        h2d_session_rc(s, H2DUMP_EXIT_USAGE);
        return NULL;
    }
    c->s = s;
    c->id = ++s->nconns;
    c->ndirs = ndirs;
    c->dir[0].conn = c->dir[1].conn = c;
    c->dir[0].idx = 0;
    c->dir[1].idx = 1;
    for (i = 0; i < 2; i++) { /* §6.9.2: both windows start at 65,535 */
        c->dir[i].conn_window = 65535;
        c->dir[i].initial_window = 65535;
    }
    return c;
}

/* The input ended inside a unit: the reader may still have something to
 * say about it (an oversized frame header, a bad preface). */
static void finish_dir(h2d_dir *d)
{
    h2d_record r;
    if (!d->ready || d->dead)
        return;
    if (d->resync) {
        if (resync_step(d, 1)) {
            size_t used = run_units(d, d->pend.p, d->pend.len);
            memmove(d->pend.p, d->pend.p + used, d->pend.len - used);
            d->pend.len -= used;
        } else if (d->skipped) {
            h2d_note(d->conn->s, d->conn->id, d->idx, "resync",
                     "no frame boundary found: %llu octets skipped",
                     (unsigned long long)d->skipped);
        }
    }
    if (d->dead || d->pend.len == 0)
        return;
    memset(&r, 0, sizeof r);
    r.dir = d->idx;
    r.offset = d->base;
    when_of(d, r.offset, &r.when);
    r.bytes = d->pend.p;
    r.len = d->pend.len;
    r.truncated = 1;
    r.want = h2d_unit_len(r.bytes, r.len, !d->started);
    if (r.len >= H2F_FRAME_HEADER_LEN && !(r.want == H2F_PREFACE_LEN && !d->started)) {
        r.have_header = 1;
        h2f_frame_header_decode(r.bytes, r.len, &r.hd);
    }
    feed_and_drain(d, &r, r.bytes, r.len);
    h2d_print_record(d->conn->s, d->conn, &r);
    record_free(&r);
}

void h2d_conn_close(h2d_conn *c)
{
    int i;
    if (!c)
        return;
    for (i = 0; i < 2; i++)
        finish_dir(&c->dir[i]);
    h2d_streams_flush(c);
    for (i = 0; i < 2; i++) {
        if (c->dir[i].ready)
            h2f_conn_free(&c->dir[i].rd);
        h2d_buf_free(&c->dir[i].pend);
        h2d_buf_free(&c->dir[i].marks);
        h2d_buf_free(&c->dir[i].snap);
    }
    h2d_streams_free(c->streams);
    free(c);
}

void h2d_conn_upgrade_request(h2d_conn *c, const uint8_t *method, size_t mlen,
                              const uint8_t *path, size_t plen, const uint8_t *host, size_t hlen)
{
    /* The HTTP/1.1 request that carried "Upgrade: h2c" is stream 1, half
     * closed on the client's side (RFC 7540 §3.2): its response comes on
     * stream 1 in HTTP/2. Shown in --streams as pseudo-header fields. */
    int rc = h2d_streams_field(c, 0, 1, H2F_BLOCK_HEADERS, (const uint8_t *)":method", 7, method, mlen);
    rc |= h2d_streams_field(c, 0, 1, H2F_BLOCK_HEADERS, (const uint8_t *)":path", 5, path, plen);
    if (hlen)
        rc |= h2d_streams_field(c, 0, 1, H2F_BLOCK_HEADERS, (const uint8_t *)":authority", 10, host,
                                hlen);
    rc |= h2d_streams_block_end(c, 0, 1, H2F_BLOCK_HEADERS, 0);
    h2d_streams_end(c, 0, 1, H2F_END_STREAM, 0);
    if (rc)
        h2d_session_rc(c->s, H2DUMP_EXIT_USAGE);
}

/* ---- entry points ---------------------------------------------------------- */

static int starts_with_preface(const uint8_t *p, size_t n)
{
    size_t k = n < H2F_PREFACE_LEN ? n : H2F_PREFACE_LEN;
    return n > 0 && memcmp(p, H2F_PREFACE, k) == 0;
}

/* --mid, one raw direction without the preface: whose is it? The first
 * field of the first HEADERS after the boundary says, if it is a static
 * reference: a request starts with :method, :scheme, :path or :authority,
 * a response with :status (RFC 9113 §8.3: pseudo-headers come first); a
 * PUSH_PROMISE is the server's (§8.4). 1 client, 0 server or unknown. */
static int mid_is_client(const uint8_t *p, size_t n)
{
    size_t at, used, k;
    if (h2f_frame_resync(p, n, RESYNC_MAX_FRAME, 1, &at) != H2F_OK)
        return 0;
    for (k = 0; k < 64 && at < n; k++, at += used) {
        h2f_frame f;
        const uint8_t *b;
        size_t i = 0, len;
        uint32_t idx;
        if (h2f_frame_parse(p + at, n - at, H2F_MAX_MAX_FRAME_SIZE, &f, &used, NULL) != H2F_OK)
            return 0;
        if (f.hd.type == H2F_PUSH_PROMISE)
            return 0;
        if (f.hd.type != H2F_HEADERS)
            continue;
        b = f.headers.block.ptr;
        len = f.headers.block.len;
        while (i < len && (b[i] & 0xe0) == 0x20) { /* size updates (§6.3) */
            if ((b[i++] & 0x1f) == 0x1f) /* and the integer's octets (§5.1) */
                while (i < len && (b[i++] & 0x80))
                    ;
        }
        if (i == len)
            return 0;
        if (b[i] & 0x80)
            idx = b[i] & 0x7f; /* indexed (§6.1) */
        else if ((b[i] & 0xc0) == 0x40)
            idx = b[i] & 0x3f; /* literal, incremental indexing (§6.2.1) */
        else
            idx = b[i] & 0x0f; /* literal, without or never indexed */
        return idx >= 1 && idx <= 7; /* :authority .. :scheme; 8..14 :status */
    }
    return 0;
}

int h2dump_run(const h2dump_options *o, const uint8_t *in, size_t len, FILE *out)
{
    h2d_session s;
    h2d_conn *c;
    if (h2dump_input_problem(o, in, len))
        return H2DUMP_EXIT_PROTOCOL;
    h2d_session_init(&s, o, out);
    if (o->input == H2DUMP_INPUT_HPACK) {
        h2d_hpack_run(&s, in, len);
    } else if (o->input == H2DUMP_INPUT_AUTO && h2d_is_capture(in, len)) {
        h2d_pcap_run(&s, in, len);
    } else if ((c = h2d_conn_open(&s, 1)) != NULL) {
        /* One direction: with the preface it is the client's (§3.4), without
         * it the server's — unless, with --mid, its first header block is a
         * request. */
        int client = starts_with_preface(in, len) || (o->any_first && mid_is_client(in, len));
        h2d_conn_push(c, client ? 0 : 1, in, len);
        h2d_conn_close(c);
    }
    fflush(out);
    return s.rc;
}

/* Whether the other side's next frames (a few, q[0..m)) include one on
 * `stream`. */
static int other_sends_on(const uint8_t *q, size_t m, uint32_t stream, int at_start)
{
    int k;
    for (k = 0; k < 64 && m >= H2F_FRAME_HEADER_LEN; k++) {
        h2f_frame_header hd;
        size_t u = h2d_unit_len(q, m, at_start && k == 0);
        if (u == H2F_PREFACE_LEN && at_start && k == 0) {
            q += u, m -= u;
            continue;
        }
        if (h2f_frame_header_decode(q, m, &hd) != H2F_OK)
            return 0;
        if (hd.stream_id == stream && hd.type != H2F_PRIORITY)
            return 1;
        if (u > m)
            return 0;
        q += u, m -= u;
    }
    return 0;
}

/* Would the next frame of direction d (p[0..n)) come before what the other
 * side has yet to send (q[0..m))? Two files keep no time, only the causal
 * links the frames carry: an ACK follows the SETTINGS or PING it
 * acknowledges (§6.5.3, §6.7); a response follows its request's HEADERS
 * (§8.1); DATA waits for the WINDOW_UPDATE that allows it (§6.9). And a
 * stream's RST_STREAM goes after the other side's frames on that stream
 * that are about to come: they were in flight (§5.4.2), and shown first
 * they show what the reset cut — a preference, not a link: 2, where the
 * links give 1. */
static int blocked(const h2d_conn *c, int d, const uint8_t *p, size_t n, const uint8_t *q,
                   size_t m)
{
    const h2d_dir *me = &c->dir[d], *other = &c->dir[!d];
    h2f_frame_header hd;
    if (h2d_unit_len(p, n, !me->started) == H2F_PREFACE_LEN && !me->started)
        return 0;
    if (h2f_frame_header_decode(p, n, &hd) != H2F_OK)
        return 0;
    if (hd.type == H2F_SETTINGS && (hd.flags & H2F_FLAG_ACK) && other->settings_sent <= me->acks_sent)
        return 1;
    if (hd.type == H2F_PING && (hd.flags & H2F_FLAG_ACK) && other->pings_sent <= me->ping_acks_sent)
        return 1;
    /* (PRIORITY may name any stream, §5.1 idle) */
    if (d == 1 && hd.type != H2F_PRIORITY && (hd.stream_id & 1) && hd.stream_id > other->max_opened)
        return 1;
    if (hd.type == H2F_DATA && hd.length > 0) {
        const struct h2d_window *w = window_slot(me, hd.stream_id);
        int64_t delta = w && w->id == hd.stream_id ? w->delta : 0;
        if (hd.length > me->conn_window ||
            (w && hd.length > (int64_t)me->initial_window + delta))
            return 1;
    }
    if (hd.type == H2F_RST_STREAM && other_sends_on(q, m, hd.stream_id, !other->started))
        return 2;
    return 0;
}

int h2dump_run_pair(const h2dump_options *o, const uint8_t *a, size_t alen, const uint8_t *b,
                    size_t blen, FILE *out)
{
    h2d_session s;
    h2d_conn *c;
    const uint8_t *buf[2];
    size_t len[2], pos[2] = {0, 0};
    int cur = 0, gave_way = -1;
    if (h2dump_input_problem(o, a, alen) || h2dump_input_problem(o, b, blen))
        return H2DUMP_EXIT_PROTOCOL;
    h2d_session_init(&s, o, out);
    /* the client is the side that sends the preface; else the first file */
    if (!starts_with_preface(a, alen) && starts_with_preface(b, blen)) {
        buf[0] = b, len[0] = blen, buf[1] = a, len[1] = alen;
    } else {
        buf[0] = a, len[0] = alen, buf[1] = b, len[1] = blen;
    }
    c = h2d_conn_open(&s, 2);
    if (!c)
        return s.rc;
    h2d_note(&s, c->id, -1, "order",
             "two files hold no times: frames are ordered by causal links (ACKs, requests, "
             "windows)");
    while (pos[0] < len[0] || pos[1] < len[1]) {
        int d, k;
        size_t u;
        int ok[2], wait[2];
        for (k = 0; k < 2; k++) {
            wait[k] = pos[k] < len[k] && !c->dir[k].dead
                          ? blocked(c, k, buf[k] + pos[k], len[k] - pos[k], buf[!k] + pos[!k],
                                    len[!k] - pos[!k])
                          : 3;
            ok[k] = wait[k] == 0;
        }
        /* a side goes on until it must wait for the other; one that gave
         * way to the other's frames in flight goes on as soon as it can */
        if (gave_way >= 0 && ok[gave_way])
            d = gave_way, gave_way = -1;
        else if (ok[cur])
            d = cur;
        else if (ok[!cur])
            d = !cur, gave_way = wait[cur] == 2 ? cur : gave_way;
        else if (wait[0] == 2 || wait[1] == 2)
            d = wait[0] == 2 ? 0 : 1; /* a preference gives way first */
        else
            d = pos[0] < len[0] ? 0 : 1; /* both wait: the client goes on */
        cur = d;
        u = h2d_unit_len(buf[d] + pos[d], len[d] - pos[d], pos[d] == 0);
        if (u > len[d] - pos[d])
            u = len[d] - pos[d];
        h2d_conn_push(c, d, buf[d] + pos[d], u);
        pos[d] += u;
        if (c->dir[d].dead)
            pos[d] = len[d];
    }
    h2d_conn_close(c);
    fflush(out);
    return s.rc;
}
