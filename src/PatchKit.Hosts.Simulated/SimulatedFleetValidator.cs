using System.Globalization;
using PatchKit.Internal;

namespace PatchKit.Hosts.Simulated;

/// <summary>The rules of a fleet description beyond its JSON shape: unique host ids, a <c>parentId</c> that names a host
/// of the fleet, and a <c>startTime</c> that is written out.</summary>
internal static class SimulatedFleetValidator
{
    /// <summary>Keys a fleet file must have besides the <c>required</c> members.</summary>
    public static readonly IReadOnlyList<(Type Owner, string Key)> AlsoRequired = [(typeof(SimulatedFleetDescription), "startTime")];

    public static void Validate(SimulatedFleetDescription fleet, JsonInputProblems problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < fleet.Hosts.Count; i++)
        {
            string id = fleet.Hosts[i].Id;
            if (fleet.Hosts[i].Kind == HostKind.Unknown)
            {
                problems.Add(Path(i, "kind"), "a simulated machine needs a kind: Esx, Kvm, Windows or Linux.");
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                problems.Add(Path(i, "id"), "the host id is empty; give every host a unique id.");
            }
            else if (!first.TryAdd(id, i))
            {
                problems.Add(Path(i, "id"), $"the host id \"{id}\" is already used by $.hosts[{first[id].ToString(CultureInfo.InvariantCulture)}]; host ids must be unique.");
            }
        }

        for (int i = 0; i < fleet.Hosts.Count; i++)
        {
            if (fleet.Hosts[i].ParentId is { } parent)
            {
                if (!first.ContainsKey(parent))
                {
                    string? nearest = JsonInput.Nearest(parent, first.Keys);
                    problems.Add(Path(i, "parentId"), $"parentId \"{parent}\" names no host of this fleet" + (nearest is null ? "; give the id of the host this guest runs on, or remove parentId for a host." : $"; did you mean \"{nearest}\"?"));
                }
                else if (parent == fleet.Hosts[i].Id)
                {
                    problems.Add(Path(i, "parentId"), $"host \"{parent}\" names itself as its parent; remove parentId for a host.");
                }
            }
        }
    }

    private static string Path(int index, string key) => "$.hosts[" + index.ToString(CultureInfo.InvariantCulture) + "]." + key;
}
