using PatchKit.Diffs.Algorithms;

namespace PatchKit.Tests.Diffs.Algorithms;

public class LineIndexTests
{
    [Fact]
    public void LineStarts_CrLfAndMissingFinalNewline_SplitsAfterLfOnly()
    {
        int[] starts = LineIndex.LineStarts("a\r\nb\rc\nd"u8);
        Assert.Equal([0, 3, 7, 8], starts);
    }

    [Fact]
    public void Build_EqualLinesAcrossInputs_ShareOneIdAndLastLineWithoutLfDiffers()
    {
        byte[] a = "x\ny\nx"u8.ToArray();
        byte[] b = "y\nx\n"u8.ToArray();
        int[] sa = LineIndex.LineStarts(a), sb = LineIndex.LineStarts(b);
        var index = new LineIndex();
        int[] ia = new int[3], ib = new int[2];
        index.Build(a, sa, 0, 3, ia, b, sb, 0, 2, ib);
        Assert.Equal(ia[0], ib[1]);
        Assert.Equal(ia[1], ib[0]);
        Assert.NotEqual(ia[0], ia[2]);
        Assert.Equal(4, index.Count);
    }
}
