using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>GIT binary patches written by the real git are decoded (base85 + zlib) to the bytes git encoded.</summary>
public sealed class GitBinaryPatchTests
{
    private static byte[] GitBinaryDiff(TempDir temp, byte[] oldBytes, byte[] newBytes)
    {
        File.WriteAllBytes(Path.Combine(temp.Path, "old.bin"), oldBytes);
        File.WriteAllBytes(Path.Combine(temp.Path, "new.bin"), newBytes);
        var (code, _, error) = Proc.Run("git", temp.Path, "-c", "core.quotepath=on", "diff", "--no-index", "--binary", "--output=p.diff", "old.bin", "new.bin");
        Assert.True(code == 1, "git diff --no-index failed: " + error);
        return File.ReadAllBytes(Path.Combine(temp.Path, "p.diff"));
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0; // a NUL makes git treat the file as binary
        return bytes;
    }

    [Fact]
    public void Parse_GitBinaryLiteral_DecodesBothDirections()
    {
        using var temp = new TempDir();
        byte[] oldBytes = RandomBytes(1, 3000);
        byte[] newBytes = RandomBytes(2, 5000);

        PatchDocument doc = PatchDocument.Parse(GitBinaryDiff(temp, oldBytes, newBytes));

        FilePatch file = Assert.Single(doc.Files);
        Assert.True(file.IsBinary);
        GitBinaryPatch binary = Assert.IsType<GitBinaryPatch>(file.BinaryPatch);
        Assert.Equal(GitBinaryBlockKind.Literal, binary.Forward.Kind);
        Assert.Equal(newBytes, binary.Forward.Data.ToArray());
        Assert.NotNull(binary.Reverse);
        Assert.Equal(GitBinaryBlockKind.Literal, binary.Reverse!.Kind);
        Assert.Equal(oldBytes, binary.Reverse.Data.ToArray());
    }

    [Fact]
    public void Parse_GitBinaryDelta_DecodesDeltaWithSizesOfBothSides()
    {
        using var temp = new TempDir();
        byte[] oldBytes = RandomBytes(3, 20000);
        byte[] newBytes = (byte[])oldBytes.Clone();
        newBytes[10000] ^= 0xFF;

        PatchDocument doc = PatchDocument.Parse(GitBinaryDiff(temp, oldBytes, newBytes));

        GitBinaryPatch binary = Assert.IsType<GitBinaryPatch>(Assert.Single(doc.Files).BinaryPatch);
        Assert.Equal(GitBinaryBlockKind.Delta, binary.Forward.Kind);
        var (source, target) = DeltaSizes(binary.Forward.Data.Span);
        Assert.Equal((oldBytes.Length, newBytes.Length), (source, target));
    }

    [Fact]
    public void Parse_BinaryFilesDiffer_IsBinaryWithoutData()
    {
        PatchDocument doc = PatchDocument.Parse("Binary files pre/a.png and post/a.png differ\n"u8.ToArray());

        FilePatch file = Assert.Single(doc.Files);
        Assert.True(file.IsBinary);
        Assert.Null(file.BinaryPatch);
        Assert.Equal("pre/a.png", file.OldPath);
        Assert.Equal("post/a.png", file.NewPath);
    }

    [Fact]
    public void Parse_CorruptBase85_IsFormatError()
    {
        var ex = Assert.Throws<PatchFormatException>(() => PatchDocument.Parse("diff --git a/b b/b\nindex 1..2 100644\nGIT binary patch\nliteral 2\nJcm\"Qz0000\n\n"u8.ToArray()));

        Assert.Equal(5, ex.LineNumber);
    }

    internal static (long Source, long Target) DeltaSizes(ReadOnlySpan<byte> delta)
    {
        int pos = 0;
        long source = Varint(delta, ref pos);
        long target = Varint(delta, ref pos);
        return (source, target);
    }

    private static long Varint(ReadOnlySpan<byte> data, ref int pos)
    {
        long value = 0;
        int shift = 0;
        byte b;
        do
        {
            b = data[pos++];
            value |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return value;
    }
}
