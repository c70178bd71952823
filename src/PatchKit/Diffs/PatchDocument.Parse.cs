using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace PatchKit.Diffs;

/// <summary>Parsing entry points.</summary>
public sealed partial class PatchDocument
{
    /// <summary>Parses a patch: unified (GNU <c>diff -u</c>/<c>-Naur</c>, quilt, hg, svn, bzr), git (extended headers, quoted names,
    /// binary patches), <c>git format-patch</c> mail and mbox, and context diffs; and, when the input holds none of those,
    /// a normal diff (read as <see cref="ParseNormal"/> does; <see cref="PatchParseOptions.ReadNormalDiffs"/>).</summary>
    /// <param name="patch">The bytes of the patch; the document keeps slices of them, so do not change them afterwards.</param>
    /// <param name="options">How to read; <see langword="null"/> for the defaults (strict).</param>
    /// <returns>The document. Input without any file patch (a cover letter, a mail without a diff, the wrong file) gives a
    /// document with no files, all of it in <see cref="Preamble"/>; check <c>Files.Count</c>, or set
    /// <see cref="PatchParseOptions.RequirePatch"/> to get a <see cref="PatchFormatException"/> instead.</returns>
    /// <exception cref="PatchFormatException">The patch is malformed; the message names the line and byte. Combined diffs
    /// (<c>diff --cc</c>) are always refused. With <see cref="PatchParseOptions.RequirePatch"/>, input without any file patch.
    /// An ed script (reason <c>EdScript</c>: it holds no old lines; read it with <see cref="ParseEd"/>).</exception>
    /// <remarks>A hunk ends when the counts of its header are satisfied, as in GNU patch and <c>git apply</c>.</remarks>
    public static PatchDocument Parse(ReadOnlyMemory<byte> patch, PatchParseOptions? options = null) =>
        PatchDocumentBuilder.Build(patch, options);

    /// <summary>Parses a normal diff (what <c>diff</c> writes without <c>-u</c> or <c>-c</c>) into one file patch whose
    /// hunks have no context lines, so it applies, reverses and writes as any other (<see cref="PatchDialect.Normal"/>).</summary>
    /// <param name="patch">The bytes of the normal diff.</param>
    /// <returns>A document with one file patch, without paths (a normal diff names no file: the caller gives it).</returns>
    /// <exception cref="PatchFormatException">A line is neither a command (<c>N[,N]a|c|dN[,N]</c>) nor one of the lines a
    /// command promises; the message names the line.</exception>
    public static PatchDocument ParseNormal(ReadOnlyMemory<byte> patch) => NormalDiffReader.Read(patch);

    /// <summary>Reads an ed script as <c>diff -e</c> writes it into one file patch whose hunks have no context lines, so it
    /// applies, reverses and writes as any other (<see cref="PatchDialect.Ed"/>). The script is data: only the <c>a</c>,
    /// <c>c</c>, <c>d</c>, <c>i</c> and <c>s/.//</c> commands are accepted, and nothing is ever run (GNU patch 2.7.6
    /// handed scripts to ed, which ran <c>!</c> commands: CVE-2018-1000156). The commands are carried out one after
    /// another on <paramref name="original"/>'s lines as ed does (each at its line number in the text as the commands
    /// before it left it; a command without a number at ed's current line), and the hunks are what changed; as ed
    /// writes, a last line without its newline gets one.</summary>
    /// <param name="script">The bytes of the ed script.</param>
    /// <param name="original">The file the script edits: an ed script holds no old lines, so the hunks' removed lines
    /// are taken from it.</param>
    /// <returns>A document with one file patch, without paths.</returns>
    /// <exception cref="PatchFormatException">Another command (reason <c>MalformedEdScript</c>), or a command ed would
    /// refuse (reason <c>EdCommandFailed</c>: a line number past the end of the text, 0 for <c>c</c> or <c>d</c>, a
    /// range that ends before it starts, <c>s/.//</c> on an empty line, blanks after a command, text not ended by a
    /// <c>.</c> line); the message names the line.</exception>
    public static PatchDocument ParseEd(ReadOnlyMemory<byte> script, ReadOnlySpan<byte> original) => EdScriptReader.Read(script, original);

    /// <summary>Gets a value indicating whether a patch starts as a normal diff does (its first non-blank line is a
    /// command such as <c>5c5</c> or <c>1,2d0</c>), for a caller choosing between <see cref="Parse"/> and
    /// <see cref="ParseNormal"/>.</summary>
    /// <param name="patch">The bytes of the patch.</param>
    /// <returns><see langword="true"/> when the first non-blank line is a normal diff command.</returns>
    public static bool LooksLikeNormalDiff(ReadOnlySpan<byte> patch) => NormalDiffReader.LooksNormal(patch);

    /// <summary>Parses a patch without throwing for malformed input.</summary>
    /// <param name="patch">The bytes of the patch.</param>
    /// <param name="options">How to read; <see langword="null"/> for the defaults (strict).</param>
    /// <param name="document">The document, or <see langword="null"/> when the patch is malformed.</param>
    /// <param name="diagnostic">What is wrong and where, when the patch is malformed.</param>
    /// <returns><see langword="true"/> when the patch was read.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> patch, PatchParseOptions? options, [NotNullWhen(true)] out PatchDocument? document, out PatchDiagnostic diagnostic)
    {
        try
        {
            document = PatchDocumentBuilder.Build(patch, options);
            diagnostic = default;
            return true;
        }
        catch (PatchFormatException ex)
        {
            document = null;
            diagnostic = new PatchDiagnostic(ex.Message, ex.Reason, ex.LineNumber, ex.BytePosition);
            return false;
        }
    }

    /// <summary>Reads a stream to its end and parses it.</summary>
    /// <param name="stream">The patch.</param>
    /// <param name="options">How to read; <see langword="null"/> for the defaults (strict).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document.</returns>
    /// <exception cref="PatchFormatException">The patch is malformed.</exception>
    /// <remarks>The document holds slices of one buffer, so the stream ends up in one array of exactly its length: a seekable
    /// stream is read straight into it; any other stream is read into pooled 1 MiB segments first and copied once (no
    /// doubling growth). To read a patch larger than memory, use <see cref="UnifiedDiffStreamReader.ReadAsync"/> (one pooled
    /// buffer) or <see cref="UnifiedDiffReader"/> block by block with <see cref="UnifiedDiffReaderState"/>.</remarks>
    public static async Task<PatchDocument> ParseAsync(Stream stream, PatchParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = await ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
        return PatchDocumentBuilder.Build(bytes, options);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining <= Array.MaxLength)
            {
                byte[] exact = new byte[remaining];
                await stream.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
                if (stream.Position == stream.Length)
                {
                    return exact;
                }
            }
        }

        const int SegmentSize = 1 << 20;
        var segments = new List<byte[]>();
        long total = 0;
        try
        {
            while (true)
            {
                byte[] segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
                segments.Add(segment);
                int filled = 0;
                while (filled < SegmentSize)
                {
                    int n = await stream.ReadAsync(segment.AsMemory(filled, SegmentSize - filled), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    filled += n;
                }

                total += filled;
                if (filled < SegmentSize)
                {
                    break;
                }
            }

            byte[] result = new byte[total];
            long at = 0;
            foreach (byte[] segment in segments)
            {
                int n = (int)Math.Min(SegmentSize, total - at);
                segment.AsSpan(0, n).CopyTo(result.AsSpan((int)at));
                at += n;
            }

            return result;
        }
        finally
        {
            foreach (byte[] segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }
        }
    }
}
