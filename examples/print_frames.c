/*
 * print_frames — prints the HTTP/2 frames in a file holding one direction of a
 * connection (with or without the client preface), using h2f_reader.
 *
 *   print_frames FILE [CHUNK]
 *
 * The file is fed to the reader CHUNK octets at a time (default 1000), the
 * way bytes arrive from a socket: frames cut by a chunk boundary come out
 * the same as the others. Exits 1 on a protocol error, 2 on a usage or I/O
 * error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "h2frame.h"

static void print_flags(uint8_t type, uint8_t flags)
{
    /* Flag names depend on the type: 0x1 is END_STREAM or ACK. */
    int ack = type == H2F_SETTINGS || type == H2F_PING;
    printf(" flags=0x%02x", flags);
    if ((flags & H2F_FLAG_END_STREAM) && !ack && (type == H2F_DATA || type == H2F_HEADERS))
        printf(" END_STREAM");
    if ((flags & H2F_FLAG_ACK) && ack)
        printf(" ACK");
    if ((flags & H2F_FLAG_END_HEADERS) &&
        (type == H2F_HEADERS || type == H2F_PUSH_PROMISE || type == H2F_CONTINUATION))
        printf(" END_HEADERS");
    if ((flags & H2F_FLAG_PADDED) &&
        (type == H2F_DATA || type == H2F_HEADERS || type == H2F_PUSH_PROMISE))
        printf(" PADDED");
    if ((flags & H2F_FLAG_PRIORITY) && type == H2F_HEADERS)
        printf(" PRIORITY");
}

static void print_priority(const h2f_priority *p)
{
    printf("    depends on %u%s, weight %u\n", (unsigned)p->stream_dependency,
           p->exclusive ? " (exclusive)" : "", p->weight + 1u);
}

static void print_frame(uint64_t offset, const h2f_frame *f)
{
    const char *name = h2f_frame_type_name(f->hd.type);
    size_t i;

    printf("%8llu  ", (unsigned long long)offset);
    if (name)
        printf("%s", name);
    else
        printf("UNKNOWN(0x%02x)", f->hd.type);
    printf(" stream=%u length=%u", (unsigned)f->hd.stream_id, (unsigned)f->hd.length);
    print_flags(f->hd.type, f->hd.flags);
    printf("\n");
    if (f->hd.flags & H2F_FLAG_PADDED && f->padding.ptr)
        printf("    padding %u octets\n", f->pad_length);

    switch (f->hd.type) {
    case H2F_DATA:
        printf("    %zu octets of data\n", f->data.data.len);
        break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            print_priority(&f->headers.priority);
        printf("    field block fragment: %zu octets\n", f->headers.block.len);
        break;
    case H2F_PRIORITY:
        print_priority(&f->priority.priority);
        break;
    case H2F_RST_STREAM:
        printf("    error %s\n", h2f_error_code_name(f->rst_stream.error_code));
        break;
    case H2F_SETTINGS:
        for (i = 0; i < f->settings.count; i++) {
            h2f_setting s = h2f_settings_get(f, i);
            const char *sn = h2f_setting_name(s.id);
            if (sn)
                printf("    %s = %u\n", sn, (unsigned)s.value);
            else
                printf("    0x%x = %u (unknown, ignored)\n", s.id, (unsigned)s.value);
        }
        break;
    case H2F_PUSH_PROMISE:
        printf("    promised stream %u, field block fragment: %zu octets\n",
               (unsigned)f->push_promise.promised_stream_id, f->push_promise.block.len);
        break;
    case H2F_PING:
        printf("    opaque data");
        for (i = 0; i < 8; i++)
            printf(" %02x", f->ping.opaque_data.ptr[i]);
        printf("\n");
        break;
    case H2F_GOAWAY:
        printf("    last stream %u, error %s, debug \"%.*s\"\n",
               (unsigned)f->goaway.last_stream_id, h2f_error_code_name(f->goaway.error_code),
               (int)f->goaway.debug_data.len, (const char *)f->goaway.debug_data.ptr);
        break;
    case H2F_WINDOW_UPDATE:
        printf("    window size increment %u\n", (unsigned)f->window_update.window_size_increment);
        break;
    case H2F_CONTINUATION:
        printf("    field block fragment: %zu octets\n", f->continuation.block.len);
        break;
    default:
        printf("    unknown type: %u octets of payload, ignored\n", (unsigned)f->hd.length);
        break;
    }
}

int main(int argc, char **argv)
{
    h2f_reader_options opt = {0, H2F_PREFACE_DETECT, 0, 0};
    h2f_reader rd;
    static uint8_t chunk[65536];
    size_t chunk_size = 1000, n;
    int rc = 0, announced = 0;
    FILE *in;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s FILE [CHUNK]\n", argv[0]);
        return 2;
    }
    if (argc == 3)
        chunk_size = strtoul(argv[2], NULL, 10);
    if (chunk_size == 0 || chunk_size > sizeof chunk) {
        fprintf(stderr, "CHUNK must be 1..%zu\n", sizeof chunk);
        return 2;
    }
    in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    if (h2f_reader_init(&rd, &opt, NULL) != H2F_OK) {
        fprintf(stderr, "out of memory\n");
        fclose(in);
        return 2;
    }

    /* The receive loop: feed what arrived, take frames until NEED_MORE. */
    while (rc == 0 && (n = fread(chunk, 1, chunk_size, in)) > 0) {
        h2f_frame f;
        h2f_error err;
        h2f_status st;

        h2f_reader_feed(&rd, chunk, n);
        for (;;) {
            st = h2f_reader_next(&rd, &f, &err);
            if (rd.preface_seen && !announced) {
                printf("%8d  client connection preface (24 octets)\n", 0);
                announced = 1;
            }
            if (st == H2F_NEED_MORE)
                break;
            if (st == H2F_OK) {
                print_frame(h2f_reader_frame_offset(&rd), &f);
                continue;
            }
            printf("%8llu  %s error %s: %s\n", (unsigned long long)err.offset,
                   h2f_scope_name(err.scope), h2f_error_code_name(err.code), err.reason);
            if (err.scope == H2F_SCOPE_CONNECTION) {
                rc = 1;
                break;
            }
            print_frame(h2f_reader_frame_offset(&rd), &f); /* a stream error still carries its frame */
        }
    }
    if (rc == 0 && ferror(in)) {
        perror(argv[1]);
        rc = 2;
    }
    h2f_reader_free(&rd);
    fclose(in);
    return rc;
}
