using System.Buffers;
using System.IO.Compression;

namespace PatchKit.Diffs;

/// <summary>Renders a <see cref="PatchDocument"/> (parsed, filtered or built) back to a unified diff, as git and GNU
/// diff write one. Hunk bodies and parsed binary data are copied as slices: nothing is allocated per line.</summary>
/// <remarks>
/// <para>What is written, in order: the document's <see cref="PatchDocument.Preamble"/> as is; then per file patch:</para>
/// <list type="bullet">
/// <item>git dialect: <c>diff --git a/X b/Y</c>; <c>new file mode</c> / <c>deleted file mode</c> / <c>old mode</c> +
/// <c>new mode</c>; <c>similarity index</c> + <c>rename|copy from|to</c>; <c>dissimilarity index</c>; <c>index
/// OLD..NEW[ MODE]</c> (the mode when both sides have the same one, as git); then <c>GIT binary patch</c> blocks, or
/// <c>Binary files … differ</c>, or <c>---</c>/<c>+++</c> and the hunks. Names are C-quoted where git quotes them.</item>
/// <item>unified and context dialects: <c>---</c>/<c>+++</c> (a context diff's <c>***</c>/<c>---</c> header texts
/// become <c>---</c>/<c>+++</c>) or GNU's <c>Binary files … differ</c>, then the hunks in unified form.</item>
/// </list>
/// <para>Not written: text between file patches (garbage, <c>Index:</c>/<c>diff -Naur</c> lines, the mail headers of
/// the second and later mails of an mbox; <see cref="FilePatch.Subject"/> is not rendered), and the trailing
/// <c>-- </c> signature of <c>git format-patch</c> after the last file.</para>
/// </remarks>
internal static class PatchWriter
{
    private const int BinaryLineBytes = 52;

    private static readonly byte[] s_emptyZlib = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private static readonly byte[] s_base85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"u8.ToArray();

    public static void Write(IBufferWriter<byte> output, PatchDocument document)
    {
        output.Put(document.Preamble.Span);
        IReadOnlyList<FilePatch> files = document.Files;
        for (int i = 0; i < files.Count; i++)
        {
            Write(output, files[i]);
        }
    }

    public static void Write(IBufferWriter<byte> output, FilePatch file)
    {
        if (file.Dialect == PatchDialect.Git)
        {
            WriteGit(output, file);
        }
        else
        {
            WriteUnified(output, file);
        }
    }

    private static void WriteGit(IBufferWriter<byte> output, FilePatch file)
    {
        ReadOnlySpan<byte> oldName = GitName(file, old: true);
        ReadOnlySpan<byte> newName = GitName(file, old: false);
        output.Put("diff --git "u8);
        PathQuoting.Write(output, oldName, git: true);
        output.Put((byte)' ');
        PathQuoting.Write(output, newName, git: true);
        output.Put((byte)'\n');

        bool add = file.Operation == FileOperation.Add;
        bool delete = file.Operation == FileOperation.Delete;
        if (add)
        {
            if (file.NewMode is { } mode)
            {
                PutModeLine(output, "new file mode "u8, mode);
            }
        }
        else if (delete)
        {
            if (file.OldMode is { } mode)
            {
                PutModeLine(output, "deleted file mode "u8, mode);
            }
        }
        else if (file.OldMode is { } oldMode && file.NewMode is { } newMode && oldMode != newMode)
        {
            PutModeLine(output, "old mode "u8, oldMode);
            PutModeLine(output, "new mode "u8, newMode);
        }

        bool rename = file.Operation == FileOperation.Rename;
        if (rename || file.Operation == FileOperation.Copy)
        {
            if (file.Similarity is { } similarity)
            {
                output.Put("similarity index "u8);
                output.PutNumber(similarity);
                output.Put("%\n"u8);
            }

            output.Put(rename ? "rename from "u8 : "copy from "u8);
            PathQuoting.Write(output, file.RenameFrom.IsEmpty ? StripPrefix(oldName) : file.RenameFrom.Span, git: true);
            output.Put(rename ? "\nrename to "u8 : "\ncopy to "u8);
            PathQuoting.Write(output, file.RenameTo.IsEmpty ? StripPrefix(newName) : file.RenameTo.Span, git: true);
            output.Put((byte)'\n');
        }

        if (file.Dissimilarity is { } dissimilarity)
        {
            output.Put("dissimilarity index "u8);
            output.PutNumber(dissimilarity);
            output.Put("%\n"u8);
        }

        if (file.OldObjectId is { } oldId && file.NewObjectId is { } newId)
        {
            output.Put("index "u8);
            PutAscii(output, oldId);
            output.Put(".."u8);
            PutAscii(output, newId);
            if (!add && !delete && file.OldMode is { } m && file.NewMode == m)
            {
                output.Put((byte)' ');
                output.PutOctal(m);
            }

            output.Put((byte)'\n');
        }

        if (file.BinaryPatch is { } binary)
        {
            output.Put("GIT binary patch\n"u8);
            WriteBlock(output, binary.Forward);
            if (binary.Reverse is { } reverse)
            {
                WriteBlock(output, reverse);
            }

            return;
        }

        if (file.IsBinary)
        {
            output.Put("Binary files "u8);
            PutGitSide(output, file.Operation == FileOperation.Add ? default : oldName);
            output.Put(" and "u8);
            PutGitSide(output, file.Operation == FileOperation.Delete ? default : newName);
            output.Put(" differ\n"u8);
            return;
        }

        if (file.Hunks.Count == 0 && file.OldHeader.IsEmpty)
        {
            return;
        }

        output.Put("--- "u8);
        if (!file.OldHeader.IsEmpty)
        {
            output.Put(file.OldHeader.Span);
        }
        else
        {
            PutGitSide(output, add ? default : oldName, terminate: true);
        }

        output.Put("\n+++ "u8);
        if (!file.NewHeader.IsEmpty)
        {
            output.Put(file.NewHeader.Span);
        }
        else
        {
            PutGitSide(output, delete ? default : newName, terminate: true);
        }

        output.Put((byte)'\n');
        WriteHunks(output, file);
    }

    private static void WriteUnified(IBufferWriter<byte> output, FilePatch file)
    {
        if (file.IsBinary)
        {
            output.Put("Binary files "u8);
            PutUnifiedSide(output, file.OldHeader, file.OldPathBytes, file.OldTimestamp, header: false);
            output.Put(" and "u8);
            PutUnifiedSide(output, file.NewHeader, file.NewPathBytes, file.NewTimestamp, header: false);
            output.Put(" differ\n"u8);
            return;
        }

        output.Put("--- "u8);
        PutUnifiedSide(output, file.OldHeader, file.OldPathBytes, file.OldTimestamp, header: true);
        output.Put("\n+++ "u8);
        PutUnifiedSide(output, file.NewHeader, file.NewPathBytes, file.NewTimestamp, header: true);
        output.Put((byte)'\n');
        WriteHunks(output, file);
    }

    private static void WriteHunks(IBufferWriter<byte> output, FilePatch file)
    {
        IReadOnlyList<Hunk> hunks = file.Hunks;
        for (int i = 0; i < hunks.Count; i++)
        {
            Hunk hunk = hunks[i];
            output.Put("@@ -"u8);
            PutRange(output, hunk.OldStart, hunk.OldCount);
            output.Put(" +"u8);
            PutRange(output, hunk.NewStart, hunk.NewCount);
            output.Put(" @@"u8);
            if (!hunk.SectionHeading.IsEmpty)
            {
                output.Put((byte)' ');
                output.Put(hunk.SectionHeading.Span);
            }

            output.Put((byte)'\n');
            ReadOnlySpan<byte> body = hunk.Body.Span;
            output.Put(body);
            if (!body.IsEmpty && body[^1] != (byte)'\n')
            {
                // A body cut off at the end of its patch: the last line has no LF, which is what the marker says.
                output.Put("\n\\ No newline at end of file\n"u8);
            }
        }
    }

    /// <summary>Writes git's and GNU's range: <c>start</c> alone for one line, <c>start,count</c> otherwise.</summary>
    private static void PutRange(IBufferWriter<byte> output, int start, int count)
    {
        output.PutNumber(start);
        if (count != 1)
        {
            output.Put((byte)',');
            output.PutNumber(count);
        }
    }

    /// <summary>Writes one block as git's <c>emit_binary_diff_body</c>: <c>literal|delta SIZE</c>, base85 lines of up
    /// to 52 bytes each led by a length letter (<c>A</c>–<c>Z</c> = 1–26, <c>a</c>–<c>z</c> = 27–52), an empty line.</summary>
    private static void WriteBlock(IBufferWriter<byte> output, GitBinaryBlock block)
    {
        output.Put(block.Kind == GitBinaryBlockKind.Literal ? "literal "u8 : "delta "u8);
        output.PutNumber(block.Data.Length);
        output.Put((byte)'\n');
        if (!block.Encoded.IsEmpty)
        {
            output.Put(block.Encoded.Span);
        }
        else
        {
            var compressed = new ArrayBufferWriter<byte>(Math.Max(64, block.Data.Length / 2));
            using (var zlib = new ZLibStream(new BufferWriterStream(compressed), CompressionLevel.Optimal))
            {
                zlib.Write(block.Data.Span);
            }

            // ZLibStream writes nothing for empty input; git wants a zlib stream there too (its "HcmV?d00001").
            ReadOnlySpan<byte> rest = compressed.WrittenCount > 0 ? compressed.WrittenSpan : s_emptyZlib;
            while (!rest.IsEmpty)
            {
                int n = Math.Min(rest.Length, BinaryLineBytes);
                PutBase85Line(output, rest[..n]);
                rest = rest[n..];
            }
        }

        output.Put((byte)'\n');
    }

    private static void PutBase85Line(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        int groups = (bytes.Length + 3) / 4;
        Span<byte> line = output.GetSpan(2 + (groups * 5));
        line[0] = (byte)(bytes.Length <= 26 ? 'A' + bytes.Length - 1 : 'a' + bytes.Length - 27);
        int o = 1;
        for (int g = 0; g < bytes.Length; g += 4)
        {
            uint acc = 0;
            for (int j = 0; j < 4; j++)
            {
                acc = (acc << 8) | (g + j < bytes.Length ? bytes[g + j] : 0u);
            }

            for (int j = 4; j >= 0; j--)
            {
                line[o + j] = s_base85[(int)(acc % 85)];
                acc /= 85;
            }

            o += 5;
        }

        line[o++] = (byte)'\n';
        output.Advance(o);
    }

    /// <summary>The name of one side in the <c>diff --git</c> line (prefix included): the parsed one, else the path,
    /// else the other side's path under this side's prefix (git names both sides of an added or deleted file).</summary>
    private static ReadOnlySpan<byte> GitName(FilePatch file, bool old)
    {
        ReadOnlyMemory<byte> parsed = old ? file.GitOldName : file.GitNewName;
        if (!parsed.IsEmpty)
        {
            return parsed.Span;
        }

        ReadOnlyMemory<byte> path = old ? file.OldPathBytes : file.NewPathBytes;
        if (!path.IsEmpty)
        {
            return path.Span;
        }

        // An added or deleted file built in memory: the other side's path, its a/ or b/ prefix swapped for this side's.
        ReadOnlySpan<byte> other = old ? file.NewPathBytes.Span : file.OldPathBytes.Span;
        if (other.Length > 2 && other[1] == (byte)'/' && other[0] is (byte)'a' or (byte)'b')
        {
            byte[] name = other.ToArray();
            name[0] = old ? (byte)'a' : (byte)'b';
            return name;
        }

        return other;
    }

    private static ReadOnlySpan<byte> StripPrefix(ReadOnlySpan<byte> name)
    {
        int slash = name.IndexOf((byte)'/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }

    /// <summary>Writes a git <c>---</c>/<c>+++</c>/<c>Binary files</c> name, or <c>/dev/null</c> for an absent side; a
    /// name with a space that needs no quoting is ended with a tab, as git does.</summary>
    private static void PutGitSide(IBufferWriter<byte> output, ReadOnlySpan<byte> name, bool terminate = false)
    {
        if (name.IsEmpty)
        {
            output.Put("/dev/null"u8);
            return;
        }

        PathQuoting.Write(output, name, git: true);
        if (terminate && name.Contains((byte)' ') && !PathQuoting.NeedsQuoting(name, git: true))
        {
            output.Put((byte)'\t');
        }
    }

    /// <summary>Writes the parsed header text when there is one, else the path (GNU-quoted, <c>/dev/null</c> when
    /// absent) and, in a <c>---</c>/<c>+++</c> header, a tab and the timestamp.</summary>
    private static void PutUnifiedSide(IBufferWriter<byte> output, ReadOnlyMemory<byte> headerText, ReadOnlyMemory<byte> path, ReadOnlyMemory<byte> timestamp, bool header)
    {
        if (!headerText.IsEmpty)
        {
            output.Put(headerText.Span);
            return;
        }

        if (path.IsEmpty)
        {
            output.Put("/dev/null"u8);
        }
        else
        {
            PathQuoting.Write(output, path.Span, git: false);
        }

        if (header && !timestamp.IsEmpty)
        {
            output.Put((byte)'\t');
            output.Put(timestamp.Span);
        }
    }

    private static void PutModeLine(IBufferWriter<byte> output, ReadOnlySpan<byte> label, int mode)
    {
        output.Put(label);
        output.PutOctal(mode);
        output.Put((byte)'\n');
    }

    private static void PutAscii(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }

    /// <summary>A write-only stream over an <see cref="IBufferWriter{T}"/>, for <see cref="ZLibStream"/>.</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => output.Put(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Put(buffer);
    }
}
