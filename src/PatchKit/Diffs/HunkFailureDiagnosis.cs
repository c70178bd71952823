using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PatchKit.Diffs;

/// <summary>Why a hunk did not apply: the nearest place it could have gone, how much of it matched there, and the
/// lines that did not. Worked out only for hunks that failed, within a bounded search around the place the hunk was
/// expected (see <see cref="ApplyOptions.DiagnoseFailures"/>).</summary>
public sealed class HunkFailureDiagnosis
{
    internal HunkFailureDiagnosis(
        HunkFailureKind kind,
        int line,
        int offset,
        int contextLines,
        int contextMatched,
        int removedLines,
        int removedMatched,
        int differentLines,
        ImmutableArray<HunkLineDifference> differences)
    {
        Kind = kind;
        Line = line;
        Offset = offset;
        ContextLines = contextLines;
        ContextMatched = contextMatched;
        RemovedLines = removedLines;
        RemovedMatched = removedMatched;
        DifferentLines = differentLines;
        Differences = differences;
    }

    /// <summary>The most differences kept in <see cref="Differences"/>.</summary>
    internal const int MaxDifferences = 16;

    /// <summary>Gets what the nearest place says about the failure.</summary>
    public HunkFailureKind Kind { get; }

    /// <summary>Gets the 1-based line of the file where the nearest place starts (where the hunk's old side, or for
    /// <see cref="HunkFailureKind.AlreadyApplied"/> its new side, begins). When nothing matched, the line where the
    /// hunk was expected.</summary>
    public int Line { get; }

    /// <summary>Gets how many lines the nearest place is from where the hunk was expected (its header line moved by
    /// the offset of the hunk before; positive: later in the file).</summary>
    public int Offset { get; }

    /// <summary>Gets the number of context lines in the hunk.</summary>
    public int ContextLines { get; }

    /// <summary>Gets how many of the context lines are in the file at the nearest place, byte for byte.</summary>
    public int ContextMatched { get; }

    /// <summary>Gets the number of lines the hunk removes.</summary>
    public int RemovedLines { get; }

    /// <summary>Gets how many of the removed lines are in the file at the nearest place, byte for byte.</summary>
    public int RemovedMatched { get; }

    /// <summary>Gets how many lines of the old side differ from the file at the nearest place (all of them, while
    /// <see cref="Differences"/> keeps the first few).</summary>
    public int DifferentLines { get; }

    /// <summary>Gets the first lines (at most 16) of the old side that differ from the file at the nearest place, each
    /// beside the line found there. Empty for <see cref="HunkFailureKind.AlreadyApplied"/> and
    /// <see cref="HunkFailureKind.Misplaced"/>.</summary>
    public ImmutableArray<HunkLineDifference> Differences { get; }

    /// <summary>Describes the diagnosis in one line of words, without the differing lines.</summary>
    /// <returns>For example "context changed: nearest place line 131 (offset +11), 5 of 6 context lines and 2 of 2
    /// removed lines match".</returns>
    public override string ToString() => Describe();

    internal string Describe()
    {
        string what = Kind switch
        {
            HunkFailureKind.NotFound => "not found: best partial place",
            HunkFailureKind.ContextChanged => "context changed: nearest place",
            HunkFailureKind.Changed => "the lines it removes changed: nearest place",
            HunkFailureKind.WhitespaceOnly => "white space differs only: place",
            HunkFailureKind.LineEndingsOnly => "line endings differ only: place",
            HunkFailureKind.AlreadyApplied => "looks already applied (or the patch is reversed): its new side is at",
            _ => "its old side is at",
        };
        CultureInfo c = CultureInfo.InvariantCulture;
        string offset = Offset == 0 ? "no offset" : string.Create(c, $"offset {(Offset > 0 ? "+" : string.Empty)}{Offset}");
        string where = string.Create(c, $"{what} line {Line} ({offset})");
        return Kind switch
        {
            HunkFailureKind.AlreadyApplied => where,
            HunkFailureKind.Misplaced => where + ", where the hunk may not go (before the previous hunk, or away from the start or end of the file it is anchored to)",
            _ => string.Create(c, $"{where}, {ContextMatched} of {ContextLines} context line{(ContextLines == 1 ? string.Empty : "s")} and {RemovedMatched} of {RemovedLines} removed line{(RemovedLines == 1 ? string.Empty : "s")} match"),
        };
    }

    /// <summary>Describes the diagnosis for a person: the line of <see cref="ToString"/>, then each differing line as
    /// two lines, the line expected above the line found (both quoted, white space and control characters
    /// escaped).</summary>
    /// <returns>The lines of the report, without line endings.</returns>
    public ImmutableArray<string> GetReportLines() => [Describe(), .. DetailLines()];

    private IEnumerable<string> DetailLines()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (HunkLineDifference d in Differences)
        {
            string head = string.Create(c, $"line {d.FileLine} ({(d.Kind == HunkLineKind.Context ? "context" : "removed")}): ");
            yield return head + "expected " + Quote(d.Expected);
            yield return new string(' ', head.Length) + "found    " + (d.Found is null ? "(end of file)" : Quote(d.Found));
        }

        if (DifferentLines > Differences.Length)
        {
            yield return string.Create(c, $"... and {DifferentLines - Differences.Length} more differing line{(DifferentLines - Differences.Length == 1 ? string.Empty : "s")}");
        }
    }

    /// <summary>Quotes a line so that white space and control characters show and it stays on one line.</summary>
    internal static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (char ch in text)
        {
            switch (ch)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                default:
                    if (char.IsControl(ch) || ch is '\u2028' or '\u2029')
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}");
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
