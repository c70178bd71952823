using System.Security.Cryptography;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Infrastructure;

/// <summary>A structural description of a parsed patch, one line per fact, so two documents compare as strings and a
/// failure shows the first difference: paths, operation, modes, similarity, blob ids, binary data (kind, size, SHA-256
/// of the inflated bytes), hunk ranges and headings, and every line's kind and content. Line numbers, offsets and the
/// dialect difference between a context diff and its unified rendering are left out.</summary>
public static class PatchShape
{
    public static string Describe(PatchDocument document)
    {
        var sb = new StringBuilder();
        sb.Append("files ").Append(document.Files.Count).Append('\n');
        foreach (FilePatch f in document.Files)
        {
            Describe(sb, f);
        }

        return sb.ToString();
    }

    public static void Describe(StringBuilder sb, FilePatch f)
    {
        PatchDialect dialect = f.Dialect == PatchDialect.Context ? PatchDialect.Unified : f.Dialect;
        sb.Append("file ").Append(dialect).Append(' ').Append(f.Operation)
          .Append(" old=").Append(Escape(f.OldPathBytes.Span)).Append(" new=").Append(Escape(f.NewPathBytes.Span))
          .Append(" modes=").Append(Octal(f.OldMode)).Append('/').Append(Octal(f.NewMode))
          .Append(" sim=").Append(f.Similarity).Append(" dissim=").Append(f.Dissimilarity)
          .Append(" ids=").Append(f.OldObjectId).Append("..").Append(f.NewObjectId)
          .Append(" binary=").Append(f.IsBinary)
          .Append(" +").Append(f.AddedLines).Append(" -").Append(f.RemovedLines).Append('\n');
        if (f.BinaryPatch is { } b)
        {
            Block(sb, "forward", b.Forward);
            if (b.Reverse is { } r)
            {
                Block(sb, "reverse", r);
            }
        }

        foreach (Hunk h in f.Hunks)
        {
            sb.Append("@@ ").Append(h.OldStart).Append(',').Append(h.OldCount).Append(' ').Append(h.NewStart).Append(',').Append(h.NewCount)
              .Append(" [").Append(Escape(h.SectionHeading.Span)).Append("]\n");
            foreach (HunkLine line in h.GetLines())
            {
                sb.Append(line.Kind switch { HunkLineKind.Added => '+', HunkLineKind.Removed => '-', _ => ' ' })
                  .Append(Escape(line.Content.Span)).Append('\n');
            }
        }
    }

    private static void Block(StringBuilder sb, string name, GitBinaryBlock block) =>
        sb.Append(name).Append(' ').Append(block.Kind).Append(' ').Append(block.Data.Length).Append(' ')
          .Append(Convert.ToHexString(SHA256.HashData(block.Data.Span))).Append('\n');

    private static string Octal(int? mode) => mode is { } m ? Convert.ToString(m, 8) : "-";

    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte c in bytes)
        {
            if (c is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                sb.Append((char)c);
            }
            else
            {
                sb.Append("\\x").Append(c.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
