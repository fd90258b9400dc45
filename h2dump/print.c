/*
 * A frame record as text (the default), as an annotated hex dump (--hex),
 * or as one JSON object (--json, schema in docs/h2dump-json.md).
 */
#include <string.h>

#include "internal.h"

const char *h2d_dir_name(int dir)
{
    return dir == 0 ? "C->S" : "S->C";
}

void h2d_prefix(h2d_session *s, int conn)
{
    /* conn 0: a line about the whole capture, no connection's */
    if (s->multi && conn > 0)
        fprintf(s->out, "#%d ", conn);
}

/* The start of a line of text about connection s->line_conn: "#n " when the
 * input has several connections, on every line (frame, field, annotation)
 * so that `grep '^#2 '` keeps all of connection 2. Returns the stream. */
static FILE *ln(h2d_session *s)
{
    h2d_prefix(s, s->line_conn);
    return s->out;
}

FILE *h2d_line(h2d_session *s)
{
    return ln(s);
}

static const char *type_name(uint8_t type, char *buf, size_t cap)
{
    const char *n = h2f_frame_type_name(type);
    if (n)
        return n;
    snprintf(buf, cap, "UNKNOWN(0x%02x)", type);
    return buf;
}

/* A flag bit has a name only on the types that define it (RFC 9113 §6);
 * other bits are shown as numbers ("MUST be ignored", §4.1). */
static const char *flag_name(uint8_t type, uint8_t bit)
{
    switch (bit) {
    case H2F_FLAG_END_STREAM:
        if (type == H2F_DATA || type == H2F_HEADERS)
            return "END_STREAM";
        if (type == H2F_SETTINGS || type == H2F_PING)
            return "ACK";
        return NULL;
    case H2F_FLAG_END_HEADERS:
        return type == H2F_HEADERS || type == H2F_PUSH_PROMISE || type == H2F_CONTINUATION
                   ? "END_HEADERS"
                   : NULL;
    case H2F_FLAG_PADDED:
        return type == H2F_DATA || type == H2F_HEADERS || type == H2F_PUSH_PROMISE ? "PADDED"
                                                                                  : NULL;
    case H2F_FLAG_PRIORITY:
        return type == H2F_HEADERS ? "PRIORITY" : NULL;
    default:
        return NULL;
    }
}

/* "END_STREAM|END_HEADERS", "none", undefined bits as "0x40" */
static void flags_str(char *buf, size_t cap, uint8_t type, uint8_t flags)
{
    unsigned bit;
    size_t n = 0;
    buf[0] = 0;
    if (!flags) {
        snprintf(buf, cap, "none");
        return;
    }
    for (bit = 1; bit < 0x100 && n < cap; bit <<= 1) {
        const char *name;
        if (!(flags & bit))
            continue;
        name = flag_name(type, (uint8_t)bit);
        if (name)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "|" : "", name);
        else
            n += (size_t)snprintf(buf + n, cap - n, "%s0x%02x", n ? "|" : "", bit);
    }
}

static void flags_text(FILE *o, uint8_t type, uint8_t flags)
{
    char buf[128];
    flags_str(buf, sizeof buf, type, flags);
    fputs(buf, o);
}

static const char *rep_name(h2f_hpack_rep rep)
{
    switch (rep) {
    case H2F_HPACK_INDEXED: return "indexed";
    case H2F_HPACK_INCREMENTAL: return "incremental";
    case H2F_HPACK_WITHOUT_INDEXING: return "without_indexing";
    case H2F_HPACK_NEVER_INDEXED: return "never_indexed";
    case H2F_HPACK_SIZE_UPDATE: return "size_update";
    }
    return "unknown";
}

/* What --mid could not know: a reference to an entry of the dynamic table
 * from before the capture (unknown_history). */
#define UNKNOWN_ENTRY "from before the capture"

void h2d_rep_text(char *buf, size_t cap, const h2d_field *f)
{
    size_t n;
    const char *kind;
    switch (f->rep) {
    case H2F_HPACK_INDEXED: /* RFC 7541 §6.1 */
        snprintf(buf, cap, "indexed %u%s", (unsigned)f->index,
                 f->unknown ? ", " UNKNOWN_ENTRY : "");
        return;
    case H2F_HPACK_SIZE_UPDATE: /* §6.3 */
        snprintf(buf, cap, "size update %u", (unsigned)f->size);
        return;
    case H2F_HPACK_INCREMENTAL: kind = "literal, incremental indexing"; break; /* §6.2.1 */
    case H2F_HPACK_WITHOUT_INDEXING: kind = "literal, without indexing"; break; /* §6.2.2 */
    default: kind = "literal, never indexed"; break;                            /* §6.2.3 */
    }
    n = (size_t)snprintf(buf, cap, "%s", kind);
    if (n >= cap)
        return;
    if (f->index)
        n += (size_t)snprintf(buf + n, cap - n, ", name index %u%s", (unsigned)f->index,
                              f->unknown ? " " UNKNOWN_ENTRY : "");
    else if (f->name_huffman)
        n += (size_t)snprintf(buf + n, cap - n, ", new name huffman %u\u2192%zu",
                              (unsigned)f->name_wire_len, f->name_len);
    else
        n += (size_t)snprintf(buf + n, cap - n, ", new name raw %zu", f->name_len);
    if (n >= cap)
        return;
    if (f->value_huffman) /* octets on the wire -> octets decoded (§5.2) */
        snprintf(buf + n, cap - n, ", huffman %u\u2192%zu", (unsigned)f->value_wire_len,
                 f->value_len);
    else
        snprintf(buf + n, cap - n, ", raw %zu", f->value_len);
}

void h2d_rep_json(FILE *o, const h2d_field *f)
{
    fprintf(o, "\"rep\":\"%s\"", rep_name(f->rep));
    if (f->rep == H2F_HPACK_SIZE_UPDATE) {
        fprintf(o, ",\"size\":%u", (unsigned)f->size);
    } else if (f->rep == H2F_HPACK_INDEXED) {
        fprintf(o, ",\"index\":%u", (unsigned)f->index);
    } else {
        if (f->index)
            fprintf(o, ",\"name_index\":%u", (unsigned)f->index);
        else
            fprintf(o, ",\"name_huffman\":%s,\"name_wire_length\":%u",
                    f->name_huffman ? "true" : "false", (unsigned)f->name_wire_len);
        fprintf(o, ",\"value_huffman\":%s,\"value_wire_length\":%u",
                f->value_huffman ? "true" : "false", (unsigned)f->value_wire_len);
    }
    if (f->unknown)
        fputs(",\"unknown\":true", o);
    fprintf(o, ",\"block_offset\":%llu,\"wire_length\":%u", (unsigned long long)f->offset,
            (unsigned)f->wire_len);
}

/* A name or value: a JSON string, or null when unknown (--mid). */
static void json_part(FILE *o, const h2d_fields *fs, size_t at, size_t len, int unknown)
{
    if (unknown)
        fputs("null", o);
    else
        h2d_json_str(o, fs->pool.p + at, len);
}

/* ... as text: <unknown> (its [representation] says why). */
static void text_part(FILE *o, const uint8_t *p, size_t len, int unknown)
{
    if (unknown)
        fputs("<unknown>", o);
    else
        h2d_text(o, p, len, 0);
}

static const char *end_name(h2f_stream_end how)
{
    switch (how) {
    case H2F_END_STREAM: return "END_STREAM";
    case H2F_END_RESET: return "RST_STREAM";
    case H2F_END_GOAWAY: return "GOAWAY";
    case H2F_END_ERROR: return "STREAM_ERROR";
    }
    return "UNKNOWN";
}

static const char *block_name(int dir, h2f_block_kind k)
{
    switch (k) {
    case H2F_BLOCK_HEADERS: return dir == 0 ? "request" : "response";
    case H2F_BLOCK_INFORMATIONAL: return "informational";
    case H2F_BLOCK_TRAILERS: return "trailers";
    case H2F_BLOCK_PUSH_PROMISE: return "promised_request";
    }
    return "unknown";
}

/* ---- errors ---------------------------------------------------------------- */

void h2d_print_error(h2d_session *s, int conn, int dir, const h2f_error *e)
{
    char tb[32];
    const char *type = type_name(e->frame_type, tb, sizeof tb);
    const char *reason = e->reason ? e->reason : "";
    if (s->o->json) {
        FILE *o = s->out;
        fprintf(o, "{\"error\":");
        h2d_json_cstr(o, h2f_error_code_name(e->code));
        fprintf(o, ",\"error_code\":%u,\"status\":", (unsigned)e->code);
        h2d_json_cstr(o, h2f_status_name(e->status));
        fprintf(o, ",\"scope\":");
        h2d_json_cstr(o, h2f_scope_name(e->scope));
        fprintf(o, ",\"conn\":%d,\"dir\":\"%s\",\"offset\":%llu,\"frame_type\":", conn,
                h2d_dir_name(dir), (unsigned long long)e->offset);
        if (h2f_frame_type_name(e->frame_type))
            h2d_json_cstr(o, h2f_frame_type_name(e->frame_type));
        else
            fprintf(o, "%u", e->frame_type);
        fprintf(o, ",\"stream\":%u,\"reason\":", (unsigned)e->stream_id);
        h2d_json_cstr(o, reason);
        if (e->limit)
            fprintf(o, ",\"length\":%u,\"limit\":%u", (unsigned)e->length, (unsigned)e->limit);
        fprintf(o, "}\n");
        return;
    }
    h2d_prefix(s, conn);
    fprintf(s->out, "%serror: %s (%s error", s->c.err, h2f_error_code_name(e->code),
            h2f_scope_name(e->scope));
    if (e->scope == H2F_SCOPE_STREAM)
        fprintf(s->out, " on stream %u", (unsigned)e->stream_id);
    fprintf(s->out, ") in %s %s frame on stream %u at offset %llu: %s", h2d_dir_name(dir), type,
            (unsigned)e->stream_id, (unsigned long long)e->offset, reason);
    if (e->limit) /* the two sizes compared */
        fprintf(s->out, ": %u octets, the limit is %u", (unsigned)e->length, (unsigned)e->limit);
    fprintf(s->out, "%s\n", s->c.off);
}

/* ---- text ------------------------------------------------------------------ */

static void priority_text(h2d_session *s, const h2f_priority *p)
{
    /* the weight field is one less than the weight (RFC 9113 §6.3) */
    fprintf(ln(s), "    priority: depends on %u%s, weight %u\n", (unsigned)p->stream_dependency,
            p->exclusive ? " (exclusive)" : "", p->weight + 1u);
}

/* The frame carries a Pad Length (RFC 9113 §6.1, §6.2, §6.6). */
static int padded(const h2f_frame *f)
{
    return (f->hd.flags & H2F_FLAG_PADDED) &&
           (f->hd.type == H2F_DATA || f->hd.type == H2F_HEADERS || f->hd.type == H2F_PUSH_PROMISE);
}

static void payload_text(h2d_session *s, const h2d_record *r)
{
    FILE *o = s->out;
    const h2f_frame *f = &r->f;
    size_t i;
    if (padded(f))
        fprintf(ln(s), "    padding: %u %s\n", f->pad_length,
                h2d_plural(f->pad_length, "octet", "octets"));
    switch (f->hd.type) {
    case H2F_DATA:
        fprintf(ln(s), "    data: %zu %s", f->data.data.len,
                h2d_plural(f->data.data.len, "octet", "octets"));
        if (f->data.data.len) {
            fputs(" \"", o);
            h2d_text(o, f->data.data.ptr, f->data.data.len, 48);
            fputc('"', o);
        }
        fputc('\n', o);
        break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            priority_text(s, &f->headers.priority);
        break;
    case H2F_PRIORITY:
        priority_text(s, &f->priority.priority);
        break;
    case H2F_RST_STREAM:
        fprintf(ln(s), "    error code: %s (0x%x)\n", h2f_error_code_name(f->rst_stream.error_code),
                (unsigned)f->rst_stream.error_code);
        break;
    case H2F_SETTINGS:
        if (f->hd.flags & H2F_FLAG_ACK)
            fprintf(ln(s), "    acknowledges the peer's SETTINGS (RFC 9113 §6.5.3)\n");
        for (i = 0; i < f->settings.count; i++) {
            h2f_setting st = h2f_settings_get(f, i);
            const char *n = h2f_setting_name(st.id);
            if (n)
                fprintf(ln(s), "    %s (0x%x) = %u\n", n, st.id, (unsigned)st.value);
            else
                fprintf(ln(s), "    0x%x = %u (unknown setting, ignored: RFC 9113 §6.5.2)\n",
                        st.id, (unsigned)st.value);
        }
        break;
    case H2F_PUSH_PROMISE:
        fprintf(ln(s), "    promised stream: %u\n", (unsigned)f->push_promise.promised_stream_id);
        break;
    case H2F_PING:
        fputs("    opaque data: ", ln(s));
        h2d_hex(o, f->ping.opaque_data.ptr, f->ping.opaque_data.len);
        fputc('\n', o);
        break;
    case H2F_GOAWAY:
        fprintf(ln(s), "    last stream: %u, error code: %s (0x%x)\n",
                (unsigned)f->goaway.last_stream_id, h2f_error_code_name(f->goaway.error_code),
                (unsigned)f->goaway.error_code);
        if (f->goaway.debug_data.len) {
            fputs("    debug data: \"", ln(s));
            h2d_text(o, f->goaway.debug_data.ptr, f->goaway.debug_data.len, 256);
            fputs("\"\n", o);
        }
        break;
    case H2F_WINDOW_UPDATE:
        fprintf(ln(s), "    window size increment: %u (%s)\n",
                (unsigned)f->window_update.window_size_increment,
                f->hd.stream_id ? "stream" : "connection");
        break;
    case H2F_CONTINUATION:
        break;
    default:
        fprintf(ln(s), "    unknown frame type: %u %s ignored (RFC 9113 §4.1, §5.5)\n",
                (unsigned)f->hd.length, h2d_plural(f->hd.length, "octet", "octets"));
    }
}

static void grpc_annotation(h2d_session *s, const uint8_t *name, size_t nl, const uint8_t *v,
                            size_t vl)
{
    FILE *o = s->out;
    if (nl == 11 && memcmp(name, "grpc-status", 11) == 0) {
        const char *sn = h2d_grpc_status_name(v, vl);
        fprintf(ln(s), "      grpc status: %s\n", sn ? sn : "(not a known code)");
    } else if (nl == 12 && memcmp(name, "grpc-message", 12) == 0) {
        uint8_t buf[512];
        size_t n = h2d_percent_decode(v, vl < sizeof buf ? vl : sizeof buf, buf);
        fputs("      grpc message: \"", ln(s));
        h2d_text(o, buf, n, 0);
        fputs("\"\n", o);
    }
}

static void fields_text(h2d_session *s, const h2d_record *r)
{
    FILE *o = s->out;
    size_t i;
    char rep[160];
    for (i = 0; i < r->fields.n; i++) {
        const h2d_field *f = &r->fields.v[i];
        const uint8_t *name = r->fields.pool.p + f->name, *value = r->fields.pool.p + f->value;
        h2d_rep_text(rep, sizeof rep, f);
        if (f->rep == H2F_HPACK_SIZE_UPDATE) {
            fprintf(ln(s), "    %s(dynamic table size update)%s  [%s]\n", s->c.name, s->c.off, rep);
            continue;
        }
        fprintf(ln(s), "    %s", s->c.name);
        text_part(o, name, f->name_len, f->unknown & H2F_HPACK_UNKNOWN_NAME);
        fprintf(o, "%s: ", s->c.off);
        text_part(o, value, f->value_len, f->unknown & H2F_HPACK_UNKNOWN_VALUE);
        fprintf(o, "  [%s]", rep);
        if (f->problems) {
            uint32_t bit;
            fputs("  problems:", o);
            for (bit = 1; bit; bit <<= 1)
                if ((f->problems & bit) && h2f_http_problem_name(bit))
                    fprintf(o, " %s", h2f_http_problem_name(bit));
        }
        fputc('\n', o);
        if (s->o->grpc)
            grpc_annotation(s, name, f->name_len, value, f->value_len);
    }
}

static void table_text(h2d_session *s, const h2d_record *r)
{
    FILE *o = s->out;
    size_t i, n = h2f_hpack_decoder_table_len(r->hpack), pos = 0;
    h2f_bytes name, value;
    fprintf(ln(s), "    dynamic table: %zu %s, %zu/%zu %s (added %zu, evicted %zu)\n", n,
            h2d_plural(n, "entry", "entries"), h2f_hpack_decoder_table_size(r->hpack),
            h2f_hpack_decoder_table_max(r->hpack),
            h2d_plural(h2f_hpack_decoder_table_max(r->hpack), "octet", "octets"), r->added,
            r->evicted);
    for (i = 1; i <= n; i++) {
        if (h2f_hpack_decoder_entry(r->hpack, i, &name, &value) != H2F_OK)
            break;
        /* dynamic index i is HPACK index 61 + i (RFC 7541 §2.3.3) */
        fprintf(ln(s), "      [%zu] ", 61 + i);
        if (h2f_hpack_decoder_entry_unknown(r->hpack, i))
            fputs("<unknown>", o);
        else
            h2d_text(o, name.ptr, name.len, 0);
        fputs(": ", o);
        h2d_text(o, value.ptr, value.len, 0);
        fputs(i <= r->added ? "  (new)\n" : "\n", o);
    }
    if (h2f_hpack_decoder_history_unknown(r->hpack))
        fprintf(ln(s), "      [%zu...] entries from before the capture, if any: unknown\n", 62 + n);
    while (h2d_pair_next(&r->evicted_text, &pos, &name, &value)) {
        fputs("      evicted: ", ln(s));
        h2d_text(o, name.ptr, name.len, 0);
        fputs(": ", o);
        h2d_text(o, value.ptr, value.len, 0);
        fputc('\n', o);
    }
}

static void msgs_text(h2d_session *s, const h2d_record *r)
{
    FILE *o = s->out;
    size_t i;
    char pre[16] = "";
    if (s->multi && s->line_conn > 0)
        snprintf(pre, sizeof pre, "#%d ", s->line_conn);
    for (i = 0; i < r->nmsgs; i++) {
        const h2d_msg *m = &r->msgs[i];
        fprintf(ln(s), "    grpc message on stream %u: compressed %d, %u %s\n", (unsigned)m->stream,
                m->compressed, (unsigned)m->len, h2d_plural(m->len, "octet", "octets"));
        if (!m->kept)
            fprintf(ln(s), "      (not decoded: larger than %u octets)\n", H2D_GRPC_MAX_MESSAGE);
        else if (m->compressed)
            fprintf(ln(s), "      (compressed with the stream's grpc-encoding: not decoded)\n");
        else
            h2d_pb_text(o, pre, r->msgbytes.p + m->at, m->len, 6);
    }
}

static void ends_text(h2d_session *s, const h2d_record *r)
{
    size_t i;
    for (i = 0; i < r->nends; i++) {
        const h2d_end *e = &r->ends[i];
        switch (e->how) {
        case H2F_END_STREAM:
            fprintf(ln(s), "    stream %u: the sender's side ends (END_STREAM)\n",
                    (unsigned)e->stream);
            break;
        case H2F_END_RESET:
            if (e->after_end)
                fprintf(ln(s), "    stream %u: reset (RST_STREAM %s) by a sender no longer sending on "
                               "it: the stream closes for both sides\n",
                        (unsigned)e->stream, h2f_error_code_name(e->code));
            else
                fprintf(ln(s), "    stream %u: reset (RST_STREAM %s)\n", (unsigned)e->stream,
                        h2f_error_code_name(e->code));
            break;
        case H2F_END_GOAWAY:
            fprintf(ln(s),
                    "    stream %u: not processed by the sender of GOAWAY (%s), may be retried\n",
                    (unsigned)e->stream, h2f_error_code_name(e->code));
            break;
        case H2F_END_ERROR:
            fprintf(ln(s), "    stream %u: ended by a stream error (%s)\n", (unsigned)e->stream,
                    h2f_error_code_name(e->code));
            break;
        }
    }
    if (r->ends_lost)
        fprintf(ln(s), "    (%zu more %s ended)\n", r->ends_lost,
                h2d_plural(r->ends_lost, "stream", "streams"));
}

/* "[  0.001234] ": seconds since the capture's first packet, to the
 * microsecond, as nghttp -v shows times and Wireshark's default "seconds
 * since beginning of capture". A file whose clock goes back gives a
 * negative time. */
static void time_text(h2d_session *s, const h2d_when *w)
{
    const h2d_when *t0 = &s->t0;
    uint64_t sec;
    uint32_t nsec;
    const char *sign = "";
    if (!w->has_time || !t0->has_time)
        return;
    if (w->sec > t0->sec || (w->sec == t0->sec && w->nsec >= t0->nsec)) {
        sec = w->sec - t0->sec;
        if (w->nsec >= t0->nsec) {
            nsec = w->nsec - t0->nsec;
        } else {
            sec--;
            nsec = 1000000000u + w->nsec - t0->nsec;
        }
    } else {
        sign = "-";
        sec = t0->sec - w->sec;
        if (t0->nsec >= w->nsec) {
            nsec = t0->nsec - w->nsec;
        } else {
            sec--;
            nsec = 1000000000u + t0->nsec - w->nsec;
        }
    }
    fprintf(s->out, "[%s%3llu.%06u] ", sign, (unsigned long long)sec, (unsigned)(nsec / 1000));
}

/* ,"time":1700000000.000100,"packet":7 — the epoch time with every
 * decimal the file gives (a JSON number: a parser that reads it as a
 * double keeps about a microsecond of it today). */
static void time_json(FILE *o, const h2d_when *w)
{
    if (!w->packet)
        return;
    if (w->has_time) {
        uint32_t div = 1;
        int i;
        for (i = w->digits; i < 9; i++)
            div *= 10;
        fprintf(o, ",\"time\":%llu", (unsigned long long)w->sec);
        if (w->digits > 0)
            fprintf(o, ".%0*u", w->digits, (unsigned)(w->nsec / div));
    }
    fprintf(o, ",\"packet\":%llu", (unsigned long long)w->packet);
}

static void head_text(h2d_session *s, const h2d_conn *c, const h2d_record *r)
{
    FILE *o = s->out;
    char tb[32];
    h2d_prefix(s, c->id);
    time_text(s, &r->when);
    fprintf(o, "%8llu  %s  ", (unsigned long long)r->offset, h2d_dir_name(r->dir));
    if (r->preface) {
        fprintf(o, "%sclient connection preface%s (24 octets)\n", s->c.type, s->c.off);
        return;
    }
    if (!r->have_header) {
        fprintf(o, "%sincomplete%s: %zu %s, the input ends before a whole %s\n", s->c.err,
                s->c.off, r->len, h2d_plural(r->len, "octet", "octets"),
                r->want == H2F_PREFACE_LEN ? "preface" : "frame header");
        return;
    }
    fprintf(o, "%s%s%s  flags=", s->c.type, type_name(r->hd.type, tb, sizeof tb), s->c.off);
    flags_text(o, r->hd.type, r->hd.flags);
    fprintf(o, "  stream=%u  length=%u\n", (unsigned)r->hd.stream_id, (unsigned)r->hd.length);
    if (r->truncated)
        fprintf(ln(s), "    %sincomplete: %zu of %zu %s, the input ends%s\n", s->c.err, r->len,
                r->want, h2d_plural(r->want, "octet", "octets"), s->c.off);
}

/* ---- hex --------------------------------------------------------------------- */

/* One labelled byte range, 16 octets a line, the label on the first. */
static void hex_range(h2d_session *s, uint64_t at, const uint8_t *p, size_t n, const char *label)
{
    FILE *o = s->out;
    size_t i, j;
    if (!n)
        return;
    for (i = 0; i < n; i += 16) {
        size_t k = n - i < 16 ? n - i : 16;
        fprintf(ln(s), "      %08llx  ", (unsigned long long)(at + i));
        for (j = 0; j < 16; j++) {
            if (j < k)
                fprintf(o, "%02x ", p[i + j]);
            else
                fputs("   ", o);
        }
        fprintf(o, " %s\n", i == 0 ? label : "");
    }
}

/* A range of the frame, by its offset in the frame. */
#define RANGE(from, cnt, ...)                                                                      \
    do {                                                                                           \
        char lab_[320];                                                                            \
        size_t f_ = (from), c_ = (cnt);                                                            \
        if (f_ <= r->len && c_ <= r->len - f_) {                                                   \
            snprintf(lab_, sizeof lab_, __VA_ARGS__);                                              \
            hex_range(s, r->offset + f_, r->bytes + f_, c_, lab_);                                 \
        }                                                                                          \
    } while (0)

static size_t at_of(const h2d_record *r, const uint8_t *p)
{
    return p ? (size_t)(p - r->bytes) : 0;
}

static void hex_field_label(char *lab, size_t cap, const h2d_record *r, const h2d_field *f,
                            const char *note)
{
    char rep[160];
    size_t n;
    h2d_rep_text(rep, sizeof rep, f);
    if (f->rep == H2F_HPACK_SIZE_UPDATE) {
        snprintf(lab, cap, "[%s]%s", rep, note);
        return;
    }
    /* names and values are shown up to 40 octets each; escaped */
    n = (size_t)snprintf(lab, cap, "%.*s",
                         (f->unknown & H2F_HPACK_UNKNOWN_NAME)
                             ? 9
                             : (int)(f->name_len > 40 ? 40 : f->name_len),
                         (f->unknown & H2F_HPACK_UNKNOWN_NAME)
                             ? "<unknown>"
                             : (const char *)r->fields.pool.p + f->name);
    for (size_t i = 0; i < n; i++)
        if ((uint8_t)lab[i] < 0x20 || (uint8_t)lab[i] >= 0x7f)
            lab[i] = '.';
    if (n < cap) {
        size_t m = (size_t)snprintf(lab + n, cap - n, ": %.*s",
                                    (f->unknown & H2F_HPACK_UNKNOWN_VALUE)
                                        ? 9
                                        : (int)(f->value_len > 40 ? 40 : f->value_len),
                                    (f->unknown & H2F_HPACK_UNKNOWN_VALUE)
                                        ? "<unknown>"
                                        : (const char *)r->fields.pool.p + f->value);
        for (size_t i = n + 2; i < n + m && i < cap; i++)
            if ((uint8_t)lab[i] < 0x20 || (uint8_t)lab[i] >= 0x7f || lab[i] == 0)
                lab[i] = '.';
        n += m;
    }
    if (n < cap)
        snprintf(lab + n, cap - n, " [%s]%s", rep, note);
}

/* The fragment's octets, each labelled with the field it encodes. Field
 * offsets are block offsets; this fragment holds block octets
 * [frag_start, frag_start + len). A field cut between frames is labelled
 * in both. */
static void hex_fragment(h2d_session *s, const h2d_record *r)
{
    size_t base = at_of(r, r->frag.ptr), i;
    uint64_t lo = r->frag_start, hi = r->frag_start + r->frag.len, cur = lo;
    char lab[300];
    for (i = 0; i < r->fields.n; i++) {
        const h2d_field *f = &r->fields.v[i];
        uint64_t a = f->offset, b = f->offset + f->wire_len;
        if (b <= lo || a >= hi || b <= cur)
            continue;
        if (a < cur)
            a = cur;
        if (a > cur)
            RANGE(base + (size_t)(cur - lo), (size_t)(a - cur), "(fields not reported)");
        hex_field_label(lab, sizeof lab, r, f, f->offset < lo ? " (from the previous frame)" : "");
        RANGE(base + (size_t)(a - lo), (size_t)(b - a), "%s", lab);
        cur = b;
    }
    if (cur < hi)
        RANGE(base + (size_t)(cur - lo), (size_t)(hi - cur), "%s",
              r->block_end || r->nerrs ? "(fields not reported)"
                                       : "(a field continued in the next CONTINUATION)");
}

static void hex_priority(h2d_session *s, const h2d_record *r, size_t at, const h2f_priority *p)
{
    RANGE(at, 4, "E %u, stream dependency %u", p->exclusive, (unsigned)p->stream_dependency);
    RANGE(at + 4, 1, "weight %u (sent as %u)", p->weight + 1u, p->weight);
}

static void hex_payload(h2d_session *s, const h2d_record *r)
{
    const h2f_frame *f = &r->f;
    size_t at = 9, i;
    int padded = (f->hd.flags & H2F_FLAG_PADDED) &&
                 (f->hd.type == H2F_DATA || f->hd.type == H2F_HEADERS ||
                  f->hd.type == H2F_PUSH_PROMISE);
    if (padded)
        RANGE(at++, 1, "pad length %u", f->pad_length);
    switch (f->hd.type) {
    case H2F_DATA:
        RANGE(at_of(r, f->data.data.ptr), f->data.data.len, "data (%zu %s)", f->data.data.len,
              h2d_plural(f->data.data.len, "octet", "octets"));
        break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            hex_priority(s, r, at, &f->headers.priority);
        hex_fragment(s, r);
        break;
    case H2F_PRIORITY:
        hex_priority(s, r, at, &f->priority.priority);
        break;
    case H2F_RST_STREAM:
        RANGE(at, 4, "error code %s", h2f_error_code_name(f->rst_stream.error_code));
        break;
    case H2F_SETTINGS:
        for (i = 0; i < f->settings.count; i++) {
            h2f_setting st = h2f_settings_get(f, i);
            const char *n = h2f_setting_name(st.id);
            RANGE(at + 6 * i, 6, "%s = %u", n ? n : "unknown setting", (unsigned)st.value);
        }
        break;
    case H2F_PUSH_PROMISE:
        RANGE(at, 4, "R, promised stream %u", (unsigned)f->push_promise.promised_stream_id);
        hex_fragment(s, r);
        break;
    case H2F_PING:
        RANGE(at, 8, "opaque data");
        break;
    case H2F_GOAWAY:
        RANGE(at, 4, "R, last stream %u", (unsigned)f->goaway.last_stream_id);
        RANGE(at + 4, 4, "error code %s", h2f_error_code_name(f->goaway.error_code));
        RANGE(at + 8, f->goaway.debug_data.len, "debug data");
        break;
    case H2F_WINDOW_UPDATE:
        RANGE(at, 4, "R, window size increment %u", (unsigned)f->window_update.window_size_increment);
        break;
    case H2F_CONTINUATION:
        hex_fragment(s, r);
        break;
    default:
        RANGE(at, f->hd.length, "payload of an unknown type (ignored)");
    }
    if (padded)
        RANGE(r->len - f->pad_length, f->pad_length, "padding");
}

static void hex_text(h2d_session *s, const h2d_record *r)
{
    char tb[32];
    if (r->preface) {
        RANGE(0, r->len, "client connection preface \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\"");
        return;
    }
    if (!r->have_header) {
        RANGE(0, r->len, "incomplete");
        return;
    }
    RANGE(0, 3, "length %u", (unsigned)r->hd.length);
    RANGE(3, 1, "type %s", type_name(r->hd.type, tb, sizeof tb));
    {
        char fb[128];
        flags_str(fb, sizeof fb, r->hd.type, r->hd.flags);
        RANGE(4, 1, "flags %s", fb);
    }
    RANGE(5, 4, "R %u, stream %u", r->bytes[5] >> 7, (unsigned)r->hd.stream_id);
    if (r->parsed && !r->truncated)
        hex_payload(s, r);
    else
        RANGE(9, r->len - 9, "payload (%s)", r->truncated ? "incomplete" : "not parsed");
}

static void record_text(h2d_session *s, const h2d_conn *c, const h2d_record *r)
{
    FILE *o = s->out;
    head_text(s, c, r);
    if (s->o->hex)
        hex_text(s, r);
    if (!s->o->hex) { /* --hex labels the same things on the octets */
        if (r->parsed)
            payload_text(s, r);
        fields_text(s, r);
    }
    if (r->headers_end) {
        fprintf(ln(s), "    end of header block: %s", block_name(r->dir, r->block_kind));
        if (r->block_kind == H2F_BLOCK_PUSH_PROMISE)
            fprintf(o, " (stream %u)", (unsigned)r->block_stream);
        fputc('\n', o);
    } else if (r->has_frag && r->block_end && !r->nerrs && r->fields.n == 0 && r->frag.len) {
        fputs("    (the block was decoded, its fields not reported: stream reset or refused)\n",
              ln(s));
    }
    if (r->table_print)
        table_text(s, r);
    msgs_text(s, r);
    ends_text(s, r);
}

/* ---- JSON -------------------------------------------------------------------- */

static void json_priority(FILE *o, const h2f_priority *p)
{
    fprintf(o, ",\"priority\":{\"depends_on\":%u,\"exclusive\":%s,\"weight\":%u}",
            (unsigned)p->stream_dependency, p->exclusive ? "true" : "false", p->weight + 1u);
}

static void json_code(FILE *o, const char *key, uint32_t code)
{
    fprintf(o, ",\"%s\":", key);
    h2d_json_cstr(o, h2f_error_code_name(code));
    fprintf(o, ",\"%s_value\":%u", key, (unsigned)code);
}

static void json_payload(FILE *o, const h2d_record *r)
{
    const h2f_frame *f = &r->f;
    size_t i;
    if (padded(f))
        fprintf(o, ",\"pad_length\":%u", f->pad_length);
    switch (f->hd.type) {
    case H2F_DATA:
        fprintf(o, ",\"data_length\":%zu", f->data.data.len);
        break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            json_priority(o, &f->headers.priority);
        break;
    case H2F_PRIORITY:
        json_priority(o, &f->priority.priority);
        break;
    case H2F_RST_STREAM:
        json_code(o, "error_code", f->rst_stream.error_code);
        break;
    case H2F_SETTINGS:
        fputs(",\"settings\":[", o);
        for (i = 0; i < f->settings.count; i++) {
            h2f_setting st = h2f_settings_get(f, i);
            const char *n = h2f_setting_name(st.id);
            fprintf(o, "%s{\"id\":%u,\"name\":", i ? "," : "", st.id);
            if (n)
                h2d_json_cstr(o, n);
            else
                fputs("null", o);
            fprintf(o, ",\"value\":%u}", (unsigned)st.value);
        }
        fputc(']', o);
        break;
    case H2F_PUSH_PROMISE:
        fprintf(o, ",\"promised_stream\":%u", (unsigned)f->push_promise.promised_stream_id);
        break;
    case H2F_PING:
        fputs(",\"opaque_data\":\"", o);
        h2d_hex(o, f->ping.opaque_data.ptr, f->ping.opaque_data.len);
        fputc('"', o);
        break;
    case H2F_GOAWAY:
        fprintf(o, ",\"last_stream\":%u", (unsigned)f->goaway.last_stream_id);
        json_code(o, "error_code", f->goaway.error_code);
        fputs(",\"debug_data\":", o);
        h2d_json_str(o, f->goaway.debug_data.ptr, f->goaway.debug_data.len);
        break;
    case H2F_WINDOW_UPDATE:
        fprintf(o, ",\"window_size_increment\":%u", (unsigned)f->window_update.window_size_increment);
        break;
    default:
        break;
    }
}

void h2d_fields_json(FILE *o, const h2d_fields *fs)
{
    size_t i;
    int first = 1;
    fputs(",\"headers\":[", o);
    for (i = 0; i < fs->n; i++) {
        const h2d_field *f = &fs->v[i];
        if (f->rep == H2F_HPACK_SIZE_UPDATE)
            continue;
        fputs(first ? "[" : ",[", o);
        json_part(o, fs, f->name, f->name_len, f->unknown & H2F_HPACK_UNKNOWN_NAME);
        fputc(',', o);
        json_part(o, fs, f->value, f->value_len, f->unknown & H2F_HPACK_UNKNOWN_VALUE);
        fputc(']', o);
        first = 0;
    }
    fputs("],\"fields\":[", o);
    for (i = 0; i < fs->n; i++) {
        const h2d_field *f = &fs->v[i];
        fputs(i ? ",{" : "{", o);
        if (f->rep != H2F_HPACK_SIZE_UPDATE) {
            fputs("\"name\":", o);
            json_part(o, fs, f->name, f->name_len, f->unknown & H2F_HPACK_UNKNOWN_NAME);
            fputs(",\"value\":", o);
            json_part(o, fs, f->value, f->value_len, f->unknown & H2F_HPACK_UNKNOWN_VALUE);
            fputc(',', o);
        }
        h2d_rep_json(o, f);
        if (f->problems) {
            uint32_t bit;
            int k = 0;
            fputs(",\"problems\":[", o);
            for (bit = 1; bit; bit <<= 1)
                if ((f->problems & bit) && h2f_http_problem_name(bit)) {
                    fputs(k++ ? "," : "", o);
                    h2d_json_cstr(o, h2f_http_problem_name(bit));
                }
            fputc(']', o);
        }
        fputc('}', o);
    }
    fputc(']', o);
}

static void json_table(FILE *o, const h2d_record *r)
{
    fprintf(o, ",\"table\":{\"size\":%zu,\"max\":%zu,\"added\":%zu,\"entries\":",
            h2f_hpack_decoder_table_size(r->hpack), h2f_hpack_decoder_table_max(r->hpack),
            r->added);
    h2d_json_table(o, r->hpack);
    fputs(",\"evicted\":", o);
    h2d_json_pairs(o, &r->evicted_text);
    fprintf(o, ",\"evicted_count\":%zu", r->evicted);
    if (h2f_hpack_decoder_history_unknown(r->hpack))
        fputs(",\"history_unknown\":true", o);
    fputc('}', o);
}

static void json_msgs(FILE *o, const h2d_record *r)
{
    size_t i;
    fputs(",\"grpc\":[", o);
    for (i = 0; i < r->nmsgs; i++) {
        const h2d_msg *m = &r->msgs[i];
        fprintf(o, "%s{\"stream\":%u,\"compressed\":%s,\"length\":%u", i ? "," : "",
                (unsigned)m->stream, m->compressed ? "true" : "false", (unsigned)m->len);
        if (m->kept && !m->compressed) {
            fputs(",\"fields\":", o);
            h2d_pb_json(o, r->msgbytes.p + m->at, m->len);
        } else {
            fputs(",\"decoded\":false", o);
        }
        fputc('}', o);
    }
    fputc(']', o);
}

static void record_json(h2d_session *s, const h2d_conn *c, const h2d_record *r)
{
    FILE *o = s->out;
    size_t i;
    fprintf(o, "{\"conn\":%d,\"dir\":\"%s\",\"offset\":%llu", c->id, h2d_dir_name(r->dir),
            (unsigned long long)r->offset);
    time_json(o, &r->when);
    if (r->preface) {
        fprintf(o, ",\"preface\":true,\"length\":%zu}\n", r->len);
        return;
    }
    if (r->truncated)
        fprintf(o, ",\"truncated\":true,\"have\":%zu,\"need\":%zu", r->len, r->want);
    if (r->have_header) {
        const char *tn = h2f_frame_type_name(r->hd.type);
        unsigned bit;
        int k = 0;
        fputs(",\"type\":", o);
        if (tn)
            h2d_json_cstr(o, tn);
        else
            fprintf(o, "%u", r->hd.type);
        fputs(",\"flags\":[", o);
        for (bit = 1; bit < 0x100; bit <<= 1)
            if (r->hd.flags & bit) {
                const char *n = flag_name(r->hd.type, (uint8_t)bit);
                fputs(k++ ? "," : "", o);
                if (n)
                    h2d_json_cstr(o, n);
                else
                    fprintf(o, "%u", bit);
            }
        fprintf(o, "],\"flags_value\":%u,\"stream\":%u,\"length\":%u", r->hd.flags,
                (unsigned)r->hd.stream_id, (unsigned)r->hd.length);
    }
    if (r->parsed && !r->truncated)
        json_payload(o, r);
    if (r->has_frag)
        h2d_fields_json(o, &r->fields);
    if (r->headers_end) {
        fprintf(o, ",\"block_end\":\"%s\"", block_name(r->dir, r->block_kind));
        if (r->block_kind == H2F_BLOCK_PUSH_PROMISE)
            fprintf(o, ",\"block_stream\":%u", (unsigned)r->block_stream);
    }
    if (r->table_print)
        json_table(o, r);
    if (r->nmsgs)
        json_msgs(o, r);
    if (r->nends) {
        fputs(",\"ends\":[", o);
        for (i = 0; i < r->nends; i++) {
            fprintf(o, "%s{\"stream\":%u,\"end\":\"%s\"", i ? "," : "", (unsigned)r->ends[i].stream,
                    end_name(r->ends[i].how));
            if (r->ends[i].how != H2F_END_STREAM)
                json_code(o, "error_code", r->ends[i].code);
            if (r->ends[i].after_end)
                fputs(",\"after_end\":true", o);
            fputc('}', o);
        }
        fputc(']', o);
    }
    if (s->o->hex) {
        fputs(",\"raw\":\"", o);
        h2d_hex(o, r->bytes, r->len);
        fputc('"', o);
    }
    fputs("}\n", o);
}

int h2d_shown(const h2d_session *s, int conn, int stream_known, uint32_t stream)
{
    if (s->o->only_conn && conn > 0 && conn != s->o->only_conn)
        return 0;
    return !stream_known || !s->o->only_stream_set || stream == s->o->only_stream;
}

void h2d_print_record(h2d_session *s, const h2d_conn *c, const h2d_record *r)
{
    size_t i;
    /* --stream N shows the frames whose header says stream N, as Wireshark's
     * filter http2.streamid == N: not the preface, not a GOAWAY or SETTINGS
     * (stream 0) that concerns every stream. */
    int shown = h2d_shown(s, c->id, 1, r->have_header ? r->hd.stream_id : 0) &&
                (!s->o->only_stream_set || r->have_header);
    s->line_conn = c->id;
    if (shown && s->o->json)
        record_json(s, c, r);
    else if (shown && !s->o->streams) /* --streams shows streams instead of frames */
        record_text(s, c, r);
    /* an error about the stream, or about the whole connection (which ends
     * what is read of it), is shown even if its frame is not */
    for (i = 0; i < r->nerrs; i++)
        if (h2d_shown(s, c->id, r->errs[i].scope == H2F_SCOPE_STREAM, r->errs[i].stream_id))
            h2d_print_error(s, c->id, r->dir, &r->errs[i]);
}
