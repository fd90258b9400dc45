#!/usr/bin/env python3
"""Mutation tester for h2frame's library sources (issue 15).

Line coverage says a line ran; a mutant says whether a test would notice the
line being wrong. This script samples small faults (mutants) from the six
library sources, builds each one out of tree, runs the unit tests that cover
that source, and reports which mutants no test noticed (survivors).

    python3 tools/mutate.py --seed 1 --n 60 [--files "conn.c http.c"] [--all]

or `make mutation SEED=1 N=60 FILES="conn.c http.c" ALL=1`. See
docs/testing.md for what the scores mean and the kept list of equivalent
mutants (tests/mutation-equivalent.txt).

Standard library only; one compiler process or test at a time (one core).
"""

import argparse
import bisect
import difflib
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LIB_SRCS = ["h2frame.c", "hpack.c", "hpack_table.c", "stream.c", "conn.c", "http.c"]
ALL_TESTS = ["test_h2frame", "test_hpack_table", "test_hpack", "test_stream",
             "test_conn", "test_http"]
# The tests that exercise each source. hpack_table.c is the table under the
# codec, so the codec's tests count for it; http.c's checks run inside the
# connection reader, so test_conn counts for it, and test_http drives them
# through the reader's own entry points, so it counts for conn.c.
TESTS_FOR = {
    "h2frame.c": ["test_h2frame"],
    "hpack.c": ["test_hpack"],
    "hpack_table.c": ["test_hpack_table", "test_hpack"],
    "stream.c": ["test_stream"],
    "conn.c": ["test_conn", "test_http"],
    "http.c": ["test_http", "test_conn"],
}

# Mutants are built without -Wall/-Werror: a mutant that only draws a warning
# (an unused variable after a deleted return) is still a program the tests
# should judge. Falling off the end of a non-void function is made an error,
# though: its result would be undefined, not the mutant's behaviour.
MUT_CFLAGS = ["-std=c11", "-O1", "-g0", "-Werror=return-type",
              "-Werror=implicit-function-declaration"]
# A mutant the plain build's tests pass is run once more under ASan and
# UBSan, as `make asan` (part of `make check`) runs the suite: a mutant that
# reads past an array, leaks or overflows is caught there, not equivalent.
# Only survivors take this second run, so it costs little.
SAN_CFLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
              "-fno-omit-frame-pointer"]
SAN_ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="halt_on_error=1")


# ---------------------------------------------------------------- scanning

def code_mask(text):
    """Return text with comments, string and character literals and
    preprocessor lines replaced by spaces (newlines kept), so that offsets
    still match the original and every regex below sees code only."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True  # only whitespace so far on this line
    while i < n:
        c = text[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if line_start and c == "#":
            # A directive runs to an unescaped newline.
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        else:
            i += 1
    return "".join(out)


def matching_paren(mask, open_at):
    depth = 0
    for k in range(open_at, len(mask)):
        if mask[k] == "(":
            depth += 1
        elif mask[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1


class Mutant:
    """One change: replace text[start:end] with new. op names the operator
    (kept short: it is written into the equivalents list)."""

    def __init__(self, path, start, end, new, op):
        self.path, self.start, self.end, self.new, self.op = path, start, end, new, op
        self.key = None  # set by find_mutants


# Relational/equality operators, each alone (not part of <<, >>, ->, <<=).
ROR = {"==": "!=", "!=": "==", "<": "<=", "<=": "<", ">": ">=", ">=": ">"}
ROR_RE = re.compile(r"(?<![<>=!\-])(==|!=|<=|>=|<|>)(?![<>=])")
LOGIC_RE = re.compile(r"&&|\|\|")
# A binary + or - (after an operand), or += / -=; never ++, --, ->.
ARITH_RE = re.compile(r"(?<=[\w)\]])(\s*)([+-])(=?)(?![+\-=>])")
INT_RE = re.compile(r"(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])")
IF_RE = re.compile(r"\bif\s*\(")
RETURN_RE = re.compile(r"\breturn\b([^;]*);")


# A row of a constant table: braces, commas and literals, no statement and
# no assignment (hpack_table.c's 257 Huffman rows). Each row is pinned by
# test_hpack_table against the RFC's own table, and there are so many that
# sampled in with the code they would make up nine tenths of that file's
# mutants and say little about its code; --tables samples them too.
TABLE_ROW_RE = re.compile(r"\s*\{?[\s{}\-,\w.()]*,\s*")
STATEMENT_RE = re.compile(r"\b(if|return|while|for|switch|case)\b|=")


def is_table_row(mask, offset):
    ls = mask.rfind("\n", 0, offset) + 1
    le = mask.find("\n", offset)
    line = mask[ls:le if le >= 0 else len(mask)]
    return bool(TABLE_ROW_RE.fullmatch(line)) and "{" in line and not STATEMENT_RE.search(line)


def find_mutants(path, text, tables=False):
    mask = code_mask(text)
    muts = []
    for m in ROR_RE.finditer(mask):
        muts.append(Mutant(path, m.start(1), m.end(1), ROR[m.group(1)],
                           "ror:%s->%s" % (m.group(1), ROR[m.group(1)])))
    for m in LOGIC_RE.finditer(mask):
        new = "||" if m.group(0) == "&&" else "&&"
        muts.append(Mutant(path, m.start(), m.end(), new, "lcr:%s->%s" % (m.group(0), new)))
    for m in ARITH_RE.finditer(mask):
        # Only binary operators: an operand (a name, a literal, `)` or `]`)
        # must precede, so a unary minus is left alone; `return -1` and a
        # cast's `(T)-1` are taken, and flipping their sign is a fair mutant.
        op = m.group(2) + m.group(3)
        new = ("-" if m.group(2) == "+" else "+") + m.group(3)
        muts.append(Mutant(path, m.start(2), m.end(3), new, "aor:%s->%s" % (op, new)))
    for m in INT_RE.finditer(mask):
        lit, suffix = m.group(1), m.group(2)
        hexa = lit[:2] in ("0x", "0X")
        if not hexa and len(lit) > 1 and lit[0] == "0":
            continue  # octal: rare here, and not worth a second parser
        v = int(lit, 16 if hexa else 10)
        for d in (1, -1):
            w = v + d
            if w < 0:
                continue
            new = ("0x%0*x" % (len(lit) - 2, w) if hexa else str(w)) + suffix
            muts.append(Mutant(path, m.start(), m.end(), new, "crp:%+d" % d))
    for m in IF_RE.finditer(mask):
        op_at = m.end() - 1
        cl = matching_paren(mask, op_at)
        if cl < 0:
            continue
        cond = text[op_at + 1:cl]
        muts.append(Mutant(path, op_at + 1, cl, "!(%s)" % cond, "if:negate"))
        muts.append(Mutant(path, op_at + 1, cl, "0", "if:0"))
    for m in RETURN_RE.finditer(mask):
        val = text[m.start(1):m.end(1)].strip()
        muts.append(Mutant(path, m.start(), m.end(), "", "ret:delete"))
        # Replaced by 0: an error status becomes H2F_OK, a pointer NULL, a
        # count or flag zero. Where the value is already zero that would be
        # the same program.
        if val and val not in ("0", "NULL", "H2F_OK", "false", "0u", "0U"):
            muts.append(Mutant(path, m.start(1), m.end(1), " 0", "ret:0"))
    # A stable order, whatever order the operators were scanned in.
    muts.sort(key=lambda x: (x.start, x.end, x.op, x.new))
    # A line repeated in one function (`return 1;` four times in
    # string_continue) gives its mutants the same text, so the second and
    # later ones get their ordinal in the key: one equivalents entry must not
    # hide the others. Counted over table rows too, so --tables changes no key.
    seen = {}
    for m in muts:
        base = base_key(text, mask, m)
        n = seen.get(base, 0)
        seen[base] = n + 1
        m.key = base if n == 0 else hashlib.sha1(("%s#%d" % (base, n)).encode()).hexdigest()[:12]
    if not tables:
        muts = [m for m in muts if not is_table_row(mask, m.start)]
    return muts


FUNC_RE = re.compile(r"^[A-Za-z_][^;\n]*?\b([A-Za-z_]\w*)\s*\(", re.M)


_func_starts = {}


def enclosing_function(mask, offset):
    """The name of the function definition above offset (a top-level line
    that starts with a type and names something followed by '(')."""
    if mask not in _func_starts:
        _func_starts[mask] = [(m.start(), m.group(1)) for m in FUNC_RE.finditer(mask)]
    starts = _func_starts[mask]
    k = bisect.bisect_right(starts, (offset, "")) - 1
    return starts[k][1] if k >= 0 else "?"


def touched(text, mut):
    """The lines a mutant touches, before and after."""
    ls = text.rfind("\n", 0, mut.start) + 1
    le = text.find("\n", mut.end)
    le = len(text) if le < 0 else le
    return text[ls:le], text[ls:mut.start] + mut.new + text[mut.end:le]


def base_key(text, mask, mut):
    """The key used in the equivalents list: a hash of the function, the
    touched lines before and after (whitespace folded, so re-indenting or
    moving the function does not lose the entry) and the operator."""
    old, new = touched(text, mut)
    fold = lambda s: " ".join(s.split())
    func = enclosing_function(mask, mut.start)
    return hashlib.sha1(("%s\n%s\n%s\n%s" % (func, fold(old), fold(new), mut.op))
                        .encode()).hexdigest()[:12]


def describe(text, mask, mut):
    """Line number, the touched lines before and after, the function, the key."""
    old, new = touched(text, mut)
    line = text.count("\n", 0, mut.start) + 1
    return line, old, new, enclosing_function(mask, mut.start), mut.key


# ---------------------------------------------------------------- running

def run(cmd, cwd, timeout=None, env=None):
    """Run cmd in its own process group; on timeout kill the group.
    Returns (returncode or 'timeout', output)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, env=env,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return "timeout", ""


def load_equivalents(path):
    """tests/mutation-equivalent.txt: `file key op reason...` a line; # comments."""
    eq = {}
    if not os.path.exists(path):
        return eq
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            parts = s.split(None, 3)
            if len(parts) < 4:
                sys.exit("%s:%d: want `file key op reason`" % (path, n))
            eq[(parts[0], parts[1])] = (parts[2], parts[3])
    return eq


def stale_equivalents(texts, eq, path):
    """Entries whose line has changed since they were judged match nothing
    now: say so, so the list is reviewed rather than left to rot."""
    known, out = {}, []
    for f in LIB_SRCS:
        for m in find_mutants(f, texts[f], tables=True):
            known[(f, m.key)] = m.op
    for (f, key), (op, reason) in sorted(eq.items()):
        if (f, key) not in known:
            out.append("NOTE: %s %s %s in %s matches no mutant now (its line changed): judge it again"
                       % (f, key, op, path))
        elif known[(f, key)] != op:
            out.append("NOTE: %s %s in %s says %s but that key is a %s mutant" %
                       (f, key, path, op, known[(f, key)]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", default="1",
                    help="the sample's seed; several (space or comma separated) give a "
                         "table with a column per seed and their sum")
    ap.add_argument("--n", type=int, default=60, help="mutants to sample (per seed)")
    ap.add_argument("--files", default="", help="restrict to these sources (space or comma separated)")
    ap.add_argument("--all", action="store_true", help="run the whole unit suite for each mutant")
    ap.add_argument("--timeout", type=float, default=0,
                    help="seconds per test run (default: 5x the unmutated run, at least 5)")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--equivalents", default="tests/mutation-equivalent.txt")
    ap.add_argument("--report", default="", help="default build/mutation-seedS.txt")
    ap.add_argument("--tables", action="store_true",
                    help="sample the rows of constant tables too (the Huffman code table)")
    ap.add_argument("--list", action="store_true", help="print the sampled mutants and stop")
    ap.add_argument("--check-equivalents", action="store_true",
                    help="only check that every entry of the equivalents list names a mutant "
                         "of today's sources, with its operator (make check runs this)")
    ap.add_argument("--no-sanitize", action="store_true",
                    help="do not run survivors again under ASan+UBSan")
    ap.add_argument("--only", default="",
                    help="run just these mutants, by the key a report prints (comma separated), "
                         "whatever the seed: to see whether a new test kills a survivor")
    a = ap.parse_args()
    try:
        seeds = [int(x) for x in re.split(r"[\s,]+", a.seed) if x]
    except ValueError:
        sys.exit("--seed wants integers: %s" % a.seed)
    seeds = sorted(set(seeds)) or [1]

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    files = [f for f in re.split(r"[\s,]+", a.files) if f] or LIB_SRCS
    for f in files:
        if f not in LIB_SRCS:
            sys.exit("not a library source: %s (one of %s)" % (f, " ".join(LIB_SRCS)))
    files = [f for f in LIB_SRCS if f in files]  # the order FILES was given in must not matter
    # N is shared evenly between the chosen files (the first files take the
    # remainder), so every file gets a score worth reading: sampled in
    # proportion, hpack_table.c's Huffman rows would crowd out http.c.
    # Candidates are listed in a fixed order and drawn by a generator seeded
    # with SEED and the file's name (a str seed is hashed with SHA-512, not
    # hash()), so a seed names the same mutants on every run, and the same
    # ones of a file whether FILES= picks it alone or not.
    texts, masks, cands = {}, {}, []
    for f in LIB_SRCS:
        with open(f) as fh:
            texts[f] = fh.read()
        masks[f] = code_mask(texts[f])
    picked = []
    in_seed = {}  # id(mutant) -> the seeds whose sample holds it
    for i, f in enumerate(files):
        fc = find_mutants(f, texts[f], a.tables)
        cands.extend(fc)
        share = a.n // len(files) + (1 if i < a.n % len(files) else 0)
        for seed in seeds:
            rng = random.Random("%d:%s" % (seed, f))
            for m in rng.sample(fc, min(share, len(fc))):
                if id(m) not in in_seed:
                    picked.append(m)
                    in_seed[id(m)] = []
                in_seed[id(m)].append(seed)
    if a.only:
        want = set(k for k in re.split(r"[\s,]+", a.only) if k)
        picked = [m for m in cands
                  if describe(texts[m.path], masks[m.path], m)[4] in want]
        if not picked:
            sys.exit("no mutant of %s has the key(s) %s" % (" ".join(files), a.only))
    picked.sort(key=lambda m: (LIB_SRCS.index(m.path), m.start, m.op))
    eq = load_equivalents(a.equivalents)

    if a.check_equivalents:
        bad = stale_equivalents(texts, eq, a.equivalents)
        for b in bad:
            print(b)
        print("%s: %d entries, %d stale" % (a.equivalents, len(eq), len(bad)))
        return 1 if bad else 0

    if a.list:
        for m in picked:
            line, old, new, func, key = describe(texts[m.path], masks[m.path], m)
            print("%s:%d %s %s [%s]\n  - %s\n  + %s" % (m.path, line, m.op, key, func,
                                                      old.strip(), new.strip()))
        return 0

    os.makedirs("build", exist_ok=True)
    report_path = a.report or ("build/mutation-only.txt" if a.only
                               else "build/mutation-seed%s.txt" % "-".join(map(str, seeds)))
    work = os.path.abspath(tempfile.mkdtemp(prefix="mutation-", dir="build"))
    t0 = time.time()
    try:
        # The unmutated objects and the tests' objects, built once.
        for f in LIB_SRCS:
            rc, out = run([a.cc] + MUT_CFLAGS + ["-I" + root, "-c", os.path.join(root, f),
                          "-o", os.path.join(work, f[:-2] + ".o")], work)
            if rc != 0:
                sys.exit("the unmutated %s does not build:\n%s" % (f, out))
        for t in ALL_TESTS:
            rc, out = run([a.cc, "-std=c11", "-O1", "-g0", "-I" + root, "-c",
                           os.path.join(root, "tests", t + ".c"),
                           "-o", os.path.join(work, t + ".o")], work)
            if rc != 0:
                sys.exit("tests/%s.c does not build (is libcmocka-dev installed?):\n%s" % (t, out))

        def link(test, objdir_for, san=False):
            exe = os.path.join(work, ("san-" if san else "bin-") + test)
            objs = [objdir_for(f) for f in LIB_SRCS]
            tobj = os.path.join(work, ("san-" if san else "") + test + ".o")
            rc, out = run([a.cc] + (SAN_CFLAGS if san else []) + [tobj] + objs +
                          ["-lcmocka", "-o", exe], work)
            return exe if rc == 0 else None

        # The sanitized objects and baseline, built at the first survivor.
        san_base = {}
        def san_setup():
            if san_base or a.no_sanitize:
                return bool(san_base)
            for f in LIB_SRCS:
                rc, out = run([a.cc] + MUT_CFLAGS + SAN_CFLAGS + ["-I" + root, "-c",
                              os.path.join(root, f), "-o", os.path.join(work, "san-" + f[:-2] + ".o")], work)
                if rc != 0:
                    print("no sanitizer build (%s): survivors are not run again" % out[:200])
                    a.no_sanitize = True
                    return False
            for t in ALL_TESTS:
                rc, out = run([a.cc, "-std=c11", "-O1", "-g0"] + SAN_CFLAGS + ["-I" + root, "-c",
                               os.path.join(root, "tests", t + ".c"),
                               "-o", os.path.join(work, "san-" + t + ".o")], work)
                exe = link(t, lambda f: os.path.join(work, "san-" + f[:-2] + ".o"), san=True) \
                    if rc == 0 else None
                s = time.time()
                rc, out = run([exe], root, timeout=900, env=SAN_ENV) if exe else (1, out)
                if rc != 0:
                    print("%s fails under ASan+UBSan unmutated: survivors are not run again\n%s"
                          % (t, out[-1000:]))
                    a.no_sanitize = True
                    return False
                san_base[t] = time.time() - s
            return True

        # The tests must pass unmutated; their time sets the timeout.
        base = {}
        for t in ALL_TESTS:
            exe = link(t, lambda f: os.path.join(work, f[:-2] + ".o"))
            if exe is None:
                sys.exit("could not link %s" % t)
            s = time.time()
            rc, out = run([exe], root, timeout=600)
            base[t] = time.time() - s
            if rc != 0:
                sys.exit("%s fails unmutated; fix that first:\n%s" % (t, out[-2000:]))
        setup = time.time() - t0

        results = []  # (mutant, status, line, old, new, func, key, seconds)
        mdir = os.path.join(work, "mut")
        os.makedirs(mdir)
        for i, m in enumerate(picked, 1):
            s = time.time()
            text = texts[m.path]
            line, old, new, func, key = describe(text, masks[m.path], m)
            src = os.path.join(mdir, m.path)
            with open(src, "w") as fh:
                fh.write(text[:m.start] + m.new + text[m.end:])
            obj = os.path.join(mdir, m.path[:-2] + ".o")
            rc, _ = run([a.cc] + MUT_CFLAGS + ["-I" + root, "-c", src, "-o", obj], mdir)
            status = "uncompiled"
            if rc == 0:
                status = "survived"
                tests = list(TESTS_FOR[m.path])
                if a.all:
                    tests += [t for t in ALL_TESTS if t not in tests]
                for t in tests:
                    exe = link(t, lambda f: obj if f == m.path
                               else os.path.join(work, f[:-2] + ".o"))
                    if exe is None:
                        status = "uncompiled"
                        break
                    limit = a.timeout or max(5.0, 5 * base[t])
                    rc, _ = run([exe], root, timeout=limit)
                    if rc == "timeout":
                        status = "killed(timeout)"
                        break
                    if rc != 0:
                        status = "killed(%s)" % t
                        break
            if status == "survived" and san_setup():
                sobj = os.path.join(mdir, "san-" + m.path[:-2] + ".o")
                rc, _ = run([a.cc] + MUT_CFLAGS + SAN_CFLAGS + ["-I" + root, "-c", src, "-o", sobj],
                            mdir)
                for t in (tests if rc == 0 else []):
                    exe = link(t, lambda f: sobj if f == m.path
                               else os.path.join(work, "san-" + f[:-2] + ".o"), san=True)
                    if exe is None:
                        break
                    limit = a.timeout or max(10.0, 5 * san_base[t])
                    rc, _ = run([exe], root, timeout=limit, env=SAN_ENV)
                    if rc == "timeout":
                        status = "killed(asan-timeout)"
                        break
                    if rc != 0:
                        status = "killed(asan:%s)" % t
                        break
            dt = time.time() - s
            if status == "survived" and (m.path, key) in eq:
                status = "equivalent"
            results.append((m, status, line, old, new, func, key, dt))
            print("[%d/%d] %s:%d %s %s (%.1fs)" % (i, len(picked), m.path, line, m.op,
                                                   status, dt), flush=True)
        total = time.time() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # ------------------------------------------------------------ report
    lines = []
    p = lines.append
    if a.only:
        p("mutation run: %d mutants chosen by key%s" % (len(picked), ", whole suite" if a.all else ""))
    else:
        p("mutation run: seed%s %s: %d mutants sampled%s from %d candidates in %s%s" %
          ("s" if len(seeds) > 1 else "", ", ".join(map(str, seeds)), len(picked),
           " (%d a seed; a mutant drawn by two seeds runs once, counts in both)" % a.n
           if len(seeds) > 1 else "", len(cands), " ".join(files),
           ", whole suite" if a.all else ""))
    p("time: %.0f s (setup %.0f s, %.1f s a mutant)" %
      (total, setup, (total - setup) / max(1, len(picked))))
    p("")
    p("%-14s %6s %6s %6s %6s %6s %9s %14s" % ("file", "muts", "nocomp", "killed",
                                               "surv", "equiv", "score", "score-w/o-eq"))

    def row(name, rs):
        comp = [r for r in rs if r[1] != "uncompiled"]
        killed = sum(1 for r in comp if r[1].startswith("killed"))
        equiv = sum(1 for r in comp if r[1] == "equivalent")
        surv = sum(1 for r in comp if r[1] == "survived")
        pct = lambda k, d: ("%5.1f%%" % (100.0 * k / d)) if d else "   -  "
        p("%-14s %6d %6d %6d %6d %6d %9s %14s" % (
            name, len(rs), len(rs) - len(comp), killed, surv, equiv,
            "%s" % pct(killed, len(comp)), pct(killed, len(comp) - equiv)))

    # With several seeds, a result counts once for each seed that drew it.
    if a.only:
        counted = results
    else:
        counted = [r for r in results for _ in in_seed[id(r[0])]]
    for f in files:
        row(f, [r for r in counted if r[0].path == f])
    row("overall", counted)
    p("")
    p("score: killed / compiled; score-w/o-eq: killed / (compiled - kept equivalents).")
    p("A timeout counts as killed; a mutant that does not build counts in neither.")
    if len(seeds) > 1 and not a.only:
        # One column a seed (killed/compiled, the equivalents left out), as
        # docs/testing.md keeps them.
        def cell(rs):
            comp = [r for r in rs if r[1] not in ("uncompiled", "equivalent")]
            killed = sum(1 for r in comp if r[1].startswith("killed"))
            return "%d/%d" % (killed, len(comp))
        p("")
        p("without the kept equivalents, killed/compiled:")
        p("| file | " + " | ".join("seed %d" % sd for sd in seeds) + " | all | score |")
        p("|---|" + "---|" * (len(seeds) + 2))
        for f in files + ["overall"]:
            mine = [r for r in counted if f == "overall" or r[0].path == f]
            per = [cell([r for r in results if (f == "overall" or r[0].path == f)
                         and sd in in_seed[id(r[0])]]) for sd in seeds]
            k, n = map(int, cell(mine).split("/"))
            p("| %s | %s | %s | %s |" % (f, " | ".join(per), cell(mine),
                                        ("%.1f%%" % (100.0 * k / n)) if n else "-"))

    stale = [r for r in results if r[1].startswith("killed") and (r[0].path, r[6]) in eq]
    for r in stale:
        p("NOTE: %s:%d %s is in %s but was killed: remove that entry" %
          (r[0].path, r[2], r[0].op, a.equivalents))
    for b in stale_equivalents(texts, eq, a.equivalents):
        p(b)

    for kind in ("survived", "equivalent"):
        rs = [r for r in results if r[1] == kind]
        if not rs:
            continue
        p("")
        p("==== %s (%d)" % ("survivors" if kind == "survived" else
                             "survivors in the equivalents list", len(rs)))
        for m, status, line, old, new, func, key, dt in rs:
            p("")
            p("%s:%d %s in %s()" % (m.path, line, m.op, func))
            if kind == "survived":
                p("equivalents-list line if it changes nothing observable:")
                p("  %s %s %s <reason>" % (m.path, key, m.op))
            else:
                p("kept as equivalent: %s" % eq[(m.path, key)][1])
            text = texts[m.path]
            mutated = text[:m.start] + m.new + text[m.end:]
            ol, nl = text.splitlines(True), mutated.splitlines(True)
            diff = difflib.unified_diff(ol, nl, "a/" + m.path, "b/" + m.path, n=2)
            lines.extend(d.rstrip("\n") for d in diff)

    report = "\n".join(lines) + "\n"
    with open(report_path, "w") as fh:
        fh.write(report)
    print()
    print(report, end="")
    print("report written to %s" % report_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
