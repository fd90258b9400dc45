/*
 * --streams: each stream as an exchange — the request (headers, body,
 * trailers) paired with its response (1xx responses, headers, body,
 * trailers) and how each side ended (RFC 9113 §8.1). A stream is printed
 * once both sides are done (or, with one direction, once it is), so memory
 * holds only streams still open; at most MAX_STREAMS are kept, the oldest
 * being printed early beyond that.
 *
 * Also the per-stream state the frame view needs: whether a stream is gRPC
 * (its content-type) and its gRPC message parsers; and --save-bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_STREAMS 1024
#define MAX_INFO 8

/* A header list as [u32 name length][name][u32 value length][value]... */
typedef struct list {
    h2d_buf b;
    size_t n;
} list;

/* One side of a stream: what one direction sent. */
typedef struct side {
    list cur;                  /* the block being received */
    list headers, trailers;
    int has_headers, has_trailers;
    uint32_t info[MAX_INFO];   /* 1xx statuses */
    list infol[MAX_INFO];      /* and their fields (103 Early Hints' links...) */
    size_t ninfo;
    uint64_t body;
    int ended;
    h2f_stream_end how;
    uint32_t code;
    h2d_grpc grpc;
    uint64_t grpc_msgs;
    int saving;                /* 0 not yet, 1 file started, -1 failed */
} side;

typedef struct stream {
    uint32_t id;
    side s[2];                 /* 0 request (client), 1 response (server) */
    int grpc;
    int promised;              /* the request came in a PUSH_PROMISE */
    int reset_by;              /* 0, or 1 + the direction that sent RST_STREAM */
    uint32_t reset_code;
    int has_error;
    h2f_error err;
} stream;

struct h2d_streams {
    stream *v;
    size_t n, cap;
    size_t last;               /* the last one found: frames come in runs */
};

h2d_streams *h2d_streams_new(void)
{
    return calloc(1, sizeof(h2d_streams));
}

static void stream_free(stream *st)
{
    int i;
    size_t k;
    for (i = 0; i < 2; i++) {
        for (k = 0; k < MAX_INFO; k++)
            h2d_buf_free(&st->s[i].infol[k].b);
        h2d_buf_free(&st->s[i].cur.b);
        h2d_buf_free(&st->s[i].headers.b);
        h2d_buf_free(&st->s[i].trailers.b);
        h2d_grpc_free(&st->s[i].grpc);
    }
}

void h2d_streams_free(h2d_streams *t)
{
    size_t i;
    if (!t)
        return;
    for (i = 0; i < t->n; i++)
        stream_free(&t->v[i]);
    free(t->v);
    free(t);
}

/* ---- printing -------------------------------------------------------------- */

/* The value of `name` in a list, or NULL. */
static const uint8_t *list_get(const list *l, const char *name, size_t *vlen)
{
    size_t pos = 0, nl = strlen(name);
    h2f_bytes n, v;
    while (h2d_pair_next(&l->b, &pos, &n, &v))
        if (n.len == nl && memcmp(n.ptr, name, nl) == 0) {
            *vlen = v.len;
            return v.ptr;
        }
    return NULL;
}

static void list_text(FILE *o, const list *l, h2d_session *s)
{
    size_t pos = 0;
    h2f_bytes n, v;
    while (h2d_pair_next(&l->b, &pos, &n, &v)) {
        fprintf(h2d_line(s), "      %s", s->c.name);
        h2d_text(o, n.ptr, n.len, 0);
        fprintf(o, "%s: ", s->c.off);
        h2d_text(o, v.ptr, v.len, 0);
        fputc('\n', o);
    }
}

/* "the client", "the server" */
static const char *who(int dir)
{
    return dir == 0 ? "the client" : "the server";
}

static const char *end_text(const stream *st, const side *sd)
{
    /* RST_STREAM ends the stream for both sides (§5.1): a side still open
     * ends with it */
    if (!sd->ended && st->reset_by)
        return st->reset_by == 1 ? "the client's RST_STREAM" : "the server's RST_STREAM";
    if (!sd->ended)
        return "not ended (the capture stops)";
    if (st->promised && sd == &st->s[0])
        return "the PUSH_PROMISE (a promised request is complete, RFC 9113 §8.4)";
    switch (sd->how) {
    case H2F_END_STREAM: return "END_STREAM";
    case H2F_END_RESET: return "RST_STREAM";
    case H2F_END_GOAWAY: return "GOAWAY (not processed)";
    case H2F_END_ERROR: return "a stream error";
    }
    return "?";
}

static void show(FILE *o, const char *pre, const list *l, const char *name)
{
    size_t n;
    const uint8_t *v = list_get(l, name, &n);
    if (v) {
        fputs(pre, o);
        h2d_text(o, v, n, 80);
    }
}

static void side_text(h2d_session *s, const h2d_conn *c, const stream *st, int i)
{
    FILE *o = s->out;
    const side *sd = &st->s[i];
    const char *what = i == 0 ? "request" : "response";
    size_t k;
    for (k = 0; k < sd->ninfo && k < MAX_INFO; k++) {
        /* 100 Continue, 103 Early Hints (RFC 9110 §15.2, RFC 8297) */
        fprintf(h2d_line(s), "    informational response: %u\n", (unsigned)sd->info[k]);
        list_text(o, &sd->infol[k], s);
    }
    if (sd->ninfo > MAX_INFO)
        fprintf(h2d_line(s), "    (%zu more informational %s)\n", sd->ninfo - MAX_INFO,
                h2d_plural(sd->ninfo - MAX_INFO, "response", "responses"));
    if (sd->has_headers) {
        fprintf(h2d_line(s), "    %s headers%s:\n", what,
                i == 0 && st->promised ? " (PUSH_PROMISE)" : "");
        list_text(o, &sd->headers, s);
    }
    fprintf(h2d_line(s), "    %s: %llu %s of body", what, (unsigned long long)sd->body,
            h2d_plural(sd->body, "octet", "octets"));
    if (sd->saving == 1)
        fprintf(o, " (saved to %s/c%d-s%u-%s.body)", s->o->save_bodies, c->id, (unsigned)st->id,
                what);
    fprintf(o, ", ended by %s", end_text(st, sd));
    if (sd->ended && sd->how != H2F_END_STREAM)
        fprintf(o, " (%s)", h2f_error_code_name(sd->code));
    else if (!sd->ended && st->reset_by)
        fprintf(o, " (%s)", h2f_error_code_name(st->reset_code));
    fputc('\n', o);
    if (sd->has_trailers) {
        fprintf(h2d_line(s), "    %s trailers:\n", what);
        list_text(o, &sd->trailers, s);
    }
    if (st->grpc && s->o->grpc) {
        size_t pend = h2d_grpc_pending(&sd->grpc);
        fprintf(h2d_line(s), "    grpc: %llu %s %s", (unsigned long long)sd->grpc_msgs, what,
                h2d_plural(sd->grpc_msgs, "message", "messages"));
        if (pend)
            fprintf(o, ", %zu %s of an unfinished message", pend,
                    h2d_plural(pend, "octet", "octets"));
        fputc('\n', o);
    }
}

/* Where a gRPC call's status is: in the trailers; but a call that fails
 * at once sends "Trailers-Only", one HEADERS with END_STREAM holding
 * :status and grpc-status (gRPC's PROTOCOL-HTTP2.md), which is the
 * response's header block. */
static const list *grpc_status_list(const stream *st)
{
    size_t n;
    return list_get(&st->s[1].trailers, "grpc-status", &n) ? &st->s[1].trailers
                                                             : &st->s[1].headers;
}

static void summary_text(h2d_session *s, const h2d_conn *c, const stream *st)
{
    FILE *o = s->out;
    const list *rq = &st->s[0].headers, *rs = &st->s[1].headers;
    size_t n;
    const uint8_t *status;
    h2d_prefix(s, c->id);
    fprintf(o, "%sstream %u%s:", s->c.type, (unsigned)st->id, s->c.off);
    show(o, " ", rq, ":method");
    show(o, " ", rq, ":path");
    status = list_get(rs, ":status", &n);
    if (status) {
        fputs(" -> ", o);
        h2d_text(o, status, n, 8);
    } else {
        fputs(" -> (no response)", o);
    }
    fputc('\n', o);
    side_text(s, c, st, 0);
    side_text(s, c, st, 1);
    if (st->grpc) {
        const list *gl = grpc_status_list(st);
        const uint8_t *gs = list_get(gl, "grpc-status", &n);
        if (gs) {
            const char *sn = h2d_grpc_status_name(gs, n);
            fputs("    grpc-status: ", h2d_line(s));
            h2d_text(o, gs, n, 80);
            fprintf(o, " (%s)%s\n", sn ? sn : "unknown",
                    gl == &st->s[1].headers ? ", in a trailers-only response" : "");
        }
        if ((status = list_get(gl, "grpc-message", &n)) != NULL) {
            uint8_t buf[512];
            size_t m = h2d_percent_decode(status, n < sizeof buf ? n : sizeof buf, buf);
            fputs("    grpc-message: \"", h2d_line(s));
            h2d_text(o, buf, m, 0);
            fputs(n > sizeof buf ? "...\"\n" : "\"\n", o);
        }
    }
    if (st->reset_by)
        fprintf(h2d_line(s), "    reset by %s (%s)\n", who(st->reset_by - 1),
                h2f_error_code_name(st->reset_code));
    if (st->has_error)
        fprintf(h2d_line(s), "    %sstream error: %s: %s%s\n", s->c.err,
                h2f_error_code_name(st->err.code),
                st->err.reason ? st->err.reason : "", s->c.off);
}

static void side_json(FILE *o, const h2d_session *s, const h2d_conn *c, const stream *st, int i)
{
    const side *sd = &st->s[i];
    size_t k;
    fputs("{\"headers\":", o);
    if (sd->has_headers)
        h2d_json_pairs(o, &sd->headers.b);
    else
        fputs("null", o);
    fputs(",\"informational\":[", o);
    for (k = 0; k < sd->ninfo && k < MAX_INFO; k++)
        fprintf(o, "%s%u", k ? "," : "", (unsigned)sd->info[k]);
    fputs("],\"informational_headers\":[", o);
    for (k = 0; k < sd->ninfo && k < MAX_INFO; k++) {
        if (k)
            fputc(',', o);
        h2d_json_pairs(o, &sd->infol[k].b);
    }
    fprintf(o, "],\"body_length\":%llu,\"trailers\":", (unsigned long long)sd->body);
    if (sd->has_trailers)
        h2d_json_pairs(o, &sd->trailers.b);
    else
        fputs("null", o);
    fputs(",\"end\":", o);
    if (!sd->ended)
        fputs("null", o);
    else
        fprintf(o, "\"%s\",\"error_code\":\"%s\"",
                st->promised && i == 0     ? "PUSH_PROMISE"
                : sd->how == H2F_END_STREAM ? "END_STREAM"
                : sd->how == H2F_END_RESET ? "RST_STREAM"
                : sd->how == H2F_END_GOAWAY ? "GOAWAY"
                                            : "STREAM_ERROR",
                h2f_error_code_name(sd->code));
    if (sd->saving == 1) {
        char path[4200];
        snprintf(path, sizeof path, "%s/c%d-s%u-%s.body", s->o->save_bodies, c->id,
                 (unsigned)st->id, i == 0 ? "request" : "response");
        fputs(",\"saved\":", o);
        h2d_json_cstr(o, path);
    }
    if (st->grpc)
        fprintf(o, ",\"grpc_messages\":%llu", (unsigned long long)sd->grpc_msgs);
    fputc('}', o);
}

static void summary_json(h2d_session *s, const h2d_conn *c, const stream *st)
{
    FILE *o = s->out;
    fprintf(o, "{\"stream_summary\":true,\"conn\":%d,\"stream\":%u,\"grpc\":%s,\"pushed\":%s,"
               "\"request\":",
            c->id, (unsigned)st->id, st->grpc ? "true" : "false", st->promised ? "true" : "false");
    side_json(o, s, c, st, 0);
    fputs(",\"response\":", o);
    side_json(o, s, c, st, 1);
    if (st->reset_by) {
        fputs(",\"reset_by\":", o);
        h2d_json_cstr(o, st->reset_by == 1 ? "client" : "server");
        fputs(",\"reset_code\":", o);
        h2d_json_cstr(o, h2f_error_code_name(st->reset_code));
    }
    if (st->grpc) {
        size_t n;
        const list *gl = grpc_status_list(st);
        const uint8_t *v = list_get(gl, "grpc-status", &n);
        if (v) {
            const char *sn = h2d_grpc_status_name(v, n);
            fputs(",\"grpc_status\":", o);
            h2d_json_str(o, v, n);
            fputs(",\"grpc_status_name\":", o);
            if (sn)
                h2d_json_cstr(o, sn);
            else
                fputs("null", o);
            fprintf(o, ",\"grpc_trailers_only\":%s", gl == &st->s[1].headers ? "true" : "false");
        }
        if ((v = list_get(gl, "grpc-message", &n)) != NULL) {
            uint8_t buf[512];
            size_t m = h2d_percent_decode(v, n < sizeof buf ? n : sizeof buf, buf);
            fputs(",\"grpc_message\":", o);
            h2d_json_str(o, buf, m);
        }
    }
    if (st->has_error) {
        fputs(",\"stream_error\":", o);
        h2d_json_cstr(o, h2f_error_code_name(st->err.code));
        fputs(",\"reason\":", o);
        h2d_json_cstr(o, st->err.reason ? st->err.reason : "");
    }
    fputs("}\n", o);
}

static void print_stream(h2d_conn *c, const stream *st)
{
    h2d_session *s = c->s;
    if (!s->o->streams)
        return;
    s->line_conn = c->id;
    if (!h2d_shown(s, c->id, 1, st->id))
        return;
    if (s->o->json)
        summary_json(s, c, st);
    else
        summary_text(s, c, st);
}

static void remove_at(h2d_streams *t, size_t i)
{
    stream_free(&t->v[i]);
    memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof *t->v);
    t->n--;
    t->last = 0;
}

/* ---- tracking ---------------------------------------------------------------- */

static stream *find(h2d_conn *c, uint32_t id)
{
    h2d_streams *t = c->streams;
    size_t i;
    if (t->last < t->n && t->v[t->last].id == id)
        return &t->v[t->last];
    for (i = t->n; i-- > 0;) /* newest first: the likely one */
        if (t->v[i].id == id) {
            t->last = i;
            return &t->v[i];
        }
    if (t->n == MAX_STREAMS) { /* the oldest goes out as it is */
        print_stream(c, &t->v[0]);
        remove_at(t, 0);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        stream *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v;
        t->cap = cap;
    }
    memset(&t->v[t->n], 0, sizeof t->v[0]);
    t->v[t->n].id = id;
    t->last = t->n;
    return &t->v[t->n++];
}

static int list_add(list *l, const uint8_t *name, size_t nl, const uint8_t *value, size_t vl)
{
    if (h2d_pair_add(&l->b, name, nl, value, vl))
        return -1;
    l->n++;
    return 0;
}

/* A PUSH_PROMISE's block is the promised stream's request (§8.4), sent by
 * the server: it goes on side 0. */
static int side_of(int dir, h2f_block_kind kind)
{
    return kind == H2F_BLOCK_PUSH_PROMISE ? 0 : dir;
}

int h2d_streams_field(h2d_conn *c, int dir, uint32_t id, h2f_block_kind kind, const uint8_t *name,
                      size_t nlen, const uint8_t *value, size_t vlen)
{
    stream *st = find(c, id);
    if (!st)
        return -1;
    if (nlen == 12 && memcmp(name, "content-type", 12) == 0 && h2d_is_grpc_content_type(value, vlen))
        st->grpc = 1;
    if (!c->s->o->streams)
        return 0; /* the lists are for the stream view only */
    return list_add(&st->s[side_of(dir, kind)].cur, name, nlen, value, vlen);
}

int h2d_streams_block_end(h2d_conn *c, int dir, uint32_t id, h2f_block_kind kind, uint32_t promised)
{
    stream *st = find(c, id);
    side *sd;
    list done;
    (void)promised;
    if (!st)
        return -1;
    sd = &st->s[side_of(dir, kind)];
    done = sd->cur;
    memset(&sd->cur, 0, sizeof sd->cur);
    switch (kind) {
    case H2F_BLOCK_INFORMATIONAL: {
        size_t n;
        const uint8_t *v = list_get(&done, ":status", &n);
        uint32_t status = 0;
        while (v && n--)
            status = status * 10 + (uint32_t)(*v >= '0' && *v <= '9' ? *v - '0' : 0), v++;
        if (sd->ninfo < MAX_INFO) {
            sd->info[sd->ninfo] = status;
            sd->infol[sd->ninfo] = done;
        } else {
            h2d_buf_free(&done.b);
        }
        sd->ninfo++;
        return 0;
    }
    case H2F_BLOCK_TRAILERS:
        h2d_buf_free(&sd->trailers.b);
        sd->trailers = done;
        sd->has_trailers = 1;
        return 0;
    case H2F_BLOCK_PUSH_PROMISE:
        /* a promised request is complete as promised: §8.4, "Promised
         * requests ... MUST NOT include a request body", and the stream
         * is reserved, never open, on the client's side */
        st->promised = 1;
        sd->ended = 1;
        sd->how = H2F_END_STREAM;
        /* fall through */
    default:
        h2d_buf_free(&sd->headers.b);
        sd->headers = done;
        sd->has_headers = 1;
        return 0;
    }
}

typedef struct msg_ctx {
    h2d_record *r;
    uint32_t stream;
    side *sd;
    int failed;
} msg_ctx;

/* A gRPC message completed: kept in the record, printed with its frame. */
static void on_message(void *ctx, int compressed, uint32_t len, const uint8_t *msg, int kept)
{
    msg_ctx *m = ctx;
    h2d_record *r = m->r;
    h2d_msg *x;
    m->sd->grpc_msgs++;
    if (r->nmsgs == r->msgs_cap) {
        size_t cap = r->msgs_cap ? 2 * r->msgs_cap : 4;
        h2d_msg *v = realloc(r->msgs, cap * sizeof *v);
        if (!v) {
            m->failed = 1;
            return;
        }
        r->msgs = v;
        r->msgs_cap = cap;
    }
    x = &r->msgs[r->nmsgs];
    x->stream = m->stream;
    x->compressed = compressed;
    x->kept = kept;
    x->len = len;
    x->at = r->msgbytes.len;
    if (kept && h2d_buf_add(&r->msgbytes, msg, len)) {
        m->failed = 1;
        return;
    }
    r->nmsgs++;
}

static void save_body(h2d_conn *c, stream *st, int dir, const uint8_t *p, size_t n)
{
    side *sd = &st->s[dir];
    char path[4200];
    FILE *f;
    if (sd->saving < 0)
        return;
    snprintf(path, sizeof path, "%s/c%d-s%u-%s.body", c->s->o->save_bodies, c->id,
             (unsigned)st->id, dir == 0 ? "request" : "response");
    /* opened per frame: no descriptor is held for the open streams */
    f = fopen(path, sd->saving ? "ab" : "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        h2d_note(c->s, c->id, dir, "io", "cannot write %s", path);
        h2d_session_rc(c->s, H2DUMP_EXIT_USAGE);
        sd->saving = -1;
    } else {
        sd->saving = 1;
    }
    if (f && fclose(f) != 0 && sd->saving == 1) {
        h2d_session_rc(c->s, H2DUMP_EXIT_USAGE);
        sd->saving = -1;
    }
}

int h2d_streams_data(h2d_conn *c, int dir, uint32_t id, const uint8_t *p, size_t n, h2d_record *r)
{
    stream *st = find(c, id);
    side *sd;
    if (!st)
        return -1;
    sd = &st->s[dir];
    sd->body += n;
    if (c->s->o->save_bodies && n && h2d_shown(c->s, c->id, 1, id))
        save_body(c, st, dir, p, n);
    if (c->s->o->grpc && st->grpc) {
        msg_ctx m = {r, id, sd, 0};
        if (h2d_grpc_feed(&sd->grpc, p, n, on_message, &m) || m.failed)
            return -1;
    }
    return 0;
}

void h2d_streams_end(h2d_conn *c, int dir, uint32_t id, h2f_stream_end how, uint32_t code)
{
    stream *st = find(c, id);
    if (!st)
        return;
    st->s[dir].ended = 1;
    st->s[dir].how = how;
    st->s[dir].code = code;
    if (how == H2F_END_RESET && !st->reset_by) {
        st->reset_by = dir + 1;
        st->reset_code = code;
    }
}

void h2d_streams_reset(h2d_conn *c, int dir, uint32_t id, uint32_t code)
{
    h2d_streams *t = c->streams;
    stream *st = NULL;
    size_t i;
    /* a stream already shown (both sides ended) is not brought back */
    for (i = t->n; i-- > 0;)
        if (t->v[i].id == id) {
            st = &t->v[i];
            break;
        }
    if (!st || st->reset_by)
        return;
    st->reset_by = dir + 1;
    st->reset_code = code;
}

void h2d_streams_error(h2d_conn *c, int dir, const h2f_error *e)
{
    stream *st;
    (void)dir;
    if (e->scope != H2F_SCOPE_STREAM || !e->stream_id)
        return;
    st = find(c, e->stream_id);
    if (st && !st->has_error) {
        st->has_error = 1;
        st->err = *e;
    }
}

/* Done: both sides ended; or a GOAWAY or a stream error ended one; or
 * only one direction is being read. A stream one side reset waits for the
 * other side's end or the connection's: the other side's frames in
 * flight (§5.4.2) still belong to it (its body, --save-bodies). */
static int done(const h2d_conn *c, const stream *st)
{
    int i;
    if (st->s[0].ended && st->s[1].ended)
        return 1;
    for (i = 0; i < 2; i++)
        if (st->s[i].ended &&
            (c->ndirs == 1 || st->s[i].how == H2F_END_GOAWAY || st->s[i].how == H2F_END_ERROR))
            return 1;
    return 0;
}

void h2d_streams_flush_done(h2d_conn *c)
{
    h2d_streams *t = c->streams;
    size_t i = 0;
    while (i < t->n) {
        if (done(c, &t->v[i])) {
            print_stream(c, &t->v[i]);
            remove_at(t, i);
        } else {
            i++;
        }
    }
}

void h2d_streams_flush(h2d_conn *c)
{
    h2d_streams *t = c->streams;
    while (t->n) {
        print_stream(c, &t->v[0]);
        remove_at(t, 0);
    }
}

int h2d_streams_is_grpc(h2d_conn *c, uint32_t id)
{
    size_t i;
    for (i = 0; i < c->streams->n; i++)
        if (c->streams->v[i].id == id)
            return c->streams->v[i].grpc;
    return 0;
}
