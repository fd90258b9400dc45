/*
 * --hpack: header blocks given as hex, one block per line, decoded in order
 * by one HPACK decoder (RFC 7541), as the blocks of one direction of a
 * connection would be. Lines:
 *
 *   82 86 84 41 0f 77 77 77 ...   a block (spaces anywhere, any case)
 *   # table_size N                our SETTINGS_HEADER_TABLE_SIZE is now N,
 *                                 acknowledged by the peer (RFC 9113 §6.5.3)
 *   # anything else, blank lines  ignored
 *
 * A table_size before the first block is the size the examples start with
 * (RFC 7541 Appendix C.5 and C.6 use 256 with no size update in the block):
 * h2dump applies it, then decodes (without printing) a block holding just
 * a size update to N — what an encoder sends first after the setting
 * changes (§4.2) — so the table is at N from the first real block. A later
 * table_size is a change mid-connection: if it lowers the size, the next
 * block must begin with a size update (RFC 9113 §4.3.1), as on the wire.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_TABLE_SIZE (1u << 20) /* the largest table_size h2dump follows */

static int hexdigit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Hex digits of a line into out (which holds n/2 octets). -1 on a bad
 * character or an odd number of digits. */
static long parse_hex(const uint8_t *p, size_t n, uint8_t *out)
{
    size_t i, k = 0;
    int hi = -1;
    for (i = 0; i < n; i++) {
        int v;
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')
            continue;
        v = hexdigit(p[i]);
        if (v < 0)
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            out[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? (long)k : -1;
}

/* "# table_size N": N, or -1 if the line is another comment. */
static long table_size_line(const uint8_t *p, size_t n)
{
    static const char key[] = "table_size";
    size_t i = 1, k;
    unsigned long v = 0;
    while (i < n && p[i] == ' ')
        i++;
    if (n - i < sizeof key - 1 || memcmp(p + i, key, sizeof key - 1) != 0)
        return -1;
    i += sizeof key - 1;
    while (i < n && p[i] == ' ')
        i++;
    for (k = i; k < n && p[k] >= '0' && p[k] <= '9' && v <= 0xffffffffu; k++)
        v = v * 10 + (unsigned long)(p[k] - '0');
    if (k == i || v > 0xffffffffu)
        return -2;
    return (long)v;
}

typedef struct hp {
    h2d_session *s;
    h2f_hpack_decoder d;
    unsigned long block;
    size_t line;
    int failed;
} hp;

static void print_table(hp *h)
{
    FILE *o = h->s->out;
    size_t i, n = h2f_hpack_decoder_table_len(&h->d);
    if (h->s->o->json) {
        fprintf(o, ",\"table_size\":%zu,\"table_max\":%zu,\"table_len\":%zu",
                h2f_hpack_decoder_table_size(&h->d), h2f_hpack_decoder_table_max(&h->d), n);
        if (!h->s->o->table)
            return;
        fputs(",\"table\":", o);
        h2d_json_table(o, &h->d);
        return;
    }
    fprintf(o, "  dynamic table: %zu %s, size %zu/%zu\n", n, h2d_plural(n, "entry", "entries"),
            h2f_hpack_decoder_table_size(&h->d), h2f_hpack_decoder_table_max(&h->d));
    if (!h->s->o->table)
        return;
    for (i = 1; i <= n; i++) {
        h2f_bytes name, value;
        if (h2f_hpack_decoder_entry(&h->d, i, &name, &value) != H2F_OK)
            break;
        fprintf(o, "    [%3zu] (s = %3zu) ", 61 + i, name.len + value.len + 32);
        h2d_text(o, name.ptr, name.len, 0);
        fputs(": ", o);
        h2d_text(o, value.ptr, value.len, 0);
        fputc('\n', o);
    }
}

/* A decoded field, kept for the JSON object (its views die at the next
 * decode call): the h2d_field with name and value in a pool. */
static void field_text(hp *h, const h2d_field *x, const uint8_t *name, const uint8_t *value)
{
    FILE *o = h->s->out;
    char rep[160];
    h2d_rep_text(rep, sizeof rep, x);
    if (x->rep == H2F_HPACK_SIZE_UPDATE) {
        fprintf(o, "  (dynamic table size update)  [%s]\n", rep);
        return;
    }
    fprintf(o, "  %s", h->s->c.name);
    h2d_text(o, name, x->name_len, 0);
    fprintf(o, "%s: ", h->s->c.off);
    h2d_text(o, value, x->value_len, 0);
    fprintf(o, "  [%s]\n", rep);
}

/* A decoding error: err.offset is where the field starts in its block. */
static void hp_error(hp *h, const h2f_error *e)
{
    FILE *o = h->s->out;
    const char *reason = e->reason ? e->reason : "";
    if (h->s->o->json) {
        fputs("{\"error\":", o);
        h2d_json_cstr(o, h2f_error_code_name(e->code));
        fputs(",\"scope\":", o);
        h2d_json_cstr(o, h2f_scope_name(e->scope));
        fprintf(o, ",\"block\":%lu,\"line\":%zu,\"offset\":%llu,\"reason\":", h->block, h->line,
                (unsigned long long)e->offset);
        h2d_json_cstr(o, reason);
        fputs("}\n", o);
        return;
    }
    fprintf(o, "%serror: %s (%s error) in block %lu (line %zu) at block offset %llu: %s%s\n",
            h->s->c.err, h2f_error_code_name(e->code), h2f_scope_name(e->scope), h->block, h->line,
            (unsigned long long)e->offset, reason, h->s->c.off);
}

/* Decodes one block: fields in order, then the table it leaves. */
static void decode_block(hp *h, const uint8_t *b, size_t n)
{
    FILE *o = h->s->out;
    h2d_fields c;
    h2f_error err;
    h2f_status st;
    int json = h->s->o->json, oom = 0;
    memset(&c, 0, sizeof c);
    h->block++;
    if (json)
        fprintf(o, "{\"block\":%lu,\"line\":%zu,\"length\":%zu", h->block, h->line, n);
    else
        fprintf(o, "block %lu (line %zu, %zu %s)\n", h->block, h->line, n,
                h2d_plural(n, "octet", "octets"));
    h2f_hpack_decode_feed(&h->d, b, n, 1);
    for (;;) {
        h2f_hpack_field f;
        st = h2f_hpack_decode_next(&h->d, &f, &err);
        if (st == H2F_OK) {
            if (h2d_fields_add(&c, &f, 0))
                oom = 1;
            else if (!json)
                field_text(h, &c.v[c.n - 1], c.pool.p + c.v[c.n - 1].name,
                           c.pool.p + c.v[c.n - 1].value);
            if (!json) { /* text needs nothing kept */
                c.n = 0;
                c.pool.len = 0;
            }
            continue;
        }
        if (st == H2F_ERR_LIMIT) /* over a limit: the rest is decoded silently */
            continue;
        break;
    }
    if (json)
        h2d_fields_json(o, &c);
    if (st == H2F_DONE)
        print_table(h);
    if (json)
        fputs("}\n", o);
    if (st != H2F_DONE) {
        hp_error(h, &err);
        h2d_session_rc(h->s, H2DUMP_EXIT_PROTOCOL);
        h->failed = 1; /* COMPRESSION_ERROR is sticky (RFC 7541 §2.3) */
    }
    if (oom)
        h2d_session_rc(h->s, H2DUMP_EXIT_USAGE);
    h2d_fields_free(&c);
}

static int set_table_size(hp *h, long v, int initial)
{
    uint8_t upd[8];
    size_t n = 0;
    uint32_t x;
    h2f_hpack_field f;
    h2f_error err;
    if (v < 0 || (unsigned long)v > MAX_TABLE_SIZE ||
        h2f_hpack_decoder_set_max_table_size(&h->d, (uint32_t)v) != H2F_OK)
        return -1;
    if (!initial)
        return 0;
    /* the size update an encoder sends first (RFC 7541 §6.3: 001 + 5-bit
     * prefix integer, §5.1) */
    x = (uint32_t)v;
    if (x < 31) {
        upd[n++] = (uint8_t)(0x20 | x);
    } else {
        upd[n++] = 0x3f;
        x -= 31;
        while (x >= 128) {
            upd[n++] = (uint8_t)(x % 128 + 128);
            x /= 128;
        }
        upd[n++] = (uint8_t)x;
    }
    h2f_hpack_decode_feed(&h->d, upd, n, 1);
    while (h2f_hpack_decode_next(&h->d, &f, &err) == H2F_OK)
        ;
    return 0;
}

void h2d_hpack_run(h2d_session *s, const uint8_t *p, size_t n)
{
    hp h;
    h2f_hpack_decoder_options opt;
    size_t pos = 0;
    uint8_t *block = NULL;
    memset(&h, 0, sizeof h);
    h.s = s;
    memset(&opt, 0, sizeof opt);
    opt.report_size_updates = 1; /* a standalone decoder: §6.3 shown */
    opt.max_header_list_size = 1u << 20;
    opt.max_string_len = 1u << 20;
    if (h2f_hpack_decoder_init(&h.d, &opt, NULL) != H2F_OK) {
        h2d_session_rc(s, H2DUMP_EXIT_USAGE);
        return;
    }
    while (pos < n && !h.failed) {
        const uint8_t *line = p + pos, *nl = memchr(line, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - line) : n - pos, i = 0;
        pos += len + (nl != NULL);
        h.line++;
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i == len)
            continue;
        if (line[i] == '#') {
            long v = table_size_line(line + i, len - i);
            if (v == -1)
                continue;
            if (set_table_size(&h, v, h.block == 0) != 0) {
                h2d_note(s, 0, -1, "usage", "line %zu: table_size must be 0..%u", h.line,
                         MAX_TABLE_SIZE);
                h2d_session_rc(s, H2DUMP_EXIT_USAGE);
                break;
            }
            continue;
        }
        free(block);
        block = malloc(len / 2 + 1);
        if (!block) {
            h2d_session_rc(s, H2DUMP_EXIT_USAGE);
            break;
        }
        {
            long k = parse_hex(line + i, len - i, block);
            if (k < 0) {
                h2d_note(s, 0, -1, "usage", "line %zu: not a hex string", h.line);
                h2d_session_rc(s, H2DUMP_EXIT_USAGE);
                break;
            }
            decode_block(&h, block, (size_t)k);
        }
    }
    free(block);
    h2f_hpack_decoder_free(&h.d);
}
