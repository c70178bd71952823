using System.Text;
using PatchKit.Diffs;
using Xunit.Abstractions;

namespace PatchKit.Tests.Diffs.Apply;

/// <summary>Every case of the real corpus made to fail by a seeded edit of its pre/ tree: one context line of one hunk
/// changed, and lines inserted before the hunk so it also moved. The diagnosis must name the true place (where the
/// hunk applies in the unedited file, moved by the lines inserted) and the one line changed, beside what it became.</summary>
public sealed class HunkDiagnosisCorpusTests : IClassFixture<CommitsCorpusFixture>
{
    private const string Edit = " /* edited by the test */";
    private const string AppliedElsewhere = "applied elsewhere";

    private readonly CommitsCorpusFixture _fixture;
    private readonly ITestOutputHelper _output;

    public HunkDiagnosisCorpusTests(CommitsCorpusFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void SeededEdit_EveryCase_NearestPlaceIsTheTruePlace()
    {
        var failures = new List<string>();
        int seeded = 0;
        int without = 0;
        int appliedElsewhere = 0;
        foreach (string name in _fixture.Cases)
        {
            string caseDir = Path.Combine(_fixture.Root, name);
            var doc = PatchDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, "patch.diff")));
            Target? target = Choose(name, doc, caseDir);
            if (target is not { } t)
            {
                without++;
                continue;
            }

            seeded++;
            string? problem = Check(name, t);
            if (problem == AppliedElsewhere)
            {
                appliedElsewhere++;
                continue;
            }

            if (problem is not null)
            {
                failures.Add(problem);
            }
        }

        int failedToApply = seeded - appliedElsewhere;
        _output.WriteLine($"{seeded} cases seeded, {without} without a text hunk with context to edit, {appliedElsewhere} whose edited hunk still applied (an identical block elsewhere), {failedToApply} made to fail, {failures.Count} diagnosed wrongly");
        Assert.True(failures.Count == 0, $"{failures.Count} of {failedToApply} cases made to fail diagnosed wrongly:\n" + string.Join("\n", failures));
        Assert.True(failedToApply > 450, $"only {failedToApply} cases could be made to fail");
    }

    [CorpusFact(CommitsCorpusFixture.Archive)]
    public void PostTree_EveryCase_DiagnosedAlreadyAppliedAtItsPlace()
    {
        // The patch applied again to post/ with reversed-patch detection off: the chosen hunk's new side is there, at
        // the line where the first apply put it.
        var failures = new List<string>();
        int checkedCases = 0;
        int reapplied = 0;
        foreach (string name in _fixture.Cases)
        {
            string caseDir = Path.Combine(_fixture.Root, name);
            var doc = PatchDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, "patch.diff")));
            if (Choose(name, doc, caseDir) is not { } t)
            {
                continue;
            }

            byte[] post = File.ReadAllBytes(Path.Combine(caseDir, "post", Strip(t.File.NewPath!)));
            PatchApplier.ApplyFile(t.File, post, out FileApplyResult again, new ApplyOptions { Fuzz = 0, DetectReversed = false });
            HunkResult h = again.Hunks[t.Hunk];
            if (h.Status == HunkStatus.Applied)
            {
                reapplied++; // its old side is still in post/ (a hunk that only adds lines, for one)
                continue;
            }

            checkedCases++;
            HunkFailureDiagnosis? d = h.Diagnosis;
            if (d is null || d.Kind != HunkFailureKind.AlreadyApplied || d.Line != t.NewLine)
            {
                failures.Add($"{name}: {t.File.NewPath} hunk #{t.Hunk + 1}: expected already applied at {t.NewLine}, got {d?.ToString() ?? "no diagnosis"}");
            }
        }

        _output.WriteLine($"{checkedCases} cases checked, {reapplied} whose hunk applied again, {failures.Count} wrong");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCases} cases diagnosed wrongly:\n" + string.Join("\n", failures));
        Assert.True(checkedCases > 350, $"only {checkedCases} cases checked");
    }

    private static string? Check(string name, Target t)
    {
        // Seeded from the case name: how many lines to insert, where before the hunk, and which context line to edit.
        uint seed = Seed(name);
        int inserted = 1 + (int)(seed % 37);
        int insertAt = (int)((seed / 37) % (uint)(t.Place + 1));
        int contextIndex = t.ContextIndexes[(int)((seed / 1000) % (uint)t.ContextIndexes.Count)];

        List<byte[]> lines = SplitLines(t.Original);
        byte[] line = lines[t.Place + contextIndex];
        int body = line.Length;
        while (body > 0 && (line[body - 1] == (byte)'\n' || line[body - 1] == (byte)'\r'))
        {
            body--;
        }

        lines[t.Place + contextIndex] = [.. line.AsSpan(0, body), .. Encoding.UTF8.GetBytes(Edit), .. line.AsSpan(body)];
        for (int i = 0; i < inserted; i++)
        {
            lines.Insert(insertAt, Encoding.UTF8.GetBytes($"/* inserted by the test, {i} */\n"));
        }

        byte[] edited = [.. lines.SelectMany(l => l)];
        PatchApplier.ApplyFile(t.File, edited, out FileApplyResult result, new ApplyOptions { Fuzz = 0 });
        HunkResult h = result.Hunks[t.Hunk];
        string where = $"{name}: {t.File.NewPath} hunk #{t.Hunk + 1} (context line {contextIndex + 1} edited, {inserted} lines inserted at {insertAt + 1})";
        if (h.Status == HunkStatus.Applied)
        {
            return AppliedElsewhere; // the hunk's old side, unedited, is elsewhere too: GNU patch applies it there as well
        }

        if (h.Status != HunkStatus.Failed)
        {
            return $"{where}: {h.Status} at {h.Line}, not failed";
        }

        int trueLine = t.Place + inserted + 1;
        if (h.Diagnosis is not { } d)
        {
            return $"{where}: no diagnosis";
        }

        if (d.Line != trueLine || d.Kind != HunkFailureKind.ContextChanged || d.ContextMatched != d.ContextLines - 1 || d.RemovedMatched != d.RemovedLines)
        {
            return $"{where}: expected context changed at {trueLine}, got {d}";
        }

        string expected = Encoding.UTF8.GetString(TrimEnding(line));
        if (d.Differences is not [var only] || only.FileLine != trueLine + contextIndex || only.Expected != expected || only.Found != expected + Edit)
        {
            return $"{where}: the differing line is not the edited one: {string.Join(" | ", d.GetReportLines())}";
        }

        return null;
    }

    /// <summary>Picks, from the case name, one hunk of a changed text file that has context lines and applies to
    /// pre/ exactly; gives where it applies in pre/ and where its new side lands.</summary>
    private static Target? Choose(string name, PatchDocument doc, string caseDir)
    {
        uint seed = Seed("hunk:" + name);
        var candidates = new List<(FilePatch File, int Hunk)>();
        foreach (FilePatch f in doc.Files)
        {
            if (f.IsBinary || f.Operation is not (FileOperation.Modify or FileOperation.Rename) || f.OldPath is null || f.NewPath is null)
            {
                continue;
            }

            for (int k = 0; k < f.Hunks.Count; k++)
            {
                if (HasContext(f.Hunks[k]) && f.Hunks[k].OldCount > 0)
                {
                    candidates.Add((f, k));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (file, hunk) = candidates[(int)(seed % (uint)candidates.Count)];
        byte[] original = File.ReadAllBytes(Path.Combine(caseDir, "pre", Strip(file.OldPath!)));
        PatchApplier.ApplyFile(file, original, out FileApplyResult first, new ApplyOptions { Fuzz = 0 });
        HunkResult h = first.Hunks[hunk];
        if (!first.Succeeded || h.Status != HunkStatus.Applied)
        {
            throw new InvalidOperationException($"{name}: {file.OldPath} does not apply to pre/");
        }

        int place = file.Hunks[hunk].OldStart - 1 + h.Offset;
        var context = new List<int>();
        int old = 0;
        foreach (HunkLine l in file.Hunks[hunk].GetLines())
        {
            if (l.Kind == HunkLineKind.Context)
            {
                context.Add(old);
            }

            if (l.Kind != HunkLineKind.Added)
            {
                old++;
            }
        }

        return new Target(file, hunk, original, place, h.Line, context);
    }

    /// <summary>FNV-1a of the name: a fixed seed per case, the same on every run.</summary>
    private static uint Seed(string name)
    {
        uint h = 2166136261;
        foreach (char c in name)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    private static bool HasContext(Hunk hunk)
    {
        foreach (HunkLine l in hunk.GetLines())
        {
            if (l.Kind == HunkLineKind.Context)
            {
                return true;
            }
        }

        return false;
    }

    private static string Strip(string path) => path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static ReadOnlySpan<byte> TrimEnding(byte[] line)
    {
        int n = line.Length;
        while (n > 0 && (line[n - 1] == (byte)'\n' || line[n - 1] == (byte)'\r'))
        {
            n--;
        }

        return line.AsSpan(0, n);
    }

    private static List<byte[]> SplitLines(byte[] content)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                lines.Add(content[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < content.Length)
        {
            lines.Add(content[start..]);
        }

        return lines;
    }

    /// <param name="Place">0-based line of pre/ where the hunk's old side starts.</param>
    /// <param name="NewLine">1-based line of post/ where its new side starts.</param>
    private readonly record struct Target(FilePatch File, int Hunk, byte[] Original, int Place, int NewLine, List<int> ContextIndexes);
}
