namespace PatchKit.Cli.Commands;

/// <summary>What GNU diff's <c>setlocale(LC_ALL, "")</c> makes of the environment, for the one thing it changes in
/// PatchKit's drop-in: <c>diff -c</c> dates its headers as ctime does (<c>Thu Jan  2 03:04:05 2020</c>) in the C and
/// POSIX locales, and as <c>-u</c> does (<c>2020-01-02 03:04:05.000000000 +0000</c>) in any other.</summary>
/// <remarks>As glibc, a category's locale is <c>LC_ALL</c>, else its own variable, else <c>LANG</c>, else C; when any
/// category names a locale that is not installed, nothing is set and everything stays C. A locale is installed when it
/// is C, POSIX, C.UTF-8, or a folder of that name (the codeset normalized as glibc does: <c>UTF-8</c> is
/// <c>utf8</c>) under <c>/usr/lib/locale</c>; locales compiled into <c>locale-archive</c> are taken as installed.</remarks>
internal static class GnuLocale
{
    private static readonly string[] s_categories =
    [
        "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER", "LC_NAME",
        "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
    ];

    private static readonly Lazy<bool> s_isoContextDates = new(() => Category("LC_TIME") is not ("C" or "POSIX"));

    private static readonly Lazy<bool> s_utf8 = new(() => Category("LC_CTYPE") is { } ctype && ctype.IndexOf('.', StringComparison.Ordinal) is int dot and > 0
        && new string([.. ctype[(dot + 1)..].Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]) == "utf8");

    /// <summary>Gets a value indicating whether <c>diff -c</c> dates its headers as <c>-u</c> does (a locale other than
    /// C or POSIX is in effect for <c>LC_TIME</c>).</summary>
    public static bool IsoContextDates => s_isoContextDates.Value;

    /// <summary>Gets a value indicating whether characters are UTF-8 (<c>LC_CTYPE</c>'s codeset), as gnulib's quoting
    /// then reads a printable multibyte character as one.</summary>
    public static bool Utf8 => s_utf8.Value;

    /// <summary>The locale in effect for <paramref name="category"/> after <c>setlocale(LC_ALL, "")</c> (C when any
    /// category names a locale that is not installed).</summary>
    private static string Category(string category)
    {
        if (Value("LC_ALL") is { } all)
        {
            return Installed(all) ? all : "C";
        }

        string fallback = Value("LANG") ?? "C";
        return s_categories.Any(c => !Installed(Value(c) ?? fallback)) ? "C" : Value(category) ?? fallback;
    }

    private static string? Value(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static bool Installed(string name)
    {
        if (name is "C" or "POSIX")
        {
            return true;
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            return false;
        }

        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string normalized = dot < 0 ? name : name[..(dot + 1)] + new string([.. name[(dot + 1)..].Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        return normalized == "C.utf8"
            || Directory.Exists(Path.Combine("/usr/lib/locale", normalized))
            || Directory.Exists(Path.Combine("/usr/lib/locale", name))
            || File.Exists("/usr/lib/locale/locale-archive");
    }
}
