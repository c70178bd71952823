namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Issue 25: <c>--quoting-style</c> and <c>QUOTING_STYLE</c>, each style run through GNU patch and PatchKit's
/// drop-in on names that need quoting: a quote, a dollar, a space, a double quote, a backslash, a leading tilde, a
/// UTF-8 letter (octal in the C locale), and for the C and escape styles an escape sequence (which GNU prints escaped
/// too; in the literal and shell styles GNU prints it raw and PatchKit does not, see ByteFileNameTests).</summary>
internal static partial class GnuCompatRows
{
    private static readonly string[] s_quotedNames = ["it's.txt", "$HOME.txt", "a b.txt", "q\"uote.txt", "back\\slash.txt", "~tilde", "café.txt", "plain-name_1.txt"];

    private static IEnumerable<CompatRow> QuotingRows()
    {
        foreach (string style in new[] { "literal", "shell", "shell-always", "c", "escape" })
        {
            string[] names = style is "c" or "escape" ? [.. s_quotedNames, "esc\u001b[31mred.txt", "tab\there"] : s_quotedNames;
            var files = names.Select(n => (n, "x\n")).Append(("p.diff", QuotingPatch(names))).ToArray();
            yield return P($"patch --quoting-style={style}, names that need quoting", files, "--quoting-style=" + style, "-i", "p.diff");
            yield return P($"patch QUOTING_STYLE={style}, names that need quoting", files, "-i", "p.diff") with { Env = [("QUOTING_STYLE", style)] };
        }

        yield return P("patch QUOTING_STYLE not a style is ignored", F(("it's.txt", "x\n"), ("p.diff", QuotingPatch(["it's.txt"]))), "-i", "p.diff") with { Env = [("QUOTING_STYLE", "bogus")] };
        yield return P("patch --quoting-style overrides QUOTING_STYLE", F(("it's.txt", "x\n"), ("p.diff", QuotingPatch(["it's.txt"]))), "--quoting-style=c", "-i", "p.diff") with { Env = [("QUOTING_STYLE", "literal")] };
    }

    /// <summary>One file patch per name, the names C-quoted (GNU patch reads quoted names in <c>---</c> lines).</summary>
    private static string QuotingPatch(string[] names)
    {
        var sb = new System.Text.StringBuilder();
        foreach (string n in names)
        {
            string q = CQuote(n);
            sb.Append("--- ").Append(q).Append("\n+++ ").Append(q).Append("\n@@ -1 +1 @@\n-x\n+y\n");
        }

        return sb.ToString();
    }

    private static string CQuote(string name)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            sb.Append(b is (byte)'"' or (byte)'\\' ? "\\" + (char)b : b is < 0x20 or >= 0x7f ? "\\" + Convert.ToString(b, 8).PadLeft(3, '0') : ((char)b).ToString());
        }

        return sb.Append('"').ToString();
    }
}
