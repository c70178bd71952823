using System.Runtime.InteropServices;

namespace PatchKit.Cli.Commands;

/// <summary>The wall-clock time to the nanosecond (<c>clock_gettime(CLOCK_REALTIME)</c>), as GNU diff dates standard
/// input; <see cref="DateTimeOffset.UtcNow"/>'s 100 ns ticks where the call is not there.</summary>
internal static partial class RealTimeClock
{
    private const int ClockRealtime = 0;

    /// <summary>Gets the seconds since the Unix epoch and the nanoseconds within that second.</summary>
    public static (long Seconds, int Nanoseconds) Now()
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)
        {
            try
            {
                if (ClockGetTime(ClockRealtime, out TimeSpec now) == 0)
                {
                    return (now.Seconds, (int)now.Nanoseconds);
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // Not glibc-like: the managed clock below.
            }
        }

        long ticks = DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerSecond, (int)(ticks % TimeSpan.TicksPerSecond) * 100);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
