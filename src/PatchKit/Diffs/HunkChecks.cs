namespace PatchKit.Diffs;

/// <summary>What git apply checks of a hunk's body: whether it changes anything and whether it is corrupt (a line that is a
/// bare CR LF, or a last line without a line ending that is not a <c>\ No newline</c> marker).</summary>
/// <param name="Changes">Whether the hunk has an added or removed line.</param>
/// <param name="Corrupt">Whether git apply calls the hunk corrupt.</param>
internal readonly record struct HunkChecks(bool Changes, bool Corrupt)
{
    /// <summary>Checks a body held in memory.</summary>
    public static HunkChecks Of(ReadOnlySpan<byte> body)
    {
        bool changes = body.StartsWith("+"u8) || body.StartsWith("-"u8) || body.IndexOf("\n+"u8) >= 0 || body.IndexOf("\n-"u8) >= 0;
        bool bad = !body.IsEmpty && body[^1] != (byte)'\n' && !IsLastLineMarker(body);
        bad |= body.StartsWith("\r\n"u8) || body.IndexOf("\n\r\n"u8) >= 0;
        return new HunkChecks(changes, bad);
    }

    private static bool IsLastLineMarker(ReadOnlySpan<byte> body)
    {
        int nl = body.LastIndexOf((byte)'\n');
        return body[(nl + 1)..].StartsWith("\\"u8);
    }
}

/// <summary>The first hunks of a file patch that git apply would refuse, kept when a streaming read drops the bodies.</summary>
internal sealed class HunkCheckSummary
{
    /// <summary>Gets the header line of the first hunk that changes nothing, or -1.</summary>
    public long FirstUnchanged { get; private set; } = -1;

    /// <summary>Gets the header line of the first corrupt hunk, or -1.</summary>
    public long FirstCorrupt { get; private set; } = -1;

    /// <summary>Gets a value indicating whether no hunk was flagged.</summary>
    public bool IsClean => FirstUnchanged < 0 && FirstCorrupt < 0;

    /// <summary>Notes one hunk's checks.</summary>
    public void Add(HunkChecks checks, long line)
    {
        if (!checks.Changes && FirstUnchanged < 0)
        {
            FirstUnchanged = line;
        }

        if (checks.Corrupt && FirstCorrupt < 0)
        {
            FirstCorrupt = line;
        }
    }

    /// <summary>Starts over for the next file.</summary>
    public void Clear() => FirstUnchanged = FirstCorrupt = -1;

    /// <summary>A copy to keep with the file patch.</summary>
    public HunkCheckSummary Copy() => new() { FirstUnchanged = FirstUnchanged, FirstCorrupt = FirstCorrupt };
}
