namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>GNU diff's side by side style under <c>-q</c> (one device or folder on both sides still named), links not
/// followed (<c>--no-dereference</c>) whose targets are not UTF-8, against a fifo, named by labels or met as a file
/// against a folder, <c>-s</c> with a file against a folder, and one file on both sides in the ed formats.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu29cDiffRows()
    {
        // -y -q: GNU's no_diff_means_no_output depends on the output style alone, so one device or fifo on both sides
        // is still "File … is a fifo while file … is a fifo" (a difference), one folder met twice "Common
        // subdirectories" (or walked into with -r); identical files say nothing, as -q has it.
        var devices = F(("x/a", "1\n"), ("y/a", "1\n"), ("x/b", "1\n"), ("y/b", "2\n"));
        (string, string)[] deviceLinks = [("x/nn", "/dev/null"), ("y/nn", "/dev/null"), ("x/pp", "../p"), ("y/pp", "../p")];
        foreach (string[] args in new string[][]
        {
            ["-y", "-q", "x", "y"], ["-q", "-y", "x", "y"], ["-ry", "-q", "x", "y"], ["-y", "-q", "-s", "x", "y"],
            ["-y", "-q", "--label", "L", "--label", "M", "x", "y"], ["-y", "-q", "-i", "x", "y"], ["-y", "-q", "x", "x"], ["-ry", "-q", "x", "x"],
        })
        {
            yield return D($"-y -q, one device or fifo on both sides: diff {string.Join(' ', args)}", devices, args) with { Links = deviceLinks, Fifos = ["p"] };
        }

        var twice = F(("d/s/f", "f\n"), ("x/a", "1\n"), ("y/a", "1\n"));
        (string, string)[] twiceLinks = [("x/l", "../d"), ("y/l", "../d")];
        foreach (string[] args in new string[][] { ["-y", "-q"], ["-y", "-q", "-s"], ["-ry", "-q", "-s"], ["-y", "-W", "40", "-q"] })
        {
            yield return D($"-y -q, one folder met twice: diff {string.Join(' ', args)} x y", twice, [.. args, "x", "y"]) with { Links = twiceLinks };
        }

        // Links not followed whose targets are not UTF-8 (made by the shell): compared byte for byte, two such targets
        // differ (.NET's decoded targets made both "caf\uFFFD").
        const string latinTargets = "ln -s \"$(printf 'caf\\351')\" x/l; ln -s \"$(printf 'caf\\351')\" y/l; "
            + "ln -s \"$(printf 'caf\\351')\" x/m; ln -s \"$(printf 'caf\\377')\" y/m; ln -s \"$(printf 'a\\351')\" x/n; ln -s a y/n";
        var targets = F(("x/f", "1\n"), ("y/f", "1\n"));
        foreach (string[] args in new string[][]
        {
            ["x", "y"], ["-s", "x", "y"], ["-q", "x", "y"], ["-u", "x", "y"], ["-y", "x", "y"], ["-rs", "x", "y"], ["x/m", "y/m"], ["-s", "x/m", "y/m"],
        })
        {
            yield return D($"--no-dereference, link targets not in UTF-8: diff --no-dereference {string.Join(' ', args)}", targets, ["--no-dereference", .. args])
                with { Prelude = latinTargets };
        }

        // Links whose own names are not UTF-8 either: one target on both sides is identical, two targets not in UTF-8 differ.
        const string latinNames = "ln -s t \"x/$(printf 'caf\\351')\"; ln -s t \"y/$(printf 'caf\\351')\"; "
            + "ln -s \"$(printf 'q\\351')\" \"x/$(printf 'd\\351')\"; ln -s \"$(printf 'q\\377')\" \"y/$(printf 'd\\351')\"";
        foreach (string[] args in new string[][] { [], ["-s"], ["-rs"], ["-y"], ["-q"] })
        {
            yield return D($"--no-dereference, links named not in UTF-8: diff --no-dereference {string.Join(' ', args)} x y", targets, ["--no-dereference", .. args, "x", "y"])
                with { Prelude = latinNames };
        }

        // A fifo against a link not followed: GNU names the fifo's kind.
        foreach (string[] args in new string[][] { [], ["-s"], ["-rq"], ["-y", "-q"] })
        {
            yield return D($"--no-dereference, a fifo against a link: diff --no-dereference {string.Join(' ', args)} x y", F(("x/a", "1\n"), ("y/a", "1\n")), ["--no-dereference", .. args, "x", "y"])
                with { Links = [("y/p", "../x/p")], Fifos = ["x/p"] };
        }

        // A link not followed against another kind, with labels: GNU's "File L1 is a symbolic link while file …" (seed
        // 1870), also when a file operand meets a folder; "Symbolic links … differ" keeps the names.
        var labelled = F(("y/a", "hi\n"), ("x/l", "hi\n"));
        (string, string)[] labelledLinks = [("x/a", "../y/a"), ("y/l", "../y/a"), ("x/m", "t1"), ("y/m", "t2")];
        foreach (string[] args in new string[][]
        {
            ["--label", "L1", "x/a", "y"], ["--label", "L1", "--label", "L2", "x/a", "y"], ["--label", "L1", "-u", "x/a", "y"], ["--label", "L1", "x/a", "y/a"],
            ["--label", "L1", "--label", "L2", "x/l", "y/l"], ["--label", "L1", "-y", "x/a", "y"], ["-s", "--label", "L1", "x/a", "y"], ["--label", "L1", "x", "y/a"],
        })
        {
            yield return D($"--no-dereference, a link with labels: diff --no-dereference {string.Join(' ', args)}", labelled, ["--no-dereference", .. args])
                with { Links = labelledLinks };
        }

        // -s with a file against a folder: GNU names the pair it compared, the folder's entry (seed 1993).
        var joined = F(("x/a", "hi\n"), ("y/a", "hi\n"), ("y/sub/e", "e\n"));
        foreach (string[] args in new string[][] { ["-s", "x/a", "y"], ["-s", "y", "x/a"], ["-s", "-u", "x/a", "y"], ["-s", "-q", "x/a", "y"], ["-S", "sub", "-s", "x/a", "y"] })
        {
            yield return D($"-s, a file against a folder: diff {string.Join(' ', args)}", joined, args);
        }

        // --no-dereference, a link met as a file against a folder (seed 3080): a dangling link is there, a link to a
        // folder is a link, not a folder.
        var dangling = F(("y/d", "q\n"), ("y/e", "q\n"), ("x/f", "1\n"));
        (string, string)[] danglingLinks = [("x/d", "nowhere"), ("x/e", "../y")];
        foreach (string[] args in new string[][]
        {
            ["-D", "X", "x", "y/d"], ["--unidirectional-new-file", "--ifdef=X", "x", "y/d"], ["-e", "x", "y/d"], ["-y", "x", "y/d"],
            ["-D", "X", "x/e", "y"], ["-D", "X", "x", "y/e"],
        })
        {
            yield return D($"--no-dereference, a link as a file against a folder: diff --no-dereference {string.Join(' ', args)}", dangling, ["--no-dereference", .. args])
                with { Links = danglingLinks };
        }

        // One file on both sides (a link to the other) in the ed formats: GNU knows it identical without a read, so its
        // missing final newline is no error (random seed 4401).
        var oneFile = F(("y/c", "a\n\t"), ("y/d", "1\n"), ("x/d", "2\n"));
        foreach (string[] args in new string[][] { ["-e", "x", "y"], ["-f", "x", "y"], ["-e", "x/c", "y/c"], ["-e", "-s", "x", "y"], ["-reN", "x", "y"], ["-e", "y/c", "y/c"] })
        {
            yield return D($"one file on both sides, ed format: diff {string.Join(' ', args)}", oneFile, args) with { Links = [("x/c", "../y/c")] };
        }
    }
}
