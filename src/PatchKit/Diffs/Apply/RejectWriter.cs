using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PatchKit.Diffs.Apply;

/// <summary>Renders the hunks that did not apply as a unified diff (GNU patch's <c>.rej</c> file).</summary>
internal static class RejectWriter
{
    public static int Write(FileApplyResult result, IBufferWriter<byte> output)
    {
        FilePatch patch = result.Patch;
        int written = 0;
        foreach (HunkResult h in result.Hunks)
        {
            if (h.Status == HunkStatus.Applied)
            {
                continue;
            }

            if (written == 0)
            {
                WriteComments(result, output);
                WriteHeader(output, "--- "u8, patch.OldPathBytes.Span, result.Path);
                WriteHeader(output, "+++ "u8, patch.NewPathBytes.Span, result.Path);
            }

            Hunk hunk = patch.Hunks[h.Index];
            string range = string.Create(CultureInfo.InvariantCulture, $"@@ -{hunk.OldStart},{hunk.OldCount} +{hunk.NewStart},{hunk.NewCount} @@");
            WriteAscii(output, range);
            if (!hunk.SectionHeading.IsEmpty)
            {
                output.Write(" "u8);
                output.Write(hunk.SectionHeading.Span);
            }

            output.Write("\n"u8);
            ReadOnlySpan<byte> body = hunk.Body.Span;
            output.Write(body);
            if (body.Length > 0 && body[^1] != (byte)'\n')
            {
                output.Write("\n"u8);
            }

            written++;
        }

        return written;
    }

    /// <summary>Writes why each hunk failed as <c>#</c> lines before the file header: GNU patch and git apply skip
    /// text before a header, so the reject file stays a patch they read.</summary>
    private static void WriteComments(FileApplyResult result, IBufferWriter<byte> output)
    {
        foreach (HunkResult h in result.Hunks)
        {
            if (h.Status == HunkStatus.Applied)
            {
                continue;
            }

            Hunk hunk = result.Patch.Hunks[h.Index];
            string head = string.Create(CultureInfo.InvariantCulture, $"# hunk #{h.Index + 1} (@@ -{hunk.OldStart},{hunk.OldCount} +{hunk.NewStart},{hunk.NewCount} @@) FAILED at {h.Line}");
            if (h.Diagnosis is not { } d)
            {
                WriteAscii(output, head + (h.Reason is null ? "\n" : ": " + h.Reason + "\n"));
                continue;
            }

            ImmutableArray<string> lines = d.GetReportLines();
            WriteAscii(output, head + ": " + lines[0] + "\n");
            for (int i = 1; i < lines.Length; i++)
            {
                WriteAscii(output, "#   " + lines[i] + "\n");
            }
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> marker, ReadOnlySpan<byte> path, string? fallback)
    {
        output.Write(marker);
        if (!path.IsEmpty)
        {
            output.Write(path);
        }
        else if (fallback is not null)
        {
            output.Write(PathText.EncodeName(fallback)); // a name's exact bytes, even when not valid UTF-8
        }
        else
        {
            output.Write("/dev/null"u8);
        }

        output.Write("\n"u8);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> span = output.GetSpan(max);
        int n = Encoding.UTF8.GetBytes(text, span);
        output.Advance(n);
    }
}
