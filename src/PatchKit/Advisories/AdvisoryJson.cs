using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PatchKit.Advisories;

/// <summary>Shared plumbing of the advisory readers: files to bytes (plain or gzip), and JSON errors to <see cref="AdvisoryFormatException"/>.</summary>
internal static class AdvisoryJson
{
    /// <summary>Reads a whole file (gzip-decompressed when it starts with the gzip magic) into a pooled buffer; the caller returns it.</summary>
    public static async Task<(byte[] Buffer, int Length)> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        Stream stream = await OpenDecompressedAsync(file, path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(file.Length > 0 && stream == file ? (int)Math.Min(file.Length + 1, int.MaxValue) : 64 * 1024);
            int length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    int n = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return (buffer, length);
                    }

                    length += n;
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    /// <summary>Returns the stream itself, or a gzip decompressor over it when it starts with 1F 8B; refuses zstd with a clear error.</summary>
    public static async Task<Stream> OpenDecompressedAsync(Stream stream, string document, CancellationToken cancellationToken)
    {
        if (!stream.CanSeek)
        {
            return stream;
        }

        byte[] magic = new byte[4];
        int n = await stream.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Seek(-n, SeekOrigin.Current);
        if (n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            return new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        }

        if (n == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD)
        {
            throw new AdvisoryFormatException($"{document}: the document is zstd-compressed; the reader decompresses gzip only, so decompress it first (zstd -d) or pass a decompressing stream.", document, string.Empty, 0, null);
        }

        return stream;
    }

    /// <summary>Skips a UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> json) => json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? json[3..] : json;

    /// <summary>Turns a serializer error into a message naming the document, the JSON path, what was found and what was wanted, and the byte offset when the bytes are at hand
    /// (bomLength: bytes skipped before the JSON, a byte order mark, added to reported offsets).</summary>
    public static AdvisoryFormatException ToFormatException(JsonException e, string document, ReadOnlySpan<byte> json, bool haveBytes, JsonTypeInfo root, int bomLength = 0)
    {
        string path = e.Path ?? "$";
        long line = (e.LineNumber ?? -1) + 1;
        long byteInLine = e.BytePositionInLine ?? -1;
        if (haveBytes && TryFindSyntaxError(json, out long offset, out string? syntax))
        {
            offset += bomLength;
            long end = json.Length + bomLength;
            string where = offset >= end ? $"byte {offset} (end of file)" : $"byte {offset}";
            string reason = json.IsEmpty ? "the document is empty: no JSON value" : offset >= end ? "the JSON ends in the middle of a value" : $"not valid JSON ({syntax})";
            return new AdvisoryFormatException($"{document}: {reason}, at {where}, JSON path {path}.", document, path, offset, e);
        }

        string found = haveBytes ? FindKind(json, path) : string.Empty;
        string position = line > 0 ? string.Create(CultureInfo.InvariantCulture, $" (line {line}, byte {byteInLine} of the line)") : string.Empty;
        if (e.Data[CustomMessageKey] is string custom)
        {
            return new AdvisoryFormatException($"{document}: {path}: {custom}{position}.", document, path, -1, e);
        }

        string wanted = Wanted(root, path);
        if (found.Length > 0 && wanted.StartsWith(found, StringComparison.Ordinal))
        {
            return new AdvisoryFormatException($"{document}: {path}: invalid value: wanted {wanted}{position}.", document, path, -1, e);
        }

        string foundText = found.Length > 0 ? $"found {found}, " : string.Empty;
        return new AdvisoryFormatException($"{document}: {path}: wrong type: {foundText}wanted {wanted}{position}.", document, path, -1, e);
    }

    /// <summary>A missing required member.</summary>
    public static AdvisoryFormatException Missing(string document, string path) =>
        new($"{document}: {path}: missing (required).", document, path, -1, null);

    /// <summary>The key under which a converter leaves its own words in <see cref="Exception.Data"/>.</summary>
    public const string CustomMessageKey = "PatchKit.Advisories.Reason";

    /// <summary>A converter's error that keeps its own message (the serializer adds the path).</summary>
    public static JsonException ValueError(string reason)
    {
        var e = new JsonException(reason);
        e.Data[CustomMessageKey] = reason;
        return e;
    }

    private static bool TryFindSyntaxError(ReadOnlySpan<byte> json, out long offset, out string? reason)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            offset = 0;
            reason = null;
            return false;
        }
        catch (JsonException e)
        {
            offset = reader.BytesConsumed;
            if (offset >= json.Length || json[(int)offset..].Trim(" \t\r\n"u8).IsEmpty || IsTruncation(json))
            {
                offset = json.Length;
            }

            int cut = e.Message.IndexOf(" LineNumber", StringComparison.Ordinal);
            reason = (cut > 0 ? e.Message[..cut] : e.Message).TrimEnd(' ', '|', '.');
            return true;
        }
    }

    /// <summary>Whether the bytes are a valid JSON prefix that only stops too early (a reader that expects more data does not fail).</summary>
    private static bool IsTruncation(ReadOnlySpan<byte> json)
    {
        var partial = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            while (partial.Read())
            {
            }

            return !json.IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The kind of the value at a serializer path (<c>$.a[0].b</c>), found by one pass of the reader.</summary>
    private static string FindKind(ReadOnlySpan<byte> json, string target)
    {
        var reader = new Utf8JsonReader(json);
        var stack = new List<string>();
        var index = new List<int>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        index.RemoveAt(index.Count - 1);
                        continue;
                }

                string path = stack.Count == 0 ? "$" : stack[^1] + (pendingProperty is not null ? Property(pendingProperty) : $"[{index[^1]}]");
                if (pendingProperty is null && index.Count > 0)
                {
                    index[^1]++;
                }

                pendingProperty = null;
                if (path == target)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.StartObject => "an object",
                        JsonTokenType.StartArray => "an array",
                        JsonTokenType.String => "a string",
                        JsonTokenType.Number => "a number",
                        JsonTokenType.True or JsonTokenType.False => "a boolean",
                        _ => "null",
                    };
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Add(path);
                    index.Add(0);
                }
            }
        }
        catch (JsonException)
        {
        }

        return string.Empty;
    }

    private static string Property(string name) =>
        name.AsSpan().ContainsAnyExcept(s_plainName) ? $"['{name}']" : "." + name;

    private static readonly SearchValues<char> s_plainName = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>What the model wants at a path, from the source-generated metadata (no reflection): walk properties and element types.</summary>
    private static string Wanted(JsonTypeInfo root, string path)
    {
        JsonTypeInfo? info = root;
        int i = 1;
        while (info is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                info = Member(info, path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return "another type";
                }

                info = Member(info, path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || info.ElementType is null)
                {
                    return "another type";
                }

                info = info.Options.GetTypeInfo(info.ElementType);
                i = end + 1;
            }
            else
            {
                return "another type";
            }
        }

        if (info is null)
        {
            return "another type";
        }

        Type type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type == typeof(string) || type.IsEnum ? "a string"
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "a string (RFC 3339 timestamp)"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) ? "a number"
            : type == typeof(JsonElement) ? "any JSON value"
            : info.Kind == JsonTypeInfoKind.Enumerable ? "an array"
            : "an object";
    }

    private static JsonTypeInfo? Member(JsonTypeInfo info, string name)
    {
        foreach (JsonPropertyInfo p in info.Properties)
        {
            if (p.Name == name)
            {
                return info.Options.GetTypeInfo(p.PropertyType);
            }
        }

        return null;
    }
}
