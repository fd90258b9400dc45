/*
 * bench — h2frame against Debian's libnghttp2, in one run, on the same
 * inputs, interleaved (h2frame, nghttp2, nghttp2, h2frame, ...), reporting
 * the median of the samples, their spread, and the ratio.
 *
 *   bench [--samples N] [--tsv] [--only hpack]
 *
 * Inputs are the hpack-test-case corpus in tests/data/hpack-test-case/.
 * Every decoded field is checked once against the expected header lists,
 * outside the timed runs. The last line is for scripts:
 *   RESULT hpack_decode_speedup=X hpack_encode_speedup=X hpack_encode_ratio=R ...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nghttp2/nghttp2.h>

#include "h2frame.h"

#define DATA "tests/data/hpack-test-case/"

static int tsv;

/* ---- input ------------------------------------------------------------------- */

typedef struct hcase {
    uint8_t *wire;
    size_t wire_len;
    long table_size;      /* -1: unchanged */
    h2f_header *fields;   /* the expected list */
    nghttp2_nv *nv;       /* the same, for nghttp2's deflater */
    size_t nfields;
    int story_start;      /* first case of a story: fresh decoder/encoder */
} hcase;

typedef struct corpus {
    const char *name;
    hcase *cases;
    size_t n;
    size_t wire_bytes, fields, plain_bytes;
} corpus;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    s[n] = 0;
    fclose(f);
    return s;
}

/* headers.txt: "# NN SEQ" then name TAB value lines. Kept as one array of
 * cases in file order (stories in order, cases in order). */
static corpus load_headers(void)
{
    corpus c = {"raw-data", NULL, 0, 0, 0, 0};
    char *s = slurp(DATA "headers.txt"), *line;
    size_t cap = 4096, fcap = 0;
    c.cases = calloc(cap, sizeof *c.cases);
    for (line = s; *line;) {
        char *eol = strchr(line, '\n');
        *eol = 0;
        if (line[0] == '#') {
            int story, seq;
            sscanf(line, "# %d %d", &story, &seq);
            c.cases[c.n].story_start = seq == 0;
            c.cases[c.n].table_size = -1;
            c.n++;
            fcap = 0;
        } else {
            hcase *hc = &c.cases[c.n - 1];
            char *tab = strchr(line, '\t');
            *tab = 0;
            if (hc->nfields == fcap) {
                fcap = fcap ? 2 * fcap : 16;
                hc->fields = realloc(hc->fields, fcap * sizeof *hc->fields);
                hc->nv = realloc(hc->nv, fcap * sizeof *hc->nv);
            }
            hc->fields[hc->nfields].name.ptr = (const uint8_t *)line;
            hc->fields[hc->nfields].name.len = strlen(line);
            hc->fields[hc->nfields].value.ptr = (const uint8_t *)tab + 1;
            hc->fields[hc->nfields].value.len = strlen(tab + 1);
            hc->fields[hc->nfields].flags = 0;
            hc->nv[hc->nfields].name = (uint8_t *)line;
            hc->nv[hc->nfields].namelen = strlen(line);
            hc->nv[hc->nfields].value = (uint8_t *)tab + 1;
            hc->nv[hc->nfields].valuelen = strlen(tab + 1);
            hc->nv[hc->nfields].flags = NGHTTP2_NV_FLAG_NONE;
            hc->nfields++;
            c.fields++;
            c.plain_bytes += strlen(line) + strlen(tab + 1);
        }
        line = eol + 1;
    }
    return c; /* s stays allocated: the fields point into it */
}

static int hexval(char ch) { return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10; }

/* <folder>.txt: "NN SEQ TABLE_SIZE HEX" per case, in the order of headers. */
static corpus load_wires(const char *name, const corpus *hdrs)
{
    char path[256], *s, *line;
    corpus c = {name, NULL, 0, 0, 0, 0};
    snprintf(path, sizeof path, DATA "%s.txt", name);
    s = slurp(path);
    c.cases = calloc(hdrs->n, sizeof *c.cases);
    for (line = s; *line; c.n++) {
        char *eol = strchr(line, '\n'), ts[16], *hex;
        int story, seq;
        size_t i, n;
        *eol = 0;
        sscanf(line, "%d %d %15s", &story, &seq, ts);
        hex = strrchr(line, ' ') + 1;
        n = strlen(hex) / 2;
        c.cases[c.n] = hdrs->cases[c.n]; /* same order as headers.txt */
        c.cases[c.n].wire = malloc(n + 1);
        for (i = 0; i < n; i++)
            c.cases[c.n].wire[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
        c.cases[c.n].wire_len = n;
        c.cases[c.n].table_size = ts[0] == '-' ? -1 : atol(ts);
        c.cases[c.n].story_start = seq == 0;
        c.wire_bytes += n;
        c.fields += c.cases[c.n].nfields;
        line = eol + 1;
    }
    free(s);
    return c;
}

/* ---- timing ---------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats {
    double median, lo, hi; /* seconds per run */
} stats;

static stats summarize(double *t, int n)
{
    stats s;
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    s.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    s.lo = t[0];
    s.hi = t[n - 1];
    return s;
}

/* ---- HPACK decode ----------------------------------------------------------- */

static volatile size_t sink;

/* h2frame: a fresh decoder per story, table size changes applied. Returns
 * fields decoded; with `check`, compares each with the expected list. */
static size_t h2f_decode_corpus(const corpus *c, int check)
{
    h2f_hpack_decoder d;
    size_t i, fields = 0, acc = 0;
    int open = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        h2f_hpack_field f;
        h2f_error err;
        h2f_status st;
        size_t k = 0;
        if (hc->story_start) {
            if (open)
                h2f_hpack_decoder_free(&d);
            h2f_hpack_decoder_init(&d, NULL, NULL);
            open = 1;
        }
        if (hc->table_size >= 0)
            h2f_hpack_decoder_set_max_table_size(&d, (uint32_t)hc->table_size);
        h2f_hpack_decode_feed(&d, hc->wire, hc->wire_len, 1);
        while ((st = h2f_hpack_decode_next(&d, &f, &err)) == H2F_OK) {
            acc += f.name.len + f.value.len;
            if (check && (k >= hc->nfields || f.name.len != hc->fields[k].name.len ||
                          memcmp(f.name.ptr, hc->fields[k].name.ptr, f.name.len) ||
                          f.value.len != hc->fields[k].value.len ||
                          memcmp(f.value.ptr, hc->fields[k].value.ptr, f.value.len))) {
                fprintf(stderr, "h2frame decodes %s case %zu wrongly\n", c->name, i);
                exit(1);
            }
            k++;
        }
        if (st != H2F_DONE || (check && k != hc->nfields)) {
            fprintf(stderr, "h2frame fails on %s case %zu: %s\n", c->name, i, err.reason);
            exit(1);
        }
        fields += k;
    }
    if (open)
        h2f_hpack_decoder_free(&d);
    sink += acc;
    return fields;
}

static size_t ng_decode_corpus(const corpus *c, int check)
{
    nghttp2_hd_inflater *inf = NULL;
    size_t i, fields = 0, acc = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        const uint8_t *in = hc->wire;
        size_t left = hc->wire_len, k = 0;
        if (hc->story_start) {
            if (inf)
                nghttp2_hd_inflate_del(inf);
            nghttp2_hd_inflate_new(&inf);
        }
        if (hc->table_size >= 0)
            nghttp2_hd_inflate_change_table_size(inf, (size_t)hc->table_size);
        for (;;) {
            nghttp2_nv nv;
            int flags = 0;
            ssize_t r = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, left, 1);
            if (r < 0) {
                fprintf(stderr, "nghttp2 fails on %s case %zu\n", c->name, i);
                exit(1);
            }
            in += r;
            left -= (size_t)r;
            if (flags & NGHTTP2_HD_INFLATE_EMIT) {
                acc += nv.namelen + nv.valuelen;
                if (check && (k >= hc->nfields || nv.namelen != hc->fields[k].name.len ||
                              memcmp(nv.name, hc->fields[k].name.ptr, nv.namelen) ||
                              nv.valuelen != hc->fields[k].value.len ||
                              memcmp(nv.value, hc->fields[k].value.ptr, nv.valuelen))) {
                    fprintf(stderr, "nghttp2 decodes %s case %zu differently\n", c->name, i);
                    exit(1);
                }
                k++;
            }
            if (flags & NGHTTP2_HD_INFLATE_FINAL) {
                nghttp2_hd_inflate_end_headers(inf);
                break;
            }
            if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0)
                break;
        }
        fields += k;
    }
    if (inf)
        nghttp2_hd_inflate_del(inf);
    sink += acc;
    return fields;
}

/* ---- HPACK encode ----------------------------------------------------------- */

static uint8_t enc_buf[1 << 20];

static size_t h2f_encode_corpus(const corpus *c)
{
    h2f_hpack_encoder e;
    size_t i, wire = 0;
    int open = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        size_t w = 0;
        if (hc->story_start) {
            if (open)
                h2f_hpack_encoder_free(&e);
            h2f_hpack_encoder_init(&e, NULL, NULL);
            open = 1;
        }
        if (h2f_hpack_encode(&e, hc->fields, hc->nfields, enc_buf, sizeof enc_buf, &w) != H2F_OK)
            exit(1);
        wire += w;
    }
    if (open)
        h2f_hpack_encoder_free(&e);
    return wire;
}

static size_t ng_encode_corpus(const corpus *c)
{
    nghttp2_hd_deflater *def = NULL;
    size_t i, wire = 0;
    for (i = 0; i < c->n; i++) {
        const hcase *hc = &c->cases[i];
        ssize_t w;
        if (hc->story_start) {
            if (def)
                nghttp2_hd_deflate_del(def);
            nghttp2_hd_deflate_new(&def, 4096);
        }
        w = nghttp2_hd_deflate_hd(def, enc_buf, sizeof enc_buf, hc->nv, hc->nfields);
        if (w < 0)
            exit(1);
        wire += (size_t)w;
    }
    if (def)
        nghttp2_hd_deflate_del(def);
    return wire;
}

/* ---- reporting --------------------------------------------------------------- */

static void row(const char *what, const char *lib, stats s, double bytes, double items,
                const char *item_name)
{
    if (tsv) {
        printf("%s\t%s\t%.6f\t%.6f\t%.6f\t%.2f\t%.1f\n", what, lib, s.median, s.lo, s.hi,
               bytes / s.median / 1e6, s.median / items * 1e9);
        return;
    }
    printf("  %-28s %-8s %8.2f MB/s %10.0f %s/s %7.1f ns/%s  (spread %.1f%%)\n", what, lib,
           bytes / s.median / 1e6, items / s.median, item_name, s.median / items * 1e9, item_name,
           (s.hi - s.lo) / s.median * 100);
}

/* Times a and b interleaved, `samples` times each; returns their stats. */
typedef size_t (*run_fn)(const corpus *, int);

static void race(run_fn a, run_fn b, const corpus *c, int samples, stats *sa, stats *sb)
{
    double *ta = malloc(sizeof(double) * (size_t)samples), *tb = malloc(sizeof(double) * (size_t)samples);
    int i;
    a(c, 0); /* warm up */
    b(c, 0);
    for (i = 0; i < samples; i++) {
        double t0, t1, t2;
        if (i % 2) {
            t0 = now(); b(c, 0); t1 = now(); a(c, 0); t2 = now();
            tb[i] = t1 - t0; ta[i] = t2 - t1;
        } else {
            t0 = now(); a(c, 0); t1 = now(); b(c, 0); t2 = now();
            ta[i] = t1 - t0; tb[i] = t2 - t1;
        }
    }
    *sa = summarize(ta, samples);
    *sb = summarize(tb, samples);
    free(ta);
    free(tb);
}

static size_t h2f_enc_fn(const corpus *c, int x) { (void)x; return h2f_encode_corpus(c); }
static size_t ng_enc_fn(const corpus *c, int x) { (void)x; return ng_encode_corpus(c); }

int main(int argc, char **argv)
{
    static const char *const folders[] = {"nghttp2", "go-hpack", "python-hpack", "node-http2-hpack"};
    corpus hdrs, wires[4];
    int samples = 11, i;
    double dec_h = 0, dec_n = 0, dec_bytes = 0, dec_fields = 0;
    double enc_speedup, dec_speedup;
    stats sh, sn;
    size_t hw, nw;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--samples") && i + 1 < argc)
            samples = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tsv"))
            tsv = 1;
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            i++; /* only hpack exists for now */
        else {
            fprintf(stderr, "usage: %s [--samples N] [--tsv]\n", argv[0]);
            return 2;
        }
    }
    if (samples < 1)
        samples = 1;

    hdrs = load_headers();
    for (i = 0; i < 4; i++) {
        wires[i] = load_wires(folders[i], &hdrs);
        /* correctness first, untimed: both decode every field as expected */
        h2f_decode_corpus(&wires[i], 1);
        ng_decode_corpus(&wires[i], 1);
    }

    printf(tsv ? "what\tlib\tmedian_s\tmin_s\tmax_s\tMB/s\tns/item\n"
               : "h2frame %s vs nghttp2 %s, %d samples each, interleaved (median; spread = (max-min)/median)\n",
           H2F_VERSION, nghttp2_version(0)->version_str, samples);
    if (!tsv)
        printf("HPACK decode (wire MB/s, fresh decoder per story):\n");
    for (i = 0; i < 4; i++) {
        char what[64];
        race(h2f_decode_corpus, ng_decode_corpus, &wires[i], samples, &sh, &sn);
        snprintf(what, sizeof what, "decode %s", folders[i]);
        row(what, "h2frame", sh, (double)wires[i].wire_bytes, (double)wires[i].fields, "header");
        row(what, "nghttp2", sn, (double)wires[i].wire_bytes, (double)wires[i].fields, "header");
        if (!tsv)
            printf("  %-28s ratio h2frame/nghttp2 = %.2fx\n", "", sn.median / sh.median);
        dec_h += sh.median;
        dec_n += sn.median;
        dec_bytes += (double)wires[i].wire_bytes;
        dec_fields += (double)wires[i].fields;
    }
    dec_speedup = dec_n / dec_h;
    if (!tsv)
        printf("  %-28s h2frame %.1f ns/header, nghttp2 %.1f ns/header: %.2fx\n", "decode, all four",
               dec_h / dec_fields * 1e9, dec_n / dec_fields * 1e9, dec_speedup);

    if (!tsv)
        printf("HPACK encode (raw-data, table 4096, input MB/s = name+value octets):\n");
    hw = h2f_encode_corpus(&hdrs);
    nw = ng_encode_corpus(&hdrs);
    race(h2f_enc_fn, ng_enc_fn, &hdrs, samples, &sh, &sn);
    row("encode raw-data", "h2frame", sh, (double)hdrs.plain_bytes, (double)hdrs.fields, "header");
    row("encode raw-data", "nghttp2", sn, (double)hdrs.plain_bytes, (double)hdrs.fields, "header");
    enc_speedup = sn.median / sh.median;
    if (!tsv)
        printf("  %-28s ratio h2frame/nghttp2 = %.2fx; compression (wire/name+value): "
               "h2frame %.4f, nghttp2 %.4f\n",
               "", enc_speedup, (double)hw / (double)hdrs.plain_bytes,
               (double)nw / (double)hdrs.plain_bytes);

    printf("RESULT hpack_decode_speedup=%.2f hpack_encode_speedup=%.2f hpack_encode_ratio=%.4f "
           "nghttp2_encode_ratio=%.4f\n",
           dec_speedup, enc_speedup, (double)hw / (double)hdrs.plain_bytes,
           (double)nw / (double)hdrs.plain_bytes);
    return (int)(sink & 0);
}
