namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for diff's <c>--ignore-file-name-case</c>/<c>--no-ignore-file-name-case</c>: folders whose names differ
/// only in case, in GNU's order (strcasecmp in the C locale, bytes breaking ties), each side's own name in headers and
/// "Only in" lines, colliding names on one side (GNU pairs an exact match first), exclusions, the starting file, and a
/// file compared with a folder.</summary>
internal static partial class GnuCompatRows
{
    private const string IgnoreCase = "--ignore-file-name-case";

    private static IEnumerable<CompatRow> Gnu26aDiffRows()
    {
        // Names that pair only regardless of case, a name that sorts elsewhere once folded ('B' after '_'), an
        // identical pair, names on one side only, and subfolders whose names differ in case.
        (string, string)[] cased = F(
            ("a/Foo", "1\n"), ("b/foo", "2\n"), ("a/B", "x\n"), ("b/_z", "x\n"), ("a/same", "s\n"), ("b/SAME", "s\n"),
            ("a/only", "o\n"), ("b/ONLY2", "o\n"), ("a/Dir/X", "1\n"), ("b/dir/x", "2\n"), ("a/Dir/q", "q\n"), ("b/dir/Q", "q\n"));
        foreach (string[] args in new string[][]
        {
            [], ["-r"], ["-rq"], ["-rs"], ["-rN"], ["-r", "--unidirectional-new-file"], ["-ru"], ["-rc"], ["-ry"], ["-q"], ["-s"], ["-N"],
            ["-r", "-x", "foo"], ["-r", "-x", "F*"], ["-r", "-S", "foo"], ["-r", "-S", "Car"], ["-r", "-S", "DIR"], ["-r", "-i"], ["-rsN"], ["-r", "-e"], ["-r", "-n"],
        })
        {
            string shown = args.Length == 0 ? string.Empty : " " + string.Join(' ', args);
            yield return D($"diff {IgnoreCase}{shown} on folders", cased, [IgnoreCase, .. args, "a", "b"]);
            yield return D($"diff {IgnoreCase}{shown} on folders, reversed", cased, [IgnoreCase, .. args, "b", "a"]);
        }

        yield return D($"diff {IgnoreCase} -l -r on folders", cased, IgnoreCase, "-l", "-r", "a", "b") with { StdoutView = PrDates };
        yield return D("diff -r on folders whose names differ in case", cased, "-r", "a", "b");
        yield return D($"diff --no-ignore-file-name-case -r on folders", cased, "--no-ignore-file-name-case", "-r", "a", "b");
        yield return D($"diff {IgnoreCase} --no-ignore-file-name-case -r on folders", cased, IgnoreCase, "--no-ignore-file-name-case", "-r", "a", "b");
        yield return D($"diff --no-ignore-file-name-case {IgnoreCase} -rs on folders", cased, "--no-ignore-file-name-case", IgnoreCase, "-rs", "a", "b");
        yield return D("diff --ignore-file (abbreviated) -r on folders", cased, "--ignore-file", "-r", "a", "b");
        yield return D("diff --no-ig (abbreviated) after --ignore-file-name-case", cased, IgnoreCase, "--no-ig", "-r", "a", "b");

        // An exclusion pattern matches case-folded only when given after --ignore-file-name-case (GNU compiles each
        // pattern with the case setting of its moment); each side's own names are tested.
        (string, string)[] three = F(("a/Foo", "1\n"), ("b/foo", "2\n"), ("a/Bar", "1\n"), ("b/bar", "2\n"), ("a/zed", "1\n"), ("b/ZED", "2\n"), ("ex", "FOO\nb*\n"));
        yield return D($"diff {IgnoreCase} -x foo on folders", three, IgnoreCase, "-x", "foo", "a", "b");
        yield return D($"diff -x foo {IgnoreCase} on folders", three, "-x", "foo", IgnoreCase, "a", "b");
        yield return D($"diff {IgnoreCase} -x '[a-f]*' on folders", three, IgnoreCase, "-x", "[a-f]*", "a", "b");
        yield return D($"diff -x '[a-f]*' {IgnoreCase} on folders", three, "-x", "[a-f]*", IgnoreCase, "a", "b");
        yield return D($"diff {IgnoreCase} -X FILE on folders", three, IgnoreCase, "-X", "ex", "a", "b");
        yield return D($"diff -X FILE {IgnoreCase} on folders", three, "-X", "ex", IgnoreCase, "a", "b");
        yield return D($"diff {IgnoreCase} -S foo -x foo on folders", three, IgnoreCase, "-S", "foo", "-x", "foo", "a", "b");
        yield return D($"diff {IgnoreCase} -s -x bar on folders", three, IgnoreCase, "-s", "-x", "bar", "a", "b");

        // Names that collide on one side: GNU pairs the exact match first, then the others of the run in order.
        (string, string)[] twoAgainstOne = F(("a/Foo", "1\n"), ("a/foo", "2\n"), ("b/foo", "3\n"));
        (string, string)[] twoAgainstOther = F(("a/Foo", "1\n"), ("a/foo", "2\n"), ("b/FOO", "3\n"));
        (string, string)[] twoAgainstTwo = F(("a/Foo", "1\n"), ("a/foo", "2\n"), ("b/FOO", "3\n"), ("b/fOO", "4\n"));
        (string, string)[] twoAgainstThree = F(("a/Foo", "1\n"), ("a/foo", "2\n"), ("b/Foo", "3\n"), ("b/fOO", "4\n"), ("b/foo", "2\n"));
        foreach ((string what, (string, string)[] files) in new[] { ("two names against one", twoAgainstOne), ("two names against another", twoAgainstOther), ("two names against two", twoAgainstTwo), ("two names against three", twoAgainstThree) })
        {
            foreach (string[] args in new string[][] { [], ["-N"], ["-s"], ["-q"], ["-y"], ["-u"] })
            {
                string shown = args.Length == 0 ? string.Empty : " " + string.Join(' ', args);
                yield return D($"diff {IgnoreCase}{shown}, {what}", files, [IgnoreCase, .. args, "a", "b"]);
                yield return D($"diff {IgnoreCase}{shown}, {what}, reversed", files, [IgnoreCase, .. args, "b", "a"]);
            }
        }

        yield return D($"diff {IgnoreCase} -rs, colliding names in subfolders", F(("a/D/Foo", "1\n"), ("a/D/foo", "2\n"), ("b/d/Foo", "3\n"), ("b/d/fOO", "4\n"), ("b/d/foo", "2\n"), ("a/E/y", "1\n")), IgnoreCase, "-rs", "a", "b");
        yield return D($"diff {IgnoreCase} -ry, colliding names in subfolders", F(("a/D/Foo", "1\n"), ("a/D/foo", "2\n"), ("b/d/Foo", "3\n"), ("b/d/fOO", "4\n"), ("b/d/foo", "2\n"), ("a/E/y", "1\n")), IgnoreCase, "-ry", "a", "b");

        // Kinds that pair regardless of case: a file against a folder, links (followed, or compared with
        // --no-dereference), dangling links (errors, not pairs), a subfolder with a folder on one side only.
        (string, string)[] kinds = F(("a/Foo", "1\n"), ("b/foo/x", "2\n"), ("a/Sub/In/f", "1\n"), ("a/Sub/g", "1\n"), ("b/sub/G", "2\n"));
        (string, string)[] kindLinks = [("a/Lnk", "Foo"), ("b/lnk", "foo/x"), ("a/dang", "nowhere"), ("b/DANG", "nowhere")];
        foreach (string[] args in new string[][] { ["-r"], ["-rN"], ["-rq"], ["-rs"], ["-rsN"], ["-ry"], ["-r", "--no-dereference"], ["-r", "--unidirectional-new-file"] })
        {
            string shown = " " + string.Join(' ', args);
            yield return D($"diff {IgnoreCase}{shown}, kinds and links", kinds, [IgnoreCase, .. args, "a", "b"]) with { Links = kindLinks };
            yield return D($"diff {IgnoreCase}{shown}, kinds and links, reversed", kinds, [IgnoreCase, .. args, "b", "a"]) with { Links = kindLinks };
        }

        yield return D("diff -s, dangling links of the same name", F(("a/f", "1\n"), ("b/f", "1\n")), "-s", "a", "b") with { Links = [("a/dang", "nowhere"), ("b/dang", "nowhere")] };
        yield return D("diff -y, dangling links of the same name", F(("a/f", "1\n"), ("b/f", "1\n")), "-y", "a", "b") with { Links = [("a/dang", "nowhere"), ("b/dang", "nowhere")] };

        // -s and -y with -N or --unidirectional-new-file: a file on one side only that is empty is an identical pair;
        // a folder on one side (or empty on one side) is walked under the other side's names.
        (string, string)[] oneSided = F(("a/f", "1\n"), ("b/f", "1\n"), ("b/e", ""), ("a/g", ""), ("b/AB/AB", "1\n"), ("b/AB/Ab", ""), ("b/New/n", ""));
        foreach (string[] args in new string[][] { ["-rsN"], ["-rs", "--unidirectional-new-file"], ["-ryN"], [IgnoreCase, "-rsN"], [IgnoreCase, "-ryN"] })
        {
            string shown = string.Join(' ', args);
            yield return D($"diff {shown}, empty files and folders on one side", oneSided, [.. args, "a", "b"]) with { Dirs = ["a/ab"] };
            yield return D($"diff {shown}, empty files and folders on one side, reversed", oneSided, [.. args, "b", "a"]) with { Dirs = ["a/ab"] };
        }

        yield return D("diff -y --unidirectional-new-file, a missing old file", F(("f", "1\n")), "-y", "--unidirectional-new-file", "nothere", "f");
        yield return D("diff -r, an empty file against a folder", F(("a/x", ""), ("b/x/y", "1\n"), ("a/Y/z", "1\n"), ("b/Y", "")), "-r", "a", "b");
        yield return D($"diff {IgnoreCase} -r, an empty file against a folder", F(("a/x", ""), ("b/X/y", "1\n")), IgnoreCase, "-r", "a", "b");

        // Only ASCII letters fold in the C locale: É and é stay apart, in names and in patterns.
        (string, string)[] accents = F(("a/\u00C9t\u00E9", "1\n"), ("b/\u00E9t\u00E9", "2\n"), ("a/Ab", "1\n"), ("b/aB", "2\n"));
        yield return D($"diff {IgnoreCase}, non-ASCII letters do not fold", accents, IgnoreCase, "a", "b");
        yield return D($"diff {IgnoreCase} -x pattern with a non-ASCII letter", accents, IgnoreCase, "-x", "\u00E9*", "a", "b");

        // A file against a folder: the folder's entry of the file's name regardless of case, exact match first; it
        // must be there, -N or not.
        (string, string)[] fileAndFolder = F(("a/Foo", "1\n"), ("b/foo", "2\n"), ("c/FOO", "3\n"), ("foo", "4\n"), ("BAR", "5\n"));
        foreach (string[] args in new string[][] { [], ["-u"], ["-q"], ["-s"], ["-y"], ["-D", "X"], ["-x", "Foo"], ["-i"] })
        {
            string shown = args.Length == 0 ? string.Empty : " " + string.Join(' ', args);
            yield return D($"diff {IgnoreCase}{shown}, a file against a folder", fileAndFolder, [IgnoreCase, .. args, "foo", "a"]);
            yield return D($"diff {IgnoreCase}{shown}, a folder against a file", fileAndFolder, [IgnoreCase, .. args, "a", "foo"]);
        }

        yield return D($"diff -x Foo {IgnoreCase}, a file against a folder", fileAndFolder, "-x", "Foo", IgnoreCase, "foo", "a");
        yield return D($"diff {IgnoreCase}, a file against a folder with an exact match", F(("a/Foo", "1\n"), ("a/foo", "2\n"), ("foo", "4\n")), IgnoreCase, "foo", "a");
        yield return D($"diff {IgnoreCase}, a file against a folder with two matches", F(("a/FOO", "1\n"), ("a/Foo", "2\n"), ("foo", "4\n")), IgnoreCase, "foo", "a");
        yield return D($"diff {IgnoreCase}, a file missing from the folder", fileAndFolder, IgnoreCase, "BAR", "a");
        yield return D($"diff {IgnoreCase} -N, a file missing from the folder", fileAndFolder, IgnoreCase, "-N", "BAR", "a");
        yield return D($"diff {IgnoreCase} -y -N, a file missing from the folder", fileAndFolder, IgnoreCase, "-y", "-N", "BAR", "a");
        yield return D("diff -N, a file missing from the folder", fileAndFolder, "-N", "BAR", "a");
        yield return D("diff --unidirectional-new-file, a folder without the file", fileAndFolder, "--unidirectional-new-file", "a", "BAR");
        yield return D("diff -y, a file against a folder", F(("a/foo", "1\n"), ("foo", "4\n")), "-y", "foo", "a");
        yield return D("diff -D, a folder against a file", F(("a/foo", "1\n"), ("foo", "4\n")), "-D", "X", "a", "foo");

        // --from-file/--to-file: each operand is compared as a pair of its own.
        yield return D($"diff {IgnoreCase} --from-file=FOLDER, folders", fileAndFolder, IgnoreCase, "--from-file=a", "b", "c");
        yield return D($"diff {IgnoreCase} --to-file=FOLDER, folders", fileAndFolder, IgnoreCase, "--to-file=a", "b", "c");
        yield return D($"diff {IgnoreCase} --to-file=FILE, folders", fileAndFolder, IgnoreCase, "--to-file=foo", "a", "b", "c");
        yield return D($"diff {IgnoreCase} --from-file=FILE -u, folders", fileAndFolder, IgnoreCase, "--from-file=foo", "-u", "a", "b", "c");
        yield return D($"diff {IgnoreCase} --to-file=FOLDER, a file and a missing one", fileAndFolder, IgnoreCase, "--to-file=a", "foo", "BAR");
    }
}
