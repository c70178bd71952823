using System.Globalization;

namespace PatchKit.Diffs;

/// <summary>The local time of an instant as glibc's <c>localtime</c> gives it for the process's <c>TZ</c>: a zone file
/// when <c>TZ</c> names one (.NET's <see cref="TimeZoneInfo.Local"/>), else <c>TZ</c> read as a POSIX rule
/// (<c>JST-9</c>, <c>&lt;+0530&gt;-5:30</c>, <c>CET-1CEST,M3.5.0,M10.5.0/3</c>, <c>EST5EDT4,J60/1,J300</c>; a summer
/// name without rules takes the US rules <c>M3.2.0,M11.1.0</c>), which .NET would read as UTC. A rule glibc cannot read
/// is UTC, as with glibc.</summary>
internal static class PosixTimeZone
{
    private static readonly Lazy<Rule?> s_rule = new(() => Read(Environment.GetEnvironmentVariable("TZ")));

    /// <summary>The local wall-clock time of <paramref name="utc"/> and its distance from UTC in seconds (glibc keeps
    /// seconds; <c>%z</c> shows whole minutes).</summary>
    public static (DateTime Local, int OffsetSeconds) ToLocal(DateTimeOffset utc)
    {
        if (s_rule.Value is not { } rule)
        {
            DateTimeOffset local = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.Local);
            return (local.DateTime, (int)local.Offset.TotalSeconds);
        }

        int offset = rule.OffsetAt(utc.UtcDateTime);
        return (utc.UtcDateTime.AddSeconds(offset), offset);
    }

    /// <summary>The rule <paramref name="tz"/> states, or <see langword="null"/> when .NET's own reading is right (no
    /// <c>TZ</c>, an empty one, or one naming a zone file or <c>:</c>-prefixed).</summary>
    internal static Rule? Read(string? tz)
    {
        if (string.IsNullOrEmpty(tz) || tz[0] == ':' || !OperatingSystem.IsLinux())
        {
            return null;
        }

        string dir = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } d ? d : "/usr/share/zoneinfo";
        if (!tz.Contains("..", StringComparison.Ordinal) && File.Exists(tz[0] == '/' ? tz : Path.Combine(dir, tz)))
        {
            return null;
        }

        var reader = new RuleReader(tz);
        return reader.Parse() ?? new Rule(0, 0, null, null);
    }

    /// <summary>One day of a rule: <c>Jn</c> (1–365, February 29 never counted), <c>n</c> (0–365), or
    /// <c>Mm.w.d</c>; and the local time of the change in seconds.</summary>
    internal readonly record struct Change(char Kind, int A, int B, int C, int Seconds)
    {
        /// <summary>The change's local time in <paramref name="year"/>, as seconds since that year's start.</summary>
        public long SecondsIntoYear(int year)
        {
            bool leap = DateTime.IsLeapYear(year);
            int day = Kind switch
            {
                'J' => A - 1 + (leap && A >= 60 ? 1 : 0),
                'n' => A,
                _ => MonthDay(year, A, B, C),
            };
            return (day * 86400L) + Seconds;
        }

        private static int MonthDay(int year, int month, int week, int weekday)
        {
            var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
            int day = 1 + ((weekday - (int)first.DayOfWeek + 7) % 7) + ((week - 1) * 7);
            while (day > DateTime.DaysInMonth(year, month))
            {
                day -= 7;
            }

            return first.DayOfYear - 1 + day - 1;
        }
    }

    /// <summary>A POSIX rule: standard and summer offsets east of UTC in seconds and the two changes.</summary>
    internal sealed record Rule(int Standard, int Summer, Change? Start, Change? End)
    {
        public int OffsetAt(DateTime utc)
        {
            if (Start is not { } start || End is not { } end)
            {
                return Standard;
            }

            int year = utc.AddSeconds(Standard).Year;
            long yearStart = (long)(new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;
            long t = (long)(utc - DateTime.UnixEpoch).TotalSeconds;
            long on = yearStart + start.SecondsIntoYear(year) - Standard;
            long off = yearStart + end.SecondsIntoYear(year) - Summer;
            bool summer = on < off ? t >= on && t < off : !(t >= off && t < on);
            return summer ? Summer : Standard;
        }
    }

    /// <summary>Reads a rule as glibc's tzset does.</summary>
    private sealed class RuleReader(string text)
    {
        private int _i;

        public Rule? Parse()
        {
            if (!Name() || Offset(out int std) is false)
            {
                return null;
            }

            int standard = -std;
            if (_i == text.Length)
            {
                return new Rule(standard, standard, null, null);
            }

            if (!Name())
            {
                return null;
            }

            int summer = standard + 3600;
            if (_i < text.Length && text[_i] != ',')
            {
                if (!Offset(out int dst))
                {
                    return null;
                }

                summer = -dst;
            }

            if (_i == text.Length)
            {
                // No rules: glibc's default, the US rules.
                return new Rule(standard, summer, new Change('M', 3, 2, 0, 7200), new Change('M', 11, 1, 0, 7200));
            }

            if (text[_i++] != ',' || ReadChange() is not { } start || _i >= text.Length || text[_i++] != ',' || ReadChange() is not { } end || _i != text.Length)
            {
                return null;
            }

            return new Rule(standard, summer, start, end);
        }

        private bool Name()
        {
            int begin = _i;
            if (_i < text.Length && text[_i] == '<')
            {
                int close = text.IndexOf('>', _i);
                if (close < 0)
                {
                    return false;
                }

                _i = close + 1;
                return close - begin - 1 >= 3;
            }

            while (_i < text.Length && char.IsAsciiLetter(text[_i]))
            {
                _i++;
            }

            return _i - begin >= 3;
        }

        /// <summary><c>[+-]hh[:mm[:ss]]</c> in seconds (an offset: positive west of UTC, as POSIX writes it; a
        /// change's time: up to 167 hours).</summary>
        private bool Offset(out int seconds, int maxHours = 24)
        {
            seconds = 0;
            int sign = 1;
            if (_i < text.Length && text[_i] is '+' or '-')
            {
                sign = text[_i++] == '-' ? -1 : 1;
            }

            if (!Time(out int value, maxHours))
            {
                return false;
            }

            seconds = sign * value;
            return true;
        }

        private bool Time(out int seconds, int maxHours)
        {
            seconds = 0;
            int[] parts = [0, 0, 0];
            for (int k = 0; k < 3; k++)
            {
                int begin = _i;
                while (_i < text.Length && char.IsAsciiDigit(text[_i]))
                {
                    _i++;
                }

                if (_i == begin || !int.TryParse(text.AsSpan(begin, _i - begin), NumberStyles.None, CultureInfo.InvariantCulture, out parts[k]))
                {
                    return false;
                }

                if (k == 2 || _i >= text.Length || text[_i] != ':')
                {
                    break;
                }

                _i++;
            }

            // glibc clamps each part (compute_offset): 25 hours are 24, 60 minutes 59.
            seconds = (Math.Min(parts[0], maxHours) * 3600) + (Math.Min(parts[1], 59) * 60) + Math.Min(parts[2], 59);
            return true;
        }

        private Change? ReadChange()
        {
            char kind = _i < text.Length && text[_i] is 'J' or 'M' ? text[_i++] : 'n';
            int a = Number();
            int b = 0, c = 0;
            if (kind == 'M')
            {
                if (_i >= text.Length || text[_i++] != '.')
                {
                    return null;
                }

                b = Number();
                if (_i >= text.Length || text[_i++] != '.')
                {
                    return null;
                }

                c = Number();
                if (a is < 1 or > 12 || b is < 1 or > 5 || c is < 0 or > 6)
                {
                    return null;
                }
            }
            else if (kind == 'J' ? a is < 1 or > 365 : a is < 0 or > 365)
            {
                return null;
            }

            int seconds = 7200;
            if (_i < text.Length && text[_i] == '/')
            {
                _i++;
                if (!Offset(out seconds, 167))
                {
                    return null;
                }
            }

            return new Change(kind, a, b, c, seconds);
        }

        private int Number()
        {
            int begin = _i;
            while (_i < text.Length && char.IsAsciiDigit(text[_i]))
            {
                _i++;
            }

            return _i > begin && int.TryParse(text.AsSpan(begin, _i - begin), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
        }
    }
}
