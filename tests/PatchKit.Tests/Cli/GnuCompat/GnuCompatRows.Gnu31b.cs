namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu31b work (random patch seeds 1531, 1823, 2452, 3338, 2603, 2763, 3084, 1649): <c>-Z</c> given
/// with <c>-T</c> (GNU reads zone-less dates as UTC whatever the order), the backup of a file GNU removes as empty when
/// every hunk failed (the original renamed: its time kept), <c>--verbose</c> on an empty patch, "Removing file" for a
/// git rename's source, and a git binary patch whose reverse part is damaged.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31bPatchRows()
    {
        // -Z and -T together: GNU sets TZ=UTC for -Z, so a date without a zone is UTC, in either order.
        const string Dated = "--- a/f\t2000-01-01 00:00:00.000000000 +0000\n+++ b/f\t2001-02-03 04:05:06\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n";
        (string, string)[] newYork = [("TZ", "America/New_York")];
        (string, string)[] oldTime = [("f", "@946684800")];
        yield return P("patch -Z -T, New York time, a date without zone", F(("f", "a\nb\n"), ("p.diff", Dated)), "-Z", "-T", "-p1", "-i", "p.diff") with { Times = true, Env = newYork, Stamps = oldTime };
        yield return P("patch -T -Z, New York time, a date without zone", F(("f", "a\nb\n"), ("p.diff", Dated)), "-T", "-Z", "-p1", "-i", "p.diff") with { Times = true, Env = newYork, Stamps = oldTime };
        yield return P("patch --set-time --set-utc, Kolkata time", F(("f", "a\nb\n"), ("p.diff", Dated)), "--set-time", "--set-utc", "-p1", "-i", "p.diff") with { Times = true, Env = [("TZ", "Asia/Kolkata")], Stamps = oldTime };
        yield return P("patch -T -Z, New York time, time mismatch", F(("f", "a\nb\n"), ("p.diff", Dated)), "-T", "-Z", "-p1", "-i", "p.diff") with { Times = true, Env = newYork };

        // A file left empty that -E (or a deletion) removes goes GNU's deletion way even when every hunk failed: its
        // backup is the original renamed, time and all (not a copy made now).
        const string Fails = "--- a/f\t2000-01-01 00:00:00.000000000 +0000\n+++ b/f\t2001-02-03 04:05:06.000000000 +0000\n@@ -5,3 +5,3 @@\n x\n-y\n+z\n w\n";
        yield return P("patch -E, every hunk fails on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-E", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -E -Z, every hunk fails on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-E", "-Z", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -E -Z -T -D X, hunks fail on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-s", "-E", "-Z", "-T", "-D", "X", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime, Env = newYork };
        yield return P("patch -E -B old/ -Z, hunks fail on an empty file", F(("d/f", string.Empty), ("p.diff", Fails.Replace("/f", "/d/f", StringComparison.Ordinal))), "-E", "-B", "old/", "-Z", "-p1", "-i", "p.diff") with { Times = true, Stamps = [("d/f", "@946684800")] };
        yield return P("patch -E -b -V numbered --posix -T, hunks fail", F(("f", string.Empty), ("p.diff", Fails)), "-E", "-b", "-V", "numbered", "--posix", "-T", "-p1", "-i", "p.diff") with { Times = true };
        yield return P("patch -E -b, every hunk fails on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-E", "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -E -Y pre-, hunks fail on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-E", "-Y", "pre-", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -b, every hunk fails on an empty file", F(("f", string.Empty), ("p.diff", Fails)), "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };

        // --verbose on an empty patch: GNU looks for a patch and says it found none (exit 0).
        yield return P("patch --verbose, an empty patch", F(("p.diff", string.Empty)), "--verbose", "-i", "p.diff");
        yield return P("patch --verbose --dry-run -f, an empty patch", F(("p.diff", string.Empty)), "--verbose", "--dry-run", "-f", "-E", "-i", "p.diff");
        yield return P("patch --verbose, an empty patch on standard input", F(("p.diff", string.Empty)), "--verbose") with { StdinFile = "p.diff" };
        yield return P("patch, an empty patch", F(("p.diff", string.Empty)), "-i", "p.diff");

        // A git rename's source is removed at the end of the run: GNU says so under --verbose.
        const string Rename = "diff --git a/f b/g\nsimilarity index 90%\nrename from f\nrename to g\n--- a/f\n+++ b/g\n@@ -1,2 +1,2 @@\n one\n-two\n+three\n";
        yield return P("patch --verbose, git rename", F(("f", "one\ntwo\n"), ("p.diff", Rename)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -E, git rename, shell-always", F(("lib/f", "one\ntwo\n"), ("p.diff", Rename.Replace(" a/f", " a/lib/f", StringComparison.Ordinal).Replace(" b/g", " b/lib/g", StringComparison.Ordinal).Replace("from f", "from lib/f", StringComparison.Ordinal).Replace("to g", "to lib/g", StringComparison.Ordinal))), "--verbose", "-E", "--quoting-style=shell-always", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -b, git rename", F(("f", "one\ntwo\n"), ("p.diff", Rename)), "--verbose", "-b", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -R, git rename", F(("g", "one\nthree\n"), ("p.diff", Rename)), "--verbose", "-R", "-p1", "-i", "p.diff");
        yield return P("patch --verbose, git rename, then a file", F(("f", "one\ntwo\n"), ("h", "x\n"), ("p.diff", Rename + "diff --git a/h b/h\n--- a/h\n+++ b/h\n@@ -1 +1 @@\n-x\n+y\n")), "--verbose", "-p1", "-i", "p.diff");

        // A git binary deletion whose reverse part is damaged: GNU does not decode it (not supported, or the
        // missing file's questions), the drop-in stopped on the undecodable data.
        const string BinaryGone = "diff --git a/c.bin b/c.bin\ndeleted file mode 100644\nindex 0896983..0000000\nGIT binary patch\nliteral 0\nHcmV?d00001\n\nliteral 4\nLcmYdHVn_x6Z}%ly\n\n";
        yield return P("patch git binary deletion, damaged, file missing", F(("p.diff", BinaryGone)), "-p1", "-i", "p.diff");
        yield return P("patch git binary deletion, damaged, file there", F(("c.bin", "x\n"), ("p.diff", BinaryGone)), "-p1", "-i", "p.diff");
        yield return P("patch --merge git binary deletion, damaged", F(("p.diff", BinaryGone)), "-F3", "--merge", "-p1", "-i", "p.diff");
        yield return P("patch --verbose git binary deletion, damaged, next", F(("g", "x\n"), ("p.diff", BinaryGone + "diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+y\n")), "--verbose", "-p1", "-i", "p.diff");

        // GNU removes files at the end of the run (delete_files), and only when the run gets there: a fatal error
        // after a deletion leaves the file and makes no backup; a file deleted and then created again is backed up
        // once (the original) and not removed.
        const string Gone = "--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n";
        const string Emptied = "--- a/f\n+++ b/f\n@@ -1,2 +1,0 @@\n-one\n-two\n";
        const string Bad = "--- a/h\n+++ b/h\n@@ -1,2 +1,2 @@\n x\n-y\n";
        const string Again = "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+new\n";
        (string, string)[] fh = [("f", "one\ntwo\n"), ("h", "x\ny\n")];
        yield return P("patch, a deletion, then a malformed patch", F([.. fh, ("p.diff", Gone + Bad)]), "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -b, a deletion, then a malformed patch", F([.. fh, ("p.diff", Gone + Bad)]), "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -E -b, emptied, then a malformed patch", F([.. fh, ("p.diff", Emptied + Bad)]), "-E", "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch --verbose, a deletion, then a malformed patch", F([.. fh, ("p.diff", Gone + Bad)]), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -b, a deletion, then a creation", F([.. fh, ("p.diff", Gone + Again)]), "--verbose", "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch --verbose, a deletion, then a creation", F([.. fh, ("p.diff", Gone + Again)]), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -b -V numbered, a deletion, then a creation", F([.. fh, ("p.diff", Gone + Again)]), "-b", "-V", "numbered", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -b, a deletion in a folder, then a file", F([("d/f", "one\ntwo\n"), ("h", "x\ny\n"), ("p.diff", Gone.Replace("a/f", "a/d/f", StringComparison.Ordinal) + "--- a/h\n+++ b/h\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n")]), "-b", "-p1", "-i", "p.diff");
        yield return P("patch -b --verbose, git rename, then malformed", F([.. fh, ("p.diff", Rename + "diff --git a/h b/h\n" + Bad)]), "-b", "--verbose", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -b, git rename", F(("f", "one\ntwo\n"), ("p.diff", Rename)), "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -E -b, git diff emptied, then malformed", F([.. fh, ("p.diff", "diff --git a/f b/f\n" + Emptied + "diff --git a/h b/h\n" + Bad)]), "-E", "-b", "--verbose", "-p1", "-i", "p.diff") with { Times = true, Stamps = oldTime };
    }

    private static IEnumerable<CompatRow> Gnu31bDiffRows()
    {
        yield break;
    }
}
