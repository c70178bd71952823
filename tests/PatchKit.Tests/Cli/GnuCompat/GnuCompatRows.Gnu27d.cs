namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for the folder comparisons the randomized comparison with GNU diff 3.8 (<see cref="GnuDiffRandom"/>,
/// seeds 81–830) found different: "Common subdirectories" leaves the exit status 0, each missing operand is named, a
/// dangling link is missing (read as empty with <c>-N</c>), a loop of links, <c>-e</c>/<c>-f</c> over folders, labels
/// in a folder comparison's lines, and two links to the same place under <c>--no-dereference -s</c>.</summary>
internal static partial class GnuCompatRows
{
    /// <summary>The seeds of the randomized comparison that differed in folder comparisons before these fixes.</summary>
    private static readonly int[] s_gnu27dSeeds = [155, 182, 224, 226, 360, 381, 385, 404, 517, 523, 557, 613, 626, 651, 697, 699, 743, 777, 783, 808, 823];

    private static IEnumerable<CompatRow> Gnu27dDiffRows()
    {
        // "Common subdirectories: …" is not a difference (exit 0), with -x leaving out the only pair that differs too.
        (string, string)[] subdirs = F(("x/s/f", "a\n"), ("y/s/f", "b\n"), ("x/f", "1\n"), ("y/f", "1\n"), ("x/d.o", "1\n"), ("y/d.o", "2\n"));
        yield return D("diff -x, only common subdirectories left (exit 0)", subdirs, "-x", "*.o", "x", "y");
        yield return D("diff -S, only common subdirectories after the start (exit 0)", subdirs, "-S", "s", "x", "y");
        yield return D("diff -q -x, only common subdirectories left (exit 0)", subdirs, "-q", "-x", "*.o", "x", "y");
        yield return D("diff -N -x, a folder on one side only (exit 0)", subdirs, "-N", "-x", "*.o", "x", "y") with { Dirs = ["x/only"] };
        yield return D("diff -P -x, a folder on the new side only (exit 0)", subdirs, "-P", "-x", "*.o", "y", "x") with { Dirs = ["x/only"] };

        // Both operands missing: GNU names each, -N and -P or not.
        (string, string)[] one = F(("f", "f\n"), ("d/f", "q\n"));
        foreach (string[] args in new string[][] { ["-q"], ["-N"], ["-P"], ["-u", "-N"], ["-y", "-N"], ["-c", "-N"], ["-e", "-P"], ["--line-format=%L", "-N"] })
        {
            yield return D($"diff {string.Join(' ', args)}, both operands missing", one, [.. args, "nope", "nada"]);
        }

        yield return D("diff -N --from-file, two missing operands and a file", one, "-N", "--from-file", "nope", "nada", "f");
        yield return D("diff -P -y --from-file, two missing operands and a file", one, "-P", "-y", "--from-file", "nope", "nada", "f");

        // A dangling link is missing as for stat: an error, or (-N, -P) read as empty when the other operand is there.
        (string, string)[] dangling = [("dang", "nowhere")];
        foreach (string[] args in new string[][]
        {
            ["-N", "dang", "f"], ["-N", "f", "dang"], ["-P", "dang", "f"], ["-u", "-N", "dang", "f"], ["-y", "-N", "dang", "f"],
            ["-N", "dang", "d"], ["-N", "-s", "dang", "d"], ["-N", "-y", "dang", "d"], ["-N", "dang", "dang"], ["nope", "dang"],
            ["-N", "--no-dereference", "dang", "f"], ["--line-format=%L", "d", "dang"], ["-N", "-q", "dang", "f"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (a dangling link)", one, args) with { Links = dangling };
        }

        // A loop of links: "Too many levels of symbolic links", an error even with -N.
        (string, string)[] loops = [("loop", "loop"), ("d/loop", "loop"), ("e/loop", "loop")];
        (string, string)[] loopFiles = F(("f", "f\n"), ("d/f", "q\n"), ("e/f", "r\n"));
        foreach (string[] args in new string[][]
        {
            ["loop", "f"], ["f", "loop"], ["-N", "loop", "f"], ["-y", "-N", "loop", "f"], ["-u", "loop", "f"], ["-q", "loop", "loop"],
            ["-r", "d", "e"], ["-q", "d", "e"], ["-y", "d", "e"], ["-s", "d", "e"], ["-N", "-r", "d", "e"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (a loop of links)", loopFiles, args) with { Links = loops };
        }

        // -e/-f over folders: each file without its last newline is GNU's error (identical pairs too), and its line
        // is compared as complete.
        (string, string)[] unended = F(("x/a", "1\n2"), ("y/a", "1\n2"), ("x/b", "a\nb\nc"), ("y/b", "a\nc"), ("x/c", "p\nq\n"), ("y/c", "p\nr\n"), ("x/s/e", "z"), ("y/s/e", "y\n"));
        foreach (string[] args in new string[][] { ["-e"], ["-f"], ["-e", "-r"], ["-f", "-r"], ["-e", "-S", "b"], ["-f", "-x", "a"] })
        {
            yield return D($"diff {string.Join(' ', args)} on folders, lines without newline", unended, [.. args, "x", "y"]);
        }

        yield return D("diff -e --to-file on a folder, lines without newline", unended, "-e", "--to-file=y", "x");

        // --label names the pairs of a folder comparison too ("diff …" lines, headers, binary files, kinds, -q, -s),
        // but not "Only in", "Common subdirectories" or links.
        (string, string)[] labelled = F(("x/bin", "a\0\n"), ("y/bin", "b\0\n"), ("x/f", "a\n"), ("y/f", "b\n"), ("x/k", "k\n"), ("y/k/in", "k\n"), ("x/same", "s\n"), ("y/same", "s\n"), ("x/only", "o\n"), ("x/s/g", "g\n"), ("y/s/g", "h\n"));
        foreach (string[] args in new string[][]
        {
            ["-r", "--label", "L1", "--label", "L2"], ["-q", "-r", "--label", "L1"], ["-s", "-r", "--label", "L1"], ["--label", "L1", "-u"],
            ["-N", "-q", "--label", "L1"], ["-y", "--label", "L1", "--label", "L2"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} on folders (labels)", labelled, [.. args, "x", "y"]);
        }

        // Links not followed with the same target: -s says they are identical; -y does not show them.
        (string, string)[] sameLinks = [("x/l", "t"), ("y/l", "t"), ("x/m", "u"), ("y/m", "v")];
        (string, string)[] linkFiles = F(("x/f", "a\n"), ("y/f", "a\n"), ("x/g", "1\n"), ("y/g", "2\n"));
        foreach (string[] args in new string[][] { ["-s"], ["-s", "-q"], ["-r", "-s", "-u"], ["-y"], ["-y", "-s"], ["-s", "-i"], ["-e"] })
        {
            yield return D($"diff {string.Join(' ', args)} --no-dereference, links to the same place", linkFiles, [.. args, "--no-dereference", "x", "y"]) with { Links = sameLinks };
        }

        // Fifos and devices in folders are never read: GNU names their kinds, and says nothing of one file on both sides.
        (string, string)[] specialFiles = F(("x/g", "c\n"), ("y/g", "d\n"), ("y/q", "q\n"));
        (string, string)[] devices = [("x/n", "/dev/null"), ("y/n", "/dev/zero"), ("x/nn", "/dev/null"), ("y/nn", "/dev/null")];
        foreach (string[] args in new string[][] { ["-r"], ["-q"], ["-u"], ["-s"], ["-N"], ["-x", "p"] })
        {
            yield return D($"diff {string.Join(' ', args)}, fifos and devices in folders", specialFiles, [.. args, "x", "y"]) with { Links = devices, Fifos = ["x/p", "y/p", "x/q"] };
        }

        // The seeds themselves.
        foreach (int seed in s_gnu27dSeeds)
        {
            yield return GnuDiffRandom.Case(seed);
        }
    }
}
