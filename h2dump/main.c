/*
 * h2dump — dump HTTP/2 (RFC 9113) frames, HPACK (RFC 7541) fields and
 * streams from raw bytes or pcap/pcapng captures. See docs/h2dump.1.
 *
 * This file is the command line only: it reads the input into memory and
 * hands it to h2dump_run (dump.c), which the fuzz target drives too.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h2frame.h"
#include "h2dump.h"

#define MAX_INPUT ((size_t)1 << 30) /* 1 GiB: the input is held in memory */

static const char usage_text[] =
    "usage: h2dump [options] [FILE|-] [FILE2]\n"
    "\n"
    "Dumps HTTP/2: raw bytes of one direction of a connection (with or without\n"
    "the client preface), both directions as two files, or a pcap/pcapng capture\n"
    "of cleartext HTTP/2 (h2c). With no FILE, or FILE '-', reads standard input.\n"
    "\n"
    "  --hex              annotated hex dump: every byte range labelled\n"
    "  --table            the HPACK dynamic table after each header block\n"
    "  --streams          per-stream view: requests paired with responses\n"
    "  --save-bodies DIR  write each body to DIR/c<conn>-s<stream>-<request|response>.body\n"
    "  --grpc             gRPC messages decoded as protobuf (no schema)\n"
    "  --json             JSON Lines (docs/h2dump-json.md)\n"
    "  --hpack            input is HPACK blocks, one hex string per line\n"
    "                     ('# table_size N' changes the table size)\n"
    "  --validate         also check the HTTP rules of RFC 9113 §8.1-§8.3\n"
    "  --mid              the input may start mid-connection, even mid-frame: the\n"
    "                     first frame boundary is searched for, fields that refer\n"
    "                     to HPACK entries from before are shown as <unknown>\n"
    "  --port N           (captures) TCP on port N is HTTP/2, the side on port N\n"
    "                     the server, even without the preface or an Upgrade\n"
    "  --stream N         only the frames (and --streams summary) of stream N\n"
    "  --conn N           only connection N of a capture (the #N of its lines)\n"
    "  --raw              raw HTTP/2 even if the input looks like a capture\n"
    "  --color=WHEN       auto (default: a terminal, unless NO_COLOR is set),\n"
    "                     always, never\n"
    "  -h, --help         this text;  --version  the version\n"
    "\n"
    "Exit status: 0 clean input, 1 protocol error, 2 usage or I/O error.\n";

/* A decimal number in 0..max, all of s; -1 if not. */
static long number(const char *s, long max)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "h2dump: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'h2dump --help'.\n");
    return H2DUMP_EXIT_USAGE;
}

/* The whole input, bounded by MAX_INPUT. NULL with errno set on failure. */
static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t got;
        if (n == cap) {
            uint8_t *b;
            if (cap >= MAX_INPUT) {
                errno = EFBIG;
                break;
            }
            cap = cap ? 2 * cap : 65536;
            b = realloc(buf, cap);
            if (!b)
                break;
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                break;
            if (f != stdin)
                fclose(f);
            *len = n;
            return buf ? buf : malloc(1);
        }
    }
    if (f != stdin)
        fclose(f);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    h2dump_options o;
    const char *files[2] = {NULL, NULL}, *color = "auto";
    uint8_t *in[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    int nfiles = 0, i, rc, only_files = 0;

    memset(&o, 0, sizeof o);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            if (nfiles == 2)
                return usage_error("too many files: %s", a);
            files[nfiles++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("h2dump (h2frame %s)\n", H2F_VERSION);
            return 0;
        } else if (strcmp(a, "--hex") == 0) {
            o.hex = 1;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--streams") == 0) {
            o.streams = 1;
        } else if (strcmp(a, "--grpc") == 0) {
            o.grpc = 1;
        } else if (strcmp(a, "--table") == 0) {
            o.table = 1;
        } else if (strcmp(a, "--validate") == 0) {
            o.validate = 1;
        } else if (strcmp(a, "--mid") == 0) {
            o.any_first = 1;
        } else if (strcmp(a, "--port") == 0 || strncmp(a, "--port=", 7) == 0) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            char *end;
            unsigned long port;
            if (!v)
                return usage_error("%s needs a port number", a);
            errno = 0;
            port = strtoul(v, &end, 10);
            if (errno || end == v || *end || port == 0 || port > 65535 || v[0] == '-' ||
                v[0] == '+')
                return usage_error("--port wants a TCP port 1..65535, not %s", v);
            o.port = (unsigned)port;
        } else if (strcmp(a, "--hpack") == 0) {
            o.input = H2DUMP_INPUT_HPACK;
        } else if (strcmp(a, "--raw") == 0) {
            o.input = H2DUMP_INPUT_RAW;
        } else if (strcmp(a, "--stream") == 0 || strncmp(a, "--stream=", 9) == 0 ||
                   strcmp(a, "--conn") == 0 || strncmp(a, "--conn=", 7) == 0) {
            int is_stream = a[2] == 's';
            const char *v = strchr(a, '=');
            long n;
            if (v)
                v++;
            else if (++i < argc)
                v = argv[i];
            else
                return usage_error("%s needs a number", a);
            /* stream identifiers are 31 bits (RFC 9113 §5.1.1); connections count from 1 */
            n = number(v, 0x7fffffffL);
            if (is_stream && n < 0)
                return usage_error("--stream takes a stream identifier (0 to 2147483647), not %s",
                                   v);
            if (!is_stream && n < 1)
                return usage_error("--conn takes a connection number (1, 2, ...), not %s", v);
            if (is_stream) {
                o.only_stream_set = 1;
                o.only_stream = (uint32_t)n;
            } else {
                o.only_conn = (int)n;
            }
        } else if (strcmp(a, "--save-bodies") == 0) {
            if (++i == argc)
                return usage_error("%s needs a directory", a);
            o.save_bodies = argv[i];
        } else if (strncmp(a, "--save-bodies=", 14) == 0) {
            o.save_bodies = a + 14;
        } else if (strncmp(a, "--color=", 8) == 0) {
            color = a + 8;
        } else if (strcmp(a, "--no-color") == 0) {
            color = "never";
        } else {
            return usage_error("unknown option %s", a);
        }
    }
    if (strcmp(color, "always") == 0) {
        o.color = 1;
    } else if (strcmp(color, "auto") == 0) {
        /* no-color.org: NO_COLOR present and not empty turns colour off */
        const char *nc = getenv("NO_COLOR");
        o.color = isatty(fileno(stdout)) && !(nc && nc[0]) && !o.json;
    } else if (strcmp(color, "never") != 0) {
        return usage_error("--color must be auto, always or never, not %s", color);
    }
    if (o.json)
        o.color = 0;
    if (o.save_bodies && !o.save_bodies[0])
        return usage_error("%s", "--save-bodies needs a directory");
    if (nfiles == 2 && o.input == H2DUMP_INPUT_HPACK)
        return usage_error("%s", "--hpack reads one input");
    if (nfiles == 0)
        files[nfiles++] = "-";
    if (nfiles == 2 && strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
        return usage_error("%s", "standard input can be only one of the two inputs");

    for (i = 0; i < nfiles; i++) {
        in[i] = read_all(files[i], &len[i]);
        if (!in[i]) {
            fprintf(stderr, "h2dump: %s: %s\n", files[i], strerror(errno ? errno : ENOMEM));
            free(in[0]);
            return H2DUMP_EXIT_USAGE;
        }
    }
    for (i = 0; i < nfiles; i++) {
        /* raw octets that are not HTTP/2 at all: said, not dumped */
        const char *why = h2dump_input_problem(&o, in[i], len[i]);
        if (why) {
            fprintf(stderr, "h2dump: %s: %s\n",
                    strcmp(files[i], "-") == 0 ? "standard input" : files[i], why);
            free(in[0]);
            free(in[1]);
            return H2DUMP_EXIT_PROTOCOL;
        }
    }
    if (nfiles == 2)
        rc = h2dump_run_pair(&o, in[0], len[0], in[1], len[1], stdout);
    else
        rc = h2dump_run(&o, in[0], len[0], stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "h2dump: write error: %s\n", strerror(errno));
        rc = H2DUMP_EXIT_USAGE;
    }
    free(in[0]);
    free(in[1]);
    return rc;
}
