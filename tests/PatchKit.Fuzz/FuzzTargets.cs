using PatchKit.Diffs;

namespace PatchKit.Fuzz;

/// <summary>The fuzz targets. Each takes one input; a documented PatchKit exception is an expected outcome,
/// anything else escaping (or a hang, or a write outside the root) is a finding.</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["parse"] = Parse,
        ["apply"] = Apply,
        ["tree"] = Tree,
        ["roundtrip"] = RoundTrip,
    };

    private static readonly DiffAlgorithm[] s_algorithms = [DiffAlgorithm.Myers, DiffAlgorithm.Histogram, DiffAlgorithm.Patience];

    /// <summary>Input: patch NUL NUL file. Applies every file patch of the patch to the file with options taken from the input.</summary>
    public static void Apply(byte[] input)
    {
        var (patch, file) = Split(input);
        PatchDocument document;
        try
        {
            document = PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true });
        }
        catch (PatchFormatException)
        {
            return;
        }

        byte flags = input.Length > 0 ? input[^1] : (byte)0;
        var options = new ApplyOptions
        {
            Fuzz = flags & 3,
            Reverse = (flags & 4) != 0,
            IgnoreWhitespace = (flags & 8) != 0,
            MatchLineEndings = (flags & 16) != 0,
            SkipAlreadyApplied = (flags & 32) != 0,
        };
        foreach (var filePatch in document.Files)
        {
            try
            {
                byte[] output = PatchApplier.ApplyFile(filePatch, file, out var result, options);
                if (result.Succeeded && result.Hunks.Length != filePatch.Hunks.Count && filePatch.BinaryPatch is null && !result.Skipped)
                {
                    throw new InvalidOperationException($"{result.Hunks.Length} hunk results for {filePatch.Hunks.Count} hunks");
                }

                GC.KeepAlive(output);
            }
            catch (PatchApplyException)
            {
            }
        }
    }

    /// <summary>Input: patch NUL NUL recipe. Plants in an in-memory tree what the recipe asks for (journals, temporary
    /// names, links, device files: see <see cref="FuzzTree.Create(ReadOnlySpan{byte})"/>), then recovers and applies the
    /// patch to it; nothing outside the root (or in its .git) may change.</summary>
    public static void Tree(byte[] input)
    {
        var (patch, recipe) = Split(input);
        PatchDocument? document;
        try
        {
            document = PatchDocument.Parse(patch, new PatchParseOptions { Lenient = true });
        }
        catch (PatchFormatException)
        {
            document = null;
        }

        var fs = FuzzTree.Create(recipe);
        var before = FuzzTree.SnapshotOutside(fs);
        byte flags = input.Length > 0 ? input[^1] : (byte)0;
        var options = new ApplyOptions { StripComponents = flags & 3, Partial = (flags & 4) != 0, Fuzz = (flags >> 3) & 3, BackupOriginals = (flags & 0x20) != 0 };
        if ((flags & 0x40) != 0 || document is null)
        {
            Expected(() => PatchApplier.Recover(fs, FuzzTree.Root, options));
        }

        if (document is not null)
        {
            Expected(() => PatchApplier.ApplyTree(document, fs, FuzzTree.Root, options));
        }

        var after = FuzzTree.SnapshotOutside(fs);
        if (!FuzzTree.SameSnapshot(before, after))
        {
            throw new InvalidOperationException("a write left the root: " + FuzzTree.Describe(before, after));
        }
    }

    /// <summary>Runs a tree operation; the documented exceptions are expected outcomes, anything else escapes.</summary>
    private static void Expected(Action action)
    {
        try
        {
            action();
        }
        catch (PathSafetyException)
        {
        }
        catch (PatchApplyException)
        {
        }
        catch (PatchFormatException)
        {
            // A hunk cut short (a lenient read keeps it) is refused by the tree applier.
        }
    }

    /// <summary>Input: old NUL NUL new. For every algorithm, create(old, new) must parse, apply to old giving new, and reverse-apply to new giving old.</summary>
    public static void RoundTrip(byte[] input)
    {
        var (oldContent, newContent) = Split(input);
        foreach (var algorithm in s_algorithms)
        {
            byte[] patch = UnifiedDiff.Create(oldContent, newContent, "a/x", "b/x", new DiffOptions { Algorithm = algorithm, Text = true });
            if (oldContent.AsSpan().SequenceEqual(newContent))
            {
                if (patch.Length != 0)
                {
                    throw new InvalidOperationException("identical inputs gave a non-empty diff");
                }

                continue;
            }

            var document = PatchDocument.Parse(patch);
            if (document.Files.Count != 1)
            {
                throw new InvalidOperationException($"{algorithm}: diff holds {document.Files.Count} file patches");
            }

            byte[] forward = PatchApplier.ApplyFile(document.Files[0], oldContent, out var result, new ApplyOptions { Fuzz = 0 });
            if (!result.Succeeded || !forward.AsSpan().SequenceEqual(newContent))
            {
                throw new InvalidOperationException($"{algorithm}: applying create(old, new) to old did not give new ({result.Error})");
            }

            byte[] backward = PatchApplier.ApplyFile(document.Files[0], newContent, out result, new ApplyOptions { Fuzz = 0, Reverse = true });
            if (!result.Succeeded || !backward.AsSpan().SequenceEqual(oldContent))
            {
                throw new InvalidOperationException($"{algorithm}: reverse apply to new did not give old ({result.Error})");
            }
        }
    }

    private static (byte[] First, byte[] Second) Split(byte[] input)
    {
        int at = input.AsSpan().IndexOf("\0\0"u8);
        return at < 0 ? (input, []) : (input[..at], input[(at + 2)..]);
    }

    /// <summary>Strict and lenient parse of arbitrary bytes; also walks every hunk's lines.</summary>
    public static void Parse(byte[] input)
    {
        foreach (bool lenient in new[] { false, true })
        {
            try
            {
                var document = PatchDocument.Parse(input, new PatchParseOptions { Lenient = lenient });
                Walk(document);
            }
            catch (PatchFormatException)
            {
            }
        }

        if (PatchDocument.TryParse(input, null, out var doc, out _))
        {
            Walk(doc);
        }
    }

    private static void Walk(PatchDocument document)
    {
        foreach (var file in document.Files)
        {
            foreach (var hunk in file.Hunks)
            {
                int oldLines = 0, newLines = 0;
                foreach (var line in hunk.GetLines())
                {
                    if (line.Kind != HunkLineKind.Added)
                    {
                        oldLines++;
                    }

                    if (line.Kind != HunkLineKind.Removed)
                    {
                        newLines++;
                    }
                }

                if (oldLines != hunk.OldCount || newLines != hunk.NewCount)
                {
                    throw new InvalidOperationException($"hunk at line {hunk.LineNumber}: header says -{hunk.OldCount} +{hunk.NewCount}, body has -{oldLines} +{newLines}");
                }
            }
        }
    }
}
