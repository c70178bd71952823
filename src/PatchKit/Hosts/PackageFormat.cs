namespace PatchKit.Hosts;

/// <summary>How a host's installed software is packaged; it decides which version ordering applies.</summary>
public enum PackageFormat
{
    /// <summary>Not known: versions are not compared.</summary>
    Unknown = 0,

    /// <summary>A Debian package (<c>dpkg-query -W</c>), compared as dpkg does.</summary>
    Dpkg = 1,

    /// <summary>An RPM package (<c>rpm -qa</c>), compared as rpm does.</summary>
    Rpm = 2,

    /// <summary>An ESXi VIB.</summary>
    EsxiVib = 3,

    /// <summary>An ESXi component (7.0 and later).</summary>
    EsxiComponent = 4,

    /// <summary>A Windows update (KB, with its UpdateID and revision).</summary>
    WindowsUpdate = 5,

    /// <summary>An npm package.</summary>
    Npm = 6,

    /// <summary>A PyPI package.</summary>
    PyPI = 7,

    /// <summary>A NuGet package.</summary>
    NuGet = 8,
}
