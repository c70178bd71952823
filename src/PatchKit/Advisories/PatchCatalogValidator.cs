using System.Globalization;
using PatchKit.Internal;

namespace PatchKit.Advisories;

/// <summary>The rules of a catalog file beyond its JSON shape: every patch has a unique id and applies to something.</summary>
internal static class PatchCatalogValidator
{
    public static void Validate(PatchCatalogDocument catalog, JsonInputProblems problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < catalog.Patches.Count; i++)
        {
            var patch = catalog.Patches[i];
            string at = "$.patches[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (string.IsNullOrWhiteSpace(patch.Id))
            {
                problems.Add(at + ".id", "the patch id is empty; give every patch a unique id.");
            }
            else if (!first.TryAdd(patch.Id, i))
            {
                problems.Add(at + ".id", $"the patch id \"{patch.Id}\" is already used by $.patches[{first[patch.Id].ToString(CultureInfo.InvariantCulture)}]; patch ids must be unique.");
            }

            if (patch.AppliesTo.Count == 0)
            {
                problems.Add(at + ".appliesTo", "appliesTo is empty, so the patch applies to no host; add a rule such as { \"kind\": \"Esx\" }.");
            }
        }
    }
}
