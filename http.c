/*
 * http.c — the HTTP message rules of RFC 9113 §8.1-§8.3 that a field block
 * can be checked against: field names and values (§8.2.1),
 * connection-specific fields (§8.2.2), pseudo-header fields (§8.3, §8.5).
 * Every problem of a block is collected, not just the first; the
 * connection reader turns any of them into a stream PROTOCOL_ERROR (§8.1.1:
 * "Malformed requests or responses that are detected MUST be treated as a
 * stream error of type PROTOCOL_ERROR").
 */
#include "hpack_internal.h"

#include <string.h>

/* Pseudo-header fields, one bit each. */
enum {
    P_METHOD = 0x01, P_SCHEME = 0x02, P_AUTHORITY = 0x04, P_PATH = 0x08,
    P_PROTOCOL = 0x10, P_STATUS = 0x20
};

static const struct pseudo {
    const char *name;
    uint8_t bit, message;
} pseudos[] = {
    {":method", P_METHOD, H2F__MSG_REQUEST},     /* §8.3.1 */
    {":scheme", P_SCHEME, H2F__MSG_REQUEST},
    {":authority", P_AUTHORITY, H2F__MSG_REQUEST},
    {":path", P_PATH, H2F__MSG_REQUEST},
    {":protocol", P_PROTOCOL, H2F__MSG_REQUEST}, /* RFC 8441 §4 */
    {":status", P_STATUS, H2F__MSG_RESPONSE},    /* §8.3.2 */
};

static int eq(h2f_bytes b, const char *s)
{
    size_t n = strlen(s);
    return b.len == n && memcmp(b.ptr, s, n) == 0;
}

/* Case-insensitive, for values (TE, CONNECT). */
static int eq_nocase(h2f_bytes b, const char *s)
{
    size_t i, n = strlen(s);
    if (b.len != n)
        return 0;
    for (i = 0; i < n; i++) {
        uint8_t c = b.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)s[i])
            return 0;
    }
    return 1;
}

const char *h2f_http_problem_name(uint32_t problems)
{
    static const char *const names[] = {
        "NAME_UPPERCASE", "NAME_INVALID", "VALUE_INVALID", "VALUE_WHITESPACE",
        "CONNECTION_SPECIFIC", "TE", "PSEUDO_UNKNOWN", "PSEUDO_AFTER_REGULAR",
        "PSEUDO_DUPLICATE", "PSEUDO_IN_TRAILERS", "PSEUDO_MISSING", "PSEUDO_INVALID",
        "CONTENT_LENGTH"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (problems & (1u << i))
            return names[i];
    return NULL;
}

uint32_t h2f__http_status(h2f_bytes v)
{
    if (v.len != 3 || v.ptr[0] < '1' || v.ptr[0] > '9' || v.ptr[1] < '0' || v.ptr[1] > '9' ||
        v.ptr[2] < '0' || v.ptr[2] > '9')
        return 0;
    return (uint32_t)(v.ptr[0] - '0') * 100 + (uint32_t)(v.ptr[1] - '0') * 10 +
           (uint32_t)(v.ptr[2] - '0');
}

void h2f__http_begin(h2f__http_block *b, int message, int trailers)
{
    memset(b, 0, sizeof *b);
    b->message = (uint8_t)message;
    b->trailers = (uint8_t)trailers;
    b->content_length = UINT64_MAX;
}

/* §8.2.1: "A field name MUST NOT contain characters in the ranges
 * 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive)." and "With the
 * exception of pseudo-header fields ..., field names MUST NOT include a
 * colon". A pseudo-header's own colon is skipped by the caller. */
static uint32_t name_problems(const uint8_t *p, size_t n)
{
    uint32_t r = 0;
    size_t i;
    if (n == 0)
        return H2F_HTTP_NAME_INVALID; /* a name is a token: at least one octet */
    for (i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= 'A' && c <= 'Z')
            r |= H2F_HTTP_NAME_UPPERCASE;
        else if (c <= 0x20 || c >= 0x7f || c == ':')
            r |= H2F_HTTP_NAME_INVALID;
    }
    return r;
}

/* §8.2.1: "A field value MUST NOT contain the zero value (ASCII NUL, 0x00),
 * line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any
 * position." and "MUST NOT start or end with an ASCII whitespace character
 * (ASCII SP or HTAB, 0x20 or 0x09)." */
static uint32_t value_problems(h2f_bytes v)
{
    uint32_t r = 0;
    if (v.len && (memchr(v.ptr, 0, v.len) || memchr(v.ptr, '\r', v.len) ||
                  memchr(v.ptr, '\n', v.len)))
        r |= H2F_HTTP_VALUE_INVALID;
    if (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t' || v.ptr[v.len - 1] == ' ' ||
                  v.ptr[v.len - 1] == '\t'))
        r |= H2F_HTTP_VALUE_WHITESPACE;
    return r;
}

/* content-length: 1*DIGIT (RFC 9110 §8.6). Repeated fields must agree. */
static uint32_t content_length(h2f__http_block *b, h2f_bytes v)
{
    uint64_t n = 0;
    size_t i;
    if (v.len == 0 || v.len > 19)
        goto bad;
    for (i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            goto bad;
        n = n * 10 + (uint64_t)(v.ptr[i] - '0');
    }
    if (b->content_length != UINT64_MAX && b->content_length != n)
        goto bad;
    b->content_length = n;
    return 0;
bad:
    b->cl_bad = 1;
    return H2F_HTTP_CONTENT_LENGTH;
}

/* §8.3: "Pseudo-header fields are only valid in the context in which they
 * are defined. ... MUST NOT appear in a trailer section." "All pseudo-header
 * fields MUST appear in a field block before all regular field lines." "The
 * same pseudo-header field name MUST NOT appear more than once". */
static uint32_t pseudo_field(h2f__http_block *b, h2f_bytes name, h2f_bytes value)
{
    const struct pseudo *ps = NULL;
    uint32_t r = name_problems(name.ptr + 1, name.len - 1);
    size_t i;
    for (i = 0; i < sizeof pseudos / sizeof pseudos[0]; i++)
        if (eq(name, pseudos[i].name))
            ps = &pseudos[i];
    if (b->trailers)
        return r | H2F_HTTP_PSEUDO_IN_TRAILERS;
    if (b->regular_seen)
        r |= H2F_HTTP_PSEUDO_AFTER_REGULAR;
    if (!ps)
        return r | H2F_HTTP_PSEUDO_UNKNOWN;
    if (b->message == H2F__MSG_UNKNOWN) /* an observer learns it here */
        b->message = ps->message;
    if (ps->message != b->message)
        return r | H2F_HTTP_PSEUDO_UNKNOWN;
    if (b->pseudo & ps->bit)
        r |= H2F_HTTP_PSEUDO_DUPLICATE;
    b->pseudo |= ps->bit;
    switch (ps->bit) {
    case P_METHOD:
        if (eq(value, "CONNECT"))
            b->connect = 1;
        if (value.len == 0)
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    case P_PATH:
        /* §8.3.1: ":path ... MUST NOT be empty for "http" or "https" URIs";
         * other schemes leave it to their own rules, but an empty :path is
         * not a request target anywhere. */
        if (value.len == 0)
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    case P_STATUS:
        /* §8.3.2: the status code; §8.6: HTTP/2 has no 101 (Switching
         * Protocols). */
        b->status = h2f__http_status(value);
        if (b->status == 0 || b->status == 101)
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    default:
        break;
    }
    return r;
}

uint32_t h2f__http_field(h2f__http_block *b, h2f_bytes name, h2f_bytes value)
{
    uint32_t r = value_problems(value);
    if (name.len && name.ptr[0] == ':')
        return r | pseudo_field(b, name, value);
    b->regular_seen = 1;
    r |= name_problems(name.ptr, name.len);
    /* §8.2.2: "Any message containing connection-specific header fields MUST
     * be treated as malformed." — Connection and the fields RFC 9110 §7.6.1
     * names: Proxy-Connection, Keep-Alive, Transfer-Encoding, Upgrade. */
    if (eq(name, "connection") || eq(name, "proxy-connection") || eq(name, "keep-alive") ||
        eq(name, "transfer-encoding") || eq(name, "upgrade"))
        r |= H2F_HTTP_CONNECTION_SPECIFIC;
    /* "The only exception to this is the TE header field, which MAY be
     * present in an HTTP/2 request; when it is, it MUST NOT contain any
     * value other than "trailers"." */
    else if (eq(name, "te") && (b->message == H2F__MSG_RESPONSE || !eq_nocase(value, "trailers")))
        r |= H2F_HTTP_TE;
    else if (eq(name, "content-length") && !b->trailers)
        r |= content_length(b, value);
    return r;
}

uint32_t h2f__http_end(h2f__http_block *b)
{
    if (b->trailers)
        return 0;
    if (b->message == H2F__MSG_RESPONSE)
        /* §8.3.2: "For HTTP/2 responses, a single ":status" pseudo-header
         * field is defined ... ; otherwise, the response is malformed". */
        return (b->pseudo & P_STATUS) ? 0 : H2F_HTTP_PSEUDO_MISSING;
    if (b->message == H2F__MSG_UNKNOWN)
        return H2F_HTTP_PSEUDO_MISSING; /* neither a request nor a response */
    if (!(b->pseudo & P_METHOD))
        return H2F_HTTP_PSEUDO_MISSING;
    if (b->connect && !(b->pseudo & P_PROTOCOL)) {
        /* §8.5: "The ":scheme" and ":path" pseudo-header fields MUST be
         * omitted." and ":authority" carries the host and port. */
        uint32_t r = (b->pseudo & (P_SCHEME | P_PATH)) ? H2F_HTTP_PSEUDO_INVALID : 0;
        return r | ((b->pseudo & P_AUTHORITY) ? 0 : H2F_HTTP_PSEUDO_MISSING);
    }
    /* RFC 8441 §4: :protocol only on a CONNECT request. */
    if ((b->pseudo & P_PROTOCOL) && !b->connect)
        return H2F_HTTP_PSEUDO_INVALID;
    /* §8.3.1: "All HTTP/2 requests MUST include exactly one valid value for
     * the ":method", ":scheme", and ":path" pseudo-header fields, unless they
     * are CONNECT requests". */
    return (b->pseudo & (P_SCHEME | P_PATH)) == (P_SCHEME | P_PATH) ? 0 : H2F_HTTP_PSEUDO_MISSING;
}
