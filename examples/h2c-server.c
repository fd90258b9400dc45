/*
 * h2c-server — a small HTTP/2 server on h2frame: cleartext TCP with prior
 * knowledge (RFC 9113 §3.3), one thread, poll() over every socket.
 *
 *   h2c-server [-a ADDR] [-p PORT] [-d DIR] [-m STREAMS] [-w WINDOW] [-q]
 *
 *   GET, HEAD  serve the files under DIR (default .); "/" is /index.html
 *   POST       echoes the request body back as it arrives, and the
 *              request's trailers as the response's trailers
 *   -a ADDR    address to listen on (default 127.0.0.1; ::1 works)
 *   -p PORT    port (default 8080; 0 picks a free one)
 *   -m N       our SETTINGS_MAX_CONCURRENT_STREAMS (default 100)
 *   -w N       our SETTINGS_INITIAL_WINDOW_SIZE (default 262144)
 *   -q         no log line per request on stderr
 *
 * Prints "listening on ADDR PORT" on stdout once it accepts connections.
 * SIGTERM or SIGINT: graceful shutdown (§6.8): GOAWAY, the open streams
 * finish, then the server exits with status 0.
 *
 * What h2frame does here: the connection reader (h2f_conn) turns each
 * client's bytes into events and applies the protocol's rules, the HPACK
 * encoder and h2f_write_headers/h2f_write_data frame what we send. What
 * this file does: sockets, files, flow control, and answering.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "h2c-common.h"

#define MAX_CONNS 256
#define OUT_LOW (256u << 10) /* make more DATA while less than this is queued */
#define OUT_HIGH (1u << 20)  /* stop reading a client while more is queued */
#define MAX_TRAILERS 32
#define DEFAULT_WINDOW 65535u /* every window's size until SETTINGS say otherwise */

static const uint8_t shutdown_ping[8] = {'s', 'h', 'u', 't', 'd', 'o', 'w', 'n'};

static struct {
    const char *root;
    uint32_t max_streams, window;
    int quiet;
} cfg = {".", 100, 262144, 0};

struct stream {
    struct stream *next;
    uint32_t id;
    char method[8], path[1024];
    uint8_t req_ended;      /* the client's END_STREAM arrived */
    uint8_t echo;           /* POST: the body goes back */
    uint8_t responding;     /* our HEADERS are out */
    int status;
    int fd;                 /* the file being sent, or -1 */
    uint64_t file_left, sent;
    uint8_t *echo_buf;      /* request octets not yet echoed */
    size_t echo_off, echo_len, echo_cap;
    char trailer_buf[2048]; /* request trailers to echo: "name\0value\0"... */
    size_t trailer_len, ntrailers;
    h2f_recv_window rw;  /* what the client may send on this stream */
    int64_t send_window;    /* what we may send (§6.9) */
};

struct conn {
    int fd;
    h2f_conn rd;            /* reads the client's bytes */
    h2f_hpack_encoder enc;  /* our header blocks */
    struct obuf out;
    uint8_t in[65536];      /* the chunk the reader is working on */
    struct stream *streams;
    h2f_peer_settings peer;
    int64_t send_window;    /* connection-level, for our DATA */
    h2f_recv_window rw;  /* connection-level, for the client's DATA */
    uint32_t last_peer_id;  /* the last stream we took on, for GOAWAY */
    uint8_t settings_acked; /* the client acknowledged our SETTINGS */
    uint8_t goaway_state;   /* 1: first GOAWAY + PING sent, 2: final GOAWAY sent */
    uint8_t closing, wr_shut, dead;
    time_t since;           /* when goaway_state or closing was set */
};

static volatile sig_atomic_t got_term;

static void on_term(int sig)
{
    (void)sig;
    got_term = 1;
}

/* ---- streams ------------------------------------------------------------ */

static struct stream *find_stream(struct conn *c, uint32_t id)
{
    struct stream *s;
    for (s = c->streams; s; s = s->next)
        if (s->id == id)
            return s;
    return NULL;
}

static struct stream *new_stream(struct conn *c, uint32_t id)
{
    struct stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->id = id;
    s->fd = -1;
    /* Our INITIAL_WINDOW_SIZE holds once the client has acknowledged it
     * (§6.9.2); until then the client may count from the default. */
    h2f_recv_window_init(&s->rw, c->settings_acked ? cfg.window : DEFAULT_WINDOW);
    s->send_window = c->peer.initial_window_size;
    s->next = c->streams;
    c->streams = s;
    return s;
}

static void free_stream(struct conn *c, struct stream *s)
{
    struct stream **pp;
    for (pp = &c->streams; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    if (s->fd >= 0)
        close(s->fd);
    free(s->echo_buf);
    free(s);
}

/* We end a stream with RST_STREAM (§5.4.2) and tell the reader, which then
 * drops what the client had in flight on it. */
static void reset_stream(struct conn *c, struct stream *s, uint32_t code)
{
    put_rst_stream(&c->out, s->id, code);
    h2f_conn_local_reset(&c->rd, s->id);
    free_stream(c, s);
}

/* ---- the connection ------------------------------------------------------ */

static void start_closing(struct conn *c)
{
    c->closing = 1;
    c->since = time(NULL);
}

/* A connection error (§5.4.1): GOAWAY with the last stream we took on and
 * the code, then close. */
static void conn_fail(struct conn *c, uint32_t code, const char *why)
{
    if (!cfg.quiet)
        fprintf(stderr, "connection error %s: %s\n", h2f_error_code_name(code), why);
    put_goaway(&c->out, c->last_peer_id, code, why);
    start_closing(c);
}

/* The application is done with n octets of DATA: give them back to the
 * client's windows (§6.9), the connection's always, the stream's while
 * the client may still send on it. */
static void consumed(struct conn *c, struct stream *s, size_t n)
{
    uint32_t inc = h2f_recv_window_consume(&c->rw, n);
    if (inc)
        put_window_update(&c->out, 0, inc);
    if (s && !s->req_ended && (inc = h2f_recv_window_consume(&s->rw, n)) != 0)
        put_window_update(&c->out, s->id, inc);
}

/* Every DATA frame counts against the connection window, padding included,
 * even one that ends up dropped (§6.9.1). */
static int take_conn_window(struct conn *c, uint32_t length)
{
    if (h2f_recv_window_take(&c->rw, length) != H2F_OK) {
        conn_fail(c, H2F_FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        return -1;
    }
    return 0;
}

static void log_stream(const struct stream *s, const char *how)
{
    if (!cfg.quiet)
        fprintf(stderr, "stream %u: %s %s -> %d, %llu octets%s\n", (unsigned)s->id, s->method,
                s->path, s->status, (unsigned long long)s->sent, how);
}

/* Our side of the stream is done (END_STREAM sent). */
static void finish_response(struct conn *c, struct stream *s)
{
    log_stream(s, "");
    h2f_conn_local_close(&c->rd, s->id);
    if (!s->req_ended) {
        /* §8.1: "A server can send a complete response prior to the client
         * sending an entire request ... the server MAY request that the
         * client abort transmission of a request without error by sending
         * a RST_STREAM with an error code of NO_ERROR". */
        reset_stream(c, s, H2F_NO_ERROR);
        return;
    }
    free_stream(c, s);
}

/* ---- responses ----------------------------------------------------------- */

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strcmp(dot, ".html"))
        return "text/html";
    if (dot && !strcmp(dot, ".txt"))
        return "text/plain";
    return "application/octet-stream";
}

/* The response's HEADERS. length < 0: no content-length (the echo). */
static void respond(struct conn *c, struct stream *s, int status, long long length, int end)
{
    char st[4], len[24];
    h2f_header h[5];
    size_t n = 0;
    s->status = status;
    s->responding = 1;
    snprintf(st, sizeof st, "%d", status);
    h[n++] = field(":status", st);
    h[n++] = field("server", "h2c-server (h2frame " H2F_VERSION ")");
    if (status == 200)
        h[n++] = field("content-type", s->echo ? "application/octet-stream" : content_type(s->path));
    if (status == 405)
        h[n++] = field("allow", "GET, HEAD, POST");
    if (length >= 0) {
        snprintf(len, sizeof len, "%lld", length);
        h[n++] = field("content-length", len);
    }
    if (put_headers(&c->out, &c->enc, h, n, s->id, c->peer.max_frame_size, end) < 0) {
        conn_fail(c, H2F_INTERNAL_ERROR, "out of memory");
        return;
    }
    if (end)
        finish_response(c, s);
}

/* Opens the file a GET or HEAD names; the HTTP status. */
static int open_file(struct stream *s)
{
    char full[2048];
    struct stat st;
    size_t n = strcspn(s->path, "?#"); /* the query is not part of the name */
    s->path[n] = 0;
    if (s->path[0] != '/' || strstr(s->path, "/.."))
        return 400;
    snprintf(full, sizeof full, "%s%s%s", cfg.root, s->path, s->path[n - 1] == '/' ? "index.html" : "");
    if ((s->fd = open(full, O_RDONLY)) < 0)
        return 404;
    if (fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(s->fd);
        s->fd = -1;
        return 404;
    }
    s->file_left = (uint64_t)st.st_size;
    return 200;
}

/* A request's header block is complete: answer it. */
static void start_response(struct conn *c, struct stream *s)
{
    int head = !strcmp(s->method, "HEAD"), status;
    if (!strcmp(s->method, "POST")) {
        s->echo = 1;
        respond(c, s, 200, -1, 0); /* the body follows as it arrives */
    } else if (head || !strcmp(s->method, "GET")) {
        status = s->path[0] ? open_file(s) : 400;
        if (status != 200)
            respond(c, s, status, 0, 1);
        else
            /* an empty file or HEAD: END_STREAM on the HEADERS frame */
            respond(c, s, 200, (long long)s->file_left, head || s->file_left == 0);
    } else {
        respond(c, s, 405, 0, 1);
    }
}

/* Sends what the windows allow of one stream's body: one chunk, so that
 * the streams take turns. Returns 1 if it made progress. */
static int send_some(struct conn *c, struct stream *s)
{
    static uint8_t chunk[65536];
    int64_t n = c->send_window < s->send_window ? c->send_window : s->send_window;
    const uint8_t *data;
    int end;

    if (!s->responding) /* its request's header block is not complete yet */
        return 0;
    if (s->echo && s->echo_len == 0) {
        if (!s->req_ended)
            return 0;
        /* The request ended: so does the echo, with its trailers if the
         * request had some (§8.1: trailers carry END_STREAM). */
        if (s->ntrailers) {
            h2f_header h[MAX_TRAILERS];
            const char *p = s->trailer_buf;
            size_t i;
            for (i = 0; i < s->ntrailers; i++, p += strlen(p) + 1) {
                h[i].name = str_view(p);
                p += strlen(p) + 1;
                h[i].value = str_view(p);
                h[i].flags = 0;
            }
            put_headers(&c->out, &c->enc, h, s->ntrailers, s->id, c->peer.max_frame_size, 1);
        } else {
            put_data(&c->out, s->id, NULL, 0, 1, c->peer.max_frame_size);
        }
        finish_response(c, s);
        return 1;
    }
    /* §6.9.1: "The sender MUST NOT send a flow-controlled frame with a
     * length that exceeds the space available in either of the
     * flow-control windows advertised by the receiver." */
    if (n <= 0)
        return 0;
    if (n > (int64_t)sizeof chunk)
        n = sizeof chunk;
    if (s->echo) {
        if (n > (int64_t)s->echo_len)
            n = (int64_t)s->echo_len;
        data = s->echo_buf + s->echo_off;
        end = 0; /* END_STREAM comes once the request has ended (above) */
    } else {
        ssize_t r;
        if (n > (int64_t)s->file_left)
            n = (int64_t)s->file_left;
        if ((r = read(s->fd, chunk, (size_t)n)) <= 0) {
            reset_stream(c, s, H2F_INTERNAL_ERROR); /* the file shrank */
            return 1;
        }
        n = r;
        data = chunk;
        s->file_left -= (uint64_t)n;
        end = s->file_left == 0;
    }
    /* h2f_write_data cuts the chunk into frames of the client's
     * MAX_FRAME_SIZE (§4.2). */
    if (put_data(&c->out, s->id, data, (size_t)n, end, c->peer.max_frame_size) < 0) {
        conn_fail(c, H2F_INTERNAL_ERROR, "out of memory");
        return 0;
    }
    c->send_window -= n;
    s->send_window -= n;
    s->sent += (uint64_t)n;
    if (s->echo) {
        s->echo_off += (size_t)n;
        s->echo_len -= (size_t)n;
        consumed(c, s, (size_t)n); /* echoed: the client may send more */
    }
    if (end)
        finish_response(c, s);
    return 1;
}

/* Makes DATA while the output queue is short, each stream in turn. */
static void pump(struct conn *c)
{
    int progress = 1;
    while (progress && !c->closing && c->out.len < OUT_LOW) {
        struct stream *s, *next;
        progress = 0;
        for (s = c->streams; s && !c->closing; s = next) {
            next = s->next; /* send_some may free s */
            progress |= send_some(c, s);
        }
    }
}

/* ---- what the client sends ------------------------------------------------ */

static void copy_value(char *dst, size_t cap, h2f_bytes v)
{
    /* a value too long to keep becomes "", which answers 400 */
    size_t n = v.len < cap ? v.len : 0;
    memcpy(dst, v.ptr, n);
    dst[n] = 0;
}

static void on_field(struct conn *c, const h2f_event *ev)
{
    struct stream *s = find_stream(c, ev->stream_id);
    if (ev->block == H2F_BLOCK_HEADERS) {
        if (!s && !(s = new_stream(c, ev->stream_id))) {
            conn_fail(c, H2F_INTERNAL_ERROR, "out of memory");
            return;
        }
        if (bytes_eq(ev->field.name, ":method"))
            copy_value(s->method, sizeof s->method, ev->field.value);
        else if (bytes_eq(ev->field.name, ":path"))
            copy_value(s->path, sizeof s->path, ev->field.value);
    } else if (ev->block == H2F_BLOCK_TRAILERS && s && s->echo && s->ntrailers < MAX_TRAILERS &&
               ev->field.name.len + ev->field.value.len + 2 <=
                   sizeof s->trailer_buf - s->trailer_len) {
        char *p = s->trailer_buf + s->trailer_len;
        memcpy(p, ev->field.name.ptr, ev->field.name.len);
        p[ev->field.name.len] = 0;
        p += ev->field.name.len + 1;
        memcpy(p, ev->field.value.ptr, ev->field.value.len);
        p[ev->field.value.len] = 0;
        s->trailer_len += ev->field.name.len + ev->field.value.len + 2;
        s->ntrailers++;
    }
}

static void on_headers_end(struct conn *c, const h2f_event *ev)
{
    struct stream *s = find_stream(c, ev->stream_id);
    if (ev->block != H2F_BLOCK_HEADERS) { /* trailers: the request is complete */
        if (s && ev->end_stream)
            s->req_ended = 1;
        return;
    }
    /* A malformed request (§8.1.1): the reader reports the stream error
     * next; we answer that with RST_STREAM. */
    if (ev->problems)
        return;
    if (!s && !(s = new_stream(c, ev->stream_id))) {
        conn_fail(c, H2F_INTERNAL_ERROR, "out of memory");
        return;
    }
    s->req_ended = ev->end_stream;
    if (c->goaway_state == 2) {
        /* §6.8: after our final GOAWAY we ignore new streams; REFUSED_STREAM
         * tells the client it may retry them elsewhere (§8.7). */
        reset_stream(c, s, H2F_REFUSED_STREAM);
        return;
    }
    c->last_peer_id = ev->stream_id;
    start_response(c, s);
}

/* DATA (padding removed) on stream id; `length` is what flow control
 * counts for it, padding included (§6.9.1). */
static void on_data(struct conn *c, uint32_t id, uint32_t length, h2f_bytes data, int end)
{
    struct stream *s = find_stream(c, id);
    if (take_conn_window(c, length) < 0)
        return;
    if (!s) {
        consumed(c, NULL, length);
        return;
    }
    if (h2f_recv_window_take(&s->rw, length) != H2F_OK) {
        /* §5.2.1/§6.9: beyond the stream's window: a stream
         * FLOW_CONTROL_ERROR; the connection still gets its octets back */
        reset_stream(c, s, H2F_FLOW_CONTROL_ERROR);
        consumed(c, NULL, length);
        return;
    }
    if (end)
        s->req_ended = 1;
    if (s->echo) {
        /* The client never has more than our window in flight, so the
         * buffer is as large as the window at most. */
        if (!s->echo_buf) {
            s->echo_cap = cfg.window > DEFAULT_WINDOW ? cfg.window : DEFAULT_WINDOW;
            if (!(s->echo_buf = malloc(s->echo_cap))) {
                reset_stream(c, s, H2F_INTERNAL_ERROR);
                consumed(c, NULL, length);
                return;
            }
        }
        if (s->echo_off + s->echo_len + data.len > s->echo_cap) {
            memmove(s->echo_buf, s->echo_buf + s->echo_off, s->echo_len);
            s->echo_off = 0;
        }
        memcpy(s->echo_buf + s->echo_off + s->echo_len, data.ptr, data.len);
        s->echo_len += data.len;
        consumed(c, s, length - data.len); /* the padding, now; the data once echoed */
    } else {
        consumed(c, s, length); /* a body nobody wants: consumed at once */
    }
}

static void on_frame(struct conn *c, const h2f_event *ev)
{
    const h2f_frame *f = ev->frame;
    struct stream *s;
    switch (f->hd.type) {
    case H2F_SETTINGS:
        if (f->hd.flags & H2F_FLAG_ACK) {
            /* Our INITIAL_WINDOW_SIZE now holds: streams opened before are
             * adjusted by the difference (§6.9.2). */
            if (!c->settings_acked)
                for (s = c->streams; s; s = s->next) {
                    s->rw.window += (int64_t)cfg.window - DEFAULT_WINDOW;
                    s->rw.size = cfg.window;
                }
            c->settings_acked = 1;
        } else {
            int64_t delta = peer_settings_apply(&c->peer, f, &c->enc);
            for (s = c->streams; s; s = s->next)
                if ((s->send_window += delta) > (int64_t)H2F_MAX_WINDOW) {
                    /* §6.9.2: a change that takes a window past 2^31-1 */
                    conn_fail(c, H2F_FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE overflows a window");
                    return;
                }
            put_settings(&c->out, NULL, 0, H2F_FLAG_ACK); /* §6.5.3 */
        }
        break;
    case H2F_PING:
        if (!(f->hd.flags & H2F_FLAG_ACK)) {
            put_ping(&c->out, f->ping.opaque_data.ptr, 1); /* §6.7 */
        } else if (c->goaway_state == 1 && !memcmp(f->ping.opaque_data.ptr, shutdown_ping, 8)) {
            /* The client has seen our first GOAWAY: any stream it opened
             * before is below this id (§6.8). */
            put_goaway(&c->out, c->last_peer_id, H2F_NO_ERROR, NULL);
            c->goaway_state = 2;
        }
        break;
    case H2F_WINDOW_UPDATE:
        if (f->hd.stream_id == 0) {
            if (h2f_send_window_update(&c->send_window, f->window_update.window_size_increment) != H2F_OK)
                conn_fail(c, H2F_FLOW_CONTROL_ERROR, "connection window above 2^31-1");
        } else if ((s = find_stream(c, f->hd.stream_id)) != NULL &&
                   h2f_send_window_update(&s->send_window, f->window_update.window_size_increment) != H2F_OK) {
            reset_stream(c, s, H2F_FLOW_CONTROL_ERROR);
        }
        break;
    case H2F_DATA: /* on a stream we reset: dropped, but it used the window */
        if (take_conn_window(c, event_flow(ev)) == 0)
            consumed(c, NULL, event_flow(ev));
        break;
    default: /* GOAWAY (the client closes when it is done), PRIORITY, unknown types */
        break;
    }
}

static void on_event(struct conn *c, const h2f_event *ev)
{
    struct stream *s;
    switch (ev->type) {
    case H2F_EV_HEADER:
        on_field(c, ev);
        break;
    case H2F_EV_HEADERS_END:
        on_headers_end(c, ev);
        break;
    case H2F_EV_DATA:
        on_data(c, ev->stream_id, event_flow(ev), ev->data, ev->end_stream);
        break;
    case H2F_EV_END:
        if ((s = find_stream(c, ev->stream_id)) == NULL)
            break;
        if (ev->end == H2F_END_STREAM)
            s->req_ended = 1; /* the response goes on */
        else {
            log_stream(s, ev->end == H2F_END_RESET ? " (reset by the client)" : " (failed)");
            free_stream(c, s); /* reset by the client: stop sending (§6.4) */
        }
        break;
    case H2F_EV_RESET:
        /* The usual cancel: the request was complete (its END came) and
         * the client resets the stream while the response streams. The
         * stream is closed for both sides (§5.1): stop sending. */
        if ((s = find_stream(c, ev->stream_id)) != NULL) {
            log_stream(s, " (cancelled by the client)");
            free_stream(c, s);
        }
        break;
    case H2F_EV_FRAME:
        on_frame(c, ev);
        break;
    case H2F_EV_BODY: /* only with H2F_BODY_WHOLE */
        break;
    }
}

/* A chunk from the socket: feed it, then take events until the reader
 * needs more (it keeps a pointer to c->in until then). */
static void on_input(struct conn *c, size_t n)
{
    h2f_event ev;
    h2f_error err;
    h2f_status st;
    h2f_conn_feed(&c->rd, c->in, n);
    while (!c->closing && (st = h2f_conn_next(&c->rd, &ev, &err)) != H2F_NEED_MORE) {
        struct stream *s;
        if (st == H2F_OK) {
            on_event(c, &ev);
            continue;
        }
        if (err.scope != H2F_SCOPE_STREAM) {
            conn_fail(c, err.code, err.reason);
            break;
        }
        /* A stream error (§5.4.2): RST_STREAM; the reader already counts the
         * stream as reset by us. A DATA frame that caused it still used
         * the connection window. */
        if (!cfg.quiet)
            fprintf(stderr, "stream %u: error %s: %s\n", (unsigned)err.stream_id,
                    h2f_error_code_name(err.code), err.reason);
        put_rst_stream(&c->out, err.stream_id, err.code);
        if ((s = find_stream(c, err.stream_id)) != NULL)
            free_stream(c, s);
        if (err.frame_type == H2F_DATA && take_conn_window(c, err.length) == 0)
            consumed(c, NULL, err.length);
    }
}

/* ---- sockets ------------------------------------------------------------- */

static struct conn *new_conn(int fd)
{
    struct conn *c = calloc(1, sizeof *c);
    h2f_conn_options o;
    h2f_setting ours[2];
    uint64_t conn_window;
    if (!c)
        return NULL;
    memset(&o, 0, sizeof o);
    o.role = H2F_ROLE_SERVER;
    o.body = H2F_BODY_STREAM;
    o.validate_http = 1;  /* malformed requests are stream errors (§8.1.1) */
    o.track_local = 1;    /* a stream counts until our response ends (§5.1.2) */
    o.max_concurrent_streams = cfg.max_streams;
    if (h2f_conn_init(&c->rd, &o, NULL) != H2F_OK) {
        free(c);
        return NULL;
    }
    if (h2f_hpack_encoder_init(&c->enc, NULL, NULL) != H2F_OK) {
        h2f_conn_free(&c->rd);
        free(c);
        return NULL;
    }
    c->fd = fd;
    h2f_peer_settings_init(&c->peer);
    c->send_window = DEFAULT_WINDOW;
    /* The connection window holds every stream's: one stream whose echo
     * the client does not read cannot stall the others. */
    conn_window = (uint64_t)cfg.window * cfg.max_streams;
    if (conn_window > H2F_MAX_WINDOW)
        conn_window = H2F_MAX_WINDOW;
    if (conn_window < DEFAULT_WINDOW)
        conn_window = DEFAULT_WINDOW;
    h2f_recv_window_init(&c->rw, (uint32_t)conn_window);
    /* §3.4: the server's preface is a SETTINGS frame, sent first; the
     * reader applies what it says when the client acknowledges it. */
    ours[0].id = H2F_SETTINGS_MAX_CONCURRENT_STREAMS;
    ours[0].value = cfg.max_streams;
    ours[1].id = H2F_SETTINGS_INITIAL_WINDOW_SIZE;
    ours[1].value = cfg.window;
    put_settings(&c->out, ours, 2, 0);
    h2f_conn_local_settings(&c->rd, ours, 2);
    /* The connection window is not a setting: WINDOW_UPDATE on stream 0. */
    if (conn_window > DEFAULT_WINDOW)
        put_window_update(&c->out, 0, (uint32_t)(conn_window - DEFAULT_WINDOW));
    return c;
}

static void free_conn(struct conn *c)
{
    while (c->streams)
        free_stream(c, c->streams);
    close(c->fd);
    h2f_conn_free(&c->rd);
    h2f_hpack_encoder_free(&c->enc);
    free(c->out.p);
    free(c);
}

/* Graceful shutdown, §6.8: "A server that is attempting to gracefully shut
 * down a connection SHOULD send an initial GOAWAY frame with the last
 * stream identifier set to 2^31-1 and a NO_ERROR code ... After allowing
 * time for any in-flight stream creation (at least one round-trip time),
 * the server MAY send another GOAWAY frame with an updated last stream
 * identifier." The round trip is a PING. */
static void begin_shutdown(struct conn *c)
{
    if (c->closing)
        return;
    put_goaway(&c->out, H2F_MAX_STREAM_ID, H2F_NO_ERROR, "shutting down");
    put_ping(&c->out, shutdown_ping, 0);
    c->goaway_state = 1;
    c->since = time(NULL);
}

/* After poll: make DATA, send, and move towards closing. */
static void service(struct conn *c, time_t now)
{
    if (!c->closing)
        pump(c);
    if (ob_flush(&c->out, c->fd) < 0) {
        c->dead = 1;
        return;
    }
    if (c->goaway_state == 1 && now - c->since >= 2) { /* no PING ACK: go on */
        put_goaway(&c->out, c->last_peer_id, H2F_NO_ERROR, NULL);
        c->goaway_state = 2;
    }
    if (!c->closing && c->goaway_state == 2 && !c->streams && !c->out.len)
        start_closing(c);
    if (c->closing && !c->out.len && !c->wr_shut) {
        /* Half-close and read until the client closes: closing with its
         * bytes unread would reset the connection and could lose our
         * GOAWAY. */
        shutdown(c->fd, SHUT_WR);
        c->wr_shut = 1;
    }
    if (c->closing && now - c->since >= 2)
        c->dead = 1;
}

static void on_readable(struct conn *c)
{
    ssize_t n = recv(c->fd, c->in, sizeof c->in, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        c->dead = 1;
    else if (n > 0 && !c->closing)
        on_input(c, (size_t)n);
}

static int listen_on(const char *addr, const char *port)
{
    struct addrinfo hints, *ai;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[64], serv[16];
    int fd, one = 1;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo(addr, port, &hints, &ai) != 0) {
        fprintf(stderr, "bad address %s port %s\n", addr, port);
        return -1;
    }
    fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0 ||
        fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        perror("listen");
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    printf("listening on %s %s\n", host, serv);
    fflush(stdout);
    return fd;
}

static void usage(void)
{
    fprintf(stderr, "usage: h2c-server [-a ADDR] [-p PORT] [-d DIR] [-m STREAMS] [-w WINDOW] [-q]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static struct conn *conns[MAX_CONNS];
    struct pollfd fds[MAX_CONNS + 1];
    const char *addr = "127.0.0.1", *port = "8080";
    size_t nconns = 0, i, j;
    time_t shutdown_at = 0;
    struct sigaction sa;
    int opt, lfd;
    long v;

    while ((opt = getopt(argc, argv, "a:p:d:m:w:q")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = optarg; break;
        case 'd': cfg.root = optarg; break;
        case 'm':
            if ((v = atol(optarg)) < 1 || v > 1000)
                usage();
            cfg.max_streams = (uint32_t)v;
            break;
        case 'w':
            if ((v = atol(optarg)) < 1 || v > (long)H2F_MAX_WINDOW)
                usage();
            cfg.window = (uint32_t)v;
            break;
        case 'q': cfg.quiet = 1; break;
        default: usage();
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((lfd = listen_on(addr, port)) < 0)
        return 1;

    for (;;) {
        time_t now = time(NULL);
        size_t n = 0;
        if (got_term && lfd >= 0) {
            close(lfd); /* no new connections; the open ones wind down */
            lfd = -1;
            shutdown_at = now;
            for (i = 0; i < nconns; i++)
                begin_shutdown(conns[i]);
        }
        if (lfd < 0 && (nconns == 0 || now - shutdown_at > 10))
            break;
        if (lfd >= 0) {
            fds[n].fd = lfd;
            fds[n++].events = POLLIN;
        }
        for (i = 0; i < nconns; i++, n++) {
            fds[n].fd = conns[i]->fd;
            fds[n].events = (short)((conns[i]->closing || conns[i]->out.len < OUT_HIGH ? POLLIN : 0) |
                                    (conns[i]->out.len ? POLLOUT : 0));
            fds[n].revents = 0;
        }
        if (poll(fds, (nfds_t)n, 200) < 0 && errno != EINTR) {
            perror("poll");
            return 1;
        }
        now = time(NULL);
        for (i = 0; i < nconns; i++) {
            struct pollfd *p = &fds[i + (lfd >= 0)];
            if (p->revents & (POLLIN | POLLHUP | POLLERR))
                on_readable(conns[i]);
            if (!conns[i]->dead)
                service(conns[i], now);
        }
        for (i = j = 0; i < nconns; i++) { /* forget the closed ones */
            if (conns[i]->dead)
                free_conn(conns[i]);
            else
                conns[j++] = conns[i];
        }
        nconns = j;
        if (lfd >= 0 && (fds[0].revents & POLLIN)) {
            int fd, one = 1;
            while ((fd = accept(lfd, NULL, NULL)) >= 0) {
                struct conn *c = NULL;
                /* small frames must not wait for Nagle's algorithm */
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                if (nconns < MAX_CONNS && fcntl(fd, F_SETFL, O_NONBLOCK) == 0)
                    c = new_conn(fd);
                if (!c) {
                    close(fd);
                    continue;
                }
                conns[nconns++] = c;
                service(c, now); /* our SETTINGS go out now */
            }
        }
    }
    for (i = 0; i < nconns; i++)
        free_conn(conns[i]);
    return 0;
}
