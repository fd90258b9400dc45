/*
 * gRPC over HTTP/2 (github.com/grpc/grpc, doc/PROTOCOL-HTTP2.md): a stream
 * whose content-type is application/grpc carries, in its DATA frames,
 *
 *   Length-Prefixed-Message = Compressed-Flag (1 octet) Message-Length (4, big
 *                             endian) Message
 *
 * A message may span DATA frames, and one frame may hold several. Messages
 * are protobuf (protobuf.dev/programming-guides/encoding): a sequence of
 * (tag, value) where tag = field_number << 3 | wire_type. Without the
 * schema only the wire types are known; a length-delimited value may be a
 * string, bytes or a nested message, which is guessed below.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PB_MAX_DEPTH 8 /* nesting followed; a guess may not recurse forever */

int h2d_grpc_feed(h2d_grpc *g, const uint8_t *p, size_t n, h2d_grpc_cb cb, void *ctx)
{
    while (n) {
        if (g->prefix_len < 5) {
            g->prefix[g->prefix_len++] = *p++;
            n--;
            if (g->prefix_len == 5) {
                g->msg_len = (uint32_t)g->prefix[1] << 24 | (uint32_t)g->prefix[2] << 16 |
                             (uint32_t)g->prefix[3] << 8 | g->prefix[4];
                g->got = 0;
                g->msg.len = 0;
            }
        } else {
            size_t k = g->msg_len - g->got < n ? g->msg_len - g->got : n;
            if (g->msg_len <= H2D_GRPC_MAX_MESSAGE && h2d_buf_add(&g->msg, p, k))
                return -1;
            g->got += (uint32_t)k;
            p += k;
            n -= k;
        }
        if (g->prefix_len == 5 && g->got == g->msg_len) {
            int kept = g->msg_len <= H2D_GRPC_MAX_MESSAGE;
            cb(ctx, g->prefix[0] & 1, g->msg_len, kept ? g->msg.p : NULL, kept);
            g->prefix_len = 0;
            g->msg.len = 0;
        }
    }
    return 0;
}

void h2d_grpc_free(h2d_grpc *g)
{
    h2d_buf_free(&g->msg);
}

size_t h2d_grpc_pending(const h2d_grpc *g)
{
    return g->prefix_len < 5 ? g->prefix_len : 5 + g->got;
}

int h2d_is_grpc_content_type(const uint8_t *p, size_t n)
{
    /* "application/grpc" [("+proto" / "+json" / {custom})] */
    return n >= 16 && memcmp(p, "application/grpc", 16) == 0 &&
           (n == 16 || p[16] == '+' || p[16] == ';');
}

const char *h2d_grpc_status_name(const uint8_t *p, size_t n)
{
    static const char *const names[] = {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED"};
    unsigned v = 0;
    size_t i;
    if (n == 0 || n > 2)
        return NULL;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return NULL;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    return v < sizeof names / sizeof names[0] ? names[v] : NULL;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t h2d_percent_decode(const uint8_t *p, size_t n, uint8_t *dst)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            dst[k++] = (uint8_t)(hexval(p[i + 1]) << 4 | hexval(p[i + 2]));
            i += 2;
        } else {
            dst[k++] = p[i];
        }
    }
    return k;
}

/* ---- protobuf without a schema ---------------------------------------------- */

/* A base-128 varint (at most 10 octets). Returns its length, 0 if bad. */
static size_t pb_varint(const uint8_t *p, size_t n, uint64_t *v)
{
    size_t i;
    *v = 0;
    for (i = 0; i < n && i < 10; i++) {
        *v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80))
            return i + 1;
    }
    return 0;
}

typedef struct pb_item {
    uint64_t field;
    int wire;            /* 0 varint, 1 i64, 2 LEN, 5 i32 */
    uint64_t v;          /* varint, i64, i32 */
    const uint8_t *p;    /* LEN */
    size_t len;
    size_t used;         /* octets of tag and value */
} pb_item;

/* One field at p. Returns 0 if the octets are not a valid field. Groups
 * (wire types 3 and 4, deprecated) are not taken: a guess that meets one
 * shows the octets as bytes instead. */
static int pb_next(const uint8_t *p, size_t n, pb_item *it)
{
    uint64_t tag;
    size_t k = pb_varint(p, n, &tag), m;
    if (!k || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
        return 0;
    it->field = tag >> 3;
    it->wire = (int)(tag & 7);
    p += k;
    n -= k;
    switch (it->wire) {
    case 0:
        m = pb_varint(p, n, &it->v);
        if (!m)
            return 0;
        break;
    case 1:
    case 5:
        m = it->wire == 1 ? 8 : 4;
        if (n < m)
            return 0;
        it->v = 0;
        for (size_t i = m; i-- > 0;)
            it->v = it->v << 8 | p[i]; /* little endian */
        break;
    case 2: {
        uint64_t len;
        size_t l = pb_varint(p, n, &len);
        if (!l || len > n - l)
            return 0;
        it->p = p + l;
        it->len = (size_t)len;
        m = l + (size_t)len;
        break;
    }
    default:
        return 0;
    }
    it->used = k + m;
    return 1;
}

/* Do the octets parse, whole, as a message? (depth bounds the recursion
 * of the callers, not this loop) */
static int pb_is_message(const uint8_t *p, size_t n)
{
    pb_item it;
    if (n == 0)
        return 0;
    while (n) {
        if (!pb_next(p, n, &it))
            return 0;
        p += it.used;
        n -= it.used;
    }
    return 1;
}

/* Printable text: no control characters, valid UTF-8 (RFC 3629). */
static int pb_is_text(const uint8_t *p, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return 1;
    while (i < n) {
        uint8_t c = p[i];
        size_t k, j;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        k = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
        if (!k || c > 0xf4 || n - i <= k)
            return 0;
        for (j = 1; j <= k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* Long strings and bytes are cut as DATA payloads are in the frame view,
 * their length said: a message of a few large fields stays a few lines.
 * --json keeps them whole. */
#define PB_TEXT_MAX 48
#define PB_HEX_MAX 32

static void pb_text_depth(FILE *o, const char *pre, const uint8_t *p, size_t n, int indent,
                          int depth)
{
    pb_item it;
    while (n) {
        if (!pb_next(p, n, &it)) {
            fprintf(o, "%s%*s(%zu %s that %s not a protobuf field: ", pre, indent, "", n,
                    h2d_plural(n, "octet", "octets"), n == 1 ? "is" : "are");
            h2d_hex(o, p, n > PB_HEX_MAX ? PB_HEX_MAX : n);
            fprintf(o, "%s)\n", n > PB_HEX_MAX ? "..." : "");
            return;
        }
        fprintf(o, "%s%*s%llu: ", pre, indent, "", (unsigned long long)it.field);
        switch (it.wire) {
        case 0:
            fprintf(o, "varint %llu\n", (unsigned long long)it.v);
            break;
        case 1:
            fprintf(o, "fixed64 %llu (0x%016llx)\n", (unsigned long long)it.v,
                    (unsigned long long)it.v);
            break;
        case 5:
            fprintf(o, "fixed32 %lu (0x%08lx)\n", (unsigned long)it.v, (unsigned long)it.v);
            break;
        default:
            if (it.len && pb_is_text(it.p, it.len)) {
                fputs("string ", o);
                if (it.len > PB_TEXT_MAX)
                    fprintf(o, "(%zu octets) ", it.len);
                fputc('"', o);
                h2d_text(o, it.p, it.len, PB_TEXT_MAX);
                fputs("\"\n", o);
            } else if (depth < PB_MAX_DEPTH && pb_is_message(it.p, it.len)) {
                fputs("message {\n", o);
                pb_text_depth(o, pre, it.p, it.len, indent + 2, depth + 1);
                fprintf(o, "%s%*s}\n", pre, indent, "");
            } else {
                fprintf(o, "bytes (%zu) ", it.len);
                h2d_hex(o, it.p, it.len > PB_HEX_MAX ? PB_HEX_MAX : it.len);
                fputs(it.len > PB_HEX_MAX ? "...\n" : "\n", o);
            }
        }
        p += it.used;
        n -= it.used;
    }
}

void h2d_pb_text(FILE *o, const char *pre, const uint8_t *p, size_t n, int indent)
{
    if (n == 0)
        fprintf(o, "%s%*s(empty message)\n", pre, indent, "");
    pb_text_depth(o, pre, p, n, indent, 0);
}

static void pb_json_depth(FILE *o, const uint8_t *p, size_t n, int depth)
{
    pb_item it;
    int first = 1;
    fputc('[', o);
    while (n) {
        if (!pb_next(p, n, &it)) {
            fprintf(o, "%s{\"invalid\":\"", first ? "" : ",");
            h2d_hex(o, p, n);
            fputs("\"}", o);
            break;
        }
        fprintf(o, "%s{\"field\":%llu,\"wire_type\":%d,", first ? "" : ",",
                (unsigned long long)it.field, it.wire);
        first = 0;
        switch (it.wire) {
        case 0: fprintf(o, "\"varint\":%llu}", (unsigned long long)it.v); break;
        case 1: fprintf(o, "\"fixed64\":%llu}", (unsigned long long)it.v); break;
        case 5: fprintf(o, "\"fixed32\":%lu}", (unsigned long)it.v); break;
        default:
            if (it.len && pb_is_text(it.p, it.len)) {
                fputs("\"string\":", o);
                h2d_json_str(o, it.p, it.len);
            } else if (depth < PB_MAX_DEPTH && pb_is_message(it.p, it.len)) {
                fputs("\"message\":", o);
                pb_json_depth(o, it.p, it.len, depth + 1);
            } else {
                fputs("\"bytes\":\"", o);
                h2d_hex(o, it.p, it.len);
                fputc('"', o);
            }
            fputc('}', o);
        }
        p += it.used;
        n -= it.used;
    }
    fputc(']', o);
}

void h2d_pb_json(FILE *o, const uint8_t *p, size_t n)
{
    pb_json_depth(o, p, n, 0);
}
