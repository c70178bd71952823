using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Osv;

/// <summary>Reads <c>GIT | SEMVER | ECOSYSTEM</c>; anything else is an error naming the value (the serializer adds the path).</summary>
internal sealed class OsvRangeTypeConverter : JsonConverter<OsvRangeType>
{
    public override OsvRangeType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw AdvisoryJson.ValueError($"wrong type: found {Kind(reader.TokenType)}, wanted a string (GIT | SEMVER | ECOSYSTEM)");
        }

        if (reader.ValueTextEquals("SEMVER"u8))
        {
            return OsvRangeType.Semver;
        }

        if (reader.ValueTextEquals("ECOSYSTEM"u8))
        {
            return OsvRangeType.Ecosystem;
        }

        if (reader.ValueTextEquals("GIT"u8))
        {
            return OsvRangeType.Git;
        }

        throw AdvisoryJson.ValueError($"unknown range type \"{reader.GetString()}\" (wanted GIT | SEMVER | ECOSYSTEM)");
    }

    public override void Write(Utf8JsonWriter writer, OsvRangeType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            OsvRangeType.Semver => "SEMVER",
            OsvRangeType.Ecosystem => "ECOSYSTEM",
            OsvRangeType.Git => "GIT",
            _ => string.Empty,
        });

    private static string Kind(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
