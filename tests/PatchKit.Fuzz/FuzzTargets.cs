using PatchKit.Diffs;

namespace PatchKit.Fuzz;

/// <summary>The fuzz targets. Each takes one input; a documented PatchKit exception is an expected outcome,
/// anything else escaping (or a hang, or a write outside the root) is a finding.</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["parse"] = Parse,
    };

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
