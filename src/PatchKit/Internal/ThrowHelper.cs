using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Internal;

/// <summary>Cold throw paths: hot methods call these and contain no <c>throw new</c> and no formatting (STYLE H6).</summary>
internal static class ThrowHelper
{
    private const int MaxShownBytes = 80;

    [DoesNotReturn]
    public static void ThrowPatchFormat(PatchError error, ReadOnlySpan<byte> line, long lineNumber, long bytePosition, long arg1 = 0, long arg2 = 0, long arg3 = 0)
    {
        throw CreatePatchFormat(error, line, lineNumber, bytePosition, arg1, arg2, arg3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PatchFormatException CreatePatchFormat(PatchError error, ReadOnlySpan<byte> line, long lineNumber, long bytePosition, long arg1 = 0, long arg2 = 0, long arg3 = 0)
    {
        string reason = GetReason(error, GetPrintableString(line), arg1, arg2, arg3);
        string message = lineNumber > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{reason} at line {lineNumber}, byte {bytePosition}.")
            : reason + ".";
        return new PatchFormatException(message, reason, lineNumber, bytePosition);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string GetReason(PatchError error, string line, long arg1, long arg2, long arg3) => error switch
    {
        PatchError.MalformedHunkHeader => $"Malformed hunk header \"{line}\" (expected \"@@ -a,b +c,d @@\")",
        PatchError.LineNumberTooLarge => $"Line number or count too large in hunk header \"{line}\" (at most {int.MaxValue})",
        PatchError.HunkTooShort => string.Create(CultureInfo.InvariantCulture, $"Hunk #{arg1} (header at line {arg2}) is short: it still expects {arg3 >> 32} old and {arg3 & 0xFFFFFFFF} new lines, but found \"{line}\""),
        PatchError.HunkTruncated => string.Create(CultureInfo.InvariantCulture, $"Hunk #{arg1} (header at line {arg2}) is cut off by the end of the patch: it still expects {arg3 >> 32} old and {arg3 & 0xFFFFFFFF} new lines"),
        PatchError.ContextHunkTruncated => string.Create(CultureInfo.InvariantCulture, $"Context diff hunk #{arg1} is cut off by the end of the patch (it has no \"*** a,b ****\" / \"--- c,d ----\" section)"),
        PatchError.CombinedDiff => $"Combined diffs (diff --cc / --combined, @@@ hunks) are not supported: \"{line}\"",
        PatchError.HunkWithoutFile => $"Hunk header without file headers (no ---/+++ or diff --git before it): \"{line}\"",
        PatchError.MalformedContextRange => $"Malformed context diff range \"{line}\" (expected \"*** a,b ****\" or \"--- c,d ----\")",
        PatchError.UnexpectedContextLine => $"Unexpected line in a context diff hunk: \"{line}\"",
        PatchError.MalformedBinaryPatch => $"Malformed GIT binary patch: \"{line}\"",
        PatchError.MalformedGitHeader => $"Malformed git header \"{line}\"",
        PatchError.MalformedQuotedPath => $"Malformed quoted path in \"{line}\"",
        PatchError.NoPatch => arg1 == 0
            ? "No patch found in the input: it is empty"
            : string.Create(CultureInfo.InvariantCulture, $"No patch found in the input: none of its {arg1} line{(arg1 == 1 ? string.Empty : "s")} starts a file patch (\"--- \" and \"+++ \", \"diff --git\" or \"*** \")"),
        _ => "Malformed patch",
    };

    /// <summary>Shows bytes printable: ASCII as is, anything else as <c>0xNN</c>; long input is cut with an ellipsis.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string GetPrintableString(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && (bytes[^1] == (byte)'\n' || bytes[^1] == (byte)'\r'))
        {
            bytes = bytes[..^1];
        }

        bool cut = bytes.Length > MaxShownBytes;
        if (cut)
        {
            bytes = bytes[..MaxShownBytes];
        }

        var sb = new StringBuilder(bytes.Length + 8);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append("0x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        if (cut)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }
}
