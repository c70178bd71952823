using System.Text;
using PatchKit.Diffs;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs;

/// <summary>The tree diff's native path on real folders (<c>openat</c> below the roots, <c>readdir</c> types, read buffers
/// grown to a file's size, workers beside the walk) against the real GNU diff, byte for byte.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TreeDiffNativeTests
{
    [Fact]
    public void Write_RealTreesWithLargeFilesSymlinksAndManyPairs_MatchesGnuDiffByteForByte()
    {
        using var dir = new TempDir();
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        var random = new Random(27);
        for (int d = 0; d < 12; d++)
        {
            for (int f = 0; f < 25; f++)
            {
                string rel = Path.Combine("d" + d, "sub" + (f % 3), "f" + f + ".txt");
                string text = Lines(random, 5 + random.Next(40));
                Write(Path.Combine(a, rel), text);
                Write(Path.Combine(b, rel), random.Next(3) == 0 ? text.Replace("line 1", "LINE 1", StringComparison.Ordinal) + "end\n" : text);
            }
        }

        // Larger than the 64 KiB first read buffer (and than the next doubling): grown once to the size.
        string big = Lines(random, 30000);
        Write(Path.Combine(a, "big.txt"), big);
        Write(Path.Combine(b, "big.txt"), big.Insert(big.Length / 2, "inserted\n") + "tail\n");
        Write(Path.Combine(a, "only-old.txt"), "old\n");
        Write(Path.Combine(b, "only-new", "x.txt"), "new\n");
        File.CreateSymbolicLink(Path.Combine(a, "link.txt"), "big.txt");
        File.CreateSymbolicLink(Path.Combine(b, "link.txt"), "big.txt");

        var gnu = Proc.Run("diff", dir.Path, "-Naur", "a", "b");
        var stream = new MemoryStream();
        TreeDiffResult result = TreeDiff.Write(new System.IO.Abstractions.FileSystem(), a, b, stream, new DiffOptions { TreatAbsentAsEmpty = true, Recursive = true, OldLabel = "a", NewLabel = "b", CommandLine = "diff -Naur" });

        Assert.Equal(1, gnu.ExitCode);
        Assert.Equal(1, result.ExitStatus);
        Assert.Equal(gnu.Output, Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Lines(Random random, int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append("line ").Append(random.Next(100)).Append(' ').Append('x', random.Next(60)).Append('\n');
        }

        return sb.ToString();
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
