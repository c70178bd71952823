using System.Buffers;
using System.Text;
using CsCheck;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hardening;

/// <summary>parse(render(doc)) = doc (issue 10, STYLE T4) over CsCheck-generated documents: multi-file diffs made by
/// <see cref="UnifiedDiff.Create"/> in git and GNU format (odd names, modes, added and deleted files, CRLF, no final
/// newline), and documents edited in memory (files and hunks dropped, binary blocks built). A failure is shrunk and
/// printed with its seed.</summary>
public class RenderPropertyTests
{
    private const int Iterations = 400;

    private static readonly string[] s_names = ["f", "dir/sub file.txt", "t\tab", "quo\"te", "back\\slash", "caf\u00e9.c", "nl\nname", "-dash", "a b/c d"];

    /// <summary>One file of a generated multi-file diff.</summary>
    public sealed record FileSpec(int Name, byte[] Old, LineEdit[] Edits, int Context, bool Histogram, bool FullIndex, bool ShowFunction, int Kind, int Stamp, bool OldExec, bool NewExec)
    {
        public override string ToString() =>
            $"{{{s_names[Name]} kind {Kind} -U{Context}{(Histogram ? " histogram" : string.Empty)}{(FullIndex ? " full-index" : string.Empty)}{(ShowFunction ? " -p" : string.Empty)} old={Gens.Show(Old)} edits=[{string.Join(", ", Edits.AsEnumerable())}]}}";
    }

    /// <summary>A git binary file patch to build in memory.</summary>
    public sealed record BinarySpec(byte[] Forward, byte[]? Reverse, bool Literal, int Name);

    /// <summary>What to do to a parsed file: drop it, or keep the hunks whose bit is set in <see cref="Mask"/>.</summary>
    public sealed record FileEdit(bool Drop, bool Filter, uint Mask);

    private static readonly Gen<FileSpec> s_file = Gen.Select(
        Gen.Int[0, s_names.Length - 1], Gens.Text("abcde \t", maxLines: 30, maxLineLength: 4), Gens.Edits("xyz"), Gen.Int[0, 3], Gen.Bool, Gen.Bool,
        Gen.Int[0, 2].Select(i => i == 0), Gen.Int[0, 5], Gen.Int[0, 999_999], Gen.Int[0, 3].Select(i => i == 0), Gen.Int[0, 3].Select(i => i == 0),
        (name, old, edits, context, histogram, fullIndex, showFunction, kind, stamp, oldExec, newExec) =>
            new FileSpec(name, old, edits, context, histogram, fullIndex, showFunction, kind, stamp, oldExec, newExec));

    private static readonly Gen<FileSpec[]> s_files = s_file.Array[1, 4];

    private static readonly Gen<BinarySpec?> s_binary = Gen.Select(
            Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 60], Gen.Bool, Gen.Bool, Gen.Int[0, 99],
            (forward, reverse, hasReverse, literal, name) => new BinarySpec(forward, hasReverse ? reverse : null, literal, name))
        .Null(0.67);

    private static readonly Gen<FileEdit> s_fileEdit = Gen.Select(Gen.Int[0, 3].Select(i => i == 0), Gen.Bool, Gen.UInt, (drop, filter, mask) => new FileEdit(drop, filter, mask));

    private static byte[] Render(PatchDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        document.WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertRoundTrip(string what, PatchDocument doc, bool expectExact, byte[]? input)
    {
        byte[] rendered = Render(doc);
        PatchDocument again;
        try
        {
            again = PatchDocument.Parse(rendered);
        }
        catch (PatchFormatException e)
        {
            Assert.Fail($"{what}: the rendering does not parse: {e.Message}\n{Encoding.UTF8.GetString(rendered)}");
            return;
        }

        string expected = PatchShape.Describe(doc);
        string actual = PatchShape.Describe(again);
        Assert.True(expected == actual, $"{what}: parse(render(doc)) != doc\n--- rendered\n{Encoding.UTF8.GetString(rendered)}\n--- expected shape\n{expected}\n--- actual shape\n{actual}");
        if (expectExact && input is not null)
        {
            Assert.True(rendered.AsSpan().SequenceEqual(input), $"{what}: rendering is not byte for byte\n--- input\n{Encoding.UTF8.GetString(input)}\n--- rendered\n{Encoding.UTF8.GetString(rendered)}");
        }
    }

    [Theory]
    [InlineData(DiffFormat.Git)]
    [InlineData(DiffFormat.Gnu)]
    public void RenderParse_RandomMultiFileDiffs_ByteForByteAndSameStructure(DiffFormat format)
    {
        s_files.Sample(
            files =>
            {
                byte[] patch = MultiFilePatch(files, format);
                AssertRoundTrip(format.ToString(), PatchDocument.Parse(patch), expectExact: true, patch);
            },
            iter: Iterations,
            print: Print);
    }

    [Fact]
    public void RenderParse_RandomlyEditedDocuments_SameStructure()
    {
        Gen.Select(s_files, Gen.Bool, s_fileEdit.Array[4], s_binary, Gen.Int[0, 2].Select(i => i == 0)).Sample(
            (specs, git, fileEdits, binary, preamble) =>
            {
                DiffFormat format = git ? DiffFormat.Git : DiffFormat.Gnu;
                PatchDocument doc = PatchDocument.Parse(MultiFilePatch(specs, format));
                var files = new List<FilePatch>();
                for (int i = 0; i < doc.Files.Count; i++)
                {
                    FilePatch f = doc.Files[i];
                    FileEdit edit = fileEdits[i % fileEdits.Length];
                    if (edit.Drop)
                    {
                        continue;
                    }

                    if (f.Hunks.Count > 1 && edit.Filter)
                    {
                        // Keep a subset of the hunks (a user filtering a patch).
                        var kept = f.Hunks.Where((_, h) => (edit.Mask & (1u << (h % 32))) != 0).ToArray();
                        if (kept.Length > 0)
                        {
                            files.Add(Rebuild(f, kept, f.BinaryPatch, f.IsBinary));
                            continue;
                        }
                    }

                    files.Add(f);
                }

                if (git && binary is not null)
                {
                    files.Add(BinaryFile(binary));
                }

                var edited = new PatchDocument(doc.Source, files) { Preamble = preamble ? "Some text\nbefore the patch\n\n"u8.ToArray() : default };
                AssertRoundTrip($"edited {format}", edited, expectExact: false, null);
            },
            iter: Iterations,
            print: t => $"{Print(t.Item1)} git={t.Item2} edits=[{string.Join(", ", t.Item3.AsEnumerable())}] binary={t.Item4} preamble={t.Item5}");
    }

    private static string Print(FileSpec[] files) => "[" + string.Join(", ", files.AsEnumerable()) + "]";

    /// <summary>A file patch made with the public constructor only (no parsed header text): headers come from the paths.</summary>
    private static FilePatch Rebuild(FilePatch f, IReadOnlyList<Hunk> hunks, GitBinaryPatch? binary, bool isBinary) =>
        new(f.OldPathBytes, f.NewPathBytes, f.Operation, hunks)
        {
            Dialect = f.Dialect,
            OldMode = f.OldMode,
            NewMode = f.NewMode,
            Similarity = f.Similarity,
            Dissimilarity = f.Dissimilarity,
            OldObjectId = f.OldObjectId,
            NewObjectId = f.NewObjectId,
            IsBinary = isBinary,
            BinaryPatch = binary,
            AddedLines = hunks.Sum(h => Count(h, HunkLineKind.Added)),
            RemovedLines = hunks.Sum(h => Count(h, HunkLineKind.Removed)),
        };

    private static int Count(Hunk h, HunkLineKind kind)
    {
        int n = 0;
        foreach (HunkLine line in h.GetLines())
        {
            n += line.Kind == kind ? 1 : 0;
        }

        return n;
    }

    /// <summary>A git binary file patch built in memory (so the writer deflates and base85-encodes it): literal or delta-shaped data.</summary>
    private static FilePatch BinaryFile(BinarySpec spec)
    {
        GitBinaryBlockKind kind = spec.Literal ? GitBinaryBlockKind.Literal : GitBinaryBlockKind.Delta;
        byte[] path = Encoding.UTF8.GetBytes("bin" + spec.Name + ".dat");
        return new FilePatch((byte[])[.. "a/"u8, .. path], (byte[])[.. "b/"u8, .. path], FileOperation.Modify, [])
        {
            Dialect = PatchDialect.Git,
            OldMode = 0x81A4,
            NewMode = 0x81A4,
            OldObjectId = "1234567",
            NewObjectId = "89abcde",
            IsBinary = true,
            BinaryPatch = new GitBinaryPatch(new GitBinaryBlock(kind, spec.Forward), spec.Reverse is null ? null : new GitBinaryBlock(kind, spec.Reverse)),
        };
    }

    private static byte[] MultiFilePatch(FileSpec[] specs, DiffFormat format)
    {
        var all = new List<byte>();
        for (int i = 0; i < specs.Length; i++)
        {
            FileSpec spec = specs[i];
            string name = s_names[spec.Name] + i;
            byte[] a = spec.Old;
            byte[] b = Gens.Apply(a, spec.Edits);
            bool git = format == DiffFormat.Git;
            var options = new DiffOptions
            {
                Format = format,
                Context = spec.Context,
                Algorithm = spec.Histogram ? DiffAlgorithm.Histogram : DiffAlgorithm.Myers,
                Text = true,
                FullIndex = spec.FullIndex,
                ShowFunction = spec.ShowFunction,
            };
            DateTimeOffset stamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(spec.Stamp);
            var oldFile = new DiffFile(git ? name : "a/" + name, a) { Mode = spec.OldExec ? 0x81ED : 0x81A4, LastWriteTime = stamp };
            var newFile = new DiffFile(git ? name : "b/" + name, b) { Mode = spec.NewExec ? 0x81ED : 0x81A4, LastWriteTime = stamp.AddSeconds(1) };
            if (spec.Kind == 0)
            {
                oldFile = DiffFile.Absent(oldFile.Path);
            }
            else if (spec.Kind == 1)
            {
                newFile = DiffFile.Absent(newFile.Path);
            }

            if (!git && spec.Kind <= 1)
            {
                // GNU: an absent side is an empty file with the epoch (diff -N).
                oldFile = spec.Kind == 0 ? new DiffFile(oldFile.Path, ReadOnlyMemory<byte>.Empty) { LastWriteTime = DateTimeOffset.UnixEpoch } : oldFile;
                newFile = spec.Kind == 1 ? new DiffFile(newFile.Path, ReadOnlyMemory<byte>.Empty) { LastWriteTime = DateTimeOffset.UnixEpoch } : newFile;
            }

            var buffer = new ArrayBufferWriter<byte>();
            UnifiedDiff.Write(oldFile, newFile, buffer, options);
            all.AddRange(buffer.WrittenSpan.ToArray());
        }

        return [.. all];
    }
}
