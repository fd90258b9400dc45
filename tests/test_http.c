/*
 * Tests for http.c: the HTTP message rules of RFC 9113 §8.1-§8.3, checked
 * through the connection reader with validate_http on. Each rule gets a
 * block that breaks it; the field is marked, the block's problems are all
 * reported, the stream gets a PROTOCOL_ERROR (§8.1.1), and the HPACK state
 * is untouched (the next request decodes).
 */
#include "conn_harness.h"
#include "hpack_internal.h" /* h2f__http_*: http.c on its own */

static h2f_conn_options vopts(h2f_role role)
{
    h2f_conn_options o;
    memset(&o, 0, sizeof o);
    o.role = role;
    o.validate_http = 1;
    return o;
}

static void client_start(wire *w)
{
    w_init(w, 1);
    w_settings(w, 0);
}

static void server_start(wire *w)
{
    w_init(w, 0);
    w_settings(w, 0);
}

static void open_1(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void open_1_and_3(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM), H2F_OK);
    assert_int_equal(h2f_conn_local_open(c, 3, H2F_LOCAL_END_STREAM), H2F_OK);
}

static void open_1_head(h2f_conn *c)
{
    assert_int_equal(h2f_conn_local_open(c, 1, H2F_LOCAL_END_STREAM | H2F_LOCAL_HEAD), H2F_OK);
}

#define MALFORMED(s) "err s=" #s " PROTOCOL_ERROR ERR_PROTOCOL (malformed message: see the problems " \
                     "of H2F_EV_HEADERS_END (RFC 9113 §8.2, §8.3))\n"                                \
                     "end s=" #s " error PROTOCOL_ERROR\n"

/* A request with one extra field (name, value), on stream 1, whole trace. */
static void expect_request_field(const char *name, const char *value, const char *expected)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_SERVER);
    const char *nv[] = {":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", name, value, NULL};
    client_start(&w);
    w_headers_list(&w, 1, 1, nv);
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/");
    r = expect_events(&w, &o, NULL, expected);
    free(r.t.s);
    w_free(&w);
}

#define REQ_START                           \
    "frame SETTINGS s=0\n"                  \
    "h s=1 headers :method: GET\n"          \
    "h s=1 headers :scheme: http\n"         \
    "h s=1 headers :authority: a\n"         \
    "h s=1 headers :path: /\n"
#define REQ_3                               \
    "h s=3 headers :method: GET\n"          \
    "h s=3 headers :scheme: http\n"         \
    "h s=3 headers :authority: a\n"         \
    "h s=3 headers :path: /\n"              \
    "hend s=3 headers es\n"                 \
    "end s=3 end_stream\n"

/* ---- issue 15: gaps 11-20 ---- */

/* A GET whose :scheme is not a scheme (RFC 3986 §3.1): that field is
 * marked, the request malformed. */
static void expect_scheme_invalid(const char *scheme)
{
    wire w;
    conn_result r;
    char line[128];
    const char *nv[] = {":method", "GET", ":scheme", scheme, ":authority", "a", ":path", "/", NULL};
    client_start(&w);
    w_headers_list(&w, 1, 1, nv);
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    snprintf(line, sizeof line, "h s=1 headers :scheme: %s !PSEUDO_INVALID\n", scheme);
    assert_non_null(strstr(r.t.s, line));
    assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=0800\n" MALFORMED(1)));
    free(r.t.s);
    w_free(&w);
}

/* RFC 3986 §3.1: "scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )",
 * which §8.3.1 asks of :scheme — every character after the first too,
 * each octet just outside a range rejected. */
static void test_scheme_characters_after_the_first(void **state)
{
    static const char *const bad[] = {"h/", "h:", "h@", "h[", "h`", "h{", "h_", "h~", "h t", "h,"};
    wire w;
    conn_result r;
    size_t i;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "Az09+-.zA", ":authority", "a", ":path", "/");
    r = expect_events(&w, &(h2f_conn_options){.validate_http = 1}, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :method: GET\n"
                      "h s=1 headers :scheme: Az09+-.zA\n"
                      "h s=1 headers :authority: a\n"
                      "h s=1 headers :path: /\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_scheme_invalid(bad[i]);
}

/* RFC 3986 §3.1: "schemes are case-insensitive": "HTTP" and "HtTpS" are
 * http and https, with their rules (RFC 9110 §4.2.1: a host is required;
 * §4.2.2: 443 is the default port). RFC 9110 §10.1.4: TE's "trailers" is
 * a keyword, case-insensitive like the t-codings beside it. */
static void test_scheme_and_te_trailers_case_insensitive(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "HTTP", ":path", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "HtTpS", ":authority", "a:443", ":path", "/", "host", "a");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", "te", "TRAILERS");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :path: /\nhend s=1 headers es problems=0400\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers host: a\nhend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers te: TRAILERS\nhend s=5 headers es\nend s=5 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* The http(s) rules of §8.3.1 (":path" "/..." and an authority) are for
 * those schemes only: a scheme of as many letters that is not one of them
 * ("news:comp.lang.c", RFC 5538; "about:blank", RFC 6694) has its own path
 * form. And TE "MUST NOT contain any value other than "trailers"" (§8.2.2):
 * "compress", as long, is another value. */
static void test_other_schemes_and_te_values_of_the_same_length(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "news", ":path", "comp.lang.c");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "about", ":path", "blank");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", "te", "compress");
    /* every letter counts: a scheme one letter away is not http(s) */
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "xttp", ":path", "x");
    w_headers(&w, 9, 1, ":method", "GET", ":scheme", "httpx", ":path", "x");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :path: comp.lang.c\nhend s=1 headers es\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=3 headers :path: blank\nhend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers te: compress !TE\nhend s=5 headers es problems=0020\n" MALFORMED(5)));
    assert_non_null(strstr(r.t.s, "h s=7 headers :path: x\nhend s=7 headers es\nend s=7 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=9 headers :path: x\nhend s=9 headers es\nend s=9 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* RFC 3986 §3.1: "Scheme names consist of a sequence of characters
 * beginning with a letter": the first octet is ALPHA, either case, and no
 * octet next to the letters ('@' '[' '`' '{'), no digit, '+', '-' or '.'. */
static void test_scheme_first_character_is_a_letter(void **state)
{
    static const char *const bad[] = {"@h", "[h", "`h", "{h", "0h", "9h", "+h", "-h", ".h"};
    wire w;
    conn_result r;
    size_t i;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "a", ":authority", "a", ":path", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "Z", ":authority", "a", ":path", "/");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "A", ":authority", "a", ":path", "/");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "z", ":authority", "a", ":path", "/");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :scheme: a\n"));
    assert_non_null(strstr(r.t.s, "h s=3 headers :scheme: Z\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers :scheme: A\n"));
    assert_non_null(strstr(r.t.s, "h s=7 headers :scheme: z\n"));
    assert_non_null(strstr(r.t.s, "hend s=1 headers es\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=5 headers es\nend s=5 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es\nend s=7 end_stream\n"));
    free(r.t.s);
    w_free(&w);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_scheme_invalid(bad[i]);
}

/* §8.3.1: ":path ... The exceptions to this rule are: an OPTIONS request
 * for an "http" or "https" URI that does not include a path component;
 * these MUST include a ":path" pseudo-header field with a value of '*'"; a
 * '*' is the asterisk-form of OPTIONS (RFC 9110 §7.1) whatever the scheme:
 * any other method with '*' is malformed for any scheme. */
static void test_path_star_with_other_scheme_only_for_options(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "urn", ":path", "*");
    w_headers(&w, 3, 1, ":method", "OPTIONS", ":scheme", "urn", ":path", "*");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :path: *\nhend s=1 headers es problems=0800\n"
                                  MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es\nend s=3 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.2: "For HTTP/2 responses, a single ":status" pseudo-header field is
 * defined"; §8.3: "The same pseudo-header field name MUST NOT appear more
 * than once in a field block" and "All pseudo-header fields MUST appear in
 * a field block before all regular field lines". */
static void test_second_or_late_status_is_malformed(void **state)
{
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    wire w;
    conn_result r;
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", ":status", "204");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers :status: 204 !PSEUDO_DUPLICATE\n"
                      "hend s=1 headers es problems=0100\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
    server_start(&w);
    w_headers(&w, 1, 1, "server", "x", ":status", "200");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers server: x\n"
                      "h s=1 headers :status: 200 !PSEUDO_AFTER_REGULAR\n"
                      "hend s=1 headers es problems=0080\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

static void test_valid_request_has_no_problems(void **state)
{
    (void)state;
    expect_request_field("accept", "*/*",
                         REQ_START "h s=1 headers accept: */*\n"
                                   "hend s=1 headers es\n"
                                   "end s=1 end_stream\n" REQ_3);
}

/* §8.2.1: "A field name MUST NOT contain characters in the ranges
 * 0x00-0x20, 0x41-0x5a, or 0x7f-0xff". */
static void test_name_with_uppercase(void **state)
{
    (void)state;
    expect_request_field("X-Custom", "1",
                         REQ_START "h s=1 headers X-Custom: 1 !NAME_UPPERCASE\n"
                                   "hend s=1 headers es problems=0001\n" MALFORMED(1) REQ_3);
}

static void test_name_with_invalid_octets(void **state)
{
    (void)state;
    expect_request_field("x custom", "1",
                         REQ_START "h s=1 headers x custom: 1 !NAME_INVALID\n"
                                   "hend s=1 headers es problems=0002\n" MALFORMED(1) REQ_3);
    expect_request_field("x\x7f", "1",
                         REQ_START "h s=1 headers x\\x7f: 1 !NAME_INVALID\n"
                                   "hend s=1 headers es problems=0002\n" MALFORMED(1) REQ_3);
    expect_request_field("caf\xc3\xa9", "1",
                         REQ_START "h s=1 headers caf\\xc3\\xa9: 1 !NAME_INVALID\n"
                                   "hend s=1 headers es problems=0002\n" MALFORMED(1) REQ_3);
    /* "field names MUST NOT include a colon" (but pseudo-headers) */
    expect_request_field("x:y", "1",
                         REQ_START "h s=1 headers x:y: 1 !NAME_INVALID\n"
                                   "hend s=1 headers es problems=0002\n" MALFORMED(1) REQ_3);
    expect_request_field("", "1",
                         REQ_START "h s=1 headers : 1 !NAME_INVALID\n"
                                   "hend s=1 headers es problems=0002\n" MALFORMED(1) REQ_3);
}

/* §8.2.1: "A field name MUST NOT contain characters in the ranges
 * 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive)": 'A' and 'Z'
 * are in, their neighbours 0x21 '!', 0x40 '@', 0x5b '[' and 0x7e '~' not. */
static void test_name_ranges_are_inclusive(void **state)
{
    (void)state;
    expect_request_field("A-x", "1",
                         REQ_START "h s=1 headers A-x: 1 !NAME_UPPERCASE\n"
                                   "hend s=1 headers es problems=0001\n" MALFORMED(1) REQ_3);
    expect_request_field("x-Z", "1",
                         REQ_START "h s=1 headers x-Z: 1 !NAME_UPPERCASE\n"
                                   "hend s=1 headers es problems=0001\n" MALFORMED(1) REQ_3);
    expect_request_field("!@[~", "1",
                         REQ_START "h s=1 headers !@[~: 1\n"
                                   "hend s=1 headers es\n"
                                   "end s=1 end_stream\n" REQ_3);
}

/* §8.2.1: "A field value MUST NOT contain the zero value (ASCII NUL, 0x00),
 * line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any
 * position." (NUL is tested by hand: it ends a C string.) */
static void test_value_with_cr_or_lf(void **state)
{
    (void)state;
    expect_request_field("x", "a\rb",
                         REQ_START "h s=1 headers x: a\\x0db !VALUE_INVALID\n"
                                   "hend s=1 headers es problems=0004\n" MALFORMED(1) REQ_3);
    expect_request_field("x", "a\nb",
                         REQ_START "h s=1 headers x: a\\x0ab !VALUE_INVALID\n"
                                   "hend s=1 headers es problems=0004\n" MALFORMED(1) REQ_3);
}

static void test_value_with_nul(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_SERVER);
    /* :method GET, :scheme http, :authority a, :path /, literal "x" = "a\0b" */
    static const uint8_t block[] = {0x82, 0x86, 0x41, 0x01, 'a', 0x84,
                                    0x00, 0x01, 'x',  0x03, 'a', 0, 'b'};
    (void)state;
    client_start(&w);
    w_frame(&w, H2F_HEADERS, H2F_FLAG_END_HEADERS | H2F_FLAG_END_STREAM, 1, block, sizeof block);
    r = expect_events(&w, &o, NULL,
                      REQ_START "h s=1 headers x: a\\x00b !VALUE_INVALID\n"
                                "hend s=1 headers es problems=0004\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

/* §8.2.1: "A field value MUST NOT start or end with an ASCII whitespace
 * character (ASCII SP or HTAB, 0x20 or 0x09)." Inside is fine. */
static void test_value_with_edge_whitespace(void **state)
{
    (void)state;
    expect_request_field("x", " a",
                         REQ_START "h s=1 headers x:  a !VALUE_WHITESPACE\n"
                                   "hend s=1 headers es problems=0008\n" MALFORMED(1) REQ_3);
    expect_request_field("x", "a\t",
                         REQ_START "h s=1 headers x: a\\x09 !VALUE_WHITESPACE\n"
                                   "hend s=1 headers es problems=0008\n" MALFORMED(1) REQ_3);
    expect_request_field("x", "a b\tc",
                         REQ_START "h s=1 headers x: a b\\x09c\n"
                                   "hend s=1 headers es\n"
                                   "end s=1 end_stream\n" REQ_3);
}

/* §8.2.2: "Any message containing connection-specific header fields MUST
 * be treated as malformed." */
static void test_connection_specific_fields(void **state)
{
    static const char *const names[] = {"connection", "proxy-connection", "keep-alive",
                                        "transfer-encoding", "upgrade"};
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        char expected[1024];
        snprintf(expected, sizeof expected,
                 REQ_START "h s=1 headers %s: x !CONNECTION_SPECIFIC\n"
                           "hend s=1 headers es problems=0010\n" MALFORMED(1) REQ_3,
                 names[i]);
        expect_request_field(names[i], "x", expected);
    }
}

/* §8.2.2: TE "MAY be present in an HTTP/2 request; when it is, it MUST NOT
 * contain any value other than "trailers"." */
static void test_te_other_than_trailers(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    (void)state;
    expect_request_field("te", "trailers",
                         REQ_START "h s=1 headers te: trailers\n"
                                   "hend s=1 headers es\n"
                                   "end s=1 end_stream\n" REQ_3);
    expect_request_field("te", "gzip",
                         REQ_START "h s=1 headers te: gzip !TE\n"
                                   "hend s=1 headers es problems=0020\n" MALFORMED(1) REQ_3);
    /* not in a response at all */
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", "te", "trailers");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers te: trailers !TE\n"
                      "hend s=1 headers es problems=0020\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

/* §8.3: "Endpoints MUST treat a request or response that contains
 * undefined or invalid pseudo-header fields as malformed." "Pseudo-header
 * fields defined for requests MUST NOT appear in responses; pseudo-header
 * fields defined for responses MUST NOT appear in requests." */
static void test_pseudo_header_unknown_or_wrong_message(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":foo", "x");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":status", "200");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :foo: x !PSEUDO_UNKNOWN\n"
                                  "hend s=1 headers es problems=0040\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers :status: 200 !PSEUDO_UNKNOWN\n"
                                  "hend s=3 headers es problems=0040\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "hend s=5 headers es\nend s=5 end_stream\n"));
    free(r.t.s);
    w_free(&w);
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", ":path", "/");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers :path: / !PSEUDO_UNKNOWN\n"
                      "hend s=1 headers es problems=0040\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

/* §8.2.1's rules on names hold for pseudo-header names after their colon
 * too ("MUST NOT contain characters in the ranges ... 0x41-0x5a"; "A field
 * name MUST NOT ... include a colon"), the first and the last character
 * included; a name of a colon alone is empty, no token. Such a name is
 * none of the defined pseudo-headers either (§8.3). */
static void test_pseudo_header_name_characters(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":patH", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":Path", "/");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":", "x");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":pa:h", "x");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :patH: / !NAME_UPPERCASE\n"
                                  "hend s=1 headers es problems=0041\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers :Path: / !NAME_UPPERCASE\n"
                                  "hend s=3 headers es problems=0441\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "h s=5 headers :: x !NAME_INVALID\n"
                                  "hend s=5 headers es problems=0042\n" MALFORMED(5)));
    assert_non_null(strstr(r.t.s, "h s=7 headers :pa:h: x !NAME_INVALID\n"
                                  "hend s=7 headers es problems=0042\n" MALFORMED(7)));
    free(r.t.s);
    w_free(&w);
}

/* §8.3: "All pseudo-header fields MUST appear in a field block before all
 * regular field lines." and "The same pseudo-header field name MUST NOT
 * appear more than once in a field block." */
static void test_pseudo_header_after_regular_or_twice(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":authority", "a", "accept", "*/*", ":path", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/", ":path", "/x");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :path: / !PSEUDO_AFTER_REGULAR\n"
                                  "hend s=1 headers es problems=0080\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers :path: /x !PSEUDO_DUPLICATE\n"
                                  "hend s=3 headers es problems=0100\n" MALFORMED(3)));
    free(r.t.s);
    w_free(&w);
}

/* §8.1 / §8.3: "Pseudo-header fields MUST NOT appear in a trailer section." */
static void test_pseudo_header_in_trailers(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/");
    w_headers(&w, 1, 1, ":path", "/again");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 trailers :path: /again !PSEUDO_IN_TRAILERS\n"
                                  "hend s=1 trailers es problems=0200\n" MALFORMED(1)));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.1: "All HTTP/2 requests MUST include exactly one valid value for the
 * ":method", ":scheme", and ":path" pseudo-header fields, unless they are
 * CONNECT requests"; ":path" "MUST NOT be empty". */
static void test_request_pseudo_headers_missing_or_invalid(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http");
    w_headers(&w, 3, 1, ":scheme", "http", ":authority", "a", ":path", "/");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=0400\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es problems=0400\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "h s=5 headers :path: \n"
                                  "hend s=5 headers es problems=0800\n" MALFORMED(5)));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.1: a request MUST include :method, :scheme and :path; §8.3.2: a
 * response a :status. An observer that cannot tell whose octets it reads
 * learns the kind of message from the first pseudo-header; a block with
 * none is neither, and malformed. */
static void test_observer_block_without_pseudo_headers(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_OBSERVER);
    (void)state;
    o.allow_any_first_frame = 1; /* no preface: the sender is not known */
    w_init(&w, 0);
    w_headers(&w, 1, 1, "x-a", "1");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/");
    w_headers(&w, 5, 1, ":status", "200");
    r = expect_events(&w, &o, NULL,
                      "h s=1 headers x-a: 1\n"
                      "hend s=1 headers es problems=0400\n" MALFORMED(1)
                      "h s=3 headers :method: GET\n"
                      "h s=3 headers :scheme: http\n"
                      "h s=3 headers :authority: a\n"
                      "h s=3 headers :path: /\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n"
                      "h s=5 headers :status: 200\n"
                      "hend s=5 headers es\n"
                      "end s=5 end_stream\n");
    free(r.t.s);
    w_free(&w);
}

/* §8.5: CONNECT: ":scheme" and ":path" "MUST be omitted", ":authority"
 * carries host and port. RFC 8441 §4: with :protocol, :scheme and :path
 * are back; :protocol on anything but CONNECT is invalid. */
static void enable_connect_protocol(h2f_conn *c)
{
    h2f_setting st = {H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1};
    assert_int_equal(h2f_conn_local_settings(c, &st, 1), H2F_OK);
}

static void test_connect_requests(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_settings_ack(&w); /* of our SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 */
    w_headers(&w, 1, 0, ":method", "CONNECT", ":authority", "example.com:443");
    w_headers(&w, 3, 0, ":method", "CONNECT", ":authority", "example.com:443", ":path", "/");
    w_headers(&w, 5, 0, ":method", "CONNECT");
    w_headers(&w, 7, 0, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "https",
              ":path", "/chat", ":authority", "example.com");
    w_headers(&w, 9, 0, ":method", "GET", ":protocol", "websocket", ":scheme", "https",
              ":path", "/chat");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, enable_connect_protocol);
    assert_non_null(strstr(r.t.s, "h s=1 headers :authority: example.com:443\nhend s=1 headers\n"
                                  "h s=3"));
    assert_non_null(strstr(r.t.s, "hend s=3 headers problems=0800\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "hend s=5 headers problems=0400\n" MALFORMED(5)));
    assert_non_null(strstr(r.t.s, "h s=7 headers :authority: example.com\nhend s=7 headers\n"
                                  "h s=9"));
    assert_non_null(strstr(r.t.s, "hend s=9 headers problems=0800\n" MALFORMED(9)));
    free(r.t.s);
    /* RFC 8441 §3: without our SETTINGS_ENABLE_CONNECT_PROTOCOL, :protocol
     * makes the request malformed */
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=7 headers :protocol: websocket !PSEUDO_INVALID\n"));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.1: ":path" for http(s) is "/..." or, for OPTIONS only, "*". */
static void test_path_form(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "https", ":authority", "a", ":path", "index.html");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "https", ":authority", "a", ":path", "*");
    w_headers(&w, 5, 1, ":method", "OPTIONS", ":scheme", "https", ":authority", "a", ":path", "*");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "urn", ":path", "isbn:0451450523");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=0800\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es problems=0800\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "hend s=5 headers es\nend s=5 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es\nend s=7 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* :authority and host: an http(s) request names its host in one of them
 * (RFC 9110 §4.2.1), not empty, and they agree (§8.3.1 SHOULD). */
static void test_authority_and_host(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":path", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":path", "/", "host", "example.com");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "", ":path", "/");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "http", ":authority", "Example.com", ":path", "/",
              "host", "example.COM");
    w_headers(&w, 9, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com", ":path", "/",
              "host", "evil.example");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=0400\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers :authority:  !PSEUDO_INVALID\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es\nend s=7 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=9 headers host: evil.example !HOST_MISMATCH\n"
                                  "hend s=9 headers es problems=2000\n" MALFORMED(9)));
    free(r.t.s);
    w_free(&w);
    /* "scheme-based normalization (see Section 6.2.3 of [RFC3986])": the
     * default port and an empty one are no port; userinfo is refused */
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/",
              "host", "example.com:443");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com:", ":path", "/",
              "host", "example.com:80");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com", ":path", "/",
              "host", "example.com:443");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "https", ":authority", "user@example.com", ":path", "/");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers host: example.com:443 !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es problems=0800\n" MALFORMED(7)));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.1: "scheme-based normalization (see Section 6.2.3 of [RFC3986])"
 * drops only the scheme's default port (RFC 9110 §4.2.1: 80 for http,
 * §4.2.2: 443 for https): any other port names another entity than the
 * host alone, so host and :authority differ. */
static void test_host_port_other_than_default_differs(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/",
              "host", "example.com:80");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com", ":path", "/",
              "host", "example.com:81");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "https", ":authority", "example.com:444", ":path", "/",
              "host", "example.com");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com:8", ":path", "/",
              "host", "example.com");
    w_headers(&w, 9, 1, ":method", "GET", ":scheme", "https", ":authority", "example.com:44", ":path", "/",
              "host", "example.com");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers host: example.com:80 !HOST_MISMATCH\n"
                                  "hend s=1 headers es problems=2000\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers host: example.com:81 !HOST_MISMATCH\n"
                                  "hend s=3 headers es problems=2000\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "h s=5 headers host: example.com !HOST_MISMATCH\n"
                                  "hend s=5 headers es problems=2000\n" MALFORMED(5)));
    assert_non_null(strstr(r.t.s, "h s=7 headers host: example.com !HOST_MISMATCH\n"
                                  "hend s=7 headers es problems=2000\n" MALFORMED(7)));
    assert_non_null(strstr(r.t.s, "h s=9 headers host: example.com !HOST_MISMATCH\n"
                                  "hend s=9 headers es problems=2000\n" MALFORMED(9)));
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §4.2.1: "A sender MUST NOT generate an "http" URI with an empty
 * host identifier. A recipient that processes such a URI reference MUST
 * reject it as invalid." — an empty host field names no host (§8.3.1 lets
 * a request carry its host in host instead of :authority). */
static void test_empty_host_field_is_invalid(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":path", "/", "host", "");
    r = expect_events(&w, &(h2f_conn_options){.validate_http = 1}, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :method: GET\n"
                      "h s=1 headers :scheme: http\n"
                      "h s=1 headers :path: /\n"
                      "h s=1 headers host:  !PSEUDO_INVALID\n"
                      "hend s=1 headers es problems=0800\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

/* A field value is a view (h2f_bytes) into the caller's octets, which go
 * on before and after it: the host checks read only within the view. Each
 * host here sits just after a ':' in its buffer, so a check that looked one
 * octet before it would take "443" for ":443" (https), "80" for ":80"
 * (http) and "" for ":" — and call host and :authority different (§8.3.1
 * compares the fields' values, nothing around them). */
static h2f_bytes B(const char *s)
{
    return (h2f_bytes){(const uint8_t *)s, strlen(s)};
}

/* h2f__http_status (hpack_internal.h) reads RFC 9110 §15's status code: a
 * three-digit integer whose first digit is its class, 1 to 9 (no class 0).
 * Every digit's place and both ends of each digit range count; anything
 * else is 0, which the checks call invalid. */
static void test_status_code_is_three_digits(void **state)
{
    static const struct {
        const char *v;
        uint32_t n;
    } cases[] = {{"100", 100}, {"200", 200}, {"210", 210}, {"204", 204}, {"999", 999},
                 {"199", 199}, {"909", 909}, {"099", 0},   {"000", 0},   {":00", 0},
                 {"/00", 0},   {"2:0", 0},   {"2/0", 0},   {"20:", 0},   {"20/", 0},
                 {"20", 0},    {"2000", 0},  {"", 0},      {" 200", 0}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(h2f__http_status(B(cases[i].v)), cases[i].n);
}

static void test_host_read_only_within_its_view(void **state)
{
    static const struct {
        const char *scheme, *buf;
    } cases[] = {{"https", ":443"}, {"http", ":80"}, {"http", ":"}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h2f__http_block b;
        const char *v = cases[i].buf + 1;
        h2f_bytes host = B(v);
        uint32_t r;
        h2f__http_begin(&b, H2F__MSG_REQUEST, 0, 0, 0);
        h2f__http_field(&b, B(":method"), B("GET"));
        h2f__http_field(&b, B(":scheme"), B(cases[i].scheme));
        h2f__http_field(&b, B(":authority"), host);
        h2f__http_field(&b, B(":path"), B("/"));
        r = h2f__http_field(&b, B("host"), host);
        assert_int_equal(r & H2F_HTTP_HOST_MISMATCH, 0);
    }
}

/* §8.3.1's comparison of host with :authority, normalized (RFC 3986
 * §6.2.3), holds for an :authority of 256 octets, all of which http.c
 * keeps; a longer one is kept in part and compared as sent, still telling
 * a different host. */
static void test_host_and_long_authority(void **state)
{
    char name[253], auth256[262], auth257[262], other[262];
    const char *nv1[] = {":method", "GET", ":scheme", "https", ":authority", auth256, ":path", "/",
                         "host", name, NULL};
    const char *nv3[] = {":method", "GET", ":scheme", "https", ":authority", auth257, ":path", "/",
                         "host", auth257, NULL};
    const char *nv5[] = {":method", "GET", ":scheme", "https", ":authority", auth257, ":path", "/",
                         "host", other, NULL};
    wire w;
    conn_result r;
    (void)state;
    memset(name, 'a', 252);
    memcpy(name + 248, ".com", 5);                          /* 252 octets */
    snprintf(auth256, sizeof auth256, "%s:443", name);      /* 256 */
    snprintf(auth257, sizeof auth257, "b%s:443", name);     /* 257 */
    snprintf(other, sizeof other, "c%s:443", name);         /* 257, the first octet differs */
    client_start(&w);
    w_headers_list(&w, 1, 1, nv1);
    w_headers_list(&w, 3, 1, nv3);
    w_headers_list(&w, 5, 1, nv5);
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers es\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, ":443 !HOST_MISMATCH\nhend s=5 headers es problems=2000\n" MALFORMED(5)));
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §4.2.1 (as above): ":443" or ":" has a port, or an empty one,
 * but an empty host: invalid in :authority and in host. The two are still
 * compared after §8.3.1's scheme-based normalization (RFC 3986 §6.2.3: an
 * empty port and the default one are no port), down to an authority that
 * is nothing else: ":443" (https), ":80" (http) and ":" all equal ":". */
static void test_empty_host_with_port_is_invalid(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "https", ":authority", ":443", ":path", "/", "host", ":");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", ":80", ":path", "/", "host", ":");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", ":", ":path", "/", "host", ":80");
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "http", ":path", "/", "host", ":80");
    w_headers(&w, 9, 1, ":method", "GET", ":scheme", "https", ":authority", "a:443", ":path", "/", "host", "a:");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :authority: :443 !PSEUDO_INVALID\n"
                                  "h s=1 headers :path: /\n"
                                  "h s=1 headers host: : !PSEUDO_INVALID\n"
                                  "hend s=1 headers es problems=0800\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers :authority: :80 !PSEUDO_INVALID\n"
                                  "h s=3 headers :path: /\n"
                                  "h s=3 headers host: : !PSEUDO_INVALID\n"
                                  "hend s=3 headers es problems=0800\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "h s=5 headers :authority: : !PSEUDO_INVALID\n"
                                  "h s=5 headers :path: /\n"
                                  "h s=5 headers host: :80 !PSEUDO_INVALID\n"
                                  "hend s=5 headers es problems=0800\n" MALFORMED(5)));
    assert_non_null(strstr(r.t.s, "h s=7 headers host: :80 !PSEUDO_INVALID\n"
                                  "hend s=7 headers es problems=0800\n" MALFORMED(7)));
    /* a host of one octet and a port: a valid pair, the same entity */
    assert_non_null(strstr(r.t.s, "h s=9 headers host: a:\nhend s=9 headers es\nend s=9 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* :method is a token (RFC 9110 §9.1), :scheme a scheme (RFC 3986 §3.1). */
static void test_method_and_scheme_syntax(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "G T", ":scheme", "http", ":authority", "a", ":path", "/");
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "", ":authority", "a", ":path", "/");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "1http", ":authority", "a", ":path", "/");
    w_headers(&w, 7, 1, ":method", "M-SEARCH", ":scheme", "coap+tcp", ":authority", "a", ":path", "/");
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers :method: G T !PSEUDO_INVALID\n"));
    assert_non_null(strstr(r.t.s, "h s=3 headers :scheme:  !PSEUDO_INVALID\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers :scheme: 1http !PSEUDO_INVALID\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es\nend s=7 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §9.1: "method = token", §5.6.2: "token = 1*tchar": one
 * character is a method, none is not (RFC 9113 §8.3.1: "exactly one valid
 * value for the ":method""). */
static void test_method_token_is_one_or_more_tchar(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "", ":scheme", "http", ":authority", "a", ":path", "/");
    w_headers(&w, 3, 1, ":method", "X", ":scheme", "http", ":authority", "a", ":path", "/");
    r = expect_events(&w, &(h2f_conn_options){.validate_http = 1}, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :method:  !PSEUDO_INVALID\n"
                      "h s=1 headers :scheme: http\n"
                      "h s=1 headers :authority: a\n"
                      "h s=1 headers :path: /\n"
                      "hend s=1 headers es problems=0800\n" MALFORMED(1)
                      "h s=3 headers :method: X\n"
                      "h s=3 headers :scheme: http\n"
                      "h s=3 headers :authority: a\n"
                      "h s=3 headers :path: /\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §5.6.2: "tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
 * "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA": all of them,
 * the ends of each range included, make a method; every other visible
 * character (the delimiters of §5.6.2) does not. */
static void test_method_tchars(void **state)
{
    static const char *const bad[] = {"G\"T", "G(T", "G)T", "G,T", "G/T", "G:T", "G;T", "G<T", "G=T",
                                      "G>T", "G?T", "G@T", "G[T", "G]T", "G{T", "G}T", "/GET", "GET{",
                                      "G\\T"};
    /* as the trace shows them: the backslash, last, as \x5c */
    static const char *const shown[] = {"G\"T", "G(T", "G)T", "G,T", "G/T", "G:T", "G;T", "G<T", "G=T",
                                        "G>T", "G?T", "G@T", "G[T", "G]T", "G{T", "G}T", "/GET", "GET{",
                                        "G\\x5cT"};
    wire w;
    conn_result r;
    size_t i;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "azAZ09!#$%&'*+-.^_`|~", ":scheme", "http", ":authority", "a",
              ":path", "/");
    r = expect_events(&w, &(h2f_conn_options){.validate_http = 1}, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :method: azAZ09!#$%&'*+-.^_`|~\n"
                      "h s=1 headers :scheme: http\n"
                      "h s=1 headers :authority: a\n"
                      "h s=1 headers :path: /\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[128];
        const char *nv[] = {":method", bad[i], ":scheme", "http", ":authority", "a", ":path", "/", NULL};
        client_start(&w);
        w_headers_list(&w, 1, 1, nv);
        r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
        snprintf(line, sizeof line, "h s=1 headers :method: %s !PSEUDO_INVALID\n", shown[i]);
        assert_non_null(strstr(r.t.s, line));
        assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=0800\n" MALFORMED(1)));
        free(r.t.s);
        w_free(&w);
    }
}

/* §8.4: a promised request's method is safe and cacheable; "If a client
 * receives a PUSH_PROMISE that ... identifies a method that is not safe, it
 * MUST respond on the promised stream with a stream error (Section 5.4.2)
 * of type PROTOCOL_ERROR." */
static void test_promised_request_must_be_get_or_head(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    (void)state;
    server_start(&w);
    w_push_promise(&w, 1, 2, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/x");
    w_push_promise(&w, 1, 4, ":method", "HEAD", ":scheme", "http", ":authority", "a", ":path", "/y");
    r = run_conn(w.b, w.n, &o, open_1);
    assert_non_null(strstr(r.t.s, "h s=1 p=2 promise :method: POST !PSEUDO_INVALID\n"));
    assert_non_null(strstr(r.t.s, "hend s=1 promise problems=0800\n"
                                  "err s=2 PROTOCOL_ERROR ERR_PROTOCOL (malformed message: see the problems "
                                  "of H2F_EV_HEADERS_END (RFC 9113 §8.2, §8.3))\n"
                                  "end s=2 error PROTOCOL_ERROR\n"));
    assert_non_null(strstr(r.t.s, "h s=1 p=4 promise :path: /y\nhend s=1 promise\n"));
    free(r.t.s);
    w_free(&w);
}

/* §8.3.2: ":status" is required in a response; a 3-digit code; §8.6:
 * no 101 in HTTP/2. */
static void test_response_status(void **state)
{
    static const char *const bad[] = {"20", "2000", "abc", "101", "099", "600", "999", "2/0", "20:", "2:0", "20/"};
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    wire w;
    conn_result r;
    size_t i;
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, "content-type", "text/plain");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers content-type: text/plain\n"
                      "hend s=1 headers es problems=0400\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *nv[] = {":status", bad[i], NULL};
        const char *kind = i == 3 ? "1xx" : "headers"; /* 101 is 1xx, and banned */
        char expected[512];
        server_start(&w);
        w_headers_list(&w, 1, 1, nv);
        snprintf(expected, sizeof expected,
                 "frame SETTINGS s=0\n"
                 "h s=1 %s :status: %s !PSEUDO_INVALID\n"
                 "hend s=1 %s es problems=0800\n" MALFORMED(1),
                 kind, bad[i], kind);
        r = expect_events(&w, &o, open_1, expected);
        free(r.t.s);
        w_free(&w);
    }
}

/* RFC 9110 §15: "Values outside the range 100..599 are invalid"; inside
 * it, a 9 in the tens or the units is a digit like any other; a 1xx is
 * informational (RFC 9113 §8.1) and the final response follows it. */
static void test_response_status_every_digit_accepted(void **state)
{
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    wire w;
    conn_result r;
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "199");
    w_headers(&w, 1, 1, ":status", "599");
    w_headers(&w, 3, 1, ":status", "209");
    r = expect_events(&w, &o, open_1_and_3,
                      "frame SETTINGS s=0\n"
                      "h s=1 1xx :status: 199\n"
                      "hend s=1 1xx\n"
                      "h s=1 headers :status: 599\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n"
                      "h s=3 headers :status: 209\n"
                      "hend s=3 headers es\n"
                      "end s=3 end_stream\n");
    free(r.t.s);
    w_free(&w);
}

/* All of a block's problems are reported, not just the first. */
static void test_every_problem_of_a_block_is_reported(void **state)
{
    (void)state;
    expect_request_field("Connection", " close",
                         REQ_START "h s=1 headers Connection:  close !NAME_UPPERCASE\n"
                                   "hend s=1 headers es problems=0009\n" MALFORMED(1) REQ_3);
    {
        wire w;
        conn_result r;
        client_start(&w);
        w_headers(&w, 1, 1, "x-first", "1", ":method", "GET", ":method", "GET", "te", "gzip",
                  "keep-alive", "5", "X", "\tv");
        r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
        /* after-regular, duplicate, TE, connection-specific, uppercase,
         * whitespace, missing :scheme/:path */
        assert_non_null(strstr(r.t.s, "hend s=1 headers es problems=05b9\n" MALFORMED(1)));
        free(r.t.s);
        w_free(&w);
    }
}

/* §8.1.1: "A request or response is also malformed if the value of a
 * content-length header field does not equal the sum of the DATA frame
 * payload lengths that form the content". */
static void test_content_length_must_match_data(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_SERVER);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "4");
    w_data(&w, 1, "abcd", 4, 1); /* matches */
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "4");
    w_data(&w, 3, "abc", 3, 0);
    w_data(&w, 3, "de", 2, 1);   /* more than promised */
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "4");
    w_data(&w, 5, "abc", 3, 1);  /* less */
    w_headers(&w, 7, 1, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "4");
    r = run_conn(w.b, w.n, &o, NULL);
    assert_non_null(strstr(r.t.s, "data s=1 4 es abcd\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "data s=3 3 abc\n"
                                  "err s=3 PROTOCOL_ERROR ERR_PROTOCOL (more DATA than content-length "
                                  "(RFC 9113 §8.1.1))\nend s=3 error PROTOCOL_ERROR\n"));
    assert_non_null(strstr(r.t.s, "err s=5 PROTOCOL_ERROR ERR_PROTOCOL (content-length does not match "
                                  "the DATA received (RFC 9113 §8.1.1))\nend s=5 error PROTOCOL_ERROR\n"));
    assert_non_null(strstr(r.t.s, "hend s=7 headers es\n"
                                  "err s=7 PROTOCOL_ERROR ERR_PROTOCOL (content-length does not match "
                                  "the DATA received (RFC 9113 §8.1.1))\nend s=7 error PROTOCOL_ERROR\n"));
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §8.6: "Content-Length = 1*DIGIT", a decimal number of octets:
 * "10" and "12" are ten and twelve, matched by that much DATA (§8.1.1);
 * leading zeros change nothing. */
static void test_content_length_is_decimal(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_SERVER);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "10");
    w_data(&w, 1, "0123456789", 10, 1);
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/", "content-length", "012");
    w_data(&w, 3, "0123456789ab", 12, 1);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_non_null(strstr(r.t.s, "hend s=1 headers\ndata s=1 10 es 0123456789\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "hend s=3 headers\ndata s=3 12 es 0123456789ab\nend s=3 end_stream\n"));
    free(r.t.s);
    w_free(&w);
}

/* "... unless the message is defined as having no content. For example,
 * 204 or 304 responses contain no content, as does the response to a HEAD
 * request." */
static void test_content_length_of_messages_without_content(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", "content-length", "1000");
    r = expect_events(&w, &o, open_1_head,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers content-length: 1000\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "304", "content-length", "1000");
    r = expect_events(&w, &o, open_1,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 304\n"
                      "h s=1 headers content-length: 1000\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
}

static void test_content_length_not_a_number(void **state)
{
    (void)state;
    expect_request_field("content-length", "12a",
                         REQ_START "h s=1 headers content-length: 12a !CONTENT_LENGTH\n"
                                   "hend s=1 headers es problems=1000\n" MALFORMED(1) REQ_3);
    expect_request_field("content-length", "",
                         REQ_START "h s=1 headers content-length:  !CONTENT_LENGTH\n"
                                   "hend s=1 headers es problems=1000\n" MALFORMED(1) REQ_3);
}

/* RFC 9110 §8.6: "Content-Length = 1*DIGIT", and "a recipient MUST
 * anticipate potentially large decimal numerals and prevent parsing errors
 * due to integer conversion overflows": 19 digits fit in 64 bits and are
 * taken (a HEAD response, so no DATA is counted); 20 nines would overflow,
 * and the field is invalid (RFC 9113 §8.1.1: malformed). */
static void test_content_length_large_numerals(void **state)
{
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    wire w;
    conn_result r;
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", "content-length", "9999999999999999999");
    r = expect_events(&w, &o, open_1_head,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers content-length: 9999999999999999999\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
    server_start(&w);
    w_headers(&w, 1, 1, ":status", "200", "content-length", "99999999999999999999");
    r = expect_events(&w, &o, open_1_head,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers :status: 200\n"
                      "h s=1 headers content-length: 99999999999999999999 !CONTENT_LENGTH\n"
                      "hend s=1 headers es problems=1000\n" MALFORMED(1));
    free(r.t.s);
    w_free(&w);
}

/* §8.1.1: "204 or 304 responses contain no content, as does the response
 * to a HEAD request": DATA on one is malformed. */
static void test_data_on_response_without_content(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_CLIENT);
    (void)state;
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "200", "content-length", "3");
    w_data(&w, 1, "abc", 3, 1);
    r = run_conn(w.b, w.n, &o, open_1_head);
    assert_non_null(strstr(r.t.s, "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (DATA in a response that has no "
                                  "content (RFC 9113 §8.1.1))\n"));
    free(r.t.s);
    w_free(&w);
    server_start(&w);
    w_headers(&w, 1, 0, ":status", "204");
    w_data(&w, 1, "abc", 3, 1);
    r = run_conn(w.b, w.n, &o, open_1);
    assert_non_null(strstr(r.t.s, "err s=1 PROTOCOL_ERROR ERR_PROTOCOL (DATA in a response that has no "
                                  "content (RFC 9113 §8.1.1))\n"));
    free(r.t.s);
    w_free(&w);
}

/* Without validate_http none of this is looked at. */
static void test_validation_off_reports_nothing(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, "X-Bad", " v ", ":path", "", "connection", "close");
    r = expect_events(&w, &(h2f_conn_options){0}, NULL,
                      "frame SETTINGS s=0\n"
                      "h s=1 headers X-Bad:  v \n"
                      "h s=1 headers :path: \n"
                      "h s=1 headers connection: close\n"
                      "hend s=1 headers es\n"
                      "end s=1 end_stream\n");
    free(r.t.s);
    w_free(&w);
}

static void test_problem_names(void **state)
{
    static const char *const names[] = {
        "NAME_UPPERCASE", "NAME_INVALID", "VALUE_INVALID", "VALUE_WHITESPACE",
        "CONNECTION_SPECIFIC", "TE", "PSEUDO_UNKNOWN", "PSEUDO_AFTER_REGULAR",
        "PSEUDO_DUPLICATE", "PSEUDO_IN_TRAILERS", "PSEUDO_MISSING", "PSEUDO_INVALID",
        "CONTENT_LENGTH"};
    uint32_t i;
    (void)state;
    for (i = 0; i < 13; i++)
        assert_string_equal(h2f_http_problem_name(1u << i), names[i]);
    assert_string_equal(h2f_http_problem_name(1u << 13), "HOST_MISMATCH");
    assert_string_equal(h2f_http_problem_name(H2F_HTTP_TE | H2F_HTTP_CONTENT_LENGTH), "TE");
    assert_null(h2f_http_problem_name(0));
    assert_null(h2f_http_problem_name(1u << 14));
}

/* ---- issue 15: gaps 1-10 ---- */

/* §8.3.1: "A server SHOULD treat a request as malformed if it contains a
 * Host header field that identifies an entity that differs from the entity
 * in the ":authority" pseudo-header field." — compared octet by octet when
 * the two are as long as each other, the host's letters without regard to
 * case (RFC 3986 §6.2.2.1: 'A' to 'Z' on either side, the ends of the
 * range included), and nothing else folded ('@' and '[' are not '`' and
 * '{'). */
static void test_host_and_authority_same_length_compared(void **state)
{
    wire w;
    conn_result r;
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 1, ":method", "GET", ":scheme", "http", ":authority", "example.com", ":path", "/",
              "host", "example.org"); /* as long, different */
    w_headers(&w, 3, 1, ":method", "GET", ":scheme", "http", ":authority", "za.example", ":path", "/",
              "host", "ZA.EXAMPLE");
    w_headers(&w, 5, 1, ":method", "GET", ":scheme", "http", ":authority", "AZ.example", ":path", "/",
              "host", "az.example");
    /* 0x40 and 0x5b, each side of the letters, are no letters */
    w_headers(&w, 7, 1, ":method", "GET", ":scheme", "http", ":authority", "x`.example", ":path", "/",
              "host", "x@.example");
    w_headers(&w, 9, 1, ":method", "GET", ":scheme", "http", ":authority", "x@.example", ":path", "/",
              "host", "x`.example");
    w_headers(&w, 11, 1, ":method", "GET", ":scheme", "http", ":authority", "x{.example", ":path", "/",
              "host", "x[.example");
    w_headers(&w, 13, 1, ":method", "GET", ":scheme", "http", ":authority", "x[.example", ":path", "/",
              "host", "x{.example");
    w_headers(&w, 15, 1, ":method", "GET", ":scheme", "http", ":authority", "a.example", ":path", "/",
              "host", "b.example"); /* the first octet */
    w_headers(&w, 17, 1, ":method", "GET", ":scheme", "http", ":authority", "example.a", ":path", "/",
              "host", "example.b"); /* the last */
    r = run_conn(w.b, w.n, &(h2f_conn_options){.validate_http = 1}, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers host: example.org !HOST_MISMATCH\n"
                                  "hend s=1 headers es problems=2000\n" MALFORMED(1)));
    assert_non_null(strstr(r.t.s, "h s=3 headers host: ZA.EXAMPLE\nhend s=3 headers es\nend s=3 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=5 headers host: az.example\nhend s=5 headers es\nend s=5 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=7 headers host: x@.example !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "h s=9 headers host: x`.example !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "h s=11 headers host: x[.example !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "h s=13 headers host: x{.example !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "h s=15 headers host: b.example !HOST_MISMATCH\n"));
    assert_non_null(strstr(r.t.s, "h s=17 headers host: example.b !HOST_MISMATCH\n"));
    free(r.t.s);
    w_free(&w);
}

/* RFC 9110 §8.6: a Content-Length field repeated with the same value may be
 * taken as one ("a recipient MAY ... replace the duplicated field values
 * with a single valid Content-Length field"); with different values the
 * message is invalid, and RFC 9113 §8.1.1 makes it malformed (a stream
 * PROTOCOL_ERROR). */
static void test_content_length_repeated(void **state)
{
    wire w;
    conn_result r;
    h2f_conn_options o = vopts(H2F_ROLE_SERVER);
    (void)state;
    client_start(&w);
    w_headers(&w, 1, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/",
              "content-length", "4", "content-length", "4");
    w_data(&w, 1, "abcd", 4, 1);
    w_headers(&w, 3, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/",
              "content-length", "4", "content-length", "5");
    w_data(&w, 3, "abcd", 4, 1);
    w_headers(&w, 5, 0, ":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/",
              "content-length", "5", "content-length", "4");
    w_data(&w, 5, "abcd", 4, 1);
    r = run_conn(w.b, w.n, &o, NULL);
    assert_non_null(strstr(r.t.s, "h s=1 headers content-length: 4\n"
                                  "h s=1 headers content-length: 4\n"
                                  "hend s=1 headers\n"
                                  "data s=1 4 es abcd\nend s=1 end_stream\n"));
    assert_non_null(strstr(r.t.s, "h s=3 headers content-length: 4\n"
                                  "h s=3 headers content-length: 5 !CONTENT_LENGTH\n"
                                  "hend s=3 headers problems=1000\n" MALFORMED(3)));
    assert_non_null(strstr(r.t.s, "h s=5 headers content-length: 5\n"
                                  "h s=5 headers content-length: 4 !CONTENT_LENGTH\n"
                                  "hend s=5 headers problems=1000\n" MALFORMED(5)));
    assert_null(strstr(r.t.s, "data s=3"));
    assert_null(strstr(r.t.s, "data s=5"));
    free(r.t.s);
    w_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheme_characters_after_the_first),
        cmocka_unit_test(test_scheme_first_character_is_a_letter),
        cmocka_unit_test(test_scheme_and_te_trailers_case_insensitive),
        cmocka_unit_test(test_other_schemes_and_te_values_of_the_same_length),
        cmocka_unit_test(test_path_star_with_other_scheme_only_for_options),
        cmocka_unit_test(test_second_or_late_status_is_malformed),
        cmocka_unit_test(test_valid_request_has_no_problems),
        cmocka_unit_test(test_name_with_uppercase),
        cmocka_unit_test(test_name_with_invalid_octets),
        cmocka_unit_test(test_name_ranges_are_inclusive),
        cmocka_unit_test(test_value_with_cr_or_lf),
        cmocka_unit_test(test_value_with_nul),
        cmocka_unit_test(test_value_with_edge_whitespace),
        cmocka_unit_test(test_connection_specific_fields),
        cmocka_unit_test(test_te_other_than_trailers),
        cmocka_unit_test(test_pseudo_header_unknown_or_wrong_message),
        cmocka_unit_test(test_pseudo_header_name_characters),
        cmocka_unit_test(test_pseudo_header_after_regular_or_twice),
        cmocka_unit_test(test_pseudo_header_in_trailers),
        cmocka_unit_test(test_request_pseudo_headers_missing_or_invalid),
        cmocka_unit_test(test_observer_block_without_pseudo_headers),
        cmocka_unit_test(test_connect_requests),
        cmocka_unit_test(test_path_form),
        cmocka_unit_test(test_authority_and_host),
        cmocka_unit_test(test_host_port_other_than_default_differs),
        cmocka_unit_test(test_status_code_is_three_digits),
        cmocka_unit_test(test_host_read_only_within_its_view),
        cmocka_unit_test(test_host_and_long_authority),
        cmocka_unit_test(test_empty_host_field_is_invalid),
        cmocka_unit_test(test_empty_host_with_port_is_invalid),
        cmocka_unit_test(test_method_and_scheme_syntax),
        cmocka_unit_test(test_method_token_is_one_or_more_tchar),
        cmocka_unit_test(test_method_tchars),
        cmocka_unit_test(test_promised_request_must_be_get_or_head),
        cmocka_unit_test(test_response_status),
        cmocka_unit_test(test_response_status_every_digit_accepted),
        cmocka_unit_test(test_every_problem_of_a_block_is_reported),
        cmocka_unit_test(test_content_length_must_match_data),
        cmocka_unit_test(test_content_length_is_decimal),
        cmocka_unit_test(test_content_length_of_messages_without_content),
        cmocka_unit_test(test_content_length_not_a_number),
        cmocka_unit_test(test_content_length_large_numerals),
        cmocka_unit_test(test_data_on_response_without_content),
        cmocka_unit_test(test_validation_off_reports_nothing),
        cmocka_unit_test(test_problem_names),
        /* ---- issue 15: gaps 1-10 ---- */
        cmocka_unit_test(test_host_and_authority_same_length_compared),
        cmocka_unit_test(test_content_length_repeated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
