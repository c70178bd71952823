using System.Text;

namespace PatchKit.Internal;

/// <summary>The problems found in one document, with the start of each value by JSON path so rules can point at it.</summary>
internal sealed class JsonInputProblems
{
    private const int MaxProblems = 20;

    private readonly byte[] _document;
    private readonly Dictionary<string, long> _starts = new(StringComparer.Ordinal);
    private readonly List<JsonInputProblem> _list = [];

    public JsonInputProblems(ReadOnlySpan<byte> document)
    {
        _document = document.ToArray();
    }

    public IReadOnlyList<JsonInputProblem> List => _list;

    /// <summary>Adds a problem at the value found at <paramref name="path"/> (or its nearest recorded parent).</summary>
    /// <param name="path">The JSON path.</param>
    /// <param name="message">The sentence.</param>
    public void Add(string path, string message)
    {
        string p = path;
        long start;
        while (!_starts.TryGetValue(p, out start))
        {
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0)
            {
                start = 0;
                break;
            }

            p = p[..cut];
        }

        AddAt(path, start, message);
    }

    public void Add(string path, long line, long column, string message)
    {
        if (_list.Count < MaxProblems)
        {
            _list.Add(new JsonInputProblem(path, line, column, message));
        }
    }

    public void AddAt(string path, long byteOffset, string message)
    {
        var (line, column) = Position(byteOffset);
        Add(path, line, column, message);
    }

    public void Record(string path, long byteOffset) => _starts.TryAdd(path, byteOffset);

    /// <summary>Converts a 1-based byte position in a line to a 1-based character column.</summary>
    public long ColumnAt(long line, long bytePosition)
    {
        long start = 0;
        for (long l = 1; l < line && start < _document.Length; l++)
        {
            int nl = _document.AsSpan((int)start).IndexOf((byte)'\n');
            if (nl < 0)
            {
                return bytePosition;
            }

            start += nl + 1;
        }

        int length = (int)Math.Min(bytePosition - 1, _document.Length - start);
        return length < 0 ? bytePosition : Encoding.UTF8.GetCharCount(_document, (int)start, length) + 1;
    }

    public void ThrowIfAny(string documentKind)
    {
        if (_list.Count > 0)
        {
            _list.Sort(static (a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
            throw new JsonInputException(documentKind, _list.ToArray());
        }
    }

    private (long Line, long Column) Position(long byteOffset)
    {
        var before = _document.AsSpan(0, (int)Math.Min(byteOffset, _document.Length));
        int lastNewline = before.LastIndexOf((byte)'\n');
        long line = before.Count((byte)'\n') + 1;
        var inLine = before[(lastNewline + 1)..];
        return (line, Encoding.UTF8.GetCharCount(inLine) + 1);
    }
}
