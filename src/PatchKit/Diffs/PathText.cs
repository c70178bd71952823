using System.Text;

namespace PatchKit.Diffs;

/// <summary>Decodes raw path bytes for display, once per file.</summary>
internal static class PathText
{
    private static readonly UTF8Encoding s_lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string Decode(ReadOnlySpan<byte> path) => s_lenient.GetString(path);
}
