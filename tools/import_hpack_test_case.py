#!/usr/bin/env python3
"""Converts the hpack-test-case corpus (JSON stories) into the compact text
form the tests and the benchmark read, in tests/data/hpack-test-case/.

    tools/import_hpack_test_case.py SRC_DIR

SRC_DIR holds raw-data/ and one folder per encoder (see its SOURCE.md).
Every folder encodes the same header lists as raw-data/, so they are stored
once:

  headers.txt   for each case: a line "# NN SEQ" (SEQ counts the story's cases), then one line per field,
                name TAB value (no field in the corpus holds a tab, CR or LF)
  <folder>.txt  one line per case: "NN SEQ TABLE_SIZE HEX", TABLE_SIZE being
                the SETTINGS_HEADER_TABLE_SIZE acknowledged just before the
                case, or - when the story did not change it
"""
import glob
import json
import os
import shutil
import sys

src = sys.argv[1]
dst = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "hpack-test-case")
os.makedirs(dst, exist_ok=True)


def story_no(path):
    return os.path.basename(path)[len("story_"):-len(".json")]


base = {}
with open(os.path.join(dst, "headers.txt"), "w", encoding="utf-8") as out:
    for path in sorted(glob.glob(os.path.join(src, "raw-data", "story_*.json"))):
        cases = json.load(open(path))["cases"]
        base[story_no(path)] = [c["headers"] for c in cases]
        for seq, c in enumerate(cases):
            out.write("# %s %d\n" % (story_no(path), seq))
            for h in c["headers"]:
                for k, v in h.items():
                    assert not any(ch in k + v for ch in "\t\r\n")
                    out.write("%s\t%s\n" % (k, v))

for folder in sorted(os.listdir(src)):
    if folder == "raw-data" or not os.path.isdir(os.path.join(src, folder)):
        continue
    with open(os.path.join(dst, folder + ".txt"), "w") as out:
        for path in sorted(glob.glob(os.path.join(src, folder, "story_*.json"))):
            cases = json.load(open(path))["cases"]
            assert [c["headers"] for c in cases] == base[story_no(path)], path
            for seq, c in enumerate(cases):
                ts = c.get("header_table_size")
                out.write("%s %d %s %s\n" % (story_no(path), seq,
                                             "-" if ts is None else ts, c["wire"]))

shutil.copy(os.path.join(src, "LICENSE"), dst)
shutil.copy(os.path.join(src, "SOURCE.md"), dst)
