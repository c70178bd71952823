using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class HeaderPathsTests
{
    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Theory]
    [InlineData("1970-01-01 00:00:00.000000000 +0000", true)]
    [InlineData("1970-01-01 01:00:00.000000000 +0100", true)]
    [InlineData("1969-12-31 19:00:00.000000000 -0500", true)]
    [InlineData("1970-01-01 00:00:00", true)]
    [InlineData("Thu Jan  1 00:00:00 1970", true)]
    [InlineData("2000-01-01 00:00:00.000000000 +0000", false)]
    [InlineData("1970-01-01 00:00:01.000000000 +0000", false)]
    [InlineData("1970-01-01 01:00:00.000000000 +0000", false)]
    [InlineData("(revision 0)", false)]
    public void IsEpoch_Timestamp_MatchesGitsRule(string timestamp, bool expected)
    {
        Assert.Equal(expected, HeaderPaths.IsEpoch(Encoding.ASCII.GetBytes(timestamp)));
    }

    [Fact]
    public void Unquote_AllEscapes_GivesBytes()
    {
        ReadOnlyMemory<byte> name = HeaderPaths.Unquote("\"a\\tb\\n\\\\\\\"\\303\\244\\001\""u8, 1, 0);

        Assert.Equal(new byte[] { (byte)'a', 9, (byte)'b', 10, (byte)'\\', (byte)'"', 0xC3, 0xA4, 1 }, name.ToArray());
    }

    [Theory]
    [InlineData("\"a\\q\"")]
    [InlineData("\"a\\3\"")]
    [InlineData("\"a\\\"")]
    public void Unquote_BadEscape_IsFormatError(string quoted)
    {
        Assert.Throws<PatchFormatException>(() => HeaderPaths.Unquote(Encoding.ASCII.GetBytes(quoted), 7, 100));
    }

    [Theory]
    [InlineData("a/x b/x", "a/x", "b/x")]
    [InlineData("a/dir with space/f b/dir with space/f", "a/dir with space/f", "b/dir with space/f")]
    [InlineData("\"a/t\\tx\" \"b/t\\tx\"", "a/t\tx", "b/t\tx")]
    [InlineData("a/plain \"b/q\\\"uote\"", "a/plain", "b/q\"uote")]
    public void TrySplitGitNames_Line_SplitsAsGit(string text, string oldName, string newName)
    {
        Assert.True(HeaderPaths.TrySplitGitNames(Encoding.UTF8.GetBytes(text), out var o, out var n, 1, 0));

        Assert.Equal((oldName, newName), (Text(o), Text(n)));
    }

    [Fact]
    public void TrySplitGitNames_RenameWithSpacesUnquoted_IsUnclear()
    {
        Assert.False(HeaderPaths.TrySplitGitNames("a/one two b/three four"u8.ToArray(), out _, out _, 1, 0));
    }

    [Fact]
    public void TraditionalName_TabSeparatesTimestamp()
    {
        ReadOnlyMemory<byte> name = HeaderPaths.TraditionalName("dir/a file.c\t2000-01-01 00:00:00 +0000"u8.ToArray(), out var stamp, 1, 0);

        Assert.Equal("dir/a file.c", Text(name));
        Assert.Equal("2000-01-01 00:00:00 +0000", Text(stamp));
    }

    /// <summary>git apply's reading of a traditional header (t4135): a timestamp recognized at the end ends the name,
    /// which may then hold tabs and spaces; without one, the name ends at the first tab.</summary>
    [Theory]
    [InlineData("post\timage.txt\t2010-08-18 20:13:31.616002255 -0500", "post\timage.txt", "2010-08-18 20:13:31.616002255 -0500")]
    [InlineData("a/postimage.txt     1969-12-31 18:00:00.000000000 -0600", "a/postimage.txt", "1969-12-31 18:00:00.000000000 -0600")]
    [InlineData("linux/post image.txt 2005-04-12 02:14:06 -07:00", "linux/post image.txt", "2005-04-12 02:14:06 -07:00")]
    [InlineData("a/f\t2010-07-05 19:41:17", "a/f", "2010-07-05 19:41:17")]
    [InlineData("a/f 2010-08-18", "a/f 2010-08-18", "")]
    [InlineData("a/f\tThu Jan  1 00:00:00 1970", "a/f", "Thu Jan  1 00:00:00 1970")]
    [InlineData("2010-08-18 20:13:31 +0000", "2010-08-18 20:13:31 +0000", "")]
    [InlineData("a/f.c-2010-08-18 20:13:31", "a/f.c-2010-08-18 20:13:31", "")]
    [InlineData("a/f   ", "a/f", "")]
    public void TraditionalName_TimestampAtTheEnd_EndsTheNameAsGitApply(string header, string expectedName, string expectedStamp)
    {
        ReadOnlyMemory<byte> name = HeaderPaths.TraditionalName(System.Text.Encoding.UTF8.GetBytes(header), out var stamp, 1, 0);

        Assert.Equal(expectedName, Text(name));
        Assert.Equal(expectedStamp, Text(stamp));
    }
}
