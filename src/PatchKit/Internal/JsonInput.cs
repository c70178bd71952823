using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PatchKit.Internal;

/// <summary>Reads a JSON input document a person wrote (fleet, catalog, policy) so that every mistake is reported with its
/// JSON path, 1-based line and column: a syntax error, an unknown or misspelt key (with the nearest known key), a value
/// of the wrong kind, a missing required key, and whatever the document's own rules find after it was read.</summary>
/// <remarks>A first pass walks the document beside the source-generated metadata (no reflection, AOT-safe) and records
/// where each value starts; the deserializer then reads it; the rules look positions up by path.</remarks>
internal static class JsonInput
{
    /// <summary>Reads and checks a document.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="typeInfo">The source-generated metadata of its root type.</param>
    /// <param name="documentKind">What the document is, for messages (<c>policy</c>).</param>
    /// <param name="alsoRequired">Keys the document must have beyond the C# <c>required</c> members: (owner type, JSON key).</param>
    /// <param name="validate">The document's own rules, or <see langword="null"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonInputException">The document has problems.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo, string documentKind,
        IReadOnlyList<(Type Owner, string Key)>? alsoRequired, Action<T, JsonInputProblems>? validate)
        where T : class
    {
        var problems = new JsonInputProblems(utf8Json);
        Walk(utf8Json, typeInfo, alsoRequired ?? [], problems);
        problems.ThrowIfAny(documentKind);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8Json, typeInfo);
        }
        catch (JsonException ex)
        {
            string path = ex.Path ?? "$";
            long line = (ex.LineNumber ?? 0) + 1;
            problems.Add(path, line, problems.ColumnAt(line, (ex.BytePositionInLine ?? 0) + 1), "this value cannot be read here.");
            throw new JsonInputException(documentKind, problems.List, ex);
        }

        if (value is null)
        {
            problems.Add("$", 1, 1, $"the document is empty (null); write the {documentKind} as a JSON object.");
            problems.ThrowIfAny(documentKind);
            throw new InvalidOperationException(); // unreachable
        }

        validate?.Invoke(value, problems);
        problems.ThrowIfAny(documentKind);
        return value;
    }

    /// <summary>Reads a document from a file; its problems are reported with the file's path.</summary>
    /// <typeparam name="T">The document's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="parse">The document's <c>Parse</c>.</param>
    /// <returns>The value.</returns>
    public static T Load<T>(string path, Func<byte[], T> parse)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return parse(bytes);
        }
        catch (JsonInputException ex)
        {
            throw ex.InFile(path);
        }
    }

    /// <summary>Returns the key among <paramref name="known"/> nearest to <paramref name="key"/> (case ignored), or
    /// <see langword="null"/> when none is close enough to be a likely misspelling.</summary>
    /// <param name="key">The key written.</param>
    /// <param name="known">The keys that exist.</param>
    /// <returns>The suggestion.</returns>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string k in known)
        {
            int d = Distance(key.ToUpperInvariant(), k.ToUpperInvariant());
            if (d < bestDistance)
            {
                best = k;
                bestDistance = d;
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        // Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one edit.
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static void Walk(ReadOnlySpan<byte> utf8Json, JsonTypeInfo root, IReadOnlyList<(Type Owner, string Key)> alsoRequired, JsonInputProblems problems)
    {
        var options = root.Options;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            CommentHandling = options.ReadCommentHandling == JsonCommentHandling.Allow ? JsonCommentHandling.Skip : options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        });
        try
        {
            if (!reader.Read())
            {
                problems.Add("$", 1, 1, "the file is empty; it must hold one JSON object.");
                return;
            }

            WalkValue(ref reader, root, "$", alsoRequired, problems);
            while (reader.Read())
            {
                // A second top-level value makes the reader throw; comments are skipped.
            }
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader's own error (syntax): its position is where reading stopped.
            long line = (ex.LineNumber ?? 0) + 1;
            long column = problems.ColumnAt(line, (ex.BytePositionInLine ?? 0) + 1);
            problems.Add(ex.Path ?? "$", line, column, "this is not valid JSON here; look for a missing comma, quote, colon or bracket at or just before this point.");
        }
    }

    private static void WalkValue(ref Utf8JsonReader reader, JsonTypeInfo? info, string path, IReadOnlyList<(Type Owner, string Key)> alsoRequired, JsonInputProblems problems)
    {
        if (info is null)
        {
            reader.Skip();
            return;
        }

        problems.Record(path, reader.TokenStartIndex);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    problems.AddAt(path, reader.TokenStartIndex, $"expected an object ({{ … }}), found {Describe(reader.TokenType)}.");
                    reader.Skip();
                    return;
                }

                WalkObject(ref reader, info, path, alsoRequired, problems);
                return;
            case JsonTypeInfoKind.Enumerable:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    problems.AddAt(path, reader.TokenStartIndex, $"expected a list ([ … ]), found {Describe(reader.TokenType)}.");
                    reader.Skip();
                    return;
                }

                var element = TypeInfo(info.Options, info.ElementType);
                int index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    WalkValue(ref reader, element, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", alsoRequired, problems);
                    index++;
                }

                return;
            case JsonTypeInfoKind.Dictionary:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        problems.AddAt(path, reader.TokenStartIndex, $"expected an object ({{ … }}), found {Describe(reader.TokenType)}.");
                    }

                    reader.Skip();
                    return;
                }

                var value = TypeInfo(info.Options, info.ElementType);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    WalkValue(ref reader, value, Child(path, key), alsoRequired, problems);
                }

                return;
            default:
                CheckScalar(ref reader, info.Type, path, problems);
                reader.Skip();
                return;
        }
    }

    private static void WalkObject(ref Utf8JsonReader reader, JsonTypeInfo info, string path, IReadOnlyList<(Type Owner, string Key)> alsoRequired, JsonInputProblems problems)
    {
        long objectStart = reader.TokenStartIndex;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            long keyStart = reader.TokenStartIndex;
            JsonPropertyInfo? property = null;
            foreach (var p in info.Properties)
            {
                if (string.Equals(p.Name, key, info.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    property = p;
                    break;
                }
            }

            reader.Read();
            string child = Child(path, key);
            if (property is null)
            {
                string? nearest = Nearest(key, info.Properties.Select(static p => p.Name));
                problems.AddAt(child, keyStart, nearest is null
                    ? $"unknown key \"{key}\"; the keys here are {string.Join(", ", info.Properties.Select(static p => p.Name))}."
                    : $"unknown key \"{key}\"; did you mean \"{nearest}\"?");
                reader.Skip();
                continue;
            }

            if (!seen.Add(property.Name))
            {
                problems.AddAt(child, keyStart, $"key \"{key}\" appears twice in this object; keep one.");
            }

            WalkValue(ref reader, TypeInfo(info.Options, property.PropertyType), child, alsoRequired, problems);
        }

        foreach (var p in info.Properties)
        {
            bool required = p.IsRequired;
            foreach (var (owner, k) in alsoRequired)
            {
                required |= owner == info.Type && k == p.Name;
            }

            if (required && !seen.Contains(p.Name))
            {
                problems.AddAt(path, objectStart, $"the key \"{p.Name}\" is missing from this object; it is required.");
            }
        }
    }

    private static void CheckScalar(ref Utf8JsonReader reader, Type type, string path, JsonInputProblems problems)
    {
        var token = reader.TokenType;
        var underlying = Nullable.GetUnderlyingType(type);
        if (token == JsonTokenType.Null)
        {
            if (type.IsValueType && underlying is null)
            {
                problems.AddAt(path, reader.TokenStartIndex, $"null is not allowed here; expected {Expected(type)}.");
            }

            return;
        }

        type = underlying ?? type;
        bool ok = true;
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            ok = token == JsonTokenType.Number
                && (type != typeof(int) || reader.TryGetInt32(out _))
                && (type != typeof(long) || reader.TryGetInt64(out _));
        }
        else if (type == typeof(bool))
        {
            ok = token is JsonTokenType.True or JsonTokenType.False;
        }
        else if (type == typeof(string))
        {
            ok = token == JsonTokenType.String;
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            ok = token == JsonTokenType.String && reader.TryGetDateTimeOffset(out _);
        }
        else if (type == typeof(TimeSpan))
        {
            ok = token == JsonTokenType.String && TimeSpan.TryParseExact(reader.GetString(), "c", CultureInfo.InvariantCulture, out _);
        }
        else if (type == typeof(TimeOnly))
        {
            ok = token == JsonTokenType.String && TimeSpan.TryParseExact(reader.GetString(), "c", CultureInfo.InvariantCulture, out var t)
                && t >= TimeSpan.Zero && t < TimeSpan.FromDays(1);
        }
        else if (type.IsEnum)
        {
            ok = token == JsonTokenType.Number
                || (token == JsonTokenType.String && Enum.GetNames(type).Contains(reader.GetString(), StringComparer.OrdinalIgnoreCase));
        }

        if (!ok)
        {
            string found = token == JsonTokenType.String ? "\"" + reader.GetString() + "\"" : Describe(token);
            problems.AddAt(path, reader.TokenStartIndex, $"expected {Expected(type)}, found {found}.");
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string))
        {
            return "a string in quotes";
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "a date and time such as \"2026-01-05T22:00:00+00:00\"";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration such as \"06:00:00\" (hours:minutes:seconds) or \"7.00:00:00\" (days.hours:minutes:seconds)";
        }

        if (type == typeof(TimeOnly))
        {
            return "a time of day such as \"22:00:00\"";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        return "a " + type.Name;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static JsonTypeInfo? TypeInfo(JsonSerializerOptions options, Type? type)
    {
        if (type is null)
        {
            return null;
        }

        try
        {
            return options.GetTypeInfo(type);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string Child(string path, string key)
    {
        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return path + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
            }
        }

        return path + "." + key;
    }
}
