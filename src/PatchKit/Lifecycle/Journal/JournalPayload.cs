using System.Text.Json;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Lifecycle.Journal;

/// <summary>The typed fields of a <see cref="JournalRecord"/> beyond its scalar columns (<see cref="JournalRecord.Guests"/>,
/// <see cref="JournalRecord.Assessments"/>, and those later formats add), as one JSON document: a journal kept in a
/// database stores it in one column beside the scalar ones, so a new field needs no new column.</summary>
public static class JournalPayload
{
    /// <summary>Returns the record's typed fields as JSON, or <see langword="null"/> when it has none.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The JSON text, or <see langword="null"/>.</returns>
    public static string? Write(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Guests is null && record.Assessments is null)
        {
            return null;
        }

        return JsonSerializer.Serialize(new Fields { Guests = record.Guests?.ToList(), Assessments = record.Assessments?.ToList() }, JournalJsonContext.Default.Fields);
    }

    /// <summary>Returns the record with the typed fields read from <paramref name="payload"/>.</summary>
    /// <param name="record">The record read from the scalar columns.</param>
    /// <param name="payload">What <see cref="Write"/> returned for it, or <see langword="null"/>.</param>
    /// <returns>The whole record.</returns>
    /// <exception cref="JournalCorruptException">The payload is not what <see cref="Write"/> writes.</exception>
    public static JournalRecord Read(JournalRecord record, string? payload)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (payload is null)
        {
            return record;
        }

        Fields? fields;
        try
        {
            fields = JsonSerializer.Deserialize(payload, JournalJsonContext.Default.Fields);
        }
        catch (JsonException ex)
        {
            throw new JournalCorruptException("The typed fields of journal record " + record.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " are not valid JSON: " + ex.Message, ex);
        }

        return fields is null ? record : record with { Guests = fields.Guests, Assessments = fields.Assessments };
    }

    internal sealed class Fields
    {
        public List<string>? Guests { get; set; }

        public List<HostAssessment>? Assessments { get; set; }
    }
}
