using System.Text;
using System.Text.Json;
using PatchKit.Cli;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>Every case of the real commits corpus: <c>patchkit diff -Naur pre post</c> against GNU diff's own
/// <c>naur.diff</c>, and GNU <c>patch -p1</c>, run for real, applying PatchKit's output to a copy of <c>pre/</c>.</summary>
public class CommitsCorpusTests : IClassFixture<CommitsCorpusFixture>
{
    private readonly CommitsCorpusFixture _corpus;

    public CommitsCorpusTests(CommitsCorpusFixture corpus) => _corpus = corpus;

    internal static (int ExitCode, byte[] Output, string Error) RunCli(string workingDirectory, params string[] args)
    {
        using var stdout = new MemoryStream();
        var output = new StreamWriter(stdout, new UTF8Encoding(false));
        var error = new StringWriter();
        var context = new CliContext(output, error, () => new MemoryStream(), workingDirectory, CancellationToken.None);
        int code = CliApp.Run(args, context);
        output.Flush();
        return (code, stdout.ToArray(), error.ToString());
    }

    private static (string[] ExtraFlags, int NaurExit, bool GnuReproduces) Meta(string caseDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, "meta.json")));
        string command = doc.RootElement.GetProperty("naur_command").GetString()!;
        string[] extra = command.Contains("--no-dereference", StringComparison.Ordinal) ? ["--no-dereference"] : [];
        int exit = doc.RootElement.GetProperty("naur_exit").GetInt32();
        bool reproduces = doc.RootElement.GetProperty("reproduces").GetProperty("gnu_patch").GetProperty("naur.diff").GetBoolean();
        return (extra, exit, reproduces);
    }

    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void Diff_EveryCommitsCase_ByteForByteAndExitCodeAsGnuDiff()
    {
        var failures = new List<string>();
        foreach (string name in _corpus.Cases)
        {
            string dir = Path.Combine(_corpus.Root, name);
            var (extra, naurExit, _) = Meta(dir);
            var run = RunCli(dir, ["diff", "-Naur", .. extra, "pre", "post"]);
            byte[] expected = File.ReadAllBytes(Path.Combine(dir, "naur.diff"));
            if (!run.Output.AsSpan().SequenceEqual(expected))
            {
                failures.Add($"{name}: output differs ({run.Output.Length} vs GNU {expected.Length} bytes)");
            }

            if (run.ExitCode != naurExit)
            {
                failures.Add($"{name}: exit {run.ExitCode}, GNU {naurExit}");
            }
        }

        Assert.True(_corpus.Cases.Count == 498, $"expected 498 cases, found {_corpus.Cases.Count}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [CorpusTheory(CommitsCorpusFixture.Archive)]
    [InlineData("myers", false)]
    [InlineData("histogram", false)]
    [InlineData("patience", false)]
    [InlineData("myers", true)]
    public void Diff_EveryCommitsCase_GnuPatchReproducesPost(string algorithm, bool git)
    {
        var failures = new List<string>();
        int checkedCases = 0, skipped = 0;
        long ours = 0, gnu = 0;
        using var work = new TempDir();
        foreach (string name in _corpus.Cases)
        {
            string dir = Path.Combine(_corpus.Root, name);
            var (extra, _, gnuReproduces) = Meta(dir);
            string[] format = git ? ["--git"] : [];
            var run = RunCli(dir, ["diff", "-Naur", "--algorithm", algorithm, .. format, .. extra, "pre", "post"]);
            byte[] naur = File.ReadAllBytes(Path.Combine(dir, "naur.diff"));
            ours += run.Output.Length;
            gnu += naur.Length;
            if (algorithm == "myers" && !git && run.Output.Length > naur.Length)
            {
                failures.Add($"{name}: {run.Output.Length} bytes, larger than GNU's {naur.Length}");
            }

            if (!gnuReproduces && !git)
            {
                // GNU's format cannot express these (exec bits, symbolic links, empty files): GNU diff's own naur.diff
                // does not reproduce post/ either; the --git run covers them.
                skipped++;
                continue;
            }

            string target = Path.Combine(work.Path, name);
            GnuTools.CopyTree(Path.Combine(dir, "pre"), target);
            string patchFile = Path.Combine(work.Path, name + ".diff");
            File.WriteAllBytes(patchFile, run.Output);
            var patch = GnuTools.Run("patch", target, "-p1", "-s", "-f", "-i", patchFile);
            checkedCases++;
            if (patch.ExitCode != 0)
            {
                failures.Add($"{name}: patch exit {patch.ExitCode}: {Encoding.UTF8.GetString(patch.Output)} {patch.Error}");
                continue;
            }

            // GNU patch leaves empty directories of deleted files; the listing ignores directories.
            if (GnuTools.Listing(target) != GnuTools.Listing(Path.Combine(dir, "post")))
            {
                failures.Add($"{name}: applied, but the result differs from post/");
            }

            Directory.Delete(target, recursive: true);
        }

        Assert.True(checkedCases == (git ? 498 : 488), $"{checkedCases} cases checked ({skipped} skipped)");
        Assert.True(failures.Count == 0, $"{algorithm}{(git ? " --git" : string.Empty)}: {failures.Count} failures of {checkedCases} (ours {ours} bytes, GNU {gnu}):\n" + string.Join("\n", failures));
    }
    [CorpusTheory(CommitsCorpusFixture.Archive)]
    [InlineData(false)]
    [InlineData(true)]
    public void DiffThenPatchKitApply_EveryCommitsCase_ReproducesPost(bool git)
    {
        var failures = new List<string>();
        int checkedCases = 0;
        using var work = new TempDir();
        foreach (string name in _corpus.Cases)
        {
            string dir = Path.Combine(_corpus.Root, name);
            var (extra, _, gnuReproduces) = Meta(dir);
            if (!gnuReproduces && !git)
            {
                continue;
            }

            string[] format = git ? ["--git"] : [];
            var diff = RunCli(dir, ["diff", "-Naur", .. format, .. extra, "pre", "post"]);
            string target = Path.Combine(work.Path, name);
            GnuTools.CopyTree(Path.Combine(dir, "pre"), target);
            string patchFile = Path.Combine(work.Path, name + ".diff");
            File.WriteAllBytes(patchFile, diff.Output);
            var apply = RunCli(work.Path, "apply", "-p1", "-s", "-d", target, "-i", patchFile);
            checkedCases++;
            if (apply.ExitCode != 0)
            {
                failures.Add($"{name}: patchkit apply exit {apply.ExitCode}: {apply.Error}");
            }
            else if (GnuTools.Listing(target) != GnuTools.Listing(Path.Combine(dir, "post")))
            {
                failures.Add($"{name}: applied, but the result differs from post/");
            }

            Directory.Delete(target, recursive: true);
        }

        Assert.True(checkedCases == (git ? 498 : 488), $"{checkedCases} cases checked");
        Assert.True(failures.Count == 0, $"{failures.Count} failures of {checkedCases}:\n" + string.Join("\n", failures));
    }
}
