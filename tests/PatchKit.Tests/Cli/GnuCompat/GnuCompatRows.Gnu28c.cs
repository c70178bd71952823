namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Folder walks GNU diff lists and the drop-in did not: identical pairs whose names are not UTF-8 (with
/// <c>-s</c>, <c>-y</c>), operands not in UTF-8 on the command line, one device or fifo on both sides under <c>-y</c>,
/// one folder met twice deeper in a walk (two links to it), and names holding " and ", " is a " or ": ".</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu28cDiffRows()
    {
        // Identical pairs whose names are not UTF-8 (Latin-1 é, a lone 0xFF) beside UTF-8 and ASCII ones, in GNU's byte
        // order (the rows run in the C locale): -s reports each, -y shows each, in its place.
        const string latin = "for d in x y; do mv \"$d/c1\" \"$d/$(printf 'caf\\351')\"; mv \"$d/c2\" \"$d/$(printf 'caf\\377')\"; "
            + "mv \"$d/sub/c3\" \"$d/sub/$(printf 'k\\351')\"; mv \"$d/c4\" \"$d/$(printf 'd\\351')\"; done; mv x/o1 \"x/$(printf 'o\\351')\"";
        var sameLatin = F(
            ("x/c1", "1\n"), ("y/c1", "1\n"), ("x/c2", "2\n"), ("y/c2", "2\n"), ("x/cafe", "e\n"), ("y/cafe", "e\n"), ("x/café", "u\n"), ("y/café", "u\n"),
            ("x/sub/c3", "3\n"), ("y/sub/c3", "3\n"), ("x/sub/a", "a\n"), ("y/sub/a", "b\n"), ("x/c4", "4\n"), ("y/c4", "5\n"), ("x/o1", "o\n"), ("x/bin", "\0"), ("y/bin", "\0"));
        foreach (string[] args in new string[][]
        {
            ["-s"], ["-rs"], ["-y", "-W", "40"], ["-ry", "-W", "40"], ["-rs", "-q"], ["-rsu"], ["-rsi"], ["-ry", "--suppress-common-lines", "-W", "40"],
            ["-rs", "-x", "cafe"], ["-re"], ["-rsN"], ["-ry", "-W", "40", "--left-column"], ["-rs", "--no-dereference"], ["-rs", "-S", "d"],
            ["-rs", "--ignore-file-name-case"], ["-rs", "-c", "--label", "L", "--label", "M"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} x y, identical pairs named not in UTF-8", sameLatin, [.. args, "x", "y"]) with { Prelude = latin };
        }

        // Operands not in UTF-8 (set by the shell before the program runs: the row's own arguments stand for them).
        const string latinOperands = "mkdir -p \"x/$(printf 'd\\351')\" \"y/$(printf 'd\\351')\"; for d in x y; do mv \"$d/c1\" \"$d/$(printf 'caf\\351')\"; "
            + "mv \"$d/c4\" \"$d/$(printf 'd\\351')/f\"; mv \"$d/c2\" \"$d/$(printf 'd\\351')/g\"; done";
        var operandTree = F(("x/c1", "1\n"), ("y/c1", "1\n"), ("x/c2", "2\n"), ("y/c2", "2\n"), ("x/c4", "4\n"), ("y/c4", "5\n"), ("x/cafe", "e\n"), ("y/zz", "z\n"));
        foreach ((string shown, string set) in new (string, string)[]
        {
            ("x/caf\\351 y/caf\\351", "\"x/$(printf 'caf\\351')\" \"y/$(printf 'caf\\351')\""),
            ("-s x/caf\\351 y/caf\\351", "-s \"x/$(printf 'caf\\351')\" \"y/$(printf 'caf\\351')\""),
            ("-u x/d\\351/f y/d\\351/f", "-u \"x/$(printf 'd\\351')/f\" \"y/$(printf 'd\\351')/f\""),
            ("-c x/caf\\351 y/cafe", "-c \"x/$(printf 'caf\\351')\" y/cafe"),
            ("-y -W 30 x/d\\351/f y/d\\351/f", "-y -W 30 \"x/$(printf 'd\\351')/f\" \"y/$(printf 'd\\351')/f\""),
            ("-r x/d\\351 y/d\\351", "-r \"x/$(printf 'd\\351')\" \"y/$(printf 'd\\351')\""),
            ("-rs x/d\\351 y/d\\351", "-rs \"x/$(printf 'd\\351')\" \"y/$(printf 'd\\351')\""),
            ("-ry -W 30 x/d\\351 y/d\\351", "-ry -W 30 \"x/$(printf 'd\\351')\" \"y/$(printf 'd\\351')\""),
            ("-rq x/d\\351 y/d\\351", "-rq \"x/$(printf 'd\\351')\" \"y/$(printf 'd\\351')\""),
            ("-u x/d\\351/f y/d\\351", "-u \"x/$(printf 'd\\351')/f\" \"y/$(printf 'd\\351')\""),
            ("-y -W 30 x/d\\351/f y/d\\351", "-y -W 30 \"x/$(printf 'd\\351')/f\" \"y/$(printf 'd\\351')\""),
            ("-q x/n\\351 y/caf\\351 (missing)", "-q \"x/$(printf 'n\\351')\" \"y/$(printf 'caf\\351')\""),
            ("-N x/n\\351 y/caf\\351", "-N \"x/$(printf 'n\\351')\" \"y/$(printf 'caf\\351')\""),
            ("-r x/d\\351 y/n\\351 (missing folder)", "-r \"x/$(printf 'd\\351')\" \"y/$(printf 'n\\351')\""),
            ("-u --label L\\351 x/caf\\351 y/cafe", "-u --label \"L$(printf '\\351')\" \"x/$(printf 'caf\\351')\" y/cafe"),
            ("-r x y/d\\351", "-r x \"y/$(printf 'd\\351')\""),
            ("--from-file x/caf\\351 y/caf\\351 y/cafe", "--from-file \"x/$(printf 'caf\\351')\" \"y/$(printf 'caf\\351')\" y/zz"),
        })
        {
            yield return D($"diff {shown}, operands not in UTF-8", operandTree, "operands", "set", "by", "the", "shell") with { Prelude = latinOperands + "; set -- " + set };
        }

        // One device (or one fifo) on both sides: GNU's same_file. Where no difference means no output, nothing (-s:
        // "are identical"); -y prints what kind of file each is, a difference.
        var devices = F(("x/a", "1\n"), ("y/a", "1\n"));
        (string, string)[] deviceLinks = [("x/nn", "/dev/null"), ("y/nn", "/dev/null"), ("x/pp", "../p"), ("y/pp", "../p"), ("x/zz", "/dev/zero"), ("y/zz", "/dev/null")];
        foreach (string[] args in new string[][]
        {
            [], ["-y"], ["-ry"], ["-y", "--suppress-common-lines"], ["-s"], ["-rs"], ["-ys"], ["-y", "--label", "L", "--label", "M"], ["-q"],
            ["-u"], ["-y", "-i"], ["-y", "--no-dereference"], ["-e"], ["-y", "--left-column"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} x y, one device or fifo on both sides", devices, [.. args, "x", "y"]) with { Links = deviceLinks, Fifos = ["p"] };
        }

        // One folder met twice deeper in a walk (a link to it in each tree): GNU knows the two the same without a look
        // inside and says nothing of them (no "Common subdirectories" line) but under -y.
        var twice = F(("d/s/f", "f\n"), ("d/g", "g\n"), ("x/a", "1\n"), ("y/a", "1\n"), ("x/b", "1\n"), ("y/b", "2\n"));
        (string, string)[] twiceLinks = [("x/l", "../d"), ("y/l", "../d"), ("x/m", "../d/s"), ("y/m", "../d")];
        foreach (string[] args in new string[][]
        {
            [], ["-r"], ["-q"], ["-rq"], ["-s"], ["-rs"], ["-y"], ["-ry"], ["-y", "--suppress-common-lines"], ["-ry", "--suppress-common-lines"], ["-ru"],
            ["-rs", "--no-dereference"], ["-ry", "--no-dereference"], ["-rsi"], ["-rN"], ["-rc"], ["-re"], ["-rsy", "-W", "40"], ["-r", "-x", "a"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} x y, one folder met twice deeper", twice, [.. args, "x", "y"]) with { Links = twiceLinks };
        }

        // A folder that leads back to one of its own parents on both sides: GNU's "recursive directory loop", exit 2,
        // not walked into.
        var loop = F(("x/s/f", "1\n"), ("y/s/f", "2\n"), ("x/s/g", "g\n"), ("y/s/g", "g\n"), ("x/t", "t\n"), ("y/t", "t\n"));
        (string, string)[] loopLinks = [("x/s/up", ".."), ("y/s/up", ".."), ("x/s/self", "."), ("y/s/self", "../s")];
        foreach (string[] args in new string[][] { ["-r"], ["-rq"], ["-rs"], ["-ry", "-W", "30"], ["-ru"], ["-rN"], ["-r", "-i"], ["-rse"] })
        {
            yield return D($"diff {string.Join(' ', args)} x y, a folder that leads back to its parent", loop, [.. args, "x", "y"]) with { Links = loopLinks };
        }

        // Names that hold " and ", " is a " or ": " (the words of GNU's own lines), a fifo among them.
        var wordy = F(
            ("x/p and q", "1\n"), ("y/p and q", "2\n"), ("x/r is a s", "1\n"), ("y/r is a s", "1\n"), ("x/d and e/f", "1\n"), ("y/d and e/f", "2\n"),
            ("x/d and e/g", "1\n"), ("y/d and e/g", "1\n"), ("x/o and y", "o\n"), ("y/n: m", "n\n"), ("y/f is a fifo", "a\n"), ("x/b and c", "a\0"), ("y/b and c", "b\0"),
            ("x/t is a u and v", "1\n"), ("y/t is a u and v", "1\n"), ("x/w and x", "1\n"), ("y/w and x", "2\n"));
        foreach (string[] args in new string[][]
        {
            ["-s"], ["-rs"], ["-ry", "-W", "40"], ["-rq"], ["-ru"], ["-r", "-i"], ["-y", "-W", "40"], ["-rs", "-q"], ["-r", "-i", "--label", "L", "--label", "M"],
            ["-rsi", "-x", "w*"], ["-re"], ["-rN", "-i"], ["-rs", "-S", "p"], ["-r", "--suppress-common-lines", "-y", "-W", "40"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} x y, names holding ' and ', ' is a ', ': '", wordy, [.. args, "x", "y"]) with { Fifos = ["x/f is a fifo"] };
        }
    }
}
