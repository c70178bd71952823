namespace PatchKit.Diffs.Apply;

/// <summary>One line of a hunk as the applier sees it: kind (already reversed for <c>-R</c>), body without the line
/// ending, and the ending.</summary>
internal readonly struct PatternLine
{
    public PatternLine(HunkLineKind kind, ReadOnlyMemory<byte> body, LineEnding ending)
    {
        Kind = kind;
        Body = body;
        Ending = ending;
    }

    public HunkLineKind Kind { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public LineEnding Ending { get; }

    public static PatternLine From(HunkLine line, bool reverse, bool stripCr)
    {
        ReadOnlyMemory<byte> content = line.Content;
        ReadOnlySpan<byte> span = content.Span;
        LineEnding ending = LineEnding.None;
        int bodyLength = span.Length;
        if (bodyLength > 0 && span[bodyLength - 1] == (byte)'\n')
        {
            bodyLength--;
            ending = LineEnding.Lf;
            if (bodyLength > 0 && span[bodyLength - 1] == (byte)'\r')
            {
                bodyLength--;
                ending = stripCr ? LineEnding.Lf : LineEnding.CrLf;
            }
        }

        HunkLineKind kind = line.Kind;
        if (reverse && kind != HunkLineKind.Context)
        {
            kind = kind == HunkLineKind.Added ? HunkLineKind.Removed : HunkLineKind.Added;
        }

        return new PatternLine(kind, content[..bodyLength], ending);
    }
}
