using PatchKit.Advisories.Versions;

namespace PatchKit.Hosts.Esx;

/// <summary>ESXi builds in the forms PatchKit's advisory orderings compare (<see cref="VersionScheme.EsxiRelease"/>,
/// <see cref="VersionScheme.EsxiBuild"/>): <c>8.0.3-0.0.24674464</c> for 6.x to 8.x, <c>9.0.0-0.24755229</c> for 9.x.</summary>
internal static class EsxBuild
{
    /// <summary>The comparable build string for a host's product version (<c>8.0.3</c>) and build (<c>24674464</c>), or
    /// empty when either is missing or not numeric.</summary>
    public static string Normalize(string version, string build)
    {
        string[] v = version.Split('.');
        if (v.Length < 2 || v.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)) || build.Length == 0 || !build.All(char.IsAsciiDigit))
        {
            return string.Empty;
        }

        string update = v.Length > 2 ? v[2] : "0";
        string text = int.Parse(v[0], System.Globalization.CultureInfo.InvariantCulture) >= 9
            ? v[0] + "." + v[1] + "." + update + "-0." + build
            : v[0] + "." + v[1] + "." + update + "-0.0." + build;
        return VersionComparer.IsValid(VersionScheme.EsxiBuild, text) ? text : string.Empty;
    }
}
