namespace PatchKit.Diffs;

/// <summary>Git extended headers and binary patches.</summary>
public ref partial struct UnifiedDiffReader
{
    private static bool IsGitExtendedHeader(ReadOnlySpan<byte> line)
    {
        switch (line[0])
        {
            case (byte)'o':
                return line.StartsWith("old mode "u8);
            case (byte)'n':
                return line.StartsWith("new mode "u8) || line.StartsWith("new file mode "u8);
            case (byte)'d':
                return line.StartsWith("deleted file mode "u8) || line.StartsWith("dissimilarity index "u8);
            case (byte)'c':
                return line.StartsWith("copy from "u8) || line.StartsWith("copy to "u8);
            case (byte)'r':
                return line.StartsWith("rename from "u8) || line.StartsWith("rename to "u8) || line.StartsWith("rename old "u8) || line.StartsWith("rename new "u8);
            case (byte)'s':
                return line.StartsWith("similarity index "u8);
            case (byte)'i':
                return line.StartsWith("index "u8);
            default:
                return false;
        }
    }

    private bool TryBinaryLine(ReadOnlySpan<byte> line, out DiffTokenType token)
    {
        if (line.StartsWith("literal "u8) || line.StartsWith("delta "u8))
        {
            _inBinaryBlock = true;
            token = DiffTokenType.BinaryBlockHeader;
            return true;
        }

        if (TrimEol(line).IsEmpty)
        {
            if (_inBinaryBlock)
            {
                _inBinaryBlock = false;
                token = DiffTokenType.BinaryBlockEnd;
                return true;
            }

            token = DiffTokenType.None;
            return false;
        }

        if (_inBinaryBlock)
        {
            token = DiffTokenType.BinaryData;
            return true;
        }

        token = DiffTokenType.None;
        return false;
    }
}
