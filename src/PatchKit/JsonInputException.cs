using System.Text.Json;

namespace PatchKit;

/// <summary>A JSON input document (fleet, catalog, policy) that is not valid. It is a <see cref="JsonException"/>, as the
/// loaders document, whose message lists every problem with its line and column; <see cref="Problems"/> lists them one by one.</summary>
public sealed class JsonInputException : JsonException
{
    internal JsonInputException(string documentKind, IReadOnlyList<JsonInputProblem> problems, Exception? innerException = null)
        : base(Format(documentKind, problems), problems[0].Path, problems[0].Line - 1, problems[0].Column - 1, innerException)
    {
        DocumentKind = documentKind;
        Problems = problems;
    }

    /// <summary>Returns the same problems for the document read from <paramref name="path"/>, so the message names it.</summary>
    /// <param name="path">The file the document was read from.</param>
    /// <returns>The exception to throw instead.</returns>
    internal JsonInputException InFile(string path) => new($"{DocumentKind} file '{path}'", Problems, this);

    /// <summary>Gets what the document is (<c>fleet</c>, <c>catalog</c>, <c>policy</c>).</summary>
    public string DocumentKind { get; }

    /// <summary>Gets the problems, in document order (at least one).</summary>
    public IReadOnlyList<JsonInputProblem> Problems { get; }

    private static string Format(string documentKind, IReadOnlyList<JsonInputProblem> problems) => problems.Count == 1
        ? $"The {documentKind} is not valid: {problems[0]}"
        : $"The {documentKind} has {problems.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);
}
