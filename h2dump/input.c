/*
 * Is a raw input HTTP/2 at all? Given a text file, a TLS recording or an
 * HTTP/1.1 request, the frame reader would take its first nine octets as a
 * frame header and report one UNKNOWN frame of some megabytes. Better to
 * say what the input is not, before dumping anything.
 *
 * One direction of a connection starts, from its first octet, with
 *   - the client preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 §3.4),
 *     the client's side; or
 *   - a SETTINGS frame: the server's connection preface is a SETTINGS frame
 *     (§3.4), not an acknowledgement, so the server's side starts
 *     00 LL LL 04 00 00 00 00 00 with a length that is a multiple of 6
 *     (§6.5).
 * Anything else is refused unless --mid says the input may begin anywhere.
 */
#include <string.h>

#include "internal.h"

/* The octets so far agree with a SETTINGS frame header on stream 0. */
static int settings_start(const uint8_t *p, size_t n)
{
    size_t i;
    uint32_t len;
    if (n < 3)
        return p[0] == 0; /* a length over 65535 would be a strange first frame */
    len = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    if (len % 6 != 0)
        return 0;
    if (n > 3 && p[3] != H2F_SETTINGS)
        return 0;
    if (n > 4 && p[4] != 0) /* the preface's SETTINGS is no ACK */
        return 0;
    for (i = 5; i < 9 && i < n; i++)
        if ((p[i] & (i == 5 ? 0x7f : 0xff)) != 0) /* the reserved bit is ignored (§4.1) */
            return 0;
    return 1;
}

/* An HTTP/1.x request line ("GET /x HTTP/1.1": a method token, then SP)
 * or a status line ("HTTP/1.1 200 OK"). */
static int looks_like_http1(const uint8_t *p, size_t n)
{
    size_t i;
    if (n >= 7 && memcmp(p, "HTTP/1.", 7) == 0)
        return 1;
    for (i = 0; i < n && i < 20; i++) {
        if (p[i] == ' ')
            return i > 0;
        if (!((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '-' || p[i] == '_'))
            return 0;
    }
    return 0;
}

const char *h2dump_input_problem(const h2dump_options *o, const uint8_t *in, size_t len)
{
    size_t k = len < H2F_PREFACE_LEN ? len : H2F_PREFACE_LEN;
    h2f_frame_header hd;
    if (o->input == H2DUMP_INPUT_HPACK)
        return NULL; /* lines of hex: --hpack says what is wrong with them */
    if (len == 0)
        return "empty input";
    if (o->input == H2DUMP_INPUT_AUTO && h2d_is_capture(in, len))
        return NULL;
    if (memcmp(in, H2F_PREFACE, k) == 0 || o->any_first || settings_start(in, len))
        return NULL;
    if (h2d_is_capture(in, len)) /* --raw */
        return "not HTTP/2: no connection preface (a capture file: read as one without --raw)";
    if (looks_like_http1(in, len))
        return "not HTTP/2: no connection preface (looks like HTTP/1.1)";
    /* a TLS record: handshake (22), version 3.x (RFC 8446 §5.1) */
    if (len >= 2 && in[0] == 0x16 && in[1] == 0x03)
        return "not HTTP/2: no connection preface (looks like TLS: h2dump reads cleartext HTTP/2)";
    if (h2f_frame_header_decode(in, len, &hd) == H2F_OK && hd.type <= H2F_CONTINUATION &&
        hd.length <= 16384)
        return "not HTTP/2: no connection preface, and the first frame is not SETTINGS (--mid "
               "reads an input that starts mid-connection)";
    return "not HTTP/2: no connection preface";
}
