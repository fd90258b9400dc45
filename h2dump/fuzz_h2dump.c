/*
 * fuzz_h2dump — libFuzzer target for h2dump: the capture reader (pcap,
 * pcapng, TCP reassembly, h2c detection), the frame dumper over the
 * connection reader in every output mode, the two-direction scheduler and
 * --hpack. Output goes to /dev/null; the sanitizers and the fuzzer's
 * memory and time limits are the oracle (no crash, no leak, no hang, no
 * unbounded memory).
 *
 * Input: byte 0 = options: bit 0 --json, 1 --hex, 2 --streams, 3 --grpc,
 * 4 --table, 5 --validate and --mid; bits 6-7 the input kind: 0-1 auto
 * (a capture if the magic number says so, else one raw direction; 1 adds
 * --port 8080, the port of the test captures), 2 two
 * raw directions (byte 1 says where the rest is split, in 256ths), 3
 * --hpack lines. Then the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "h2dump/h2dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    h2dump_options o = {0};
    uint8_t b;
    int kind;
    if (!null)
        null = fopen("/dev/null", "w");
    if (!null || size < 1)
        return 0;
    b = data[0];
    data++;
    size--;
    o.json = b & 1;
    o.hex = (b >> 1) & 1;
    o.streams = (b >> 2) & 1;
    o.grpc = (b >> 3) & 1;
    o.table = (b >> 4) & 1;
    o.validate = o.any_first = (b >> 5) & 1;
    kind = b >> 6;
    o.port = kind == 1 ? 8080 : 0;
    if (kind == 2 && size >= 1) {
        size_t cut = (size - 1) * data[0] / 256;
        h2dump_run_pair(&o, data + 1, cut, data + 1 + cut, size - 1 - cut, null);
    } else {
        o.input = kind == 3 ? H2DUMP_INPUT_HPACK : H2DUMP_INPUT_AUTO;
        h2dump_run(&o, data, size, null);
    }
    return 0;
}
