namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows from the audit of every <c>patch --help</c> option against GNU patch 2.7.6: the values GNU checks
/// itself (numbers, empty backup names, argmatch words), backup names with <c>-z</c>, <c>-Z</c>/<c>-T</c> with
/// mismatches, dates without a zone and time zones, <c>-o</c> opened before the patch is read, <c>-D</c> with
/// <c>--merge</c>, and what the randomized comparisons (<c>eng/gnu-patch-random.py</c>, <c>GnuPatchRandomTests</c>)
/// found. docs/gnu-compat.md lists which rows cover which option.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu27bPatchRows()
    {
        var plain = F(("f", Ten), ("p.diff", Uni));

        // Values GNU reads itself (numeric_string: a sign, digits, a 32-bit value that wraps; "patch: **** …").
        foreach (var (what, args) in new (string, string[])[]
        {
            ("-F not a number", ["-F", "bogus"]), ("-F negative", ["-F", "-1"]), ("-F empty", ["-F", ""]), ("-F with a plus sign", ["-F", "+3"]),
            ("-F too large wraps", ["-F", "99999999999"]), ("-F digits then text", ["-F", "3x"]),
            ("-p not a number", ["-p", "bogus"]), ("-p negative", ["-p", "-1"]), ("-p too large wraps", ["-t", "-p", "99999999999"]),
            ("-g not a number", ["-g", "bogus"]), ("--get too large wraps", ["--get=99999999999"]), ("--get takes the next argument", ["--get"]),
            ("-x not a number", ["-x", "bogus"]), ("--debug=bogus", ["--debug=bogus"]),
            ("-z empty", ["-b", "-z", ""]), ("-B empty", ["-b", "-B", ""]), ("-Y empty", ["-b", "-Y", ""]),
            ("-V bogus with -b", ["-b", "-V", "bogus"]), ("-V bogus, backups on a mismatch", ["-V", "bogus"]),
            ("-V bogus --no-backup-if-mismatch", ["-V", "bogus", "--no-backup-if-mismatch"]), ("-V empty -b", ["-b", "-V", ""]),
            ("--reject-format=bogus", ["--reject-format=bogus"]), ("--reject-format=c is no prefix", ["--reject-format=c"]),
            ("--read-only=bogus", ["--read-only=bogus"]), ("--read-only without a value", ["--read-only"]),
            ("--merge=bogus", ["--merge=bogus"]), ("--merge= empty", ["--merge="]),
            ("--quoting-style=lit prefix", ["--quoting-style=lit"]), ("--quoting-style=s ambiguous", ["--quoting-style=s"]),
            ("--quoting-style= empty", ["--quoting-style="]), ("--quoting-style=bogus", ["--quoting-style=bogus"]),
            ("-d empty", ["-d", ""]), ("--bogus=1 unrecognized", ["--bogus=1"]),
        })
        {
            yield return P($"patch {what}", plain, [.. args, "-i", "p.diff"]);
        }

        yield return P("patch three operands", plain, "-i", "p.diff", "x1", "x2", "x3");

        // Backup names: -z (given) is appended whatever -V says and beside -B/-Y.
        foreach (string[] args in new string[][]
        {
            ["-B", "pre-", "-z", ".s"], ["-Y", "y-", "-z", ".s"], ["-V", "numbered", "-z", ".bak"], ["-V", "existing", "-z", ".bak"], ["-B", "pre-"],
        })
        {
            yield return P($"patch -b {string.Join(' ', args)}", F(("f", Ten), ("f.~1~", "older\n"), ("p.diff", Uni)), ["-b", .. args, "-i", "p.diff"]);
        }

        // -D is ignored under --merge.
        yield return P("patch -D with --merge", plain, "-D", "X", "--merge", "-i", "p.diff");
        yield return P("patch --merge -D, conflict", F(("f", Ten), ("p.diff", Fails)), "--merge", "-D", "X", "-i", "p.diff");

        // -D looks for a reversed patch in the patch's own hunks (the questions, -t, -N, -f, -R), then writes the
        // #ifdef text the way the answer says.
        foreach (string[] args in new string[][] { [], ["-t"], ["-N"], ["-f"], ["-R"], ["-R", "-t"], ["-t", "-o", "out"], ["-t", "--dry-run"] })
        {
            yield return P($"patch -D X{string.Concat(args.Select(a => " " + a))}, reversed patch", F(("f", TenMod), ("p.diff", Uni)), ["-D", "X", .. args, "-i", "p.diff"]);
        }

        yield return P("patch -D X -R, unreversed patch", plain, "-D", "X", "-R", "-i", "p.diff");
        yield return P("patch -D X -t, two files, the second reversed", F(("f", Ten), ("g", TenMod), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-D", "X", "-t", "-i", "p.diff");

        // -Z/-T: a hunk at an offset or with fuzz, or a failed one, is a "contents mismatch" (unless -f); a date without a
        // zone is UTC under -Z and local time under -T; no time is set on -o FILE.
        string noZone = "--- f\t2020-01-02 03:04:05\n+++ f\t2021-06-07 08:09:10\n" + Hunk5;
        string noZoneNewYork = "--- f\t2020-01-01 22:04:05\n+++ f\t2021-06-07 08:09:10\n" + Hunk5;
        string ctime = "*** f\tThu Jan  2 03:04:05 2020\n--- f\tMon Jun  7 08:09:10 2021\n" + Context[12..];
        string datedFails = Dated.Replace("-l5", "-zz", StringComparison.Ordinal);
        string offset = "x\ny\n" + Ten;
        string fuzz = Ten.Replace("l7", "q7", StringComparison.Ordinal);
        foreach (string opt in new[] { "-Z", "-T" })
        {
            yield return P($"patch {opt}, hunk at an offset", F(("f", offset), ("p.diff", Dated)), opt, "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt}, hunk with fuzz", F(("f", fuzz), ("p.diff", Dated)), opt, "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt} -s, hunk at an offset", F(("f", offset), ("p.diff", Dated)), opt, "-s", "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt} -f, hunk at an offset", F(("f", offset), ("p.diff", Dated)), opt, "-f", "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt}, failing hunk", F(("f", Ten), ("p.diff", datedFails)), opt, "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt} -f, failing hunk", F(("f", Ten), ("p.diff", datedFails)), opt, "-f", "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt}, dates without a zone", F(("f", Ten), ("p.diff", noZone)), opt, "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt}, context diff dates", F(("f", Ten), ("p.diff", ctime)), opt, "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt} -o FILE", F(("f", Ten), ("p.diff", Dated)), opt, "-o", "out", "-i", "p.diff") with { Times = true };
            yield return P($"patch {opt} -o FILE, time mismatch", F(("f", Ten), ("p.diff", Dated)), opt, "-o", "out", "-i", "p.diff") with { Times = true, Stamps = [("f", "2019-01-01 00:00:00 UTC")] };
            foreach (string tz in new[] { "America/New_York", "Asia/Kolkata" })
            {
                yield return P($"patch {opt} TZ={tz}, dates without a zone", F(("f", Ten), ("p.diff", noZone)), opt, "-i", "p.diff") with { Times = true, Env = [("TZ", tz)] };
                yield return P($"patch {opt} TZ={tz}, New York dates without a zone", F(("f", Ten), ("p.diff", noZoneNewYork)), opt, "-i", "p.diff") with { Times = true, Env = [("TZ", tz)] };
                yield return P($"patch {opt} TZ={tz}, context diff dates", F(("f", Ten), ("p.diff", ctime)), opt, "-i", "p.diff") with { Times = true, Env = [("TZ", tz)] };
            }
        }

        // -o FILE is opened before the patch is read.
        yield return P("patch -o FILE in a missing folder", plain, "-o", "sub/out", "-i", "p.diff");
        yield return P("patch -o FILE --dry-run", plain, "-o", "out", "--dry-run", "-i", "p.diff");
        yield return P("patch -o FILE --dry-run, two files", F(("f", Ten), ("g", Ten), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-o", "out", "--dry-run", "-i", "p.diff");
        yield return P("patch -o FILE --dry-run, failing hunk", F(("f", Ten), ("p.diff", Fails)), "-o", "out", "--dry-run", "-i", "p.diff");
        yield return P("patch -o - --dry-run", plain, "-o", "-", "--dry-run", "-i", "p.diff");
        yield return P("patch -o FILE, reversed patch skipped", F(("f", TenMod), ("p.diff", Uni)), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, missing patch file", plain, "-o", "out", "-i", "nosuch");
        yield return P("patch -o FILE, garbage only", F(("f", Ten), ("p.diff", "garbage\n")), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE that exists keeps its mode", F(("f", Ten), ("out", "old\n"), ("p.diff", Uni)), "-o", "out", "-i", "p.diff") with { Modes = [("out", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)] };
        // A git diff's "index 1..2 MODE" line names one mode for both sides: GNU sets no mode from it (a read-only
        // file stays so), nor any git mode on -o FILE (found by GnuPatchRandomTests, seeds 16 and 27).
        const string GitHunk = "--- a/f\n+++ b/f\n" + Hunk5;
        var readOnly = new[] { ("f", UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead) };
        foreach (var (what, head) in new[]
        {
            ("index line 100644", "diff --git a/f b/f\nindex 1111111..2222222 100644\n"),
            ("index line 100755", "diff --git a/f b/f\nindex 1111111..2222222 100755\n"),
            ("old and new mode", "diff --git a/f b/f\nold mode 100644\nnew mode 100755\nindex 1111111..2222222\n"),
        })
        {
            yield return P($"patch git {what}, read-only file", F(("f", Ten), ("p.diff", head + GitHunk)), "-p1", "-i", "p.diff") with { Modes = readOnly };
            yield return P($"patch git {what} --merge=diff3, read-only file", F(("f", Ten), ("p.diff", head + GitHunk)), "--merge=diff3", "-p1", "-i", "p.diff") with { Modes = readOnly };
            yield return P($"patch git {what} -o FILE", F(("f", Ten), ("p.diff", head + GitHunk)), "-o", "out", "-p1", "-i", "p.diff");
        }

        yield return P("patch -o FILE -d DIR", F(("sub/f", Ten), ("p.diff", Uni)), "-d", "sub", "-o", "out", "-i", "../p.diff");
    }
}
