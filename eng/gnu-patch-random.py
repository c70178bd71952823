#!/usr/bin/env python3
"""Randomized side-by-side comparison of PatchKit's `patch` drop-in with GNU patch 2.7.6.

Takes real patches from the corpus (../shared/corpus/real, cases built by make-corpus.sh), damages some of them
(a line dropped, doubled or replaced by text, a range changed, the patch cut short, a sign flipped) and the trees
they apply to (a line changed, a file emptied or removed), picks random option combinations, runs GNU patch and
PatchKit through links named `patch` on identical fresh trees (LC_ALL=C, TZ=UTC, no terminal) and compares
standard output, standard error, exit status and the tree left (contents and modes). Each difference is kept in
OUTDIR (the patch, the arguments, both outcomes) and summed up at the end.

  nice eng/gnu-patch-random.py --cases 200 --seed 1             # the CLI's Release build
  nice eng/gnu-patch-random.py --patchkit /tmp/aot/PatchKit.Cli  # a Native AOT binary
  eng/gnu-patch-random.py --commits DIR                          # cases already extracted from commits.tar.zst

Exit status 0 when every case matched, 1 when some differed, 2 on trouble.
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OPTIONS = [
    ["-R"], ["-N"], ["-f"], ["-t"], ["--dry-run"], ["-s"], ["--verbose"], ["-b"], ["-E"], ["-F0"], ["-F1"],
    ["-F3"], ["-l"], ["--reject-format=unified"], ["--reject-format=context"], ["-r", "all.rej"],
    ["--no-backup-if-mismatch"], ["--backup-if-mismatch"], ["-V", "numbered"], ["-z", ".bak"], ["--posix"],
    ["--merge"], ["-B", "old/"], ["-Y", "pre-"], ["--binary"], ["-u"], ["-c"],
    ["-D", "PATCHKIT_RANDOM"], ["-o", "out"], ["-o", "-"], ["-Z"], ["-T"], ["--read-only=ignore"], ["--read-only=fail"],
    ["--quoting-style=c"], ["--quoting-style=escape"], ["--quoting-style=shell-always"], ["--quoting-style=literal"],
    ["-g1"], ["-g-1"], ["-z", ".bak"], ["-V", "existing"], ["-V", "simple"], ["-x", "0"], ["--follow-symlinks"],
]

# The time zones a case runs in (-T reads dates without a zone as local time).
ZONES = ["UTC", "UTC", "America/New_York", "Asia/Kolkata"]

# The corpus's -Naur patches date both sides 2000-01-01 00:00:00 UTC; trees are dated so (or not), and some patches
# get another new date, so -Z/-T have something to set and to mismatch.
CORPUS_TIME = 946684800

GARBAGE = ["GARBAGE", "", "\t", "#comment", "@@ -x +1 @@", "*** 1,x ****", "--- 5,y ----", "\\ No newline at end of file", "diff --git a/x b/x"]


def files_of(patch_lines):
    """The paths (after -p1) a patch names in its ---/+++ lines."""
    names = set()
    for line in patch_lines:
        for head in ("--- ", "+++ ", "*** "):
            if line.startswith(head) and not line[4:5].isdigit() and not line.startswith("*** ***"):
                name = line[4:].split("\t")[0].strip()
                if "/" in name and name != "/dev/null":
                    names.add(name.split("/", 1)[1])
    return names


def mutate_patch(rnd, lines):
    kind = rnd.choice(["none", "none", "drop", "double", "garbage", "range", "cut", "sign", "dated"])
    if kind == "none" or len(lines) < 3:
        return "none", lines
    if kind == "dated":
        # Another new date (zone-less or in another zone sometimes): -Z/-T then set it.
        stamp = rnd.choice(["2001-02-03 04:05:06.000000000 +0000", "2001-02-03 04:05:06", "2001-02-03 04:05:06.000000000 -0500"])
        return kind, [l.split("\t")[0] + "\t" + stamp if l.startswith("+++ ") and "\t" in l else l for l in lines]
    i = rnd.randrange(1, len(lines))
    lines = list(lines)
    if kind == "drop":
        del lines[i]
    elif kind == "double":
        lines.insert(i, lines[i])
    elif kind == "garbage":
        lines[i] = rnd.choice(GARBAGE)
    elif kind == "cut":
        lines = lines[:i]
    elif kind == "sign":
        if lines[i][:1] in ("+", "-", " ") and not lines[i].startswith(("+++", "---")):
            lines[i] = rnd.choice("+- ") + lines[i][1:]
    elif kind == "range":
        heads = [k for k, l in enumerate(lines) if l.startswith("@@ -") or (l.startswith(("*** ", "--- ")) and l[4:5].isdigit())]
        if heads:
            k = rnd.choice(heads)
            digits = [p for p, c in enumerate(lines[k]) if c.isdigit()]
            if digits:
                p = rnd.choice(digits)
                lines[k] = lines[k][:p] + rnd.choice("0123456789x") + lines[k][p + 1:]
    return kind, lines


def mutate_tree(rnd, tree, names):
    present = [n for n in names if os.path.isfile(os.path.join(tree, n))]
    kind = rnd.choice(["none", "none", "none", "line", "empty", "remove", "read-only", "redated"])
    if kind == "none" or not present:
        return "none"
    path = os.path.join(tree, rnd.choice(present))
    if kind == "read-only":
        os.chmod(path, 0o444)
    elif kind == "redated":
        os.utime(path, (CORPUS_TIME + 3600, CORPUS_TIME + 3600))
    elif kind == "remove":
        os.remove(path)
    elif kind == "empty":
        open(path, "wb").close()
    else:
        with open(path, "rb") as f:
            data = f.read().split(b"\n")
        if data:
            data[rnd.randrange(len(data))] = b"changed by the comparison"
        with open(path, "wb") as f:
            f.write(b"\n".join(data))
    return kind


def snapshot(tree, started):
    """Each entry with its mode and content, and its modification time unless the run wrote it (then "now")."""
    out = []
    for root, dirs, files in os.walk(tree):
        dirs.sort()
        for name in sorted(dirs + files):
            full = os.path.join(root, name)
            rel = os.path.relpath(full, tree)
            st = os.lstat(full)
            if os.path.islink(full):
                out.append(f"{rel} link {os.readlink(full)}")
            elif os.path.isdir(full):
                out.append(f"{rel}/ {st.st_mode & 0o7777:o}")
            else:
                with open(full, "rb") as f:
                    digest = hashlib.sha1(f.read()).hexdigest()[:12]
                when = "now" if st.st_mtime >= started - 1 else str(st.st_mtime_ns)
                out.append(f"{rel} {st.st_mode & 0o7777:o} {digest} {when}")
    return "\n".join(sorted(out))


def run(bin_dir, tree, args, zone):
    env = {"PATH": bin_dir + ":/usr/bin:/bin", "LC_ALL": "C", "TZ": zone, "HOME": tree}
    started = time.time()
    try:
        p = subprocess.run(["setsid", "patch"] + args, cwd=tree, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        return p.returncode, p.stdout, p.stderr, snapshot(tree, started)
    except subprocess.TimeoutExpired:
        return "timeout", b"", b"", snapshot(tree, started)


def link_dir(parent, name, target):
    d = os.path.join(parent, name)
    os.makedirs(d)
    os.symlink(target, os.path.join(d, "patch"))
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--patchkit", default=os.path.join(REPO, "src/PatchKit.Cli/bin/Release/net10.0/PatchKit.Cli"))
    ap.add_argument("--commits", help="folder of extracted corpus cases (default: extract commits.tar.zst)")
    ap.add_argument("--out", help="where differing cases are kept (default: a new temporary folder)")
    ap.add_argument("--max-bytes", type=int, default=200_000, help="skip patches larger than this")
    a = ap.parse_args()
    if not os.path.exists("/usr/bin/patch") or not os.path.exists(a.patchkit):
        print("needs /usr/bin/patch and the PatchKit CLI (" + a.patchkit + ")", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="pk-gnu-random-")
    out = a.out or tempfile.mkdtemp(prefix="pk-gnu-random-diffs-")
    try:
        commits = a.commits
        if not commits:
            archive = os.path.join(REPO, "..", "shared", "corpus", "real", "commits.tar.zst")
            if not os.path.exists(archive):
                print("corpus absent: run ../shared/corpus/real/make-corpus.sh --link", file=sys.stderr)
                return 2
            subprocess.run(["tar", "--zstd", "-xf", archive, "-C", work], check=True)
            commits = os.path.join(work, "commits")
        gnu = link_dir(work, "gnu", "/usr/bin/patch")
        pk = link_dir(work, "pk", os.path.abspath(a.patchkit))
        rnd = random.Random(a.seed)
        cases = sorted(c for c in os.listdir(commits) if os.path.isdir(os.path.join(commits, c, "pre")))
        differ = 0
        kinds = {}
        for n in range(a.cases):
            case = rnd.choice(cases)
            form = rnd.choice(["naur.diff", "patch.diff"])
            src = os.path.join(commits, case, form)
            if not os.path.exists(src) or os.path.getsize(src) > a.max_bytes:
                continue
            with open(src, "rb") as f:
                text = f.read().decode("latin-1")
            lines = text.split("\n")
            names = files_of(lines)
            pkind, lines = mutate_patch(rnd, lines)
            options = [o for o in OPTIONS if rnd.random() < 0.09]
            args = [x for o in options for x in o] + ["-p1", "-i", "p.diff"]
            base = os.path.join(work, "base")
            shutil.rmtree(base, ignore_errors=True)
            os.makedirs(base)
            for name in names:
                s = os.path.join(commits, case, "pre", name)
                if os.path.isfile(s) and not os.path.islink(s):
                    d = os.path.join(base, name)
                    os.makedirs(os.path.dirname(d), exist_ok=True)
                    shutil.copy2(s, d)
            for root, _, files in os.walk(base):
                for name in files:
                    os.utime(os.path.join(root, name), (CORPUS_TIME, CORPUS_TIME))
            tkind = mutate_tree(rnd, base, sorted(names))
            zone = rnd.choice(ZONES)
            with open(os.path.join(base, "p.diff"), "wb") as f:
                f.write("\n".join(lines).encode("latin-1"))
            results = []
            for bin_dir in (gnu, pk):
                tree = os.path.join(work, "t")
                shutil.rmtree(tree, ignore_errors=True)
                shutil.copytree(base, tree, symlinks=True)
                results.append(run(bin_dir, tree, args, zone))
            key = f"patch {pkind}, tree {tkind}"
            kinds.setdefault(key, [0, 0])[0] += 1
            if results[0] != results[1]:
                differ += 1
                kinds[key][1] += 1
                keep = os.path.join(out, f"{n:04d}-{case}")
                shutil.copytree(base, os.path.join(keep, "tree"), symlinks=True)
                with open(os.path.join(keep, "what"), "w") as f:
                    f.write(f"case {case} {form}; {key}; TZ={zone} patch {' '.join(args)}\n")
                    for who, r in zip(("gnu", "patchkit"), results):
                        f.write(f"===== {who}: exit {r[0]}\n--- stdout\n{r[1].decode('latin-1')}--- stderr\n{r[2].decode('latin-1')}--- tree\n{r[3]}\n")
                print(f"DIFF {n}: {case} {form} {key}: TZ={zone} patch {' '.join(args)}  -> {keep}/what")
        total = sum(v[0] for v in kinds.values())
        print(f"{total} cases run, {differ} differ (seed {a.seed}); kept in {out}")
        for key in sorted(kinds):
            print(f"  {key}: {kinds[key][0]} run, {kinds[key][1]} differ")
        return 1 if differ else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
