using System.Globalization;
using System.Security.Cryptography;

namespace PatchKit.Diffs.Apply;

/// <summary>Git blob ids: SHA-1 of <c>"blob LENGTH\0"</c> and the content. A binary patch is only applied to the
/// exact preimage its <c>index</c> line names (as git apply does), since a delta on other bytes gives garbage.</summary>
internal static class GitBlob
{
    /// <summary>Returns <see langword="true"/> when <paramref name="objectId"/> is not a full id (nothing to check), is
    /// all zeros for an empty side, or equals the blob id of <paramref name="content"/>.</summary>
    public static bool Matches(string? objectId, ReadOnlySpan<byte> content)
    {
        if (objectId is null || objectId.Length != 40)
        {
            return true;
        }

        if (objectId.AsSpan().IndexOfAnyExcept('0') < 0)
        {
            return content.IsEmpty;
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {content.Length}\0")));
        sha.AppendData(content);
        Span<byte> hash = stackalloc byte[20];
        sha.GetHashAndReset(hash);
        return string.Equals(Convert.ToHexStringLower(hash), objectId, StringComparison.OrdinalIgnoreCase);
    }
}
