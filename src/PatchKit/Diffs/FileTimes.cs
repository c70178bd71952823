using System.IO.Abstractions;
using System.Runtime.InteropServices;

namespace PatchKit.Diffs;

/// <summary>Reads a file's modification time to the nanosecond on Linux (GNU diff prints nanoseconds; .NET's
/// <see cref="DateTime"/> keeps 100 ns ticks). Only for the real file system; elsewhere the ticks are used.</summary>
internal static partial class FileTimes
{
    private static readonly bool s_supported = OperatingSystem.IsLinux() && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    public static int? TryGetNanoseconds(IFileSystem fileSystem, string path)
    {
        if (!s_supported || fileSystem is not FileSystem)
        {
            return null;
        }

        try
        {
            Span<byte> buf = stackalloc byte[256];
            if (Stat(path, ref MemoryMarshal.GetReference(buf)) != 0)
            {
                return null;
            }

            // struct stat on glibc x86-64 and aarch64: st_mtim at offset 88 (tv_sec), 96 (tv_nsec).
            long nsec = MemoryMarshal.Read<long>(buf[96..]);
            return nsec is >= 0 and < 1_000_000_000 ? (int)nsec : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte buffer);
}
