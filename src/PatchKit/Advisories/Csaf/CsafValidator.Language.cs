namespace PatchKit.Advisories.Csaf;

/// <summary>6.1.12 Language, partly: a two-letter primary language subtag must be a registered ISO 639-1 code. Other subtags (three-letter
/// languages, scripts, regions, variants) are not checked: that needs the full IANA language subtag registry.</summary>
public static partial class CsafValidator
{
    // ISO 639-1 codes, plus the deprecated two-letter subtags the IANA registry still lists (in, iw, ji, jw, mo, sh).
    private static readonly HashSet<string> s_iso6391 = new(StringComparer.OrdinalIgnoreCase)
    {
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs",
        "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff",
        "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id",
        "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku",
        "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my",
        "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu",
        "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv",
        "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
        "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu", "in", "iw", "ji", "jw", "mo", "sh",
    };

    private static void LanguageTests(CsafDocument doc, Findings findings)
    {
        foreach ((string? tag, string path) in new[] { (doc.Document?.Lang, "$.document.lang"), (doc.Document?.SourceLang, "$.document.source_lang") })
        {
            if (tag is null)
            {
                continue;
            }

            int dash = tag.IndexOf('-', StringComparison.Ordinal);
            string primary = dash >= 0 ? tag[..dash] : tag;
            if (primary.Length == 2 && primary.All(char.IsAsciiLetter) && !s_iso6391.Contains(primary))
            {
                findings.Add("6.1.12", path, $"\"{tag}\": \"{primary}\" is not a registered language subtag");
            }
        }
    }
}
