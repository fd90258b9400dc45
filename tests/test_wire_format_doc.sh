#!/usr/bin/env bash
# docs/wire-format.md cannot drift: every command it shows is in a fenced
# ```sh block, immediately followed (blank lines allowed) by a ```text block
# with its output. This runs each command with bash from the repository root,
# build/ first on PATH (so `h2dump` is build/h2dump), standard error merged
# into standard output, and compares the output with the text block exactly.
#
#   bash tests/test_wire_format_doc.sh            check (make check-wire-format-doc)
#   bash tests/test_wire_format_doc.sh --update   rewrite the text blocks with
#                                                 what the commands print now
#   DOC=other.md bash tests/test_wire_format_doc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/h2dump ] || { echo "build/h2dump is missing: make build/h2dump"; exit 1; }
export DOC=${DOC:-docs/wire-format.md} MODE=${1:-check}
export PATH="$PWD/build:$PATH" NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC

exec python3 - <<'PY'
import os
import re
import subprocess
import sys

doc, mode = os.environ["DOC"], os.environ["MODE"]
lines = open(doc, encoding="utf-8").read().split("\n")


def fence_end(i):
    """Index of the closing fence of the block opened at line i."""
    for j in range(i + 1, len(lines)):
        if lines[j].strip() == "```":
            return j
    sys.exit("%s:%d: unclosed code block" % (doc, i + 1))


# (command, first line of the text block's body, its closing fence)
pairs, i = [], 0
while i < len(lines):
    m = re.match(r"^```(\w*)", lines[i])
    if not m:
        i += 1
        continue
    end = fence_end(i)
    if m.group(1) == "sh":
        cmd = "\n".join(lines[i + 1:end])
        k = end + 1
        while k < len(lines) and lines[k].strip() == "":
            k += 1
        if k >= len(lines) or lines[k].strip() != "```text":
            sys.exit("%s:%d: a ```sh block must be followed by a ```text block with its output"
                     % (doc, i + 1))
        tend = fence_end(k)
        pairs.append((i + 1, cmd, k + 1, tend))
        i = tend + 1
    else:
        i = end + 1

if not pairs:
    sys.exit("%s: no ```sh blocks" % doc)


def run(cmd):
    p = subprocess.run(["bash", "-c", "set -o pipefail\n" + cmd], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    out = p.stdout.decode("utf-8", "replace")
    if out.endswith("\n"):
        out = out[:-1]
    return p.returncode, out


def expected(start, tend):
    return "\n".join(lines[start:tend])


failed = 0
replacements = []
for line_no, cmd, start, tend in pairs:
    rc, out = run(cmd)
    want = expected(start, tend)
    if mode == "--update":
        replacements.append((start, tend, out.split("\n") if out else []))
        if rc not in (0, 1):
            print("%s:%d: exit status %d" % (doc, line_no, rc))
        continue
    # h2dump exits 1 for a protocol error it shows; a usage or I/O error (2),
    # or a command that cannot run, is a broken example
    if out != want or rc not in (0, 1):
        failed += 1
        print("FAIL %s:%d: %s" % (doc, line_no, cmd.split("\n")[0]))
        if rc not in (0, 1):
            print("  exit status %d" % rc)
        a, b = want.split("\n"), out.split("\n")
        for n in range(max(len(a), len(b))):
            x = a[n] if n < len(a) else "(nothing)"
            y = b[n] if n < len(b) else "(nothing)"
            if x != y:
                print("  line %d of the output\n    doc:    %s\n    actual: %s" % (n + 1, x, y))
                break

if mode == "--update":
    for start, tend, new in reversed(replacements):
        lines[start:tend] = new
    open(doc, "w", encoding="utf-8").write("\n".join(lines))
    print("%s: %d outputs rewritten" % (doc, len(replacements)))
    sys.exit(0)
print("%s: %d of %d commands give the output shown" % (doc, len(pairs) - failed, len(pairs)))
sys.exit(1 if failed else 0)
PY
