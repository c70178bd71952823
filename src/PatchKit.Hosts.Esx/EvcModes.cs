namespace PatchKit.Hosts.Esx;

/// <summary>vSphere's EVC modes (CPU baselines) in order, per vendor: a host offering a mode can take a VM needing that
/// mode or an older one of the same vendor.</summary>
internal static class EvcModes
{
    private static readonly string[] Intel =
    [
        "intel-merom", "intel-penryn", "intel-nehalem", "intel-westmere", "intel-sandybridge", "intel-ivybridge", "intel-haswell",
        "intel-broadwell", "intel-skylake", "intel-cascadelake", "intel-icelake", "intel-sapphirerapids", "intel-graniterapids",
    ];

    private static readonly string[] Amd =
    [
        "amd-rev-e", "amd-rev-f", "amd-greyhound-no3dnow", "amd-greyhound", "amd-bulldozer", "amd-piledriver", "amd-steamroller",
        "amd-zen", "amd-zen2", "amd-zen3", "amd-zen4", "amd-zen5",
    ];

    /// <summary>Whether a host offering <paramref name="offered"/> can run a VM that needs <paramref name="needed"/>.
    /// Modes of different vendors never match; a mode not in the table matches only itself.</summary>
    public static bool Covers(string offered, string needed)
    {
        if (string.Equals(offered, needed, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var list in (string[][])[Intel, Amd])
        {
            int o = Array.FindIndex(list, m => string.Equals(m, offered, StringComparison.OrdinalIgnoreCase));
            int n = Array.FindIndex(list, m => string.Equals(m, needed, StringComparison.OrdinalIgnoreCase));
            if (o >= 0 && n >= 0)
            {
                return o >= n;
            }
        }

        return false;
    }
}
