using System.Buffers;
using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hardening;

/// <summary>parse(render(doc)) = doc (issue 10, STYLE T4) over seeded random documents: multi-file diffs made by
/// <see cref="UnifiedDiff.Create"/> in git and GNU format (odd names, modes, added and deleted files, CRLF, no final
/// newline), and documents edited in memory (files and hunks dropped, binary blocks built). Every failure names its seed.</summary>
public class RenderPropertyTests
{
    private const int Cases = 300;

    private static readonly string[] s_names = ["f", "dir/sub file.txt", "t\tab", "quo\"te", "back\\slash", "caf\u00e9.c", "nl\nname", "-dash", "a b/c d"];

    private static byte[] Render(PatchDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        document.WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertRoundTrip(int seed, string what, PatchDocument doc, bool expectExact, byte[]? input)
    {
        byte[] rendered = Render(doc);
        PatchDocument again;
        try
        {
            again = PatchDocument.Parse(rendered);
        }
        catch (PatchFormatException e)
        {
            Assert.Fail($"seed {seed} {what}: the rendering does not parse: {e.Message}\n{Encoding.UTF8.GetString(rendered)}");
            return;
        }

        string expected = PatchShape.Describe(doc);
        string actual = PatchShape.Describe(again);
        Assert.True(expected == actual, $"seed {seed} {what}: parse(render(doc)) != doc\n--- rendered\n{Encoding.UTF8.GetString(rendered)}\n--- expected shape\n{expected}\n--- actual shape\n{actual}");
        if (expectExact && input is not null)
        {
            Assert.True(rendered.AsSpan().SequenceEqual(input), $"seed {seed} {what}: rendering is not byte for byte\n--- input\n{Encoding.UTF8.GetString(input)}\n--- rendered\n{Encoding.UTF8.GetString(rendered)}");
        }
    }

    [Fact]
    public void RenderParse_RandomGitMultiFileDiffs_ByteForByteAndSameStructure()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var rng = new Random(seed);
            byte[] patch = RandomMultiFilePatch(rng, DiffFormat.Git);
            AssertRoundTrip(seed, "git", PatchDocument.Parse(patch), expectExact: true, patch);
        }
    }

    [Fact]
    public void RenderParse_RandomGnuMultiFileDiffs_ByteForByteAndSameStructure()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var rng = new Random(seed);
            byte[] patch = RandomMultiFilePatch(rng, DiffFormat.Gnu);
            AssertRoundTrip(seed, "gnu", PatchDocument.Parse(patch), expectExact: true, patch);
        }
    }

    [Fact]
    public void RenderParse_RandomlyEditedDocuments_SameStructure()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var rng = new Random(seed);
            DiffFormat format = rng.Next(2) == 0 ? DiffFormat.Git : DiffFormat.Gnu;
            PatchDocument doc = PatchDocument.Parse(RandomMultiFilePatch(rng, format));
            var files = new List<FilePatch>();
            foreach (FilePatch f in doc.Files)
            {
                if (rng.Next(4) == 0)
                {
                    continue; // dropped file
                }

                if (f.Hunks.Count > 1 && rng.Next(2) == 0)
                {
                    // Keep a random subset of the hunks (a user filtering a patch).
                    var kept = f.Hunks.Where(_ => rng.Next(2) == 0).ToArray();
                    if (kept.Length > 0)
                    {
                        files.Add(Rebuild(f, kept, f.BinaryPatch, f.IsBinary));
                        continue;
                    }
                }

                files.Add(f);
            }

            if (format == DiffFormat.Git && rng.Next(3) == 0)
            {
                files.Add(RandomBinaryFile(rng));
            }

            var edited = new PatchDocument(doc.Source, files) { Preamble = rng.Next(3) == 0 ? "Some text\nbefore the patch\n\n"u8.ToArray() : default };
            AssertRoundTrip(seed, $"edited {format}", edited, expectExact: false, null);
        }
    }

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

    /// <summary>A git binary file patch built in memory (so the writer deflates and base85-encodes it): literal or delta-shaped data of 0–300 bytes.</summary>
    private static FilePatch RandomBinaryFile(Random rng)
    {
        byte[] forward = new byte[rng.Next(0, 300)];
        rng.NextBytes(forward);
        byte[] reverse = new byte[rng.Next(0, 60)];
        rng.NextBytes(reverse);
        GitBinaryBlockKind kind = rng.Next(2) == 0 ? GitBinaryBlockKind.Literal : GitBinaryBlockKind.Delta;
        string name = "bin" + rng.Next(100) + ".dat";
        byte[] path = Encoding.UTF8.GetBytes(name);
        return new FilePatch((byte[])[.. "a/"u8, .. path], (byte[])[.. "b/"u8, .. path], FileOperation.Modify, [])
        {
            Dialect = PatchDialect.Git,
            OldMode = 0x81A4,
            NewMode = 0x81A4,
            OldObjectId = "1234567",
            NewObjectId = "89abcde",
            IsBinary = true,
            BinaryPatch = new GitBinaryPatch(new GitBinaryBlock(kind, forward), rng.Next(2) == 0 ? null : new GitBinaryBlock(kind, reverse)),
        };
    }

    private static byte[] RandomMultiFilePatch(Random rng, DiffFormat format)
    {
        var all = new List<byte>();
        int files = rng.Next(1, 5);
        for (int i = 0; i < files; i++)
        {
            string name = s_names[rng.Next(s_names.Length)] + i;
            byte[] a = RandomText(rng);
            byte[] b = Mutate(rng, a);
            bool git = format == DiffFormat.Git;
            var options = new DiffOptions
            {
                Format = format,
                Context = rng.Next(0, 4),
                Algorithm = rng.Next(2) == 0 ? DiffAlgorithm.Myers : DiffAlgorithm.Histogram,
                Text = true,
                FullIndex = rng.Next(2) == 0,
                ShowFunction = rng.Next(3) == 0,
            };
            int kind = rng.Next(6);
            DateTimeOffset stamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(rng.Next(1_000_000));
            var oldFile = new DiffFile(git ? name : "a/" + name, a) { Mode = rng.Next(4) == 0 ? 0x81ED : 0x81A4, LastWriteTime = stamp };
            var newFile = new DiffFile(git ? name : "b/" + name, b) { Mode = rng.Next(4) == 0 ? 0x81ED : 0x81A4, LastWriteTime = stamp.AddSeconds(1) };
            if (kind == 0)
            {
                oldFile = DiffFile.Absent(oldFile.Path);
            }
            else if (kind == 1)
            {
                newFile = DiffFile.Absent(newFile.Path);
            }

            if (!git && (kind <= 1))
            {
                // GNU: an absent side is an empty file with the epoch (diff -N).
                oldFile = kind == 0 ? new DiffFile(oldFile.Path, ReadOnlyMemory<byte>.Empty) { LastWriteTime = DateTimeOffset.UnixEpoch } : oldFile;
                newFile = kind == 1 ? new DiffFile(newFile.Path, ReadOnlyMemory<byte>.Empty) { LastWriteTime = DateTimeOffset.UnixEpoch } : newFile;
            }

            var buffer = new ArrayBufferWriter<byte>();
            UnifiedDiff.Write(oldFile, newFile, buffer, options);
            all.AddRange(buffer.WrittenSpan.ToArray());
        }

        return [.. all];
    }

    private static byte[] RandomText(Random rng)
    {
        const string alphabet = "abcde \t";
        int lines = rng.Next(0, 30);
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int len = rng.Next(0, 5);
            for (int j = 0; j < len; j++)
            {
                sb.Append(alphabet[rng.Next(alphabet.Length)]);
            }

            sb.Append(rng.Next(8) == 0 ? "\r\n" : "\n");
        }

        if (lines > 0 && rng.Next(5) == 0)
        {
            sb.Length -= 1; // no newline at end of file
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[] Mutate(Random rng, byte[] a)
    {
        var lines = Encoding.ASCII.GetString(a).Split('\n').ToList();
        int edits = rng.Next(0, 6);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(lines.Count + 1);
            switch (rng.Next(3))
            {
                case 0 when at < lines.Count:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(Math.Min(at, lines.Count), "xy"[rng.Next(2)].ToString() + (rng.Next(6) == 0 ? "\r" : string.Empty));
                    break;
                default:
                    if (at < lines.Count)
                    {
                        lines[at] += "z";
                    }

                    break;
            }
        }

        return Encoding.ASCII.GetBytes(string.Join('\n', lines));
    }
}
