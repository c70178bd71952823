using System.Buffers;

namespace PatchKit.Diffs.Apply;

/// <summary>Writes the patched file into an <see cref="IBufferWriter{T}"/>; a line written without an ending gets a
/// <c>\n</c> if anything follows it, so lines are never joined.</summary>
internal struct OutputWriter
{
    private readonly IBufferWriter<byte> _output;
    private bool _open;

    public OutputWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _open = false;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_open)
        {
            _output.Write("\n"u8);
        }

        _output.Write(bytes);
        _open = bytes[^1] != (byte)'\n';
    }

    public void WriteLine(ReadOnlySpan<byte> body, LineEnding ending)
    {
        if (_open)
        {
            _output.Write("\n"u8);
            _open = false;
        }

        if (!body.IsEmpty)
        {
            _output.Write(body);
        }

        switch (ending)
        {
            case LineEnding.Lf:
                _output.Write("\n"u8);
                break;
            case LineEnding.CrLf:
                _output.Write("\r\n"u8);
                break;
            default:
                _open = !body.IsEmpty;
                break;
        }
    }
}
