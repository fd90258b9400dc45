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
        "CONTENT_LENGTH", "HOST_MISMATCH"};
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

void h2f__http_begin(h2f__http_block *b, int message, int trailers, int push, int protocol_ok)
{
    b->message = (uint8_t)message;
    b->trailers = (uint8_t)trailers;
    b->push = (uint8_t)push;
    b->protocol_ok = (uint8_t)protocol_ok;
    b->regular_seen = b->pseudo = b->connect = b->options = b->http_scheme = 0;
    b->path_star = b->path_bad = b->host_seen = b->userinfo = 0;
    b->status = 0;
    b->authority_len = 0;
    b->content_length = UINT64_MAX;
}

/* RFC 9110 §5.6.2: token = 1*tchar; tchar = "!" / "#" / "$" / "%" / "&" /
 * "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
 * :method is a token (RFC 9110 §9.1). */
static int is_token(h2f_bytes v)
{
    size_t i;
    if (v.len == 0)
        return 0;
    for (i = 0; i < v.len; i++) {
        uint8_t c = v.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c && strchr("!#$%&'*+-.^_`|~", c))))
            return 0;
    }
    return 1;
}

/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static int is_scheme(h2f_bytes v)
{
    size_t i;
    if (v.len == 0 || !((v.ptr[0] | 0x20) >= 'a' && (v.ptr[0] | 0x20) <= 'z'))
        return 0;
    for (i = 1; i < v.len; i++) {
        uint8_t c = v.ptr[i];
        if (!(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* The length of an authority without an empty port or the scheme's
 * default one: "example.com:443" is "example.com" for https (RFC 3986
 * §6.2.3, RFC 9110 §4.2.3). */
static size_t without_default_port(const uint8_t *p, size_t n, int scheme)
{
    if (n >= 1 && p[n - 1] == ':')
        return n - 1;
    if (scheme == 1 && n >= 3 && memcmp(p + n - 3, ":80", 3) == 0)
        return n - 3;
    if (scheme == 2 && n >= 4 && memcmp(p + n - 4, ":443", 4) == 0)
        return n - 4;
    return n;
}

/* host and :authority name the same host: §8.3.1 asks for "scheme-based
 * normalization (see Section 6.2.3 of [RFC3986]) of the two fields", and
 * the host part is case-insensitive (RFC 3986 §6.2.2.1). Only the first
 * 256 octets of :authority are kept; a longer one is compared as sent. */
static int same_authority(const h2f__http_block *b, h2f_bytes host)
{
    size_t i, n, alen = b->authority_len;
    if (alen <= sizeof b->authority) {
        alen = without_default_port(b->authority, alen, b->http_scheme);
        host.len = without_default_port(host.ptr, host.len, b->http_scheme);
    }
    n = alen < sizeof b->authority ? alen : sizeof b->authority;
    if (host.len != alen)
        return 0;
    for (i = 0; i < n; i++) {
        uint8_t x = host.ptr[i], y = b->authority[i];
        if (x >= 'A' && x <= 'Z')
            x = (uint8_t)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (uint8_t)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
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
        b->connect = eq(value, "CONNECT");
        b->options = eq(value, "OPTIONS");
        if (!is_token(value))
            r |= H2F_HTTP_PSEUDO_INVALID;
        /* §8.4: "The server MUST include a method in the ":method"
         * pseudo-header field that is safe and cacheable." — GET and HEAD
         * (RFC 9110 §9.2.1, §9.2.3); "If a client receives a PUSH_PROMISE
         * that ... identifies a method that is not safe, it MUST respond on
         * the promised stream with a stream error". */
        if (b->push && !eq(value, "GET") && !eq(value, "HEAD"))
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    case P_SCHEME:
        b->http_scheme = eq_nocase(value, "http") ? 1 : eq_nocase(value, "https") ? 2 : 0;
        if (!is_scheme(value))
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    case P_AUTHORITY:
        /* RFC 9110 §4.2.1: an "http" URI with an empty host is invalid,
         * with or without a port (":443") */
        if (value.len == 0 || value.ptr[0] == ':')
            r |= H2F_HTTP_PSEUDO_INVALID;
        /* §8.3.1: ":authority ... MUST NOT include the deprecated userinfo
         * subcomponent for "http" or "https" schemed URIs" (judged at the
         * end, when :scheme is known) */
        b->userinfo = value.len && memchr(value.ptr, '@', value.len) != NULL;
        b->authority_len = (uint32_t)value.len;
        memcpy(b->authority, value.ptr,
               value.len < sizeof b->authority ? value.len : sizeof b->authority);
        break;
    case P_PATH:
        /* §8.3.1: ":path ... MUST NOT be empty for "http" or "https" URIs;
         * "http" or "https" URIs that do not contain a path component MUST
         * include a value of '/'. The exceptions to this rule are: an
         * OPTIONS request ... MUST include a ":path" pseudo-header field with
         * a value of '*'". Which applies needs :scheme and :method: judged
         * at the end of the block. */
        b->path_star = eq(value, "*");
        b->path_bad = value.len == 0 || (value.ptr[0] != '/' && !b->path_star);
        break;
    case P_PROTOCOL:
        /* RFC 8441 §3: without SETTINGS_ENABLE_CONNECT_PROTOCOL the peer
         * "would detect a malformed request". */
        if (!b->protocol_ok)
            r |= H2F_HTTP_PSEUDO_INVALID;
        break;
    case P_STATUS:
        /* §8.3.2: the status code; §8.6: HTTP/2 has no 101 (Switching
         * Protocols). */
        b->status = h2f__http_status(value);
        /* RFC 9110 §15: "Values outside the range 100..599 are invalid" */
        if (b->status < 100 || b->status > 599 || b->status == 101)
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
    else if (eq(name, "host") && b->message == H2F__MSG_REQUEST && !b->trailers) {
        /* §8.3.1: "A server SHOULD treat a request as malformed if it
         * contains a Host header field that identifies an entity that differs
         * from the entity in the ":authority" pseudo-header field." */
        if ((b->pseudo & P_AUTHORITY) && !same_authority(b, value))
            r |= H2F_HTTP_HOST_MISMATCH;
        if (value.len == 0 || value.ptr[0] == ':') /* an empty host, as :authority */
            r |= H2F_HTTP_PSEUDO_INVALID;
        b->host_seen = 1;
    }
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
    if ((b->pseudo & (P_SCHEME | P_PATH)) != (P_SCHEME | P_PATH))
        return H2F_HTTP_PSEUDO_MISSING;
    if (b->http_scheme) {
        /* an http(s) target has a host (RFC 9110 §4.2.1): in :authority or,
         * from an HTTP/1.1 gateway, in host (§8.3.1) */
        if (!(b->pseudo & P_AUTHORITY) && !b->host_seen)
            return H2F_HTTP_PSEUDO_MISSING;
        if (b->path_bad || (b->path_star && !b->options) || b->userinfo)
            return H2F_HTTP_PSEUDO_INVALID;
    } else if (b->path_star && !b->options) {
        return H2F_HTTP_PSEUDO_INVALID;
    }
    return 0;
}
