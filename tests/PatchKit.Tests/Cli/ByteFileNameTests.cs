using System.Diagnostics;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Diffs.Apply;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>Issue 25: file names are bytes end to end on Unix. Real files whose names are not valid UTF-8 are created
/// by the test (through libc, as .NET cannot name them), patched through the real CLI process, and compared with GNU
/// patch run on an identical tree; names in messages are quoted as GNU patch's <c>--quoting-style</c>, and control
/// characters are never printed raw.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ByteFileNameTests
{
    private static readonly FileSystem s_fs = new();

    private static readonly byte[] s_latin1 = [.. "caf"u8, 0xe9, .. ".txt"u8];

    [Fact]
    public void Apply_NameNotValidUtf8_PatchesThatFileAndNoOther()
    {
        using var temp = new TempDir();
        byte[] utf8 = "café.txt"u8.ToArray();
        byte[] replacement = "caf\uFFFD.txt"u8.ToArray();
        byte[] patch = [.. "--- "u8, .. s_latin1, .. "\n+++ "u8, .. s_latin1, .. "\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"u8];
        var outcomes = new List<(int Code, byte[] Out, string Tree)>();
        foreach (bool gnu in new[] { true, false })
        {
            string tree = Path.Combine(temp.Path, gnu ? "gnu" : "pk");
            Directory.CreateDirectory(tree);
            foreach (byte[] name in new[] { s_latin1, utf8, replacement })
            {
                Write(tree, name, "a\nb\nc\n"u8);
            }

            File.WriteAllBytes(Path.Combine(tree, "p.diff"), patch);
            var (code, output, _) = gnu ? RunGnu(tree, [], "-i", "p.diff") : RunPatchKit(tree, [], "apply", "-i", "p.diff");
            outcomes.Add((code, output, Listing(tree, s_latin1, utf8, replacement)));
        }

        Assert.Equal(0, outcomes[1].Code);
        Assert.Equal("caf\\xe9.txt=a\\nB\\nc\\n|café.txt=a\\nb\\nc\\n|caf\uFFFD.txt=a\\nb\\nc\\n", outcomes[1].Tree);
        Assert.Equal([.. "patching file "u8, .. s_latin1, (byte)'\n'], outcomes[1].Out);
        if (GnuAvailable)
        {
            Assert.Equal(outcomes[0].Code, outcomes[1].Code);
            Assert.Equal(outcomes[0].Out, outcomes[1].Out);
            Assert.Equal(outcomes[0].Tree, outcomes[1].Tree);
        }
    }

    [Fact]
    public void Apply_NamesDifferingOnlyInInvalidBytes_NeverCollide()
    {
        using var temp = new TempDir();
        string tree = temp.Path;
        byte[] e9 = [(byte)'a', 0xe9, .. ".txt"u8];
        byte[] e8 = [(byte)'a', 0xe8, .. ".txt"u8];
        byte[] gone = [(byte)'o', 0xfe, .. ".txt"u8];
        Write(tree, e9, "1\n"u8);
        Write(tree, e8, "1\n"u8);
        Write(tree, gone, "x\n"u8);

        // Git quotes such names in C style; a new folder with such a name, and a file created and one deleted.
        string patch =
            "diff --git \"a/a\\351.txt\" \"b/a\\351.txt\"\n--- \"a/a\\351.txt\"\n+++ \"b/a\\351.txt\"\n@@ -1 +1 @@\n-1\n+nine\n" +
            "diff --git \"a/a\\350.txt\" \"b/a\\350.txt\"\n--- \"a/a\\350.txt\"\n+++ \"b/a\\350.txt\"\n@@ -1 +1 @@\n-1\n+eight\n" +
            "diff --git \"a/d\\377/n\\377.txt\" \"b/d\\377/n\\377.txt\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/d\\377/n\\377.txt\"\n@@ -0,0 +1 @@\n+new\n" +
            "diff --git \"a/o\\376.txt\" \"b/o\\376.txt\"\ndeleted file mode 100644\n--- \"a/o\\376.txt\"\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        File.WriteAllText(Path.Combine(tree, "p.diff"), patch);

        var (code, _, error) = RunPatchKit(tree, [], "apply", "-i", "p.diff");

        Assert.True(code == 0, Encoding.UTF8.GetString(error));
        Assert.Equal("nine\n", Read(tree, e9));
        Assert.Equal("eight\n", Read(tree, e8));
        Assert.Equal("new\n", Read(tree, [(byte)'d', 0xff, (byte)'/', (byte)'n', 0xff, .. ".txt"u8]));
        Assert.False(Exists(tree, gone));
        Assert.False(File.Exists(Path.Combine(tree, "a\uFFFD.txt")), "no file may be created under the U+FFFD name");
        Assert.False(File.Exists(Path.Combine(tree, ".patchkit-journal")));
    }

    [Fact]
    public void Apply_Partial_RejectsOfSuchNameAreWrittenUnderItsBytes()
    {
        using var temp = new TempDir();
        string tree = temp.Path;
        Write(tree, s_latin1, "a\nb\nc\n"u8);
        byte[] patch = [.. "--- "u8, .. s_latin1, .. "\n+++ "u8, .. s_latin1, .. "\n@@ -1,3 +1,3 @@\n a\n-zz\n+B\n c\n"u8];
        File.WriteAllBytes(Path.Combine(tree, "p.diff"), patch);

        var (code, output, _) = RunPatchKit(tree, [], "apply", "--partial", "-i", "p.diff");

        Assert.Equal(1, code);
        byte[] rej = [.. s_latin1, .. ".rej"u8];
        Assert.True(Exists(tree, rej), "the rejects are saved under the name's own bytes plus .rej");
        byte[] rejects = RawFiles.ReadAllBytes(s_fs, Full(tree, rej));
        Assert.Contains("--- caf\\xe9.txt", Printable(rejects), StringComparison.Ordinal);
        Assert.Contains("saving rejects to file caf\\xe9.txt.rej", Printable(output), StringComparison.Ordinal);
    }

    public static TheoryData<string> Styles => new() { "literal", "shell", "shell-always", "c", "escape" };

    /// <summary>Each style, through the option and through <c>QUOTING_STYLE</c>, prints the same bytes as GNU patch
    /// for names that need quoting but hold no control character.</summary>
    [Theory]
    [MemberData(nameof(Styles))]
    public void Apply_QuotingStyle_PrintsNamesAsGnuPatch(string style)
    {
        using var temp = new TempDir();
        byte[][] names =
        [
            "it's.txt"u8.ToArray(), "$HOME.txt"u8.ToArray(), "a b.txt"u8.ToArray(), "q\"uote.txt"u8.ToArray(), "back\\slash.txt"u8.ToArray(),
            "café.txt"u8.ToArray(), s_latin1, "~tilde"u8.ToArray(), "plain-name_1.txt"u8.ToArray(),
        ];
        byte[] patch = [];
        foreach (byte[] n in names)
        {
            byte[] quoted = Encoding.ASCII.GetBytes(CQuote(n));
            patch = [.. patch, .. "--- "u8, .. quoted, .. "\n+++ "u8, .. quoted, .. "\n@@ -1 +1 @@\n-x\n+y\n"u8];
        }

        foreach (bool viaEnvironment in new[] { false, true })
        {
            var results = new List<(int, byte[])>();
            foreach (bool gnu in new[] { true, false })
            {
                string tree = Path.Combine(temp.Path, $"{gnu}-{viaEnvironment}");
                Directory.CreateDirectory(tree);
                foreach (byte[] n in names)
                {
                    Write(tree, n, "x\n"u8);
                }

                File.WriteAllBytes(Path.Combine(tree, "p.diff"), patch);
                var env = new Dictionary<string, string> { ["LC_ALL"] = "C" };
                string[] args = ["-i", "p.diff"];
                if (viaEnvironment)
                {
                    env["QUOTING_STYLE"] = style;
                }
                else
                {
                    args = ["--quoting-style=" + style, .. args];
                }

                var (code, output, _) = gnu ? RunGnu(tree, env, args) : RunPatchKit(tree, env, ["apply", .. args]);
                results.Add((code, output));
            }

            Assert.Equal(0, results[1].Item1);
            if (style == "c")
            {
                Assert.Contains("patching file \"caf\\351.txt\"\n", Encoding.ASCII.GetString(results[1].Item2), StringComparison.Ordinal);
            }

            if (GnuAvailable)
            {
                Assert.True(results[0].Item2.AsSpan().SequenceEqual(results[1].Item2), $"{style} (environment: {viaEnvironment}):\nGNU:\n{Printable(results[0].Item2)}\nPatchKit:\n{Printable(results[1].Item2)}");
            }
        }
    }

    /// <summary>Control characters in names (an escape sequence would recolour the terminal) are never printed raw, in
    /// any style: GNU patch prints them raw in the literal and shell styles; PatchKit prints <c>?</c> or
    /// <c>$'\033'</c> there, and the C escapes GNU prints in the others.</summary>
    [Fact]
    public void Apply_ControlCharactersInNames_AreNeverPrintedRaw()
    {
        using var temp = new TempDir();
        byte[] name = "esc\x1b[31mred.txt"u8.ToArray();
        var expected = new Dictionary<string, string>
        {
            ["literal"] = "esc?[31mred.txt",
            ["shell"] = "'esc'$'\\033''[31mred.txt'",
            ["shell-always"] = "'esc'$'\\033''[31mred.txt'",
            ["c"] = "\"esc\\033[31mred.txt\"",
            ["escape"] = "esc\\033[31mred.txt",
        };
        foreach (var (style, shown) in expected)
        {
            string tree = Path.Combine(temp.Path, style);
            Directory.CreateDirectory(tree);
            Write(tree, name, "x\n"u8);
            File.WriteAllText(Path.Combine(tree, "p.diff"), "--- \"esc\\033[31mred.txt\"\n+++ \"esc\\033[31mred.txt\"\n@@ -1 +1 @@\n-x\n+y\n");

            var (code, output, error) = RunPatchKit(tree, new Dictionary<string, string> { ["LC_ALL"] = "C" }, "apply", "--quoting-style=" + style, "-i", "p.diff");

            Assert.Equal(0, code);
            Assert.Equal("patching file " + shown + "\n", Encoding.ASCII.GetString(output));
            Assert.DoesNotContain((byte)0x1b, output);
            Assert.DoesNotContain((byte)0x1b, error);
        }
    }

    /// <summary>The drop-in's file calls still take decoded names: it refuses such a name (GNU patch would patch it)
    /// rather than patch the file its U+FFFD decoding names.</summary>
    [Fact]
    public void Patch_DropIn_NameNotValidUtf8_IsRefusedAndNoOtherFileChanges()
    {
        using var temp = new TempDir();
        string tree = temp.Path;
        Write(tree, s_latin1, "a\nb\nc\n"u8);
        File.WriteAllText(Path.Combine(tree, "caf\uFFFD.txt"), "a\nb\nc\n");
        File.WriteAllBytes(Path.Combine(tree, "p.diff"), [.. "--- "u8, .. s_latin1, .. "\n+++ "u8, .. s_latin1, .. "\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"u8]);

        var (code, output, _) = RunPatchKit(tree, [], "patch", "-i", "p.diff");

        Assert.Equal(1, code);
        Assert.Contains("not named in UTF-8", Printable(output), StringComparison.Ordinal);
        Assert.Equal("a\nb\nc\n", Read(tree, s_latin1));
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Path.Combine(tree, "caf\uFFFD.txt")));
    }

    [Fact]
    public void Apply_UnknownQuotingStyle_IsBadInput()
    {
        using var temp = new TempDir();
        var (code, _, error) = RunPatchKit(temp.Path, [], "apply", "--quoting-style=bogus", "-i", "p.diff");
        Assert.Equal(2, code);
        Assert.Contains("--quoting-style", Encoding.UTF8.GetString(error), StringComparison.Ordinal);
    }

    private static bool GnuAvailable => File.Exists("/usr/bin/patch");

    private static string Full(string tree, byte[] name) => Path.Combine(tree, FileNames.Decode(name));

    private static void Write(string tree, byte[] name, ReadOnlySpan<byte> content)
    {
        int slash = Array.LastIndexOf(name, (byte)'/');
        if (slash > 0)
        {
            RawFiles.CreateDirectory(s_fs, Full(tree, name[..slash]));
        }

        using Stream s = RawFiles.CreateExclusive(s_fs, Full(tree, name));
        s.Write(content);
    }

    private static string Read(string tree, byte[] name) => Encoding.UTF8.GetString(RawFiles.ReadAllBytes(s_fs, Full(tree, name)));

    private static bool Exists(string tree, byte[] name) => TreeTransaction.KindOf(s_fs, Full(tree, name)) != EntryKind.Absent;

    private static string Listing(string tree, params byte[][] names) =>
        string.Join('|', names.Select(n => Printable(n) + "=" + Read(tree, n).Replace("\n", "\\n", StringComparison.Ordinal)));

    private static string Printable(byte[] bytes) => PathGuard.Printable(bytes);

    private static string CQuote(byte[] name)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in name)
        {
            sb.Append(b is (byte)'"' or (byte)'\\' ? "\\" + (char)b : b is < 0x20 or >= 0x7f ? "\\" + Convert.ToString(b, 8).PadLeft(3, '0') : ((char)b).ToString());
        }

        return sb.Append('"').ToString();
    }

    private static (int Code, byte[] Out, byte[] Err) RunPatchKit(string dir, Dictionary<string, string> env, params string[] args)
    {
        using Process p = CliRunner.StartProcess(dir, env, args);
        return Collect(p);
    }

    private static (int Code, byte[] Out, byte[] Err) RunGnu(string dir, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/patch")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("QUOTING_STYLE");
        psi.Environment["LC_ALL"] = "C";
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using Process p = Process.Start(psi)!;
        return Collect(p);
    }

    private static (int, byte[], byte[]) Collect(Process p)
    {
        p.StandardInput.Close();
        var err = Task.Run(() =>
        {
            using var ms = new MemoryStream();
            p.StandardError.BaseStream.CopyTo(ms);
            return ms.ToArray();
        });
        using var o = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(o);
        p.WaitForExit();
        return (p.ExitCode, o.ToArray(), err.Result);
    }
}
