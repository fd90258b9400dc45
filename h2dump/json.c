/*
 * Buffers and the escaping of bytes, for text and for JSON.
 *
 * Header values, DATA and debug data are octets from the wire: they may be
 * anything. Text output shows them so that a terminal is never fed a
 * control sequence; JSON output must stay valid JSON whatever they are
 * (RFC 8259 §7 requires control characters to be escaped and the text to
 * be Unicode; invalid UTF-8 is not), so every octet >= 0x7f is written as
 * \u00XX: the octet's value read as a code point (ISO 8859-1). A reader
 * recovers the exact octets by taking each code point as one byte.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int h2d_buf_add(h2d_buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len || !b->p) { /* p is never NULL after a call */
        size_t cap = b->cap ? b->cap : 256;
        uint8_t *q;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        q = realloc(b->p, cap);
        if (!q)
            return -1;
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

void h2d_buf_free(h2d_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

int h2d_pair_add(h2d_buf *b, const uint8_t *name, size_t nl, const uint8_t *value, size_t vl)
{
    uint32_t a = (uint32_t)nl, v = (uint32_t)vl;
    if (h2d_buf_add(b, &a, 4) || h2d_buf_add(b, name, nl) || h2d_buf_add(b, &v, 4) ||
        h2d_buf_add(b, value, vl))
        return -1;
    return 0;
}

int h2d_pair_next(const h2d_buf *b, size_t *pos, h2f_bytes *name, h2f_bytes *value)
{
    uint32_t nl, vl;
    if (*pos + 8 > b->len)
        return 0;
    memcpy(&nl, b->p + *pos, 4);
    memcpy(&vl, b->p + *pos + 4 + nl, 4);
    name->ptr = b->p + *pos + 4;
    name->len = nl;
    value->ptr = b->p + *pos + 8 + nl;
    value->len = vl;
    *pos += 8 + (size_t)nl + vl;
    return 1;
}

/* One [name, value] array. */
static void json_pair(FILE *o, int first, h2f_bytes name, h2f_bytes value)
{
    fputs(first ? "[" : ",[", o);
    h2d_json_str(o, name.ptr, name.len);
    fputc(',', o);
    h2d_json_str(o, value.ptr, value.len);
    fputc(']', o);
}

void h2d_json_pairs(FILE *o, const h2d_buf *b)
{
    size_t pos = 0;
    h2f_bytes name, value;
    int first = 1;
    fputc('[', o);
    while (h2d_pair_next(b, &pos, &name, &value)) {
        json_pair(o, first, name, value);
        first = 0;
    }
    fputc(']', o);
}

void h2d_json_table(FILE *o, const h2f_hpack_decoder *d)
{
    size_t i, n = h2f_hpack_decoder_table_len(d);
    h2f_bytes name, value;
    fputc('[', o);
    for (i = 1; i <= n && h2f_hpack_decoder_entry(d, i, &name, &value) == H2F_OK; i++) {
        if (h2f_hpack_decoder_entry_unknown(d, i)) { /* --mid: a name from before */
            fputs(i == 1 ? "[null," : ",[null,", o);
            h2d_json_str(o, value.ptr, value.len);
            fputc(']', o);
            continue;
        }
        json_pair(o, i == 1, name, value);
    }
    fputc(']', o);
}

const char *h2d_plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void h2d_text(FILE *o, const uint8_t *p, size_t n, size_t max)
{
    size_t i, shown = max && n > max ? max : n;
    for (i = 0; i < shown; i++) {
        uint8_t c = p[i];
        if (c == '\\')
            fputs("\\\\", o);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, o);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c == '\r')
            fputs("\\r", o);
        else if (c == '\t')
            fputs("\\t", o);
        else
            fprintf(o, "\\x%02x", c);
    }
    if (shown < n)
        fputs("...", o);
}

static void json_char(FILE *o, uint8_t c)
{
    switch (c) {
    case '"': fputs("\\\"", o); break;
    case '\\': fputs("\\\\", o); break;
    case '\n': fputs("\\n", o); break;
    case '\r': fputs("\\r", o); break;
    case '\t': fputs("\\t", o); break;
    case '\b': fputs("\\b", o); break;
    case '\f': fputs("\\f", o); break;
    default:
        if (c < 0x20 || c >= 0x7f)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
}

void h2d_json_str(FILE *o, const uint8_t *p, size_t n)
{
    size_t i;
    fputc('"', o);
    for (i = 0; i < n; i++)
        json_char(o, p[i]);
    fputc('"', o);
}

/* Well-formed UTF-8 (RFC 3629: no overlongs, surrogates or code points
 * above U+10FFFF)? */
static int utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t k, j;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            k = 1;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3;
        else
            return 0;
        if (n - i <= k)
            return 0;
        for (j = 1; j <= k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                return 0;
        if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) ||
            (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] > 0x8f))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* h2dump's own strings and the library's reasons ("RFC 9113 §6.7") are
 * UTF-8 text, written as such; anything else falls back to h2d_json_str. */
void h2d_json_cstr(FILE *o, const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i, n = strlen(s);
    if (!utf8_valid(p, n)) {
        h2d_json_str(o, p, n);
        return;
    }
    fputc('"', o);
    for (i = 0; i < n; i++) {
        if (p[i] >= 0x80)
            fputc(p[i], o);
        else
            json_char(o, p[i]);
    }
    fputc('"', o);
}

void h2d_hex(FILE *o, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        fprintf(o, "%02x", p[i]);
}
