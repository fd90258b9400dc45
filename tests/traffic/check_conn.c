/*
 * check_conn: the connection reader (h2f_conn) in every role on recorded
 * real traffic, and against libnghttp2's server session (issue 14, items 8
 * and 9). `make check-traffic` runs it on tests/traffic/MANIFEST and on
 * every recording in examples/captures.
 *
 *   check_conn [-v] [--selftest DIR/NAME] (MANIFEST | DIR/NAME)...
 *
 * A recording NAME is NAME-client.bin (every octet the client sent, from the
 * preface on) and NAME-server.bin (every octet the server sent). A MANIFEST
 * argument names recordings in its directory, one a line (README.md there):
 *
 *     NAME  PEERS  WHAT-IT-SHOWS  [violation=RULE ...]
 *
 * RULE, for this program, is SECTION:SENDER:CODE:SCOPE[:http], e.g.
 * violation=8.2.2:client:PROTOCOL_ERROR:stream:http: the client broke RFC
 * 9113 §8.2.2, so every reader of the client's octets must report that error
 * (RFC 9113 §7 code name, scope "stream" or "connection") and no other, and
 * ":http" says the rule is one of §8's, checked only with validate_http.
 * A recording without violation= must read with no error at all.
 *
 * What runs, for each recording, with validate_http off and on:
 *
 * observer  two readers in H2F_ROLE_OBSERVER, one per direction, SETTINGS
 *           crossed over as h2dump does (h2dump/dump.c): the k-th SETTINGS
 *           of one side is handed to the other side's reader
 *           (h2f_conn_local_settings) just before that reader reads its own
 *           k-th SETTINGS ACK, since the k-th ACK a side sends acknowledges
 *           the k-th SETTINGS the other side sent (RFC 9113 §6.5.3: in
 *           order). That needs no timing between the two files. The
 *           server-to-client reader is also told, with h2f_conn_local_open,
 *           which streams the client opened (and which were HEAD requests,
 *           §8.1.1), and the client-to-server one which streams the server
 *           promised (the observer role accepts that once the reader's API
 *           allows it; until then the calls are refused and ignored).
 * server    H2F_ROLE_SERVER on the client's octets, the real server's
 *           SETTINGS given before the client's ACK that acknowledges them,
 *           its PUSH_PROMISEs declared (h2f_conn_local_open) and its
 *           RST_STREAMs replayed (h2f_conn_local_reset).
 * client    H2F_ROLE_CLIENT on the server's octets, the client's SETTINGS
 *           given before the server's ACKs, each client stream declared with
 *           h2f_conn_local_open (H2F_LOCAL_END_STREAM when the request's
 *           HEADERS ended the stream, H2F_LOCAL_HEAD for a HEAD request),
 *           the client's RST_STREAMs replayed. What the client opened is
 *           learnt from an observer of the client's octets.
 *
 *           When: each declaration and reset is made at the latest point
 *           where the reader's side had surely done it: before the first
 *           frame of the other side that can only follow it (its SETTINGS
 *           ACK, its PING ACK, its frame on the stream; see compute_seen).
 *           Later than the real endpoint, never earlier: a declared reset
 *           only drops the peer's frames in flight (§5.4.2), a stream
 *           declared late would reject the peer's frames on it, but a frame
 *           on it is itself such a bound.
 * nghttp2   the client's octets read by the server-role reader and by
 *           libnghttp2's server session (nghttp2_session_server_new +
 *           nghttp2_session_mem_recv, its output drained with
 *           nghttp2_session_mem_send), validate_http paired with nghttp2's
 *           HTTP messaging checks and off with no_http_messaging: per stream
 *           the same header blocks (request, trailers; every field, octet
 *           for octet), the same body octets, END_STREAM, the client's
 *           RST_STREAM (code) and the same errors (code, scope). nghttp2
 *           is given the real server's SETTINGS and RST_STREAMs at the same
 *           points as h2f_conn. Differences the RFC leaves open are listed,
 *           with their rule, in explained(); any other is a failure.
 *
 * Each reader is fed one unit at a time (the preface, then each whole frame),
 * so that SETTINGS and streams can be declared exactly before the frame
 * that needs them; the server and client roles are also fed 997 octets at a
 * time (frames cut anywhere), which must give the same streams.
 *
 * Limits: the readers get generous limits (like h2dump's observer), sized
 * from the recording's own SETTINGS, so that a big-but-legal header or a
 * large table is not reported as an error: a limit firing is not a peer
 * breaking a rule. MAX_HEADER_LIST_SIZE is still handed to the server and
 * client roles (the real endpoint advertised it); the observer leaves it out
 * as h2dump does (§6.5.2: "advisory").
 *
 * Flow control and nghttp2: h2f_conn does not check the peer against our
 * windows (docs/streams.md: the caller does), so the differential compares
 * what both check and makes nghttp2's receive windows as large as they go
 * (2^31-1 for the connection and every stream, INITIAL_WINDOW_SIZE left out
 * of the SETTINGS it is given, its automatic WINDOW_UPDATEs keeping them
 * open). Applying the real server's WINDOW_UPDATEs instead would need the
 * two directions' relative timing, which two files do not carry: a client
 * that stayed within what the real server had granted could look past the
 * window under another interleaving. For the same reason nghttp2 answers
 * each request (HEADERS :status 200, END_STREAM) as soon as the request is
 * complete, so that its streams close and MAX_CONCURRENT_STREAMS counts
 * them no longer than h2f_conn does (without track_local it counts a stream
 * until the client ends its side); the real server answered later, so the
 * real client kept within a stricter count.
 *
 * Output: one line per recording and check ("ok" or "FAIL"), the
 * differences or unexpected errors under a FAIL, and a last line
 * "N passed, N failed". Exit status 1 if anything failed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "h2frame.h"

#define MAX_SETTINGS_ENTRIES 64
#define MAX_VIOLATIONS 8
#define MAX_ERRORS 64
#define MAX_DIFFS 8

static int verbose;
static int npassed, nfailed;
/* --selftest: results are kept in last_fail instead of printed and counted,
 * and ng_mutation alters nghttp2's results before the comparison */
static int quiet, last_fail, ng_mutation, mutation_missed;
static int no_replay; /* --selftest: the other side's RST_STREAMs not replayed */

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "check_conn: out of memory\n");
        exit(2);
    }
    return p;
}

/* ---- growable octets ----------------------------------------------------- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void buf_u32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    buf_add(b, x, 4);
}

static void buf_free(buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- a recording ------------------------------------------------------------ */

enum { CLIENT = 0, SERVER = 1 };
static const char *const side_name[2] = {"client", "server"};
static const char *const dir_name[2] = {"C->S", "S->C"};

/* One unit of a direction: the preface or one frame (the frame header read
 * here, independently of the library). A frame the file cuts is kept as
 * the last unit, shorter than 9 + length. */
typedef struct unit {
    const uint8_t *p;
    size_t len;
    int is_frame;
    uint32_t length;
    uint8_t type, flags;
    uint32_t stream;
} unit;

typedef struct settings {
    h2f_setting e[MAX_SETTINGS_ENTRIES];
    size_t n;
} settings;

typedef struct direction {
    buf data;
    unit *u;
    size_t nu;
    settings *set; /* the SETTINGS frames (not ACKs) this side sent, in order */
    size_t nset;
    uint32_t *promised; /* server: the streams its PUSH_PROMISEs reserved, in order */
    size_t *promise_unit; /* ... and the units that promised them */
    size_t npromised;
    size_t *resets;     /* the units that are RST_STREAM frames */
    size_t nresets;
    /* seen[i]: 1 + the last unit of the other side this side had surely
     * received when it sent unit i (0: none); see compute_seen */
    size_t *seen;
} direction;

typedef struct violation {
    char rule[64];
    int sender;        /* CLIENT or SERVER */
    uint32_t code;     /* RFC 9113 §7 */
    h2f_scope scope;
    int http_only;     /* a §8 rule: only with validate_http */
} violation;

typedef struct recording {
    char name[128];
    char path[512];
    direction d[2];
    violation v[MAX_VIOLATIONS];
    size_t nv;
    char bad_manifest[256]; /* a violation= this program cannot read */
    /* sizes for the readers, from both sides' SETTINGS */
    uint32_t max_table, max_concurrent;
    /* NAME.http1 exists: the connection began as HTTP/1.1 with Upgrade:
     * h2c, whose request is stream 1, half-closed (local) for the client
     * (RFC 7540 §3.2) */
    int upgraded;
} recording;

static int load_file(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    uint8_t tmp[65536];
    size_t n;
    if (!f)
        return -1;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(b, tmp, n);
    fclose(f);
    return 0;
}

static uint32_t rd24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void split_units(direction *d, int side)
{
    size_t pos = 0;
    const uint8_t *p = d->data.p;
    size_t n = d->data.len;
    if (side == CLIENT && n >= H2F_PREFACE_LEN && memcmp(p, H2F_PREFACE, H2F_PREFACE_LEN) == 0) {
        d->u = xrealloc(d->u, (d->nu + 1) * sizeof *d->u);
        memset(&d->u[d->nu], 0, sizeof d->u[0]);
        d->u[d->nu].p = p;
        d->u[d->nu].len = H2F_PREFACE_LEN;
        d->nu++;
        pos = H2F_PREFACE_LEN;
    }
    while (pos < n) {
        unit x;
        memset(&x, 0, sizeof x);
        x.p = p + pos;
        if (n - pos < 9) {
            x.len = n - pos;
        } else {
            x.is_frame = 1;
            x.length = rd24(x.p);
            x.type = x.p[3];
            x.flags = x.p[4];
            x.stream = rd32(x.p + 5) & 0x7fffffffu;
            x.len = 9 + (size_t)x.length;
            if (x.len > n - pos)
                x.len = n - pos;
            /* RFC 9113 §6.5: SETTINGS, not ACK, stream 0, whole entries */
            if (x.type == H2F_SETTINGS && !(x.flags & H2F_FLAG_ACK) && x.stream == 0 &&
                x.length % 6 == 0 && x.len == 9 + (size_t)x.length) {
                settings s;
                size_t i;
                memset(&s, 0, sizeof s);
                for (i = 0; i < x.length / 6 && s.n < MAX_SETTINGS_ENTRIES; i++) {
                    s.e[s.n].id = (uint16_t)(x.p[9 + 6 * i] << 8 | x.p[10 + 6 * i]);
                    s.e[s.n].value = rd32(x.p + 11 + 6 * i);
                    s.n++;
                }
                d->set = xrealloc(d->set, (d->nset + 1) * sizeof *d->set);
                d->set[d->nset++] = s;
            }
            /* RFC 9113 §6.6: [Pad Length (8)] if PADDED, then the promised id */
            if (x.type == H2F_PUSH_PROMISE && x.len == 9 + (size_t)x.length) {
                size_t at = 9 + ((x.flags & H2F_FLAG_PADDED) ? 1 : 0);
                if (at + 4 <= x.len) {
                    d->promised = xrealloc(d->promised, (d->npromised + 1) * sizeof *d->promised);
                    d->promise_unit =
                        xrealloc(d->promise_unit, (d->npromised + 1) * sizeof *d->promise_unit);
                    d->promise_unit[d->npromised] = d->nu;
                    d->promised[d->npromised++] = rd32(x.p + at) & 0x7fffffffu;
                }
            }
            if (x.type == H2F_RST_STREAM && x.stream != 0 && x.length == 4 &&
                x.len == 9 + (size_t)x.length) {
                d->resets = xrealloc(d->resets, (d->nresets + 1) * sizeof *d->resets);
                d->resets[d->nresets++] = d->nu;
            }
        }
        d->u = xrealloc(d->u, (d->nu + 1) * sizeof *d->u);
        d->u[d->nu++] = x;
        pos += x.len;
    }
}

static int is_ack(const unit *u)
{
    return u->is_frame && u->type == H2F_SETTINGS && (u->flags & H2F_FLAG_ACK) && u->stream == 0;
}

static const struct { const char *name; uint32_t code; } codes[] = {
    {"NO_ERROR", 0x0}, {"PROTOCOL_ERROR", 0x1}, {"INTERNAL_ERROR", 0x2},
    {"FLOW_CONTROL_ERROR", 0x3}, {"SETTINGS_TIMEOUT", 0x4}, {"STREAM_CLOSED", 0x5},
    {"FRAME_SIZE_ERROR", 0x6}, {"REFUSED_STREAM", 0x7}, {"CANCEL", 0x8},
    {"COMPRESSION_ERROR", 0x9}, {"CONNECT_ERROR", 0xa}, {"ENHANCE_YOUR_CALM", 0xb},
    {"INADEQUATE_SECURITY", 0xc}, {"HTTP_1_1_REQUIRED", 0xd},
};

static const char *code_name(uint32_t c)
{
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code == c)
            return codes[i].name;
    return "UNKNOWN_CODE";
}

/* SECTION:SENDER:CODE:SCOPE[:http] (see the top of the file) */
static int parse_violation(const char *s, violation *v)
{
    char tmp[256], *part[6];
    int n = 0;
    size_t i;
    char *q;
    memset(v, 0, sizeof *v);
    if (strlen(s) >= sizeof tmp)
        return -1;
    strcpy(tmp, s);
    for (q = strtok(tmp, ":"); q && n < 6; q = strtok(NULL, ":"))
        part[n++] = q;
    if (n < 4 || n > 5)
        return -1;
    snprintf(v->rule, sizeof v->rule, "%s", part[0]);
    if (strcmp(part[1], "client") == 0)
        v->sender = CLIENT;
    else if (strcmp(part[1], "server") == 0)
        v->sender = SERVER;
    else
        return -1;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(part[2], codes[i].name) == 0)
            break;
    if (i == sizeof codes / sizeof codes[0])
        return -1;
    v->code = codes[i].code;
    if (strcmp(part[3], "stream") == 0)
        v->scope = H2F_SCOPE_STREAM;
    else if (strcmp(part[3], "connection") == 0)
        v->scope = H2F_SCOPE_CONNECTION;
    else
        return -1;
    if (n == 5) {
        if (strcmp(part[4], "http") != 0)
            return -1;
        v->http_only = 1;
    }
    return 0;
}

static void size_for(recording *r)
{
    int s;
    size_t i, j;
    r->max_table = 4096;
    r->max_concurrent = 1000;
    for (s = 0; s < 2; s++)
        for (i = 0; i < r->d[s].nset; i++)
            for (j = 0; j < r->d[s].set[i].n; j++) {
                h2f_setting e = r->d[s].set[i].e[j];
                if (e.id == H2F_SETTINGS_HEADER_TABLE_SIZE && e.value > r->max_table)
                    r->max_table = e.value;
                if (e.id == H2F_SETTINGS_MAX_CONCURRENT_STREAMS && e.value > r->max_concurrent)
                    r->max_concurrent = e.value;
            }
    /* The reader sizes its stream pool for this many (at most 8192, conn.c):
     * an advertised "no limit" (2^31-1, say) is followed as 8192, more
     * concurrent streams than any recording here has. Likewise a table size
     * above 1 MiB is followed as 1 MiB (the table is allocated at init):
     * an encoder that really used more would be reported. */
    if (r->max_concurrent > 8192)
        r->max_concurrent = 8192;
    if (r->max_table > (1u << 20))
        r->max_table = 1u << 20;
}

/*
 * What each side had surely received when it sent each of its frames. Two
 * files carry no common clock, but some frames can only follow a frame of
 * the other side:
 *   - the k-th SETTINGS ACK a side sends follows the k-th SETTINGS the
 *     other side sent (RFC 9113 §6.5.3);
 *   - a PING ACK follows the PING with the same opaque data (§6.7);
 *   - the server's frames on a stream the client opened (but PRIORITY,
 *     which may name any stream, §5.3.2) follow the client's HEADERS that
 *     opened it (§5.1.1), and the client's frames on a promised stream
 *     follow the PUSH_PROMISE (§8.4).
 * seen[i] is the largest such bound up to unit i (1 + the other side's unit
 * index, 0 for none). It places what the other side did (its SETTINGS, the
 * streams it opened or promised, its RST_STREAMs) no later than it can have
 * happened, which is what a reader needs: declaring a stream or a reset
 * later than the real endpoint did never turns a correct peer's frame into
 * an error, declaring it earlier could.
 */
/* 1 + the unit of ids[] (increasing, as new stream ids are, §5.1.1) that
 * is id, by binary search; 0 if none. */
static size_t unit_of(const uint32_t *ids, const size_t *units, size_t n, uint32_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? units[lo] + 1 : 0;
}

static void compute_seen(recording *r)
{
    int s;
    for (s = 0; s < 2; s++) {
        direction *d = &r->d[s], *o = &r->d[!s];
        size_t i, j, acks = 0, nset = 0, best = 0;
        size_t *set_units = xrealloc(NULL, (o->nu + 1) * sizeof *set_units);
        uint8_t *ping_used = calloc(o->nu + 1, 1);
        uint32_t last_stream = 0, *ids = xrealloc(NULL, (o->nu + 1) * sizeof *ids);
        size_t last_found = 0, nids = 0, *id_units = xrealloc(NULL, (o->nu + 1) * sizeof *id_units);
        if (!ping_used)
            exit(2);
        /* the streams the other side opened (the client: HEADERS on a new
         * odd id) or promised (the server), in increasing order */
        if (s == SERVER) {
            for (j = 0; j < o->nu; j++)
                if (o->u[j].is_frame && o->u[j].type == H2F_HEADERS && (o->u[j].stream & 1) &&
                    (nids == 0 || o->u[j].stream > ids[nids - 1])) {
                    ids[nids] = o->u[j].stream;
                    id_units[nids++] = j;
                }
        } else {
            for (j = 0; j < o->npromised; j++)
                if (nids == 0 || o->promised[j] > ids[nids - 1]) {
                    ids[nids] = o->promised[j];
                    id_units[nids++] = o->promise_unit[j];
                }
        }
        for (j = 0; j < o->nu; j++)
            if (o->u[j].is_frame && o->u[j].type == H2F_SETTINGS && !(o->u[j].flags & H2F_FLAG_ACK))
                set_units[nset++] = j;
        d->seen = xrealloc(d->seen, (d->nu + 1) * sizeof *d->seen);
        for (i = 0; i < d->nu; i++) {
            const unit *u = &d->u[i];
            size_t b = 0;
            if (is_ack(u) && acks < nset)
                b = set_units[acks++] + 1;
            if (u->is_frame && u->type == H2F_PING && (u->flags & H2F_FLAG_ACK) && u->len == 17) {
                for (j = 0; j < o->nu; j++) {
                    const unit *v = &o->u[j];
                    if (!ping_used[j] && v->is_frame && v->type == H2F_PING &&
                        !(v->flags & H2F_FLAG_ACK) && v->len == 17 && !memcmp(v->p + 9, u->p + 9, 8)) {
                        ping_used[j] = 1;
                        b = j + 1;
                        break;
                    }
                }
            }
            if (u->is_frame && u->stream && u->type != H2F_PRIORITY &&
                (s == SERVER ? (u->stream & 1) : !(u->stream & 1))) {
                if (u->stream != last_stream) {
                    last_stream = u->stream;
                    last_found = unit_of(ids, id_units, nids, u->stream);
                }
                b = b > last_found ? b : last_found;
            }
            if (b > best)
                best = b;
            d->seen[i] = best;
        }
        free(set_units);
        free(ping_used);
        free(ids);
        free(id_units);
    }
}

static int load_recording(recording *r, const char *path, const char *name)
{
    char fn[700];
    int s;
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->path, sizeof r->path, "%s", path);
    for (s = 0; s < 2; s++) {
        snprintf(fn, sizeof fn, "%s-%s.bin", path, side_name[s]);
        if (load_file(fn, &r->d[s].data) != 0) {
            fprintf(stderr, "check_conn: cannot read %s\n", fn);
            return -1;
        }
        split_units(&r->d[s], s);
    }
    compute_seen(r);
    size_for(r);
    snprintf(fn, sizeof fn, "%s.http1", path);
    {
        FILE *f = fopen(fn, "rb");
        if (f) {
            r->upgraded = 1;
            fclose(f);
        }
    }
    return 0;
}

static void free_recording(recording *r)
{
    int s;
    for (s = 0; s < 2; s++) {
        buf_free(&r->d[s].data);
        free(r->d[s].u);
        free(r->d[s].set);
        free(r->d[s].promised);
        free(r->d[s].promise_unit);
        free(r->d[s].resets);
        free(r->d[s].seen);
    }
}

/* ---- what a reader saw, per stream ----------------------------------------- */

/* Header blocks are kept as octets: per block a kind octet ('R' request or
 * response headers, 'I' informational, 'T' trailers, 'P' promised request),
 * then per field 'F', name length, name, value length, value. Two readers
 * agree on a stream's blocks iff these octets are equal. */
typedef struct stream_rec {
    uint32_t id;
    buf blocks;
    int block_open;   /* a block is being added to */
    int first_done;   /* the first HEADERS block ended */
    int head;         /* :method HEAD in the first block */
    int req_end;      /* the first block carried END_STREAM */
    buf body;
    int ended;        /* END_STREAM */
    int reset;        /* the peer's RST_STREAM seen */
    uint32_t reset_code;
    int nresets;
    int err;          /* an error reported on the stream */
    uint32_t problems; /* h2f_conn: the H2F_HTTP_* problems of its blocks */
    int local_reset;  /* nghttp2: we reset it as the real server did */
    uint32_t err_code;
    uint8_t method[16];
    size_t method_len;
} stream_rec;

typedef struct err_rec {
    uint32_t code;
    h2f_scope scope;
    uint32_t stream;
    uint64_t offset;
    h2f_status status;
    char reason[160];
} err_rec;

typedef struct tally {
    stream_rec *s;
    size_t n, cap;
    size_t *index; /* open addressing: position + 1 */
    size_t index_cap;
    size_t fields, body, frames, events;
    size_t ends[4];
    size_t resets_after_end; /* events of a type this program does not name */
    err_rec err[MAX_ERRORS];
    size_t nerr, nerr_total;
    int conn_error;
    char harness[256]; /* a problem of this program, not of the reader */
} tally;

static stream_rec *stream_get(tally *t, uint32_t id)
{
    size_t h, i;
    if (t->index_cap == 0 || 2 * (t->n + 1) > t->index_cap) {
        size_t cap = t->index_cap ? 2 * t->index_cap : 64;
        free(t->index);
        t->index = calloc(cap, sizeof *t->index);
        if (!t->index)
            exit(2);
        t->index_cap = cap;
        for (i = 0; i < t->n; i++) {
            h = (t->s[i].id * 2654435761u) & (cap - 1);
            while (t->index[h])
                h = (h + 1) & (cap - 1);
            t->index[h] = i + 1;
        }
    }
    h = (id * 2654435761u) & (t->index_cap - 1);
    while (t->index[h]) {
        if (t->s[t->index[h] - 1].id == id)
            return &t->s[t->index[h] - 1];
        h = (h + 1) & (t->index_cap - 1);
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->s = xrealloc(t->s, t->cap * sizeof *t->s);
    }
    memset(&t->s[t->n], 0, sizeof t->s[0]);
    t->s[t->n].id = id;
    t->index[h] = ++t->n;
    return &t->s[t->n - 1];
}

static stream_rec *stream_find(const tally *t, uint32_t id)
{
    size_t h;
    if (!t->index_cap)
        return NULL;
    h = (id * 2654435761u) & (t->index_cap - 1);
    while (t->index[h]) {
        if (t->s[t->index[h] - 1].id == id)
            return &t->s[t->index[h] - 1];
        h = (h + 1) & (t->index_cap - 1);
    }
    return NULL;
}

static void tally_free(tally *t)
{
    size_t i;
    for (i = 0; i < t->n; i++) {
        buf_free(&t->s[i].blocks);
        buf_free(&t->s[i].body);
    }
    free(t->s);
    free(t->index);
    memset(t, 0, sizeof *t);
}

static void tally_error(tally *t, uint32_t code, h2f_scope scope, uint32_t stream, uint64_t offset,
                        h2f_status status, const char *reason)
{
    t->nerr_total++;
    if (scope == H2F_SCOPE_CONNECTION)
        t->conn_error = 1;
    if (scope == H2F_SCOPE_STREAM && stream) {
        stream_rec *s = stream_get(t, stream);
        if (!s->err) {
            s->err = 1;
            s->err_code = code;
        }
    }
    if (t->nerr < MAX_ERRORS) {
        err_rec *e = &t->err[t->nerr++];
        e->code = code;
        e->scope = scope;
        e->stream = stream;
        e->offset = offset;
        e->status = status;
        snprintf(e->reason, sizeof e->reason, "%s", reason ? reason : "");
    }
}

static void block_field(stream_rec *s, char kind, const uint8_t *name, size_t nlen,
                        const uint8_t *value, size_t vlen)
{
    if (!s->block_open) {
        buf_add(&s->blocks, &kind, 1);
        s->block_open = 1;
    }
    if (name) {
        buf_add(&s->blocks, "F", 1);
        buf_u32(&s->blocks, (uint32_t)nlen);
        buf_add(&s->blocks, name, nlen);
        buf_u32(&s->blocks, (uint32_t)vlen);
        buf_add(&s->blocks, value, vlen);
    }
}

static char kind_of(h2f_block_kind k)
{
    switch (k) {
    case H2F_BLOCK_INFORMATIONAL: return 'I';
    case H2F_BLOCK_TRAILERS: return 'T';
    case H2F_BLOCK_PUSH_PROMISE: return 'P';
    default: return 'R';
    }
}

/* ---- a reader over one direction --------------------------------------------- */

typedef struct reader {
    h2f_conn c;
    int ready, dead;
    tally t;
    size_t acks;        /* ACKs read so far */
    size_t next_open;   /* client streams declared so far (client list) */
    size_t next_promise; /* the server's promises declared so far */
    size_t next_reset;   /* the other side's RST_STREAMs applied so far */
    size_t chunk;       /* feed each unit in pieces of this many octets (0: whole) */
} reader;

/* The streams the client opened, in order, with what the server's side
 * must know of them. */
typedef struct client_stream {
    uint32_t id;
    size_t unit;    /* the client's unit that opened it */
    unsigned flags; /* H2F_LOCAL_END_STREAM, H2F_LOCAL_HEAD */
} client_stream;

typedef struct client_list {
    client_stream *v;
    size_t n;
} client_list;

static void on_event(reader *x, const h2f_event *ev)
{
    tally *t = &x->t;
    stream_rec *s;
    uint32_t id = ev->block == H2F_BLOCK_PUSH_PROMISE &&
                          (ev->type == H2F_EV_HEADER || ev->type == H2F_EV_HEADERS_END)
                      ? ev->promised_stream_id
                      : ev->stream_id;
    t->events++;
    switch (ev->type) {
    case H2F_EV_FRAME:
        t->frames++;
        return;
    case H2F_EV_HEADER:
        s = stream_get(t, id);
        t->fields++;
        if (ev->field.rep == H2F_HPACK_SIZE_UPDATE)
            return;
        block_field(s, kind_of(ev->block), ev->field.name.ptr, ev->field.name.len,
                    ev->field.value.ptr, ev->field.value.len);
        if (!s->first_done && ev->field.name.len == 7 &&
            memcmp(ev->field.name.ptr, ":method", 7) == 0 && ev->field.value.len < sizeof s->method) {
            memcpy(s->method, ev->field.value.ptr, ev->field.value.len);
            s->method_len = ev->field.value.len;
            s->head = ev->field.value.len == 4 && memcmp(ev->field.value.ptr, "HEAD", 4) == 0;
        }
        return;
    case H2F_EV_HEADERS_END:
        s = stream_get(t, id);
        block_field(s, kind_of(ev->block), NULL, 0, NULL, 0);
        s->block_open = 0;
        s->problems |= ev->problems;
        if (!s->first_done && ev->block == H2F_BLOCK_HEADERS) {
            s->first_done = 1;
            s->req_end = ev->end_stream;
        }
        return;
    case H2F_EV_DATA:
    case H2F_EV_BODY:
        s = stream_get(t, id);
        buf_add(&s->body, ev->data.ptr, ev->data.len);
        t->body += ev->data.len;
        return;
    case H2F_EV_END:
        s = stream_get(t, id);
        if (ev->end <= H2F_END_ERROR)
            t->ends[ev->end]++;
        if (ev->end == H2F_END_STREAM)
            s->ended = 1;
        if (ev->end == H2F_END_RESET) {
            s->reset = 1;
            s->reset_code = ev->error_code;
            s->nresets++;
        }
        return;
    default:
        /* An event type this program does not name: the H2F_EV_RESET the
         * reader is getting (RST_STREAM on a stream whose H2F_EV_END it
         * already gave, or that the peer never sent on), with stream_id
         * and error_code. Counted as the peer's reset of that stream. */
        s = stream_get(t, id);
        s->reset = 1;
        s->reset_code = ev->error_code;
        s->nresets++;
        t->resets_after_end++;
        return;
    }
}

static void drain(reader *x)
{
    size_t guard;
    for (guard = 0; guard < 1000000; guard++) {
        h2f_event ev;
        h2f_error err;
        h2f_status st = h2f_conn_next(&x->c, &ev, &err);
        if (st == H2F_NEED_MORE)
            return;
        if (st == H2F_OK) {
            on_event(x, &ev);
            continue;
        }
        if (err.scope == H2F_SCOPE_NONE) {
            snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_next: %s", h2f_status_name(st));
            x->dead = 1;
            return;
        }
        tally_error(&x->t, err.code, err.scope, err.stream_id, err.offset, st, err.reason);
        if (err.scope == H2F_SCOPE_CONNECTION) {
            x->dead = 1; /* sticky (§5.4.1): nothing more is read */
            return;
        }
    }
    snprintf(x->t.harness, sizeof x->t.harness, "a million events from one frame");
    x->dead = 1;
}

static void feed(reader *x, const unit *u)
{
    size_t pos = 0, n;
    do {
        if (x->dead)
            return;
        n = x->chunk && u->len - pos > x->chunk ? x->chunk : u->len - pos;
        if (h2f_conn_feed(&x->c, u->p + pos, n) != H2F_OK) {
            snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_feed refused input");
            x->dead = 1;
            return;
        }
        drain(x);
        pos += n;
    } while (pos < u->len);
}

static int reader_init(reader *x, const recording *r, h2f_role role, int validate, int dir)
{
    h2f_conn_options o;
    memset(x, 0, sizeof *x);
    memset(&o, 0, sizeof o);
    o.role = role;
    /* an observer is told whose octets it reads (the MAX_CONCURRENT_STREAMS
     * it is told of limits that side's own streams, §5.1.2) */
    if (role == H2F_ROLE_OBSERVER)
        o.sender = dir == CLIENT ? H2F_SENDER_CLIENT : H2F_SENDER_SERVER;
    o.body = H2F_BODY_STREAM;
    o.validate_http = validate;
    o.hpack.max_table_size = r->max_table;
    o.hpack.max_header_list_size = 256u * 1024;
    o.hpack.max_string_len = 65536;
    o.max_concurrent_streams = r->max_concurrent;
    o.max_local_streams = r->max_concurrent;
    if (h2f_conn_init(&x->c, &o, NULL) != H2F_OK) {
        snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_init failed");
        x->dead = 1;
        return -1;
    }
    x->ready = 1;
    /* the client's upgraded request: stream 1, sent whole in HTTP/1.1 */
    if (role == H2F_ROLE_CLIENT && r->upgraded &&
        h2f_conn_local_open(&x->c, 1, H2F_LOCAL_END_STREAM) != H2F_OK)
        snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_local_open(1) (the upgrade) failed");
    return 0;
}

static void reader_free(reader *x)
{
    if (x->ready)
        h2f_conn_free(&x->c);
    tally_free(&x->t);
}

/* Before reader x (reading direction `dir`) reads the ACK unit u: the
 * other side's matching SETTINGS become x's local settings. observer:
 * filtered as h2dump does (MAX_HEADER_LIST_SIZE is advisory, §6.5.2). */
static void before_ack(reader *x, const recording *r, int dir, int observer)
{
    const direction *other = &r->d[!dir];
    h2f_setting list[MAX_SETTINGS_ENTRIES];
    size_t i, n = 0;
    h2f_status st;
    if (x->acks >= other->nset) {
        x->acks++;
        return; /* an ACK of nothing: the reader decides (§6.5.3) */
    }
    for (i = 0; i < other->set[x->acks].n; i++) {
        h2f_setting e = other->set[x->acks].e[i];
        if (e.id == H2F_SETTINGS_MAX_CONCURRENT_STREAMS && e.value > r->max_concurrent)
            e.value = r->max_concurrent; /* see size_for */
        if (e.id == H2F_SETTINGS_HEADER_TABLE_SIZE && e.value > r->max_table)
            e.value = r->max_table;
        if (observer && e.id == H2F_SETTINGS_MAX_HEADER_LIST_SIZE)
            continue;
        list[n++] = e;
    }
    x->acks++;
    st = h2f_conn_local_settings(&x->c, list, n);
    if (st != H2F_OK && !x->t.harness[0])
        snprintf(x->t.harness, sizeof x->t.harness,
                 "h2f_conn_local_settings refused the %s's SETTINGS #%zu: %s", side_name[!dir],
                 x->acks, h2f_status_name(st));
}

/* Before reader x (reading the server's octets) reads its unit i: the
 * client's streams opened by then are declared (h2f_conn_local_open), and
 * the client role also learns of the client's RST_STREAMs sent by then
 * (h2f_conn_local_reset: the server's frames in flight on them are then
 * dropped, §5.4.2, and they stop counting against our limits). */
static void before_server_frame(reader *x, const recording *r, const client_list *cl, size_t i,
                                int observer)
{
    size_t bound = r->d[SERVER].seen[i];
    const direction *c = &r->d[CLIENT];
    while (x->next_open < cl->n && cl->v[x->next_open].unit < bound) {
        const client_stream *cs = &cl->v[x->next_open++];
        h2f_status st = h2f_conn_local_open(&x->c, cs->id, cs->flags);
        /* The observer role refuses local_open until the reader accepts
         * "the other direction opened this stream" (then the HEAD flag
         * reaches it); a GOAWAY from the server below this id refuses it
         * too (§6.8): the server then never answers it. */
        if (st != H2F_OK && !observer && st != H2F_ERR_INVALID_ARGUMENT && !x->t.harness[0])
            snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_local_open(%u): %s",
                     (unsigned)cs->id, h2f_status_name(st));
    }
    while (!observer && x->next_reset < c->nresets && c->resets[x->next_reset] < bound)
        /* INVALID_ARGUMENT: a stream the client reset before the server
         * could refer to it, never declared; nothing to forget */
        (void)h2f_conn_local_reset(&x->c, c->u[c->resets[x->next_reset++]].stream);
}

/* Before reader x (reading the client's octets) reads its unit i: the
 * streams the server promised by then are declared, as a server does when
 * it sends PUSH_PROMISE (h2f_conn_local_open: "Server: we promised
 * stream_id"; the client may then send WINDOW_UPDATE, RST_STREAM and
 * PRIORITY on them, §5.1 reserved (remote), §8.4), and the server role
 * learns of the server's RST_STREAMs sent by then (h2f_conn_local_reset). */
static void before_client_frame(reader *x, const recording *r, size_t i, int observer)
{
    const direction *sv = &r->d[SERVER];
    size_t bound = r->d[CLIENT].seen[i];
    while (x->next_promise < sv->npromised && sv->promise_unit[x->next_promise] < bound) {
        h2f_status st = h2f_conn_local_open(&x->c, sv->promised[x->next_promise++], 0);
        if (st != H2F_OK && !observer && !x->t.harness[0])
            snprintf(x->t.harness, sizeof x->t.harness, "h2f_conn_local_open(%u) (a promise): %s",
                     (unsigned)sv->promised[x->next_promise - 1], h2f_status_name(st));
    }
    while (!observer && !no_replay && x->next_reset < sv->nresets &&
           sv->resets[x->next_reset] < bound)
        /* INVALID_ARGUMENT: a promised stream reset before the client could
         * refer to it (the reader does not keep promises' states) */
        (void)h2f_conn_local_reset(&x->c, sv->u[sv->resets[x->next_reset++]].stream);
}

/* ---- expectations ------------------------------------------------------------- */

typedef struct report {
    buf text; /* the lines under a FAIL */
    int fail;
} report;

static void rep(report *p, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_add(&p->text, "    ", 4);
    buf_add(&p->text, line, strlen(line));
    buf_add(&p->text, "\n", 1);
}

static void finish(report *p, const char *summary)
{
    last_fail = p->fail;
    if (quiet) {
        buf_free(&p->text);
        return;
    }
    if (p->fail)
        nfailed++;
    else
        npassed++;
    printf("%s %s\n", p->fail ? "FAIL" : "ok  ", summary);
    if (p->text.len)
        fwrite(p->text.p, 1, p->text.len, stdout);
    buf_free(&p->text);
}

/* "NAME_UPPERCASE, TE" for a set of H2F_HTTP_* bits */
static void problems_text(char *out, size_t cap, uint32_t problems)
{
    uint32_t bit;
    size_t o = 0;
    out[0] = 0;
    for (bit = 1; bit && problems; bit <<= 1)
        if (problems & bit) {
            problems &= ~bit;
            o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", o ? ", " : "",
                                  h2f_http_problem_name(bit));
            if (o >= cap)
                return;
        }
}

/* The errors of reader tally t (reading `sender`'s octets) against the
 * MANIFEST's violations. */
static void expect_errors(report *p, const recording *r, const tally *t, int sender, int validate,
                          const char *who)
{
    size_t i, j;
    int expected = 0;
    if (t->harness[0]) {
        p->fail = 1;
        rep(p, "%s: harness: %s", who, t->harness);
    }
    for (j = 0; j < r->nv; j++)
        if (r->v[j].sender == sender && (validate || !r->v[j].http_only))
            expected = 1;
    for (i = 0; i < t->nerr; i++) {
        const err_rec *e = &t->err[i];
        int ok = 0;
        for (j = 0; j < r->nv; j++)
            if (r->v[j].sender == sender && (validate || !r->v[j].http_only) &&
                r->v[j].code == e->code && r->v[j].scope == e->scope)
                ok = 1;
        if (!ok) {
            const stream_rec *s = e->stream ? stream_find(t, e->stream) : NULL;
            char probs[256];
            problems_text(probs, sizeof probs, s ? s->problems : 0);
            p->fail = 1;
            rep(p, "%s: %s %s (stream %u, offset %llu): %s%s%s%s", who, code_name(e->code),
                h2f_scope_name(e->scope), (unsigned)e->stream, (unsigned long long)e->offset,
                e->reason, probs[0] ? " [" : "", probs, probs[0] ? "]" : "");
        }
    }
    if (t->nerr_total > t->nerr)
        rep(p, "%s: ... %zu errors in all", who, t->nerr_total);
    if (expected) {
        for (j = 0; j < r->nv; j++) {
            int seen = 0;
            if (r->v[j].sender != sender || (!validate && r->v[j].http_only))
                continue;
            for (i = 0; i < t->nerr; i++)
                if (t->err[i].code == r->v[j].code && t->err[i].scope == r->v[j].scope)
                    seen = 1;
            if (!seen) {
                p->fail = 1;
                rep(p, "%s: the MANIFEST's violation %s (%s %s) was not reported", who,
                    r->v[j].rule, code_name(r->v[j].code), h2f_scope_name(r->v[j].scope));
            }
        }
    }
}

static void describe(char *out, size_t cap, const tally *t)
{
    snprintf(out, cap,
             "%zu streams, %zu fields, %zu body octets, %zu END_STREAM, %zu RST_STREAM "
             "(+%zu after the end), %zu GOAWAY, %zu errors",
             t->n, t->fields, t->body, t->ends[H2F_END_STREAM], t->ends[H2F_END_RESET],
             t->resets_after_end, t->ends[H2F_END_GOAWAY], t->nerr_total);
}

/* ---- the three roles ------------------------------------------------------------- */

static void client_streams(const recording *r, const tally *obs_client, client_list *cl)
{
    const direction *d = &r->d[CLIENT];
    uint32_t last = 0;
    size_t i;
    memset(cl, 0, sizeof *cl);
    /* §5.1.1: the client opens a stream with HEADERS on a new odd id */
    for (i = 0; i < d->nu; i++) {
        const unit *u = &d->u[i];
        const stream_rec *s;
        if (!u->is_frame || u->type != H2F_HEADERS || !(u->stream & 1) || u->stream <= last)
            continue;
        last = u->stream;
        cl->v = xrealloc(cl->v, (cl->n + 1) * sizeof *cl->v);
        cl->v[cl->n].id = u->stream;
        cl->v[cl->n].unit = i;
        cl->v[cl->n].flags = 0;
        s = stream_find(obs_client, u->stream);
        if (s && s->req_end)
            cl->v[cl->n].flags |= H2F_LOCAL_END_STREAM;
        if (s && s->head)
            cl->v[cl->n].flags |= H2F_LOCAL_HEAD;
        cl->n++;
    }
}

static void run_direction(reader *x, const recording *r, int dir, int observer,
                          const client_list *cl)
{
    size_t i;
    for (i = 0; i < r->d[dir].nu && !x->dead; i++) {
        const unit *u = &r->d[dir].u[i];
        if (is_ack(u))
            before_ack(x, r, dir, observer);
        if (dir == SERVER && cl)
            before_server_frame(x, r, cl, i, observer);
        if (dir == CLIENT)
            before_client_frame(x, r, i, observer);
        feed(x, u);
    }
}

static const char *onoff(int v) { return v ? "http=on " : "http=off"; }

/* What the client opened, learnt from an observer of its octets (no HTTP
 * checks: a malformed request still opened its stream). */
static void learn_client_streams(const recording *r, client_list *cl)
{
    reader x;
    if (reader_init(&x, r, H2F_ROLE_OBSERVER, 0, CLIENT) == 0)
        run_direction(&x, r, CLIENT, 1, NULL);
    client_streams(r, &x.t, cl);
    reader_free(&x);
}

static void check_observer(const recording *r, int validate, const client_list *cl)
{
    reader x[2];
    report p;
    char line[1024], a[256], b[256];
    int d;
    memset(&p, 0, sizeof p);
    for (d = 0; d < 2; d++) {
        if (reader_init(&x[d], r, H2F_ROLE_OBSERVER, validate, d) == 0)
            run_direction(&x[d], r, d, 1, d == SERVER ? cl : NULL);
        expect_errors(&p, r, &x[d].t, d, validate, dir_name[d]);
    }
    describe(a, sizeof a, &x[0].t);
    describe(b, sizeof b, &x[1].t);
    snprintf(line, sizeof line, "%-22s observer %s C->S: %s; S->C: %s", r->name, onoff(validate), a,
             b);
    finish(&p, line);
    reader_free(&x[0]);
    reader_free(&x[1]);
}

static void compare_tallies(report *p, const tally *a, const tally *b, const char *an,
                            const char *bn, int vs_nghttp2);

/* server (reads the client's octets) or client (the server's); the tally
 * is kept for the differential when keep is not NULL. The same octets are
 * also read as a socket would hand them over, 997 octets at a time (frames
 * cut anywhere, DATA in pieces): the streams must come out the same. */
static void check_endpoint(const recording *r, int role_side, int validate, const client_list *cl,
                           reader *keep)
{
    reader x, y;
    report p;
    char line[1024], a[256];
    int dir = role_side == SERVER ? CLIENT : SERVER;
    h2f_role role = role_side == SERVER ? H2F_ROLE_SERVER : H2F_ROLE_CLIENT;
    memset(&p, 0, sizeof p);
    if (reader_init(&x, r, role, validate, -1) == 0)
        run_direction(&x, r, dir, 0, dir == SERVER ? cl : NULL);
    expect_errors(&p, r, &x.t, dir, validate, role_side == SERVER ? "server" : "client");
    if (reader_init(&y, r, role, validate, -1) == 0) {
        y.chunk = 997;
        run_direction(&y, r, dir, 0, dir == SERVER ? cl : NULL);
    }
    if (y.t.harness[0]) {
        p.fail = 1;
        rep(&p, "997-octet reads: harness: %s", y.t.harness);
    }
    compare_tallies(&p, &x.t, &y.t, "whole frames", "997-octet reads", 0);
    if (x.t.nerr_total != y.t.nerr_total) {
        p.fail = 1;
        rep(&p, "errors: whole frames %zu, 997-octet reads %zu", x.t.nerr_total, y.t.nerr_total);
    }
    reader_free(&y);
    describe(a, sizeof a, &x.t);
    snprintf(line, sizeof line, "%-22s %s   %s %s", r->name, side_name[role_side], onoff(validate),
             a);
    finish(&p, line);
    if (keep)
        *keep = x;
    else
        reader_free(&x);
}

/* ---- libnghttp2's server session ------------------------------------------------- */

typedef struct ng {
    nghttp2_session *s;
    tally t;
    size_t skipped; /* the client's frames on streams the server promised */
    char lib_errors[512];
} ng;

static int ng_begin_headers(nghttp2_session *s, const nghttp2_frame *f, void *u)
{
    ng *g = u;
    stream_rec *r;
    if (f->hd.type != NGHTTP2_HEADERS)
        return 0;
    r = stream_get(&g->t, f->hd.stream_id);
    r->block_open = 0;
    block_field(r, f->headers.cat == NGHTTP2_HCAT_REQUEST ? 'R' : 'T', NULL, 0, NULL, 0);
    if (f->headers.cat == NGHTTP2_HCAT_REQUEST)
        /* the stream's receive window as large as it goes (top of file) */
        nghttp2_session_set_local_window_size(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, 0x7fffffff);
    return 0;
}

static int ng_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name, size_t nlen,
                     const uint8_t *value, size_t vlen, uint8_t flags, void *u)
{
    ng *g = u;
    stream_rec *r = stream_get(&g->t, f->hd.stream_id);
    (void)s;
    (void)flags;
    g->t.fields++;
    block_field(r, 'R', name, nlen, value, vlen);
    return 0;
}

static int ng_data(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *d, size_t n,
                   void *u)
{
    ng *g = u;
    stream_rec *r = stream_get(&g->t, (uint32_t)id);
    (void)s;
    (void)flags;
    buf_add(&r->body, d, n);
    g->t.body += n;
    return 0;
}

static void ng_respond(nghttp2_session *s, int32_t id)
{
    static const nghttp2_nv status = {(uint8_t *)":status", (uint8_t *)"200", 7, 3,
                                      NGHTTP2_NV_FLAG_NONE};
    /* fails harmlessly on a stream nghttp2 already reset */
    nghttp2_submit_response(s, id, &status, 1, NULL);
}

static int ng_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *u)
{
    ng *g = u;
    stream_rec *r;
    switch (f->hd.type) {
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA:
        r = stream_get(&g->t, f->hd.stream_id);
        r->block_open = 0;
        if (f->hd.flags & NGHTTP2_FLAG_END_STREAM) {
            r->ended = 1;
            g->t.ends[H2F_END_STREAM]++;
            ng_respond(s, f->hd.stream_id);
        }
        break;
    case NGHTTP2_RST_STREAM:
        r = stream_get(&g->t, f->hd.stream_id);
        if (r->local_reset)
            break; /* crossed ours: h2f_conn drops it too (§5.4.2) */
        r->reset = 1;
        r->reset_code = f->rst_stream.error_code;
        r->nresets++;
        g->t.ends[H2F_END_RESET]++;
        break;
    default:
        break;
    }
    return 0;
}

static int ng_frame_send(nghttp2_session *s, const nghttp2_frame *f, void *u)
{
    ng *g = u;
    (void)s;
    /* what nghttp2 says back: RST_STREAM is its stream error, GOAWAY with
     * an error code its connection error */
    if (f->hd.type == NGHTTP2_RST_STREAM && stream_find(&g->t, f->hd.stream_id) &&
        stream_find(&g->t, f->hd.stream_id)->local_reset)
        return 0; /* the real server's RST_STREAM, replayed */
    if (f->hd.type == NGHTTP2_RST_STREAM)
        tally_error(&g->t, f->rst_stream.error_code, H2F_SCOPE_STREAM, f->hd.stream_id, 0,
                    H2F_ERR_PROTOCOL, "nghttp2 sent RST_STREAM");
    if (f->hd.type == NGHTTP2_GOAWAY && f->goaway.error_code != NGHTTP2_NO_ERROR)
        tally_error(&g->t, f->goaway.error_code, H2F_SCOPE_CONNECTION, 0, 0, H2F_ERR_PROTOCOL,
                    g->lib_errors[0] ? g->lib_errors : "nghttp2 sent GOAWAY");
    return 0;
}

static int ng_invalid(nghttp2_session *s, const nghttp2_frame *f, int lib_error, void *u)
{
    ng *g = u;
    size_t n = strlen(g->lib_errors);
    (void)s;
    if (n < sizeof g->lib_errors - 80)
        snprintf(g->lib_errors + n, sizeof g->lib_errors - n, "%s%s on stream %d", n ? "; " : "",
                 nghttp2_strerror(lib_error), (int)f->hd.stream_id);
    return 0;
}

static int ng_drain(ng *g)
{
    for (;;) {
        const uint8_t *out;
        ssize_t n = nghttp2_session_mem_send(g->s, &out);
        if (n < 0) {
            snprintf(g->t.harness, sizeof g->t.harness, "nghttp2_session_mem_send: %s",
                     nghttp2_strerror((int)n));
            return -1;
        }
        if (n == 0)
            return 0;
    }
}

static int ng_settings(ng *g, const settings *st)
{
    nghttp2_settings_entry iv[MAX_SETTINGS_ENTRIES];
    size_t i, n = 0;
    int rv;
    for (i = 0; i < st->n; i++) {
        /* flow control: see the top of the file */
        if (st->e[i].id == NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE)
            continue;
        iv[n].settings_id = st->e[i].id;
        iv[n].value = st->e[i].value;
        n++;
    }
    rv = nghttp2_submit_settings(g->s, NGHTTP2_FLAG_NONE, iv, n);
    if (rv != 0) {
        snprintf(g->t.harness, sizeof g->t.harness, "nghttp2_submit_settings: %s",
                 nghttp2_strerror(rv));
        return -1;
    }
    return ng_drain(g);
}

static void run_nghttp2(ng *g, const recording *r, int http)
{
    nghttp2_session_callbacks *cb;
    nghttp2_option *opt;
    const direction *c = &r->d[CLIENT];
    size_t i, acks = 0, next_reset = 0;
    memset(g, 0, sizeof *g);
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, ng_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cb, ng_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, ng_data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, ng_frame_recv);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, ng_frame_send);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(cb, ng_invalid);
    nghttp2_option_new(&opt);
    nghttp2_option_set_no_http_messaging(opt, !http);
    /* Rapid Reset's guard in nghttp2 counts by the clock; a recording read
     * at once must not depend on how fast this machine is */
    nghttp2_option_set_stream_reset_rate_limit(opt, 1u << 30, 1u << 30);
    if (nghttp2_session_server_new2(&g->s, cb, g, opt) != 0) {
        snprintf(g->t.harness, sizeof g->t.harness, "nghttp2_session_server_new2 failed");
        goto out;
    }
    nghttp2_session_set_local_window_size(g->s, NGHTTP2_FLAG_NONE, 0, 0x7fffffff);
    /* the server's first SETTINGS is its preface (§3.4); later ones go out
     * just before the client's ACK of them, as for h2f_conn */
    if (r->d[SERVER].nset && ng_settings(g, &r->d[SERVER].set[0]) != 0)
        goto out;
    for (i = 0; i < c->nu; i++) {
        const unit *u = &c->u[i];
        const direction *sv = &r->d[SERVER];
        ssize_t n;
        /* the real server's RST_STREAMs, as for h2f_conn (before_client_frame) */
        while (!no_replay && next_reset < sv->nresets && sv->resets[next_reset] < c->seen[i]) {
            const unit *rs = &sv->u[sv->resets[next_reset++]];
            stream_get(&g->t, rs->stream)->local_reset = 1;
            nghttp2_submit_rst_stream(g->s, NGHTTP2_FLAG_NONE, (int32_t)rs->stream, rd32(rs->p + 9));
            if (ng_drain(g) != 0)
                goto out;
        }
        if (is_ack(u)) {
            if (acks >= 1 && acks < r->d[SERVER].nset && ng_settings(g, &r->d[SERVER].set[acks]) != 0)
                goto out;
            acks++;
        }
        /* Pushes: nghttp2 would have to have promised these streams
         * itself, before its answer on the associated stream, which it
         * gives at once (top of file); so the client's frames on them
         * (WINDOW_UPDATE, RST_STREAM, PRIORITY: no HPACK state) are not
         * given to it, and promised streams are not compared. */
        if (u->is_frame && u->stream && !(u->stream & 1) && r->d[SERVER].npromised) {
            g->skipped++;
            continue;
        }
        if (u->is_frame && u->type == H2F_WINDOW_UPDATE && u->len == 13) {
            /* A WINDOW_UPDATE grows the server's send window, which must
             * stay at most 2^31-1 (RFC 9113 §6.9.1): the real server's,
             * which had sent the body the client gives credit back for.
             * nghttp2 here sends no body (it answers at once, top of
             * file), so the same credit could take its window past the
             * limit where the real one was not (haproxy gives back all
             * but what it received in one increment): it gets the credit
             * its window can take. Not a check of h2f_conn, which keeps
             * no send windows. */
            uint8_t wu[13];
            int32_t room = u->stream ? nghttp2_session_get_stream_remote_window_size(g->s, (int32_t)u->stream)
                                     : nghttp2_session_get_remote_window_size(g->s);
            uint32_t inc = rd32(u->p + 9) & 0x7fffffffu;
            if (room >= 0 && inc > 0 && (uint64_t)room + inc > 0x7fffffffu) {
                memcpy(wu, u->p, sizeof wu);
                inc = 0x7fffffffu - (uint32_t)room;
                if (inc == 0) {
                    g->skipped++;
                    continue;
                }
                wu[9] = (uint8_t)(inc >> 24);
                wu[10] = (uint8_t)(inc >> 16);
                wu[11] = (uint8_t)(inc >> 8);
                wu[12] = (uint8_t)inc;
                n = nghttp2_session_mem_recv(g->s, wu, sizeof wu);
                goto fed;
            }
        }
        n = nghttp2_session_mem_recv(g->s, u->p, u->len);
    fed:
        if (n < 0) {
            /* fatal to nghttp2 (a bad preface, a flood): a connection error */
            tally_error(&g->t, n == NGHTTP2_ERR_BAD_CLIENT_MAGIC ? H2F_PROTOCOL_ERROR
                                                                  : H2F_INTERNAL_ERROR,
                        H2F_SCOPE_CONNECTION, 0, 0, H2F_ERR_PROTOCOL, nghttp2_strerror((int)n));
            break;
        }
        if (ng_drain(g) != 0)
            goto out;
        if (g->t.conn_error)
            break;
    }
out:
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
}

static void ng_free(ng *g)
{
    if (g->s)
        nghttp2_session_del(g->s);
    tally_free(&g->t);
}

/* ---- comparing two tallies ---------------------------------------------------------- */

static void show_octets(char *out, size_t cap, const uint8_t *p, size_t n)
{
    size_t i, o = 0;
    for (i = 0; i < n && o + 8 < cap; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            out[o++] = (char)p[i];
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", p[i]);
        if (o > 120) {
            o += (size_t)snprintf(out + o, cap - o, "...(%zu octets)", n);
            break;
        }
    }
    out[o < cap ? o : cap - 1] = 0;
}

/* The first difference between two block records, in words (blocks and
 * fields counted from 1). */
static void diff_blocks(char *out, size_t cap, const buf *a, const buf *b, const char *an,
                        const char *bn)
{
    size_t pa = 0, pb = 0, block = 0, field = 0;
    for (;;) {
        char x[160], y[160];
        uint32_t l1, l2;
        if (pa >= a->len || pb >= b->len) {
            snprintf(out, cap, "%s has more blocks or fields after block %zu field %zu",
                     pa < a->len ? an : bn, block, field);
            return;
        }
        if (a->p[pa] != b->p[pb]) {
            /* a field against the start of a block, or two kinds of block
             * ('R' request, 'T' trailers, 'I' informational, 'P' promise) */
            if (a->p[pa] != 'F' && b->p[pb] != 'F')
                snprintf(out, cap, "block %zu: %s has a block of kind %c, %s of kind %c",
                         block + 1, an, a->p[pa], bn, b->p[pb]);
            else
                snprintf(out, cap, "block %zu field %zu: %s has %s, %s has %s", block,
                         field + 1, an, a->p[pa] == 'F' ? "a field" : "a new block", bn,
                         b->p[pb] == 'F' ? "a field" : "a new block");
            return;
        }
        if (a->p[pa] != 'F') {
            block++, field = 0, pa++, pb++;
            continue;
        }
        /* 'F' name value in both */
        {
            size_t sa = pa + 1, sb = pb + 1;
            const uint8_t *na, *nb, *va, *vb;
            uint32_t la, lb;
            l1 = rd32(a->p + sa), na = a->p + sa + 4, sa += 4 + l1;
            l2 = rd32(b->p + sb), nb = b->p + sb + 4, sb += 4 + l2;
            la = rd32(a->p + sa), va = a->p + sa + 4, sa += 4 + la;
            lb = rd32(b->p + sb), vb = b->p + sb + 4, sb += 4 + lb;
            if (l1 != l2 || la != lb || memcmp(na, nb, l1) || memcmp(va, vb, la)) {
                char n1[160], n2[160];
                show_octets(n1, sizeof n1, na, l1);
                show_octets(x, sizeof x, va, la);
                show_octets(n2, sizeof n2, nb, l2);
                show_octets(y, sizeof y, vb, lb);
                snprintf(out, cap, "block %zu field %zu: %s \"%s: %s\", %s \"%s: %s\"", block,
                         field + 1,
                         an, n1, x, bn, n2, y);
                return;
            }
            pa = sa, pb = sb, field++;
        }
    }
}

/* The differences between h2f_conn (x) and nghttp2 (y) that are explained:
 * where the RFC leaves the receiver a choice and the two choose
 * differently. Each must name the rule; anything else is a failure. */
static const char *explained(const stream_rec *x, const stream_rec *y)
{
    /* RFC 9113 §8.3.1: "A server SHOULD treat a request as malformed if it
     * contains a Host header field that identifies an entity that differs
     * from the entity in the ":authority" pseudo-header field." h2f_conn
     * does (H2F_HTTP_HOST_MISMATCH); nghttp2 1.52 does not compare them. */
    if (x->err && !y->err && x->err_code == H2F_PROTOCOL_ERROR &&
        x->problems == H2F_HTTP_HOST_MISMATCH)
        return "host differs from :authority, a SHOULD of RFC 9113 §8.3.1 nghttp2 does not apply";
    return NULL;
}

static void compare_tallies(report *p, const tally *a, const tally *b, const char *an,
                            const char *bn, int vs_nghttp2)
{
    size_t i, ndiff = 0;
    const err_rec *ca = NULL, *cb = NULL;
    for (i = 0; i < a->nerr; i++)
        if (a->err[i].scope == H2F_SCOPE_CONNECTION && !ca)
            ca = &a->err[i];
    for (i = 0; i < b->nerr; i++)
        if (b->err[i].scope == H2F_SCOPE_CONNECTION && !cb)
            cb = &b->err[i];
    if (ca || cb) {
        /* after a connection error each stops where it stopped: only the
         * error itself is compared */
        if (!ca || !cb || ca->code != cb->code) {
            p->fail = 1;
            rep(p, "connection error: %s %s (%s), %s %s (%s)", an, ca ? code_name(ca->code) : "none",
                ca ? ca->reason : "", bn, cb ? code_name(cb->code) : "none", cb ? cb->reason : "");
        }
        return;
    }
    for (i = 0; i < a->n + b->n && ndiff < MAX_DIFFS; i++) {
        const stream_rec *x = i < a->n ? &a->s[i] : stream_find(a, b->s[i - a->n].id);
        const stream_rec *y = i < a->n ? stream_find(b, a->s[i].id) : &b->s[i - a->n];
        uint32_t id = x ? x->id : y->id;
        char what[2048];
        static const stream_rec none;
        if (i >= a->n && x)
            continue; /* compared in the first half */
        if (vs_nghttp2 && !(id & 1))
            continue; /* a stream the server promised (run_nghttp2) */
        if (!x)
            x = &none;
        if (!y)
            y = &none;
        what[0] = 0;
        if (x->err || y->err) {
            /* the same stream error: what each gave of the stream before it
             * differs by design (h2f_conn reports every problem of a block
             * before the error, nghttp2 stops at the first) */
            const char *why = vs_nghttp2 ? explained(x, y) : NULL;
            if (why) {
                rep(p, "stream %u: h2frame %s, nghttp2 no error: explained: %s", (unsigned)id,
                    code_name(x->err_code), why);
            } else if (!x->err || !y->err || x->err_code != y->err_code) {
                snprintf(what, sizeof what, "stream error: %s %s, %s %s", an,
                         x->err ? code_name(x->err_code) : "none", bn,
                         y->err ? code_name(y->err_code) : "none");
            }
        } else if (x->blocks.len != y->blocks.len ||
                   (x->blocks.len && memcmp(x->blocks.p, y->blocks.p, x->blocks.len))) {
            diff_blocks(what, sizeof what, &x->blocks, &y->blocks, an, bn);
        } else if (x->body.len != y->body.len ||
                   (x->body.len && memcmp(x->body.p, y->body.p, x->body.len))) {
            size_t k = 0;
            while (k < x->body.len && k < y->body.len && x->body.p[k] == y->body.p[k])
                k++;
            snprintf(what, sizeof what, "body: %s %zu octets, %s %zu, first difference at %zu", an,
                     x->body.len, bn, y->body.len, k);
        } else if (x->ended != y->ended) {
            snprintf(what, sizeof what, "END_STREAM: %s %s, %s %s", an, x->ended ? "yes" : "no", bn,
                     y->ended ? "yes" : "no");
        } else if (x->reset != y->reset || (x->reset && x->reset_code != y->reset_code)) {
            snprintf(what, sizeof what, "the client's RST_STREAM: %s %s, %s %s", an,
                     x->reset ? code_name(x->reset_code) : "none", bn,
                     y->reset ? code_name(y->reset_code) : "none");
        }
        if (what[0]) {
            p->fail = 1;
            ndiff++;
            rep(p, "stream %u: %s", (unsigned)id, what);
        }
    }
    if (ndiff == MAX_DIFFS)
        rep(p, "(more differences not shown)");
}

/* --selftest: one way to alter a tally (1..NMUTATIONS) */
#define NMUTATIONS 5
static void mutate(tally *t, int how)
{
    size_t i;
    stream_rec *s = NULL;
    for (i = 0; i < t->n && !s; i++)
        if (t->s[i].blocks.len && (how != 1 || t->s[i].body.len) && (how != 4 || !t->s[i].reset))
            s = &t->s[i];
    if (!s) {
        mutation_missed = how;
        return;
    }
    switch (how) {
    case 1: s->body.p[s->body.len / 2] ^= 0x01; break;          /* a body octet */
    case 2: s->blocks.p[s->blocks.len - 1] ^= 0x01; break;      /* a header value */
    case 3: s->ended = !s->ended; break;                        /* END_STREAM */
    case 4: s->reset = 1; s->reset_code = H2F_CANCEL; break;    /* a reset */
    default:                                                    /* a stream error */
        tally_error(t, H2F_PROTOCOL_ERROR, H2F_SCOPE_STREAM, s->id, 0, H2F_ERR_PROTOCOL, "selftest");
        break;
    }
}

static void check_nghttp2(const recording *r, int validate, const tally *h2f)
{
    ng g;
    report p;
    char line[1024], a[256];
    memset(&p, 0, sizeof p);
    run_nghttp2(&g, r, validate);
    if (g.t.harness[0]) {
        p.fail = 1;
        rep(&p, "harness: %s", g.t.harness);
    } else {
        if (ng_mutation)
            mutate(&g.t, ng_mutation);
        compare_tallies(&p, h2f, &g.t, "h2frame", "nghttp2", 1);
    }
    if (g.lib_errors[0] && (p.fail || verbose))
        rep(&p, "nghttp2 said: %s", g.lib_errors);
    describe(a, sizeof a, &g.t);
    if (g.skipped)
        snprintf(a + strlen(a), sizeof a - strlen(a), "; %zu frames on promised streams left out",
                 g.skipped);
    snprintf(line, sizeof line, "%-22s nghttp2  %s %s", r->name, onoff(validate), a);
    finish(&p, line);
    ng_free(&g);
}

/* ---- --selftest: the checks can fail ------------------------------------------------ */

static void must_fail(report *p, int *tried, const char *what)
{
    (*tried)++;
    if (!last_fail) {
        p->fail = 1;
        rep(p, "selftest: %s went unnoticed", what);
    }
}

static uint8_t *first_headers(recording *r, int side)
{
    size_t i;
    for (i = 0; i < r->d[side].nu; i++)
        if (r->d[side].u[i].is_frame && r->d[side].u[i].type == H2F_HEADERS)
            return r->d[side].data.p + (r->d[side].u[i].p - r->d[side].data.p);
    return NULL;
}

/* A connection made here, not recorded: the server allows 2 concurrent
 * streams and resets each of the client's 6 requests (none of which the
 * client ends: a stream the client keeps sending on), then PINGs; the
 * client answers each PING before opening the next stream, so it knew of
 * each reset. Read right, the server role sees no error; with the resets
 * not replayed it must report REFUSED_STREAM (§5.1.2), which shows both
 * that the replay works and that the check sees it when it does not. */
static void frame_out(buf *b, uint8_t type, uint8_t flags, uint32_t stream, const void *p,
                      size_t n)
{
    uint8_t hd[9] = {(uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n, type, flags,
                     (uint8_t)(stream >> 24), (uint8_t)(stream >> 16), (uint8_t)(stream >> 8),
                     (uint8_t)stream};
    buf_add(b, hd, 9);
    buf_add(b, p, n);
}

static void selftest_replay(void)
{
    recording *r = calloc(1, sizeof *r);
    /* RFC 7541 Appendix A: 0x83 :method POST, 0x86 :scheme http, 0x84
     * :path /, 0x41 0x01 'x' :authority x (literal, indexed name); 0x88
     * :status 200 */
    static const uint8_t req[] = {0x83, 0x86, 0x84, 0x41, 0x01, 'x'}, resp[] = {0x88};
    static const uint8_t two[] = {0, 3, 0, 0, 0, 2}, cancel[] = {0, 0, 0, 8};
    client_list cl;
    report p;
    reader srv;
    uint32_t id;
    int tried = 0;
    char line[256];
    if (!r)
        exit(2);
    memset(&p, 0, sizeof p);
    snprintf(r->name, sizeof r->name, "(made: resets)");
    buf_add(&r->d[CLIENT].data, H2F_PREFACE, H2F_PREFACE_LEN);
    frame_out(&r->d[CLIENT].data, H2F_SETTINGS, 0, 0, NULL, 0);
    frame_out(&r->d[CLIENT].data, H2F_SETTINGS, H2F_FLAG_ACK, 0, NULL, 0);
    frame_out(&r->d[SERVER].data, H2F_SETTINGS, 0, 0, two, sizeof two);
    frame_out(&r->d[SERVER].data, H2F_SETTINGS, H2F_FLAG_ACK, 0, NULL, 0);
    for (id = 1; id <= 11; id += 2) {
        uint8_t ping[8] = {0, 0, 0, 0, 0, 0, 0, (uint8_t)id};
        frame_out(&r->d[CLIENT].data, H2F_HEADERS, H2F_FLAG_END_HEADERS, id, req, sizeof req);
        frame_out(&r->d[CLIENT].data, H2F_DATA, 0, id, "abc", 3);
        frame_out(&r->d[SERVER].data, H2F_HEADERS, H2F_FLAG_END_HEADERS, id, resp, sizeof resp);
        frame_out(&r->d[SERVER].data, H2F_RST_STREAM, 0, id, cancel, sizeof cancel);
        frame_out(&r->d[SERVER].data, H2F_PING, 0, 0, ping, 8);
        frame_out(&r->d[CLIENT].data, H2F_PING, H2F_FLAG_ACK, 0, ping, 8);
    }
    split_units(&r->d[CLIENT], CLIENT);
    split_units(&r->d[SERVER], SERVER);
    compute_seen(r);
    size_for(r);
    quiet = 1;
    learn_client_streams(r, &cl);
    check_endpoint(r, SERVER, 1, &cl, &srv);
    if (last_fail)
        rep(&p, "selftest: the resets replayed, the server role fails"), p.fail = 1;
    check_nghttp2(r, 1, &srv.t);
    if (last_fail)
        rep(&p, "selftest: the resets replayed, nghttp2 and h2frame differ"), p.fail = 1;
    reader_free(&srv);
    no_replay = 1;
    check_endpoint(r, SERVER, 1, &cl, NULL);
    must_fail(&p, &tried, "REFUSED_STREAM with the resets not replayed (server role)");
    check_endpoint(r, SERVER, 1, &cl, &srv);
    check_nghttp2(r, 1, &srv.t);
    reader_free(&srv);
    no_replay = 0;
    quiet = 0;
    snprintf(line, sizeof line, "%-22s selftest: the server's resets replayed: %s", r->name,
             p.fail ? "FAILED" : "no error; not replayed: caught");
    finish(&p, line);
    free(cl.v);
    free_recording(r);
    free(r);
}

static void selftest(const char *path)
{
    recording *r = calloc(1, sizeof *r);
    const char *base = strrchr(path, '/');
    client_list cl;
    report p;
    reader srv;
    uint8_t *h, save[4];
    int tried = 0, m, v;
    char line[512];
    memset(&p, 0, sizeof p);
    if (!r || load_recording(r, path, base ? base + 1 : path) != 0) {
        printf("FAIL selftest: cannot read %s\n", path);
        nfailed++;
        free(r);
        return;
    }
    quiet = 1;
    learn_client_streams(r, &cl);
    /* 0. the recording itself passes (else the rest proves nothing) */
    for (v = 0; v <= 1; v++) {
        check_observer(r, v, &cl);
        check_endpoint(r, SERVER, v, &cl, NULL);
        check_endpoint(r, CLIENT, v, &cl, NULL);
        if (last_fail)
            rep(&p, "selftest: %s does not pass as it is", r->name), p.fail = 1;
    }
    /* 1. a violation the MANIFEST names but the octets do not have */
    r->nv = 1;
    r->v[0].sender = CLIENT;
    r->v[0].code = H2F_PROTOCOL_ERROR;
    r->v[0].scope = H2F_SCOPE_STREAM;
    snprintf(r->v[0].rule, sizeof r->v[0].rule, "selftest");
    check_observer(r, 0, &cl);
    must_fail(&p, &tried, "a missing client violation (observer)");
    check_endpoint(r, SERVER, 0, &cl, NULL);
    must_fail(&p, &tried, "a missing client violation (server)");
    r->v[0].sender = SERVER;
    check_endpoint(r, CLIENT, 0, &cl, NULL);
    must_fail(&p, &tried, "a missing server violation (client)");
    r->nv = 0;
    /* 2. nghttp2's results altered one way at a time */
    check_endpoint(r, SERVER, 1, &cl, &srv);
    for (m = 1; m <= NMUTATIONS; m++) {
        static const char *const what[] = {"", "a body octet", "a header value", "END_STREAM",
                                           "a reset", "a stream error"};
        ng_mutation = m;
        mutation_missed = 0;
        check_nghttp2(r, 1, &srv.t);
        if (mutation_missed) {
            p.fail = 1;
            rep(&p, "selftest: %s has nothing to alter for %s", r->name, what[m]);
        } else {
            must_fail(&p, &tried, what[m]);
        }
    }
    ng_mutation = 0;
    reader_free(&srv);
    /* 3. octets altered: the client's first HEADERS on an even stream
     * (§5.1.1: PROTOCOL_ERROR), the server's first HEADERS on a stream the
     * client never opened (§5.1: idle) */
    if ((h = first_headers(r, CLIENT)) != NULL) {
        h[8] ^= 0x01;
        check_endpoint(r, SERVER, 0, &cl, NULL);
        must_fail(&p, &tried, "a client HEADERS on an even stream");
        h[8] ^= 0x01;
    }
    if ((h = first_headers(r, SERVER)) != NULL) {
        memcpy(save, h + 5, 4);
        memcpy(h + 5, "\x7f\xff\xff\xf1", 4);
        check_endpoint(r, CLIENT, 0, &cl, NULL);
        must_fail(&p, &tried, "a server HEADERS on a stream the client never opened");
        memcpy(h + 5, save, 4);
    }
    quiet = 0;
    snprintf(line, sizeof line, "%-22s selftest: %d altered expectations, results and octets %s",
             r->name, tried, p.fail ? "not all caught" : "all caught");
    finish(&p, line);
    free(cl.v);
    free_recording(r);
    free(r);
}

/* ---- main --------------------------------------------------------------------------- */

static void check_recording(recording *r)
{
    int v;
    client_list cl;
    if (r->bad_manifest[0]) {
        report p;
        memset(&p, 0, sizeof p);
        p.fail = 1;
        rep(&p, "MANIFEST: cannot read violation=%s (SECTION:SENDER:CODE:SCOPE[:http])",
            r->bad_manifest);
        finish(&p, r->name);
        return;
    }
    learn_client_streams(r, &cl);
    if (verbose)
        printf("     %s: the client opened %zu streams\n", r->name, cl.n);
    for (v = 0; v <= 1; v++) {
        reader srv;
        check_observer(r, v, &cl);
        check_endpoint(r, SERVER, v, &cl, &srv);
        check_endpoint(r, CLIENT, v, &cl, NULL);
        check_nghttp2(r, v, &srv.t);
        reader_free(&srv);
    }
    free(cl.v);
}

/* The next token of *p separated by blanks (strtok_r is not C11). */
static char *next_tok(char **p)
{
    char *t = *p + strspn(*p, " \t\r\n");
    if (!*t)
        return NULL;
    *p = t + strcspn(t, " \t\r\n");
    if (**p)
        *(*p)++ = 0;
    return t;
}

static int run_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096], dir[512];
    const char *slash = strrchr(path, '/');
    int any = 0;
    if (!f) {
        fprintf(stderr, "check_conn: cannot read %s\n", path);
        nfailed++;
        return -1;
    }
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    while (fgets(line, sizeof line, f)) {
        char *tok, *save = line, *name;
        char full[1024];
        recording *r;
        size_t k = strspn(line, " \t");
        if (line[k] == '#' || line[k] == '\n' || line[k] == 0)
            continue;
        name = next_tok(&save);
        if (!name)
            continue;
        r = calloc(1, sizeof *r);
        if (!r)
            exit(2);
        snprintf(full, sizeof full, "%s/%s", dir, name);
        if (load_recording(r, full, name) != 0) {
            printf("FAIL %s: the MANIFEST names it, its files are missing\n", name);
            nfailed++;
            free_recording(r);
            free(r);
            continue;
        }
        while ((tok = next_tok(&save)) != NULL) {
            if (strncmp(tok, "violation=", 10) != 0)
                continue;
            if (r->nv == MAX_VIOLATIONS || parse_violation(tok + 10, &r->v[r->nv]) != 0)
                snprintf(r->bad_manifest, sizeof r->bad_manifest, "%s", tok + 10);
            else
                r->nv++;
        }
        check_recording(r);
        free_recording(r);
        free(r);
        any = 1;
    }
    fclose(f);
    if (!any)
        printf("     %s lists no recording yet\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t n = strlen(a);
        if (strcmp(a, "-v") == 0) {
            verbose = 1;
        } else if (strcmp(a, "--selftest") == 0 && i + 1 < argc) {
            selftest(argv[++i]);
            selftest_replay();
        } else if (n >= 8 && strcmp(a + n - 8, "MANIFEST") == 0) {
            run_manifest(a);
        } else {
            recording *r = calloc(1, sizeof *r);
            const char *base = strrchr(a, '/');
            if (!r)
                return 2;
            if (load_recording(r, a, base ? base + 1 : a) != 0) {
                printf("FAIL %s: cannot read its files\n", a);
                nfailed++;
            } else {
                check_recording(r);
            }
            free_recording(r);
            free(r);
        }
    }
    printf("%d passed, %d failed\n", npassed, nfailed);
    return nfailed ? 1 : 0;
}
