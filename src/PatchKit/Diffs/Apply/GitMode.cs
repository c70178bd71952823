namespace PatchKit.Diffs.Apply;

/// <summary>Git file modes (octal in the headers: <c>100644</c>, <c>100755</c>, <c>120000</c>).</summary>
internal static class GitMode
{
    /// <summary>Octal 120000: a symbolic link.</summary>
    public const int Symlink = 0xA000;

    /// <summary>Octal 111: any exec bit.</summary>
    public const int AnyExecute = 0x49;

    /// <summary>Returns the numeric mode, accepting one whose octal digits were read as a decimal number.</summary>
    public static int? Normalize(int? mode)
    {
        if (mode is not int m)
        {
            return null;
        }

        if (m >= 100000 && m <= 177777)
        {
            int value = 0;
            foreach (char c in m.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                if (c > '7')
                {
                    return m;
                }

                value = (value * 8) + (c - '0');
            }

            return value;
        }

        return m;
    }
}
