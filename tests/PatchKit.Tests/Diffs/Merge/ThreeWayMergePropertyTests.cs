using System.Text;
using PatchKit.Diffs;
using PatchKit.Diffs.Merge;
using PatchKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PatchKit.Tests.Diffs.Merge;

/// <summary>The three-way fallback against the real <c>git merge-file</c> (run for every case): random base files, random
/// edits for ours, a random patch from the base to theirs made by PatchKit's diff. Whenever PatchKit reports a clean
/// merge, its bytes equal <c>git merge-file -p ours base theirs</c>; whenever git reports a conflict, PatchKit reports
/// one too.</summary>
public class ThreeWayMergePropertyTests(ITestOutputHelper output)
{
    private const int Cases = 1500;

    // Few distinct lines, so alignments are ambiguous and edits collide often.
    private static readonly string[] s_alphabet = ["a\n", "b\n", "c\n", "d\n", "e\n", "f\n", "{\n", "}\n", "\n", "x y\n", "int i;\n", "return 0;\n"];

    [Fact]
    public void Fallback_RandomCases_CleanOnlyWhenGitMergeFileAgreesByteForByte()
    {
        var random = new Random(20261205);
        using var temp = new TempDir();
        int clean = 0, conflicted = 0, refused = 0, directApplied = 0, gitConflicts = 0;
        var failures = new List<string>();
        for (int n = 0; n < Cases && failures.Count < 5; n++)
        {
            byte[] @base = RandomFile(random, random.Next(0, 40));
            byte[] ours = Edit(random, @base);
            byte[] theirs = Edit(random, @base);
            if (random.Next(8) == 0)
            {
                theirs = Edit(random, ours); // theirs shares ours's edits (already-applied parts)
            }

            byte[] patchText = UnifiedDiff.Create(@base, theirs, "a/f", "b/f", new DiffOptions { Context = random.Next(0, 4) });
            if (patchText.Length == 0)
            {
                continue;
            }

            FilePatch patch = PatchDocument.Parse(patchText).Files[0];
            var options = new ThreeWayOptions(MergeBases.FromContent(@base)) { ConflictStyle = random.Next(2) == 0 ? ConflictStyle.Merge : ConflictStyle.Diff3 };

            // The merge itself, whatever the direct apply would do.
            FileApplyResult failed = FileApplyResult.Create("f", patch, [], false);
            FileApplyResult result = ThreeWayFallback.Run(patch, ours, "f", "f", options, false, failed, out byte[]? merged);

            File.WriteAllBytes(Path.Combine(temp.Path, "ours"), ours);
            File.WriteAllBytes(Path.Combine(temp.Path, "base"), @base);
            File.WriteAllBytes(Path.Combine(temp.Path, "theirs"), theirs);
            var git = GnuTools.Run("git", temp.Path, "merge-file", "-p", "ours", "base", "theirs");
            Assert.True(git.ExitCode >= 0, git.Error);
            bool gitClean = git.ExitCode == 0;
            gitConflicts += gitClean ? 0 : 1;

            if (merged is null)
            {
                refused++;
                failures.Add($"case {n}: the fallback refused a patch made from its own base: {result.ThreeWayNote}");
                continue;
            }

            if (result.Conflicts == 0)
            {
                clean++;
                if (!gitClean)
                {
                    failures.Add($"case {n}: PatchKit clean, git merge-file reports {git.ExitCode} conflict(s)\n{Show(ours, @base, theirs, merged, git.Output)}");
                }
                else if (!merged.AsSpan().SequenceEqual(git.Output))
                {
                    failures.Add($"case {n}: both clean, results differ\n{Show(ours, @base, theirs, merged, git.Output)}");
                }
            }
            else
            {
                conflicted++;
                Assert.False(result.Succeeded);
                Assert.Contains("<<<<<<< ours\n", Encoding.UTF8.GetString(merged), StringComparison.Ordinal);
            }

            // Through the public API: a strict apply falls back only when the hunks do not apply, and then the same holds.
            byte[] output = PatchApplier.ApplyFile(patch, ours, out FileApplyResult viaApi, new ApplyOptions { Fuzz = 0, ThreeWay = options });
            if (!viaApi.MergedThreeWay)
            {
                directApplied++;
            }
            else if (viaApi.Succeeded && !(gitClean && output.AsSpan().SequenceEqual(git.Output)))
            {
                failures.Add($"case {n}: ApplyFile reported a clean merge that git merge-file does not give");
            }
        }

        output.WriteLine($"{Cases} cases: PatchKit clean {clean}, conflicted {conflicted}, refused {refused}; git merge-file conflicts {gitConflicts}; through ApplyFile applied directly {directApplied}");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // The generator must exercise both outcomes a lot, or the test proves little.
        Assert.True(clean > Cases / 5, $"clean {clean}");
        Assert.True(conflicted > Cases / 5, $"conflicted {conflicted}");
        Assert.Equal(0, refused);
        Assert.True(gitConflicts >= conflicted / 2, $"git conflicts {gitConflicts}");
        Assert.True(directApplied < Cases, $"direct {directApplied}");
    }

    [Theory]
    [InlineData(ConflictStyle.Merge, "1\n<<<<<<< ours\nO\n=======\nT\n>>>>>>> theirs\n3\n")]
    [InlineData(ConflictStyle.Diff3, "1\n<<<<<<< ours\nO\n||||||| base\n2\n=======\nT\n>>>>>>> theirs\n3\n")]
    public void Merge_BothSidesChangeOneLine_ConflictInTheStyleAsked(ConflictStyle style, string expected)
    {
        byte[] result = ThreeWayMerge.Merge("1\nO\n3\n"u8, "1\n2\n3\n"u8, "1\nT\n3\n"u8, style, out int conflicts);
        Assert.Equal(1, conflicts);
        Assert.Equal(expected, Encoding.UTF8.GetString(result));
    }

    [Fact]
    public void Merge_SidesChangeDifferentLines_CleanAndBothKept()
    {
        byte[] result = ThreeWayMerge.Merge("1\nO\n3\n4\n5\n"u8, "1\n2\n3\n4\n5\n"u8, "1\n2\n3\n4\nT\n"u8, ConflictStyle.Merge, out int conflicts);
        Assert.Equal(0, conflicts);
        Assert.Equal("1\nO\n3\n4\nT\n", Encoding.UTF8.GetString(result));
    }

    [Fact]
    public void Merge_AdjacentChanges_ConflictNotAGuessedOrder()
    {
        byte[] result = ThreeWayMerge.Merge("1\nO\n3\n"u8, "1\n2\n3\n"u8, "1\n2\nT\n"u8, ConflictStyle.Merge, out int conflicts);
        Assert.Equal(1, conflicts);
        Assert.Contains("<<<<<<<", Encoding.UTF8.GetString(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_ConflictSideWithoutFinalNewline_MarkerOnItsOwnLine()
    {
        byte[] result = ThreeWayMerge.Merge("1\nO"u8, "1\n2"u8, "1\nT"u8, ConflictStyle.Merge, out int conflicts);
        Assert.Equal(1, conflicts);
        Assert.Equal("1\n<<<<<<< ours\nO\n=======\nT\n>>>>>>> theirs\n", Encoding.UTF8.GetString(result));
    }

    private static byte[] RandomFile(Random random, int lines)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            sb.Append(s_alphabet[random.Next(s_alphabet.Length)]);
        }

        if (sb.Length > 0 && random.Next(10) == 0)
        {
            sb.Length--; // no final newline
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Edit(Random random, byte[] file)
    {
        var lines = new List<string>(SplitLines(Encoding.UTF8.GetString(file)));
        int edits = random.Next(0, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(lines.Count + 1);
            switch (random.Next(3))
            {
                case 0 when at < lines.Count:
                    lines.RemoveRange(at, Math.Min(random.Next(1, 4), lines.Count - at));
                    break;
                case 1 when at < lines.Count:
                    lines[at] = (lines[at].EndsWith('\n') ? "edit" + random.Next(100) + "\n" : "edit" + random.Next(100));
                    break;
                default:
                    int count = random.Next(1, 4);
                    for (int k = 0; k < count; k++)
                    {
                        lines.Insert(at, random.Next(3) == 0 ? s_alphabet[random.Next(s_alphabet.Length)] : "new" + random.Next(1000) + "\n");
                    }

                    break;
            }
        }

        // A last line without its newline may only stay last.
        for (int i = 0; i < lines.Count - 1; i++)
        {
            if (!lines[i].EndsWith('\n'))
            {
                lines[i] += "\n";
            }
        }

        return Encoding.UTF8.GetBytes(string.Concat(lines));
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int lf = text.IndexOf('\n', start);
            int end = lf < 0 ? text.Length : lf + 1;
            yield return text[start..end];
            start = end;
        }
    }

    private static string Show(byte[] ours, byte[] @base, byte[] theirs, byte[] merged, byte[] git) =>
        $"--ours--\n{Encoding.UTF8.GetString(ours)}\n--base--\n{Encoding.UTF8.GetString(@base)}\n--theirs--\n{Encoding.UTF8.GetString(theirs)}\n--patchkit--\n{Encoding.UTF8.GetString(merged)}\n--git--\n{Encoding.UTF8.GetString(git)}";
}
