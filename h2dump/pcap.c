/*
 * Captures: pcap and pcapng files of cleartext HTTP/2 (h2c).
 *
 *   file      pcap (tcpdump's format: 24-octet header, 16-octet record
 *             headers, either byte order, µs or ns) or pcapng (blocks:
 *             Section Header, Interface Description, Enhanced/Simple/
 *             obsolete Packet), draft-ietf-opsawg-pcap / -pcapng
 *   link      Ethernet (with 802.1Q tags), Linux cooked (SLL, SLL2),
 *             BSD loopback (NULL, LOOP), raw IP
 *   network   IPv4 (fragments are not reassembled: reported), IPv6 (with
 *             extension headers)
 *   TCP       per connection and direction, in sequence-number order
 *             (RFC 9293 §3.4): retransmitted octets dropped, segments that
 *             arrive early held until the gap before them fills, a gap that
 *             never fills reported (the rest of that direction cannot be
 *             framed, so it is not decoded)
 *   HTTP/2    a connection is h2c if the client starts with the preface
 *             (prior knowledge, RFC 9113 §3.3), or sends an HTTP/1.1
 *             request with "Upgrade: h2c" that the server answers with
 *             101 Switching Protocols (RFC 7540 §3.2); or if the server's
 *             first octets are a SETTINGS frame (a capture that missed the
 *             client's first segment) — whatever the port; or if it is on
 *             the port --port names (the server's side); or, with --mid,
 *             if the capture missed its start and h2f_frame_resync finds
 *             frames in one direction
 *
 * Everything is bounded: connections followed at once, segments and octets
 * held out of order per direction, octets held while deciding what a
 * connection is.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_CONNS 1024
#define MAX_OOO_SEGS 256
#define MAX_OOO_BYTES (4u << 20)
#define MAX_DETECT (64u * 1024)
#define MAX_IFACES 64

/* ---- reading integers ---------------------------------------------------- */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t rd32(const uint8_t *p, int swap)
{
    return swap ? be32(p) : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static uint16_t rd16(const uint8_t *p, int swap)
{
    return swap ? be16(p) : (uint16_t)(p[1] << 8 | p[0]);
}

int h2d_is_capture(const uint8_t *p, size_t n)
{
    uint32_t m;
    if (n < 24)
        return 0;
    m = be32(p);
    if (m == 0xa1b2c3d4u || m == 0xd4c3b2a1u || m == 0xa1b23c4du || m == 0x4d3cb2a1u)
        return 1;
    /* pcapng: a Section Header Block and its byte-order magic */
    return m == 0x0a0d0d0au && (be32(p + 8) == 0x1a2b3c4du || be32(p + 8) == 0x4d3c2b1au);
}

/* ---- TCP connections -------------------------------------------------------- */

typedef struct seg {
    struct seg *next;
    uint32_t seq, len;
    h2d_when w;          /* the packet that brought it */
    uint8_t data[];
} seg;

/* One direction of a TCP connection. */
typedef struct half {
    int have_next;
    uint32_t next;       /* the next sequence number expected */
    uint64_t delivered;  /* octets handed on in order */
    seg *ooo;            /* early segments, by sequence number */
    size_t nooo, ooo_bytes;
    int gap;             /* octets were lost: nothing more is handed on */
    int fin;
    h2d_buf hold;        /* octets held while the connection is undecided */
    h2d_buf hold_marks;  /* hmark: where each packet's octets begin in hold */
} half;

typedef struct hmark {
    size_t at;
    h2d_when w;
} hmark;

enum { ST_DETECT, ST_UPGRADE, ST_H2, ST_NOT_H2 };

typedef struct tconn {
    struct tconn *next;
    int id;
    int v6;
    uint8_t addr[2][16]; /* endpoint 0 sent the first packet seen */
    uint16_t port[2];
    half h[2];
    int client;          /* endpoint index of the client, -1 unknown */
    int state;
    h2d_conn *h2;
    size_t req_len;      /* Upgrade: octets of the HTTP/1.1 request */
    int mid;             /* the capture missed the start */
} tconn;

typedef struct cap {
    h2d_session *s;
    tconn *conns;
    int nconns, ids, warned_full, warned_frag;
    h2d_when now;        /* the packet being read */
    int h2_conns;        /* HTTP/2 connections found */
} cap;

static int dir_of(const tconn *c, int e)
{
    return e == c->client ? 0 : 1;
}

static void endpoint_text(char *buf, size_t cap, const tconn *c, int e)
{
    const uint8_t *a = c->addr[e];
    if (!c->v6)
        snprintf(buf, cap, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], c->port[e]);
    else
        snprintf(buf, cap, "[%x:%x:%x:%x:%x:%x:%x:%x]:%u", be16(a), be16(a + 2), be16(a + 4),
                 be16(a + 6), be16(a + 8), be16(a + 10), be16(a + 12), be16(a + 14), c->port[e]);
}

/* A note about connection c; e >= 0: about the direction endpoint e sends.
 * Notes about the whole connection name its endpoints, client first. */
static void conn_note(cap *k, tconn *c, int e, const char *kind, const char *what)
{
    char a[64], b[64];
    int cl = c->client >= 0 ? c->client : 0;
    if (e >= 0) {
        h2d_note(k->s, c->id, dir_of(c, e), kind, "%s", what);
        return;
    }
    endpoint_text(a, sizeof a, c, cl);
    endpoint_text(b, sizeof b, c, !cl);
    h2d_note(k->s, c->id, -1, kind, "connection %d: %s -> %s: %s", c->id, a, b, what);
}

static void free_held(half *h)
{
    h2d_buf_free(&h->hold);
    h2d_buf_free(&h->hold_marks);
}

/* The octets held from `from` on, each packet's with its time. */
static void push_held(tconn *c, int e, size_t from)
{
    half *h = &c->h[e];
    const hmark *m = (const hmark *)(void *)h->hold_marks.p;
    size_t i, n = h->hold_marks.len / sizeof *m;
    for (i = 0; i < n; i++) {
        size_t a = m[i].at > from ? m[i].at : from;
        size_t b = i + 1 < n ? m[i + 1].at : h->hold.len;
        if (a < b)
            h2d_conn_push_when(c->h2, dir_of(c, e), h->hold.p + a, b - a, &m[i].w);
    }
    free_held(h);
}

static void start_h2(cap *k, tconn *c, const char *how)
{
    if (k->s->o->only_conn && c->id != k->s->o->only_conn) {
        c->state = ST_NOT_H2; /* --conn: the others are not decoded at all */
        return;
    }
    c->state = ST_H2;
    c->h2 = h2d_conn_open(k->s, 2);
    if (!c->h2) {
        c->state = ST_NOT_H2;
        return;
    }
    c->h2->id = c->id;
    k->h2_conns++;
    /* a capture that missed the start cannot require SETTINGS first (§3.4) */
    c->h2->any_first = c->mid;
    conn_note(k, c, -1, "connection", how);
}

/* Is this an HTTP/1.1 request line's start (a method token, then SP)? */
static int looks_like_request(const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n && i < 16; i++) {
        if (p[i] == ' ')
            return i > 0;
        if (p[i] < 'A' || p[i] > 'Z')
            return 0;
    }
    return i < 16 ? -1 : 0; /* -1: too short to tell */
}

static const uint8_t *find_crlfcrlf(const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i + 4 <= n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
            return p + i;
    return NULL;
}

static int ieq(const uint8_t *p, size_t n, const char *s)
{
    size_t i;
    if (strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if ((p[i] | 0x20) != (s[i] | 0x20))
            return 0;
    return 1;
}

/* Header `name` of an HTTP/1.1 head (RFC 9112 §5): its value, trimmed. */
static const uint8_t *h1_header(const uint8_t *p, size_t n, const char *name, size_t *vlen)
{
    size_t i = 0;
    while (i < n && p[i] != '\n') /* the start line */
        i++;
    while (++i < n) {
        size_t s = i, colon = 0, e;
        while (i < n && p[i] != '\n') {
            if (!colon && p[i] == ':')
                colon = i;
            i++;
        }
        e = i > s && p[i - 1] == '\r' ? i - 1 : i;
        if (colon && ieq(p + s, colon - s, name)) {
            size_t v = colon + 1;
            while (v < e && (p[v] == ' ' || p[v] == '\t'))
                v++;
            while (e > v && (p[e - 1] == ' ' || p[e - 1] == '\t'))
                e--;
            *vlen = e - v;
            return p + v;
        }
    }
    return NULL;
}

static int has_token(const uint8_t *p, size_t n, const char *tok)
{
    size_t i = 0, t = strlen(tok);
    while (i < n) {
        size_t s, e;
        while (i < n && (p[i] == ' ' || p[i] == ','))
            i++;
        s = i;
        while (i < n && p[i] != ',')
            i++;
        e = i;
        while (e > s && p[e - 1] == ' ')
            e--;
        if (e - s == t && ieq(p + s, t, tok))
            return 1;
    }
    return 0;
}

/* The client's HTTP/1.1 request: "Upgrade: h2c" or not HTTP/2. */
static void detect_upgrade_request(cap *k, tconn *c, int e)
{
    half *h = &c->h[e];
    const uint8_t *end = find_crlfcrlf(h->hold.p, h->hold.len), *v;
    size_t head, vl, i, cl = 0;
    if (!end)
        return; /* more to come (bounded by MAX_DETECT) */
    head = (size_t)(end - h->hold.p) + 4;
    v = h1_header(h->hold.p, head, "upgrade", &vl);
    if (!v || !has_token(v, vl, "h2c")) {
        c->state = ST_NOT_H2;
        conn_note(k, c, e, "skipped", "HTTP/1.1 without Upgrade: h2c (not HTTP/2)");
        return;
    }
    v = h1_header(h->hold.p, head, "content-length", &vl);
    for (i = 0; v && i < vl && v[i] >= '0' && v[i] <= '9' && cl < MAX_DETECT; i++)
        cl = cl * 10 + (size_t)(v[i] - '0');
    c->client = e;
    c->req_len = head + cl;
    c->state = ST_UPGRADE;
}

static void detect_upgrade_response(cap *k, tconn *c)
{
    half *srv = &c->h[!c->client], *cli = &c->h[c->client];
    const uint8_t *end, *p = cli->hold.p, *sp1, *sp2, *host;
    size_t head, hl = 0;
    if (cli->hold.len < c->req_len)
        return;
    end = find_crlfcrlf(srv->hold.p, srv->hold.len);
    if (!end)
        return;
    head = (size_t)(end - srv->hold.p) + 4;
    if (head < 12 || memcmp(srv->hold.p, "HTTP/1.1 101", 12) != 0) {
        c->state = ST_NOT_H2;
        conn_note(k, c, -1, "skipped", "Upgrade: h2c declined by the server (no 101)");
        return;
    }
    start_h2(k, c, "h2c by HTTP/1.1 Upgrade (101 Switching Protocols; the request is stream 1)");
    if (c->state != ST_H2)
        return;
    sp1 = memchr(p, ' ', c->req_len);
    sp2 = sp1 ? memchr(sp1 + 1, ' ', c->req_len - (size_t)(sp1 + 1 - p)) : NULL;
    host = h1_header(p, c->req_len, "host", &hl);
    if (sp1 && sp2)
        h2d_conn_upgrade_request(c->h2, p, (size_t)(sp1 - p), sp1 + 1, (size_t)(sp2 - sp1 - 1),
                                 host, host ? hl : 0);
    push_held(c, !c->client, head);
    push_held(c, c->client, c->req_len);
}

/* --port N: the side on port N is the server (both on N: the SYN says, or
 * the first packet's sender is the client). */
static int port_says(cap *k, tconn *c)
{
    unsigned port = k->s->o->port;
    if (!port || (c->port[0] != port && c->port[1] != port))
        return 0;
    if (c->port[0] != c->port[1])
        c->client = c->port[0] == port ? 1 : 0;
    else if (c->client < 0)
        c->client = 0;
    return 1;
}

static void start_held(cap *k, tconn *c, const char *how)
{
    start_h2(k, c, how);
    if (c->state == ST_H2) {
        push_held(c, c->client, 0);
        push_held(c, !c->client, 0);
    }
}

/* --mid: a connection seen from its middle is HTTP/2 if frames are found
 * in either direction (h2f_frame_resync, at most the first 64 KiB held);
 * `last`: the capture ended. Without the SYN, the side on the lower port
 * is taken for the server. */
static int detect_mid(cap *k, tconn *c, int last)
{
    int e;
    if (!k->s->o->any_first || !c->mid)
        return 0;
    for (e = 0; e < 2; e++) {
        size_t off;
        if (c->h[e].hold.len &&
            h2f_frame_resync(c->h[e].hold.p, c->h[e].hold.len, 0, last, &off) == H2F_OK) {
            if (c->client < 0)
                c->client = c->port[0] < c->port[1] ? 1 : 0;
            start_held(k, c, "HTTP/2 frames found mid-connection (--mid)");
            return 1;
        }
    }
    return 0;
}

/* What the first octets say the connection is. */
static void detect(cap *k, tconn *c)
{
    int e;
    for (e = 0; e < 2 && c->state == ST_DETECT; e++) {
        half *h = &c->h[e];
        size_t n = h->hold.len, m = n < H2F_PREFACE_LEN ? n : H2F_PREFACE_LEN;
        int rq;
        if (!n || (c->client >= 0 && c->client != e && c->h[c->client].hold.len == 0 && !c->mid))
            continue;
        if (memcmp(h->hold.p, H2F_PREFACE, m) == 0) {
            if (n < H2F_PREFACE_LEN)
                continue;
            c->client = e;
            start_h2(k, c, "h2c with prior knowledge (client preface)");
            if (c->state == ST_H2) {
                push_held(c, e, 0);
                push_held(c, !e, 0);
            }
            return;
        }
        rq = looks_like_request(h->hold.p, n);
        if (rq == 1 && (c->client < 0 || c->client == e)) {
            detect_upgrade_request(k, c, e);
            if (c->state == ST_UPGRADE)
                detect_upgrade_response(k, c);
            return;
        }
        if (port_says(k, c)) {
            char how[80];
            snprintf(how, sizeof how, "HTTP/2 by --port %u (the side on port %u is the server)",
                     k->s->o->port, k->s->o->port);
            start_held(k, c, how);
            return;
        }
        if (detect_mid(k, c, 0))
            return;
        /* the server's SETTINGS (RFC 9113 §3.4) first: its client preface
         * was not captured */
        if (n >= 9 && h->hold.p[3] == H2F_SETTINGS && be32(h->hold.p + 5) == 0 &&
            (c->client < 0 || c->client != e)) {
            c->client = !e;
            start_h2(k, c, "h2c, the server's SETTINGS first (the client's start was not captured)");
            if (c->state == ST_H2) {
                push_held(c, e, 0);
                push_held(c, !e, 0);
            }
            return;
        }
        if (rq == 0 && n >= H2F_PREFACE_LEN && !(k->s->o->any_first && c->mid)) {
            c->state = ST_NOT_H2;
            conn_note(k, c, -1, "skipped", "not HTTP/2");
            return;
        }
    }
}

/* In-order octets of endpoint e. */
static void hand_on(cap *k, tconn *c, int e, const uint8_t *p, size_t n, const h2d_when *w)
{
    half *h = &c->h[e];
    hmark m;
    switch (c->state) {
    case ST_H2:
        h2d_conn_push_when(c->h2, dir_of(c, e), p, n, w);
        return;
    case ST_NOT_H2:
        return;
    default:
        if (h->hold.len + n > MAX_DETECT) {
            c->state = ST_NOT_H2;
            conn_note(k, c, -1, "skipped", "no HTTP/2 preface or h2c upgrade in the first 64 KiB");
            free_held(&c->h[0]);
            free_held(&c->h[1]);
            return;
        }
        memset(&m, 0, sizeof m);
        m.at = h->hold.len;
        m.w = *w;
        if (h2d_buf_add(&h->hold_marks, &m, sizeof m) || h2d_buf_add(&h->hold, p, n)) {
            h2d_session_rc(k->s, H2DUMP_EXIT_USAGE);
            c->state = ST_NOT_H2;
            return;
        }
        if (c->state == ST_DETECT)
            detect(k, c);
        else
            detect_upgrade_response(k, c);
    }
}

/* Early segments that now follow on. */
static void drain_ooo(cap *k, tconn *c, int e)
{
    half *h = &c->h[e];
    while (h->ooo && !h->gap) {
        seg *s = h->ooo;
        int32_t d = (int32_t)(s->seq - h->next);
        if (d > 0)
            return;
        h->ooo = s->next;
        h->nooo--;
        h->ooo_bytes -= s->len;
        if (h->next - s->seq < s->len) {
            uint32_t skip = h->next - s->seq;
            h->next += s->len - skip;
            h->delivered += s->len - skip;
            hand_on(k, c, e, s->data + skip, s->len - skip, &s->w);
        }
        free(s);
    }
}

static void drop_ooo(half *h)
{
    while (h->ooo) {
        seg *s = h->ooo;
        h->ooo = s->next;
        free(s);
    }
    h->nooo = h->ooo_bytes = 0;
}

/* Octets that will never come: say so, and stop this direction. */
static void declare_gap(cap *k, tconn *c, int e)
{
    half *h = &c->h[e];
    char what[200];
    uint32_t missing = h->ooo->seq - h->next;
    snprintf(what, sizeof what,
             "missing segment: %lu %s at stream offset %llu %s not captured; the %lu "
             "%s held after them %s not decoded",
             (unsigned long)missing, h2d_plural(missing, "octet", "octets"),
             (unsigned long long)h->delivered, missing == 1 ? "was" : "were",
             (unsigned long)h->ooo_bytes, h2d_plural(h->ooo_bytes, "octet", "octets"),
             h->ooo_bytes == 1 ? "is" : "are");
    conn_note(k, c, e, "gap", what);
    h->gap = 1;
    drop_ooo(h);
}

static void segment(cap *k, tconn *c, int e, uint32_t seq, const uint8_t *p, size_t n)
{
    half *h = &c->h[e];
    int32_t d = (int32_t)(seq - h->next);
    if (h->gap || !n)
        return;
    if (d < 0) { /* octets already seen: a retransmission, perhaps longer */
        uint32_t seen = h->next - seq; /* modulo 2^32, as sequence numbers are */
        if (seen >= n)
            return;
        p += seen;
        n -= seen;
        d = 0;
    }
    if (d == 0) {
        h->next += (uint32_t)n;
        h->delivered += n;
        hand_on(k, c, e, p, n, &k->now);
        drain_ooo(k, c, e);
        return;
    }
    /* early: held, in order */
    {
        seg *s = malloc(sizeof *s + n), **at = &h->ooo;
        char what[160];
        if (!s) {
            h2d_session_rc(k->s, H2DUMP_EXIT_USAGE);
            return;
        }
        s->seq = seq;
        s->len = (uint32_t)n;
        s->w = k->now;
        memcpy(s->data, p, n);
        while (*at && (int32_t)((*at)->seq - seq) < 0)
            at = &(*at)->next;
        s->next = *at;
        *at = s;
        /* one note per hole: the first segment seen beyond it */
        if (h->nooo++ == 0) {
            snprintf(what, sizeof what,
                     "out-of-order segment: %zu %s at stream offset %llu arrived before the "
                     "%lu %s preceding it; held until %s",
                     n, h2d_plural(n, "octet", "octets"),
                     (unsigned long long)(h->delivered + (uint32_t)d), (unsigned long)(uint32_t)d,
                     h2d_plural((uint32_t)d, "octet", "octets"),
                     (uint32_t)d == 1 ? "it comes" : "they come");
            conn_note(k, c, e, "out_of_order", what);
        }
        h->ooo_bytes += n;
        if (h->nooo > MAX_OOO_SEGS || h->ooo_bytes > MAX_OOO_BYTES)
            declare_gap(k, c, e);
    }
}

static void conn_finish(cap *k, tconn *c)
{
    int e;
    for (e = 0; e < 2; e++)
        if (c->h[e].ooo)
            declare_gap(k, c, e);
    if (c->state == ST_DETECT)
        detect_mid(k, c, 1);
    for (e = 0; e < 2; e++)
        free_held(&c->h[e]);
    if (c->state == ST_H2)
        h2d_conn_close(c->h2);
    else if (c->state == ST_DETECT && (c->h[0].delivered || c->h[1].delivered))
        conn_note(k, c, -1, "skipped", "not recognised as HTTP/2 before the capture ends");
    else if (c->state == ST_UPGRADE)
        conn_note(k, c, -1, "skipped", "Upgrade: h2c not answered before the capture ends");
}

static void conn_remove(cap *k, tconn *c)
{
    tconn **at = &k->conns;
    while (*at && *at != c)
        at = &(*at)->next;
    if (*at)
        *at = c->next;
    conn_finish(k, c);
    free(c);
    k->nconns--;
}

/* ---- packets ------------------------------------------------------------------ */

typedef struct pkt {
    int v6;
    const uint8_t *src, *dst;
    uint16_t sport, dport;
    uint32_t seq;
    uint8_t flags;
    const uint8_t *data;
    size_t len;
} pkt;

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static tconn *lookup(cap *k, const pkt *pk, int *e)
{
    tconn *c;
    size_t al = pk->v6 ? 16 : 4;
    for (c = k->conns; c; c = c->next) {
        if (c->v6 != pk->v6)
            continue;
        if (c->port[0] == pk->sport && c->port[1] == pk->dport && !memcmp(c->addr[0], pk->src, al) &&
            !memcmp(c->addr[1], pk->dst, al)) {
            *e = 0;
            return c;
        }
        if (c->port[1] == pk->sport && c->port[0] == pk->dport && !memcmp(c->addr[1], pk->src, al) &&
            !memcmp(c->addr[0], pk->dst, al)) {
            *e = 1;
            return c;
        }
    }
    return NULL;
}

static tconn *create(cap *k, const pkt *pk)
{
    tconn *c;
    size_t al = pk->v6 ? 16 : 4;
    if (k->nconns >= MAX_CONNS) {
        if (!k->warned_full++)
            h2d_note(k->s, 0, -1, "limit", "more than %d TCP connections at once: new ones skipped",
                     MAX_CONNS);
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        h2d_session_rc(k->s, H2DUMP_EXIT_USAGE);
        return NULL;
    }
    c->id = ++k->ids;
    c->v6 = pk->v6;
    memcpy(c->addr[0], pk->src, al);
    memcpy(c->addr[1], pk->dst, al);
    c->port[0] = pk->sport;
    c->port[1] = pk->dport;
    c->client = (pk->flags & TH_SYN) ? ((pk->flags & TH_ACK) ? 1 : 0) : -1;
    c->mid = !(pk->flags & TH_SYN);
    c->next = k->conns;
    k->conns = c;
    k->nconns++;
    return c;
}

static void tcp_packet(cap *k, const pkt *pk)
{
    int e;
    tconn *c = lookup(k, pk, &e);
    half *h;
    if (!c) {
        if (!(pk->flags & TH_SYN) && !pk->len)
            return; /* a bare ACK or FIN of a connection we do not follow */
        c = create(k, pk);
        if (!c)
            return;
        e = 0;
    }
    h = &c->h[e];
    if (pk->flags & TH_SYN) {
        /* the SYN takes one sequence number (RFC 9293 §3.4) */
        h->next = pk->seq + 1;
        h->have_next = 1;
        if (c->client < 0)
            c->client = (pk->flags & TH_ACK) ? !e : e;
        return;
    }
    if (!h->have_next) { /* started mid-connection: take the stream as found */
        h->next = pk->seq;
        h->have_next = 1;
        c->mid = 1;
    }
    segment(k, c, e, pk->seq, pk->data, pk->len);
    if (pk->flags & (TH_FIN | TH_RST))
        h->fin = 1;
    if ((pk->flags & TH_RST) || (c->h[0].fin && c->h[1].fin && !c->h[0].ooo && !c->h[1].ooo))
        conn_remove(k, c);
}

static void tcp(cap *k, pkt *pk, const uint8_t *p, size_t n)
{
    size_t off;
    if (n < 20)
        return;
    off = (size_t)(p[12] >> 4) * 4;
    if (off < 20 || off > n)
        return;
    pk->sport = be16(p);
    pk->dport = be16(p + 2);
    pk->seq = be32(p + 4);
    pk->flags = p[13];
    pk->data = p + off;
    pk->len = n - off;
    tcp_packet(k, pk);
}

static void ipv4(cap *k, const uint8_t *p, size_t n)
{
    pkt pk;
    size_t ihl, total;
    if (n < 20 || (p[0] >> 4) != 4)
        return;
    ihl = (size_t)(p[0] & 15) * 4;
    total = be16(p + 2);
    if (ihl < 20 || total < ihl)
        return;
    if (total < n)
        n = total; /* Ethernet padding */
    if (ihl > n || p[9] != 6)
        return;
    if ((be16(p + 6) & 0x3fff) != 0) { /* MF or a fragment offset */
        if (!k->warned_frag++)
            h2d_note(k->s, 0, -1, "skipped", "IPv4 fragments are not reassembled: skipped");
        return;
    }
    memset(&pk, 0, sizeof pk);
    pk.src = p + 12;
    pk.dst = p + 16;
    tcp(k, &pk, p + ihl, n - ihl);
}

static void ipv6(cap *k, const uint8_t *p, size_t n)
{
    pkt pk;
    size_t off = 40, plen;
    uint8_t next;
    int hops;
    if (n < 40 || (p[0] >> 4) != 6)
        return;
    plen = be16(p + 4);
    if (40 + plen < n)
        n = 40 + plen;
    next = p[6];
    for (hops = 0; hops < 8 && next != 6; hops++) {
        size_t len;
        if (off + 8 > n)
            return;
        if (next == 0 || next == 43 || next == 60)
            len = ((size_t)p[off + 1] + 1) * 8;
        else if (next == 51)
            len = ((size_t)p[off + 1] + 2) * 4;
        else {
            if (next == 44 && !k->warned_frag++)
                h2d_note(k->s, 0, -1, "skipped", "IPv6 fragments are not reassembled: skipped");
            return;
        }
        next = p[off];
        off += len;
    }
    if (next != 6 || off > n)
        return;
    memset(&pk, 0, sizeof pk);
    pk.v6 = 1;
    pk.src = p + 8;
    pk.dst = p + 24;
    tcp(k, &pk, p + off, n - off);
}

static void ip(cap *k, const uint8_t *p, size_t n)
{
    if (n && (p[0] >> 4) == 4)
        ipv4(k, p, n);
    else if (n && (p[0] >> 4) == 6)
        ipv6(k, p, n);
}

static void ethertype(cap *k, uint16_t type, const uint8_t *p, size_t n)
{
    if (type == 0x0800)
        ipv4(k, p, n);
    else if (type == 0x86dd)
        ipv6(k, p, n);
}

/* One captured frame of link type lt (tcpdump.org/linktypes.html). */
static void packet(cap *k, uint32_t lt, const uint8_t *p, size_t n)
{
    uint32_t fam;
    switch (lt) {
    case 1: { /* Ethernet */
        size_t off = 12;
        uint16_t type;
        int tags;
        if (n < 14)
            return;
        type = be16(p + off);
        for (tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8); tags++) {
            off += 4;
            if (off + 2 > n)
                return;
            type = be16(p + off);
        }
        ethertype(k, type, p + off + 2, n - off - 2);
        return;
    }
    case 113: /* Linux cooked v1 */
        if (n >= 16)
            ethertype(k, be16(p + 14), p + 16, n - 16);
        return;
    case 276: /* Linux cooked v2 */
        if (n >= 20)
            ethertype(k, be16(p), p + 20, n - 20);
        return;
    case 0:   /* BSD loopback: the family in the host's byte order */
    case 108: /* OpenBSD loopback: network order */
        if (n < 4)
            return;
        fam = lt == 108 ? be32(p) : (p[0] ? rd32(p, 0) : be32(p));
        if (fam == 2)
            ipv4(k, p + 4, n - 4);
        else if (fam == 24 || fam == 28 || fam == 30 || fam == 10)
            ipv6(k, p + 4, n - 4);
        return;
    case 12:
    case 14:
    case 101: /* raw IP */
        ip(k, p, n);
        return;
    case 228:
        ipv4(k, p, n);
        return;
    case 229:
        ipv6(k, p, n);
        return;
    default:
        return;
    }
}

/* ---- file formats ---------------------------------------------------------------- */

/* The capture's times: the first packet's is where text times count from
 * (as nghttp -v and Wireshark's "seconds since beginning of capture"). */
static void now(cap *k, uint64_t packet, int has_time, uint64_t sec, uint32_t nsec, int digits)
{
    k->now.packet = packet;
    k->now.has_time = has_time;
    k->now.sec = sec;
    k->now.nsec = nsec;
    k->now.digits = digits;
    if (has_time && !k->s->t0.has_time)
        k->s->t0 = k->now;
}

/* A capture cut short: said, and not a clean input (exit status 1). */
static void cut_short(cap *k, const char *what)
{
    h2d_note(k->s, 0, -1, "truncated", "%s", what);
    h2d_session_rc(k->s, H2DUMP_EXIT_PROTOCOL);
}

static void read_pcap(cap *k, const uint8_t *p, size_t n)
{
    uint32_t magic = be32(p), lt;
    int swap = magic == 0xa1b2c3d4u || magic == 0xa1b23c4du; /* written big endian */
    int nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u; /* ns, not µs, timestamps */
    size_t pos = 24;
    uint64_t num = 0;
    char what[160];
    lt = rd32(p + 20, swap) & 0xffff; /* upper bits: FCS length */
    while (pos < n) {
        uint32_t incl, frac;
        num++;
        if (n - pos < 16) {
            snprintf(what, sizeof what,
                     "truncated pcap: packet %llu cut at octet %zu of its 16-octet record header",
                     (unsigned long long)num, n - pos);
            cut_short(k, what);
            return;
        }
        incl = rd32(p + pos + 8, swap);
        frac = rd32(p + pos + 4, swap);
        now(k, num, 1, rd32(p + pos, swap), nano ? frac % 1000000000u : frac % 1000000u * 1000u,
            nano ? 9 : 6);
        pos += 16;
        if (incl > n - pos) {
            snprintf(what, sizeof what, "truncated pcap: packet %llu cut at octet %zu of %lu",
                     (unsigned long long)num, n - pos, (unsigned long)incl);
            cut_short(k, what);
            return;
        }
        packet(k, lt, p + pos, incl);
        pos += incl;
    }
}

/* An interface's timestamp unit (pcapng if_tsresol, if_tsoffset). */
typedef struct iface {
    uint32_t lt;
    int binary;              /* units of 2^-exp seconds, else 10^-exp */
    int exp;
    int64_t offset;          /* seconds added to every timestamp */
} iface;

static void iface_options(iface *f, const uint8_t *b, size_t len, int swap)
{
    size_t at = 16; /* after type, length, link type, reserved, snap length */
    f->binary = 0;
    f->exp = 6; /* the default: microseconds */
    f->offset = 0;
    while (at + 4 <= len - 4) {
        uint16_t code = rd16(b + at, swap), olen = rd16(b + at + 2, swap);
        if (code == 0 || olen > len - 4 - at - 4)
            break;
        if (code == 9 && olen >= 1) {
            f->binary = b[at + 4] >> 7;
            f->exp = b[at + 4] & 0x7f;
        } else if (code == 14 && olen >= 8) {
            uint64_t w0 = rd32(b + at + 4, swap), w1 = rd32(b + at + 8, swap);
            f->offset = (int64_t)(swap ? w0 << 32 | w1 : w1 << 32 | w0); /* the section's order */
        }
        at += 4 + ((size_t)olen + 3) / 4 * 4;
    }
}

/* A 64-bit pcapng timestamp in the interface's unit, as seconds and ns. */
static void ng_time(cap *k, uint64_t num, const iface *f, uint64_t ts)
{
    uint64_t sec, frac, nsec;
    int e = f->exp;
    if (f->binary) {
        if (e > 63)
            e = 63;
        sec = e ? ts >> e : ts;
        frac = e ? ts & ((UINT64_C(1) << e) - 1) : 0;
        /* frac * 10^9 / 2^e without overflowing 64 bits */
        nsec = e > 30 ? ((frac >> (e - 30)) * 1000000000u) >> 30 : (frac * 1000000000u) >> e;
        now(k, num, 1, sec + (uint64_t)f->offset, (uint32_t)nsec, 9);
        return;
    }
    if (e > 19)
        e = 19; /* 10^19 units a second do not fit 64 bits: no such clock */
    {
        uint64_t per = 1;
        int i;
        for (i = 0; i < e; i++)
            per *= 10;
        sec = ts / per;
        frac = ts % per;
        for (nsec = frac, i = e; i < 9; i++)
            nsec *= 10;
        for (i = 9; i < e; i++)
            nsec /= 10;
    }
    now(k, num, 1, sec + (uint64_t)f->offset, (uint32_t)nsec, e < 9 ? e : 9);
}

static void read_pcapng(cap *k, const uint8_t *p, size_t n)
{
    iface ifs[MAX_IFACES];
    size_t nif = 0, pos = 0;
    uint64_t num = 0;
    char what[160];
    int swap = 0;
    while (pos + 12 <= n) {
        uint32_t type = rd32(p + pos, swap), len;
        const uint8_t *b = p + pos;
        if (be32(b) == 0x0a0d0d0au) { /* a Section Header: its byte order */
            swap = be32(b + 8) == 0x1a2b3c4du;
            type = 0x0a0d0d0au;
            nif = 0;
        }
        len = rd32(b + 4, swap);
        if (len < 12 || len % 4) {
            h2d_note(k->s, 0, -1, "truncated", "a pcapng block of length %lu is malformed: stopped",
                     (unsigned long)len);
            h2d_session_rc(k->s, H2DUMP_EXIT_PROTOCOL);
            return;
        }
        if (type == 2 || type == 3 || type == 6) /* the packet blocks, numbered as Wireshark does */
            num++;
        if (len > n - pos) {
            if (type == 2 || type == 3 || type == 6)
                snprintf(what, sizeof what, "truncated pcapng: packet %llu cut at octet %zu of %lu",
                         (unsigned long long)num, n - pos, (unsigned long)len);
            else
                snprintf(what, sizeof what,
                         "truncated pcapng: the block after packet %llu cut at octet %zu of %lu",
                         (unsigned long long)num, n - pos, (unsigned long)len);
            cut_short(k, what);
            return;
        }
        if (type == 1 && len >= 20) { /* Interface Description */
            if (nif < MAX_IFACES) {
                ifs[nif].lt = rd16(b + 8, swap);
                iface_options(&ifs[nif], b, len, swap);
                nif++;
            }
        } else if (type == 6 && len >= 32) { /* Enhanced Packet */
            uint32_t ifc = rd32(b + 8, swap), caplen = rd32(b + 20, swap);
            if (ifc < nif && caplen <= len - 32) {
                ng_time(k, num, &ifs[ifc], (uint64_t)rd32(b + 12, swap) << 32 | rd32(b + 16, swap));
                packet(k, ifs[ifc].lt, b + 28, caplen);
            }
        } else if (type == 3 && len >= 16) { /* Simple Packet: interface 0, no time */
            uint32_t orig = rd32(b + 8, swap), caplen = len - 16;
            if (orig < caplen)
                caplen = orig;
            if (nif) {
                now(k, num, 0, 0, 0, 0);
                packet(k, ifs[0].lt, b + 12, caplen);
            }
        } else if (type == 2 && len >= 32) { /* Packet (obsolete) */
            uint32_t ifc = rd16(b + 8, swap), caplen = rd32(b + 20, swap);
            if (ifc < nif && caplen <= len - 32) {
                ng_time(k, num, &ifs[ifc], (uint64_t)rd32(b + 12, swap) << 32 | rd32(b + 16, swap));
                packet(k, ifs[ifc].lt, b + 28, caplen);
            }
        }
        pos += len;
    }
    if (pos < n) {
        snprintf(what, sizeof what,
                 "truncated pcapng: the block after packet %llu cut at octet %zu of its header",
                 (unsigned long long)num, n - pos);
        cut_short(k, what);
    }
}

void h2d_pcap_run(h2d_session *s, const uint8_t *p, size_t n)
{
    cap k;
    memset(&k, 0, sizeof k);
    k.s = s;
    s->multi = 1;
    if (be32(p) == 0x0a0d0d0au)
        read_pcapng(&k, p, n);
    else
        read_pcap(&k, p, n);
    /* connections still open when the capture ends, oldest first */
    while (k.conns) {
        tconn *c = k.conns, *last = NULL;
        for (c = k.conns; c; c = c->next)
            last = c;
        conn_remove(&k, last);
    }
    /* an empty dump says why: a capture of HTTPS, of another port's
     * protocol, or a --conn that names no HTTP/2 connection */
    if (!k.h2_conns && s->o->only_conn)
        h2d_note(s, 0, -1, "none", "connection %d is not an HTTP/2 connection of the capture",
                 s->o->only_conn);
    else if (!k.h2_conns)
        h2d_note(s, 0, -1, "none", "no HTTP/2 connection in the capture's %llu %s",
                 (unsigned long long)k.now.packet, h2d_plural(k.now.packet, "packet", "packets"));
}
