using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatchKit.Cli;

/// <summary>Turns an exception into a sentence a user can read. The CLI is built with <c>UseSystemResourceKeys</c> (a
/// smaller native binary), so a .NET exception's own message is a resource key such as
/// <c>IO_FileNotFound_FileName, /x</c>: it is never printed as it is.</summary>
internal static partial class ErrorText
{
    private static readonly Dictionary<string, string> s_keys = new(StringComparer.Ordinal)
    {
        ["IO_FileNotFound_FileName"] = "the file '{0}' does not exist",
        ["IO_FileNotFound"] = "a file does not exist",
        ["IO_PathNotFound_Path"] = "a folder on the path '{0}' does not exist",
        ["IO_PathNotFound_NoPathName"] = "a folder on the path does not exist",
        ["UnauthorizedAccess_IODenied_Path"] = "permission denied for '{0}'",
        ["UnauthorizedAccess_IODenied_NoPathName"] = "permission denied",
        ["IO_FileExists_Name"] = "'{0}' already exists",
        ["IO_AlreadyExists_Name"] = "'{0}' already exists",
        ["IO_PathTooLong_Path"] = "the path '{0}' is too long",
        ["IO_PathTooLong"] = "a path is too long",
        ["IO_SharingViolation_File"] = "'{0}' is in use by another process",
        ["IO_SharingViolation_NoFileName"] = "a file is in use by another process",
        ["IO_DiskFull_Path_AllocationSize"] = "the disk is full (writing '{0}')",
        ["IO_FileTooLarge_Path_AllocationSize"] = "'{0}' is too large",
        ["IO_EOF_ReadBeyondEOF"] = "a file ended before it should have",
        ["Arg_KeyNotFoundWithKey"] = "'{0}' was not found",
        ["Argument_AddingDuplicateWithKey"] = "'{0}' appears twice",
        ["Argument_InvalidPathChars"] = "a path holds characters that are not allowed",
        ["Arg_PathEmpty"] = "a path is empty",
    };

    /// <summary>Describes an exception in words, without resource keys or a stack trace.</summary>
    /// <param name="ex">The exception.</param>
    /// <returns>A sentence without a final full stop.</returns>
    public static string Describe(Exception ex)
    {
        switch (ex)
        {
            case CliInputException or ArgReaderException:
                return ex.Message;
            case PatchKitException when ex.InnerException is { Message.Length: > 0 } inner && ex.Message.Contains(inner.Message, StringComparison.Ordinal):
                // Library messages quote their cause's message: put the cause's sentence in its place.
                return Scrub(ex.Message.Replace(inner.Message, Describe(inner), StringComparison.Ordinal));
            case PatchKitException:
                return Scrub(ex.Message);
            case FileNotFoundException f when f.FileName is not null:
                return $"the file '{f.FileName}' does not exist";
            case JsonException j:
                return $"invalid JSON at {j.Path ?? "$"}, line {(j.LineNumber ?? 0) + 1}, column {(j.BytePositionInLine ?? 0) + 1}";
            case TimeZoneNotFoundException:
                return "a time zone is not known on this machine (use an IANA id such as Europe/Berlin, or UTC)";
        }

        if (TryParseKey(ex.Message, out string key, out string? argument))
        {
            return s_keys.TryGetValue(key, out string? template)
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, template, argument ?? "?")
                : Fallback(ex, argument);
        }

        return Scrub(ex.Message);
    }

    /// <summary>Removes what <c>UseSystemResourceKeys</c> appends to an argument error (<c>Arg_ParamName_Name, options</c>)
    /// and ends the text without a full stop so callers can add theirs.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The message without resource keys.</returns>
    public static string Scrub(string message)
    {
        message = ParamNameSuffix().Replace(message, string.Empty);
        message = EmbeddedKey().Replace(message, m => TryParseKey(m.Value, out string key, out string? arg) && s_keys.TryGetValue(key, out string? t)
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, t, arg ?? "?")
            : m.Value);
        return message.TrimEnd().TrimEnd('.');
    }

    /// <summary>Returns whether <paramref name="message"/> is a bare resource key, maybe with arguments.</summary>
    /// <param name="message">The message.</param>
    /// <param name="key">The key.</param>
    /// <param name="argument">What follows the key, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool TryParseKey(string message, out string key, out string? argument)
    {
        var m = KeyMessage().Match(message);
        key = m.Success ? m.Groups[1].Value : string.Empty;
        argument = m.Success && m.Groups[2].Success ? m.Groups[2].Value : null;
        return m.Success;
    }

    private static string Fallback(Exception ex, string? argument) => ex switch
    {
        UnauthorizedAccessException => argument is null ? "permission denied" : $"permission denied for '{argument}'",
        IOException => argument is null ? "an input/output error occurred" : $"an input/output error occurred on '{argument}'",
        ArgumentException => "an invalid value was given" + (argument is null ? string.Empty : $" ({argument})"),
        _ => $"an unexpected {ex.GetType().Name} occurred",
    };

    [GeneratedRegex(@"^([A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+)(?:, (.*))?$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex KeyMessage();

    [GeneratedRegex(@"\s*Arg_ParamName_Name, \S+$", RegexOptions.CultureInvariant)]
    private static partial Regex ParamNameSuffix();

    [GeneratedRegex(@"\b(?:IO|UnauthorizedAccess|Arg|Argument)_[A-Za-z0-9_]+(?:, [^,:;]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddedKey();
}
