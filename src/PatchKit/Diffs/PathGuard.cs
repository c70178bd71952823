using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Text;

namespace PatchKit.Diffs;

/// <summary>The one gate every tree writer goes through: turns a raw patch path into a safe path inside the target
/// root, and refuses anything that could read or write outside it (STYLE: "Every writer goes through one path
/// guard").</summary>
/// <remarks>
/// Refused, on every operating system so a patch is judged the same wherever it is applied: absolute paths, empty
/// components, <c>..</c> (with <c>/</c> or <c>\</c> as separator), Windows drive (<c>C:</c>), UNC
/// (<c>\\server</c>) and device names (<c>CON</c>, <c>NUL</c>, <c>COM1</c>, … with any extension), NUL, CR or LF
/// in a name, <c>.git</c> in any case or with trailing dots and spaces (unless allowed), a path whose folder is a
/// symbolic link, and a symbolic link target that is absolute or climbs out of the tree.
/// </remarks>
internal sealed class PathGuard
{
    /// <summary>The longest relative path accepted, in bytes (Linux's <c>PATH_MAX</c>).</summary>
    internal const int MaxPathBytes = 4096;

    private static readonly string[] s_devices =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    private readonly IFileSystem _fs;
    private readonly bool _allowGit;
    private readonly ConcurrentDictionary<string, bool> _checkedFolders = new(StringComparer.Ordinal);

    public PathGuard(IFileSystem fs, string root, bool allowGitDirectory)
    {
        _fs = fs;
        Root = fs.Path.GetFullPath(root);
        _allowGit = allowGitDirectory;
    }

    /// <summary>Gets the full path of the tree root.</summary>
    public string Root { get; }

    /// <summary>Strips <paramref name="strip"/> leading components (runs of <c>/</c> count as one separator, as
    /// <c>patch -p</c>) and checks what is left. Returns the relative path with <c>/</c> separators.</summary>
    /// <exception cref="PathSafetyException">The path is unsafe; the message names it.</exception>
    public string Relative(ReadOnlySpan<byte> raw, int strip)
    {
        string display = Printable(raw);
        ReadOnlySpan<byte> rest = raw;
        for (int i = 0; i < strip; i++)
        {
            int slash = rest.IndexOf((byte)'/');
            if (slash < 0)
            {
                throw Refuse(display, $"has fewer than {strip + 1} components, so -p{strip} leaves nothing");
            }

            rest = rest[(slash + 1)..];
            if (i < strip - 1)
            {
                while (!rest.IsEmpty && rest[0] == (byte)'/')
                {
                    rest = rest[1..];
                }
            }
        }

        return Check(rest, display);
    }

    /// <summary>Checks an already relative path (for example one this component produced) again.</summary>
    public string Check(ReadOnlySpan<byte> path, string display)
    {
        if (path.IsEmpty)
        {
            throw Refuse(display, "is empty");
        }

        if (path.Length > MaxPathBytes)
        {
            // Linux's PATH_MAX: no file system call could take it, and checking every folder of a path that deep
            // would cost time quadratic in its depth.
            throw Refuse(display.Length > 120 ? string.Concat(display.AsSpan(0, 120), "…") : display, $"is {path.Length:N0} bytes long, more than the {MaxPathBytes:N0} a path may have");
        }

        if (path.IndexOfAny((byte)0, (byte)'\n', (byte)'\r') >= 0)
        {
            throw Refuse(display, "holds a NUL, CR or newline character");
        }

        if (path[0] == (byte)'/' || path[0] == (byte)'\\')
        {
            throw Refuse(display, "is absolute (or a UNC path)");
        }

        if (path.Length >= 2 && path[1] == (byte)':' && IsAsciiLetter(path[0]))
        {
            throw Refuse(display, "starts with a Windows drive");
        }

        var sb = new StringBuilder(path.Length);
        int start = 0;
        while (start <= path.Length)
        {
            int slash = path[start..].IndexOf((byte)'/');
            int end = slash < 0 ? path.Length : start + slash;
            ReadOnlySpan<byte> segment = path[start..end];
            if (segment.IsEmpty)
            {
                if (end == path.Length && sb.Length > 0)
                {
                    break; // a trailing slash
                }

                throw Refuse(display, "has an empty component");
            }

            CheckSegment(segment, display);
            if (!(segment.Length == 1 && segment[0] == (byte)'.'))
            {
                if (sb.Length > 0)
                {
                    sb.Append('/');
                }

                sb.Append(PathText.Decode(segment));
            }

            if (slash < 0)
            {
                break;
            }

            start = end + 1;
        }

        if (sb.Length == 0)
        {
            throw Refuse(display, "names the tree itself");
        }

        return sb.ToString();
    }

    /// <summary>Gets the full path of a checked relative path.</summary>
    public string Full(string relative) => _fs.Path.Combine(Root, relative);

    /// <summary>Refuses a path when one of its folders inside the tree is a symbolic link, or when
    /// <paramref name="mustNotBeLink"/> and the path itself is one (writing through it would change the file it
    /// points to).</summary>
    public void CheckNoLinks(string relative, bool mustNotBeLink)
    {
        int slash = relative.LastIndexOf('/');
        if (slash > 0)
        {
            CheckFolder(relative[..slash], relative);
        }

        if (mustNotBeLink && IsLink(Full(relative)))
        {
            throw Refuse(relative, "is a symbolic link; the patch would write through it");
        }
    }

    /// <summary>Refuses a symbolic link target that is absolute or, resolved from the link's folder, leaves the tree.</summary>
    public void CheckLinkTarget(string linkRelative, ReadOnlySpan<byte> target)
    {
        string display = linkRelative + " -> " + Printable(target);
        if (target.IsEmpty || target.IndexOfAny((byte)0, (byte)'\n') >= 0)
        {
            throw Refuse(display, "is not a usable symbolic link target");
        }

        if (target[0] == (byte)'/' || target[0] == (byte)'\\' || (target.Length >= 2 && target[1] == (byte)':' && IsAsciiLetter(target[0])))
        {
            throw Refuse(display, "is a symbolic link to an absolute path");
        }

        int depth = linkRelative.Split('/').Length - 1;
        foreach (string part in PathText.Decode(target).Split('/', '\\'))
        {
            if (part == "..")
            {
                if (--depth < 0)
                {
                    throw Refuse(display, "is a symbolic link that points outside the tree");
                }
            }
            else if (part.Length > 0 && part != ".")
            {
                depth++;
            }
        }
    }

    internal static string Printable(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder(raw.Length);
        foreach (char c in PathText.Decode(raw))
        {
            if (c < 0x20 || c == 0x7f)
            {
                sb.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\0' => "\\0", _ => "\\x" + ((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) });
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static PathSafetyException Refuse(string display, string why) =>
        new($"Refusing path '{display}': it {why}. Nothing was written.", display);

    private void CheckSegment(ReadOnlySpan<byte> segment, string display)
    {
        // ".." with either separator, and Windows' view of the name (trailing dots and spaces dropped).
        int start = 0;
        while (start <= segment.Length)
        {
            int bs = segment[start..].IndexOf((byte)'\\');
            int end = bs < 0 ? segment.Length : start + bs;
            ReadOnlySpan<byte> part = segment[start..end];
            if (part.SequenceEqual(".."u8))
            {
                throw Refuse(display, "climbs out with '..'");
            }

            ReadOnlySpan<byte> trimmed = part.TrimEnd(" ."u8);
            if (!_allowGit && trimmed.Length == 4 && Ascii.EqualsIgnoreCase(trimmed, ".git"u8) && part.Length >= 4)
            {
                throw Refuse(display, "writes into a .git folder");
            }

            if (IsDevice(part))
            {
                throw Refuse(display, "is a Windows device name");
            }

            if (bs < 0)
            {
                break;
            }

            start = end + 1;
        }
    }

    private static bool IsDevice(ReadOnlySpan<byte> part)
    {
        int dot = part.IndexOf((byte)'.');
        ReadOnlySpan<byte> stem = (dot < 0 ? part : part[..dot]).TrimEnd(" "u8);
        if (stem.Length is < 3 or > 7)
        {
            return false;
        }

        foreach (string device in s_devices)
        {
            if (stem.Length == device.Length && Ascii.EqualsIgnoreCase(stem, device))
            {
                return true;
            }
        }

        return false;
    }

    private void CheckFolder(string folder, string forPath)
    {
        if (_checkedFolders.TryGetValue(folder, out bool ok) && ok)
        {
            return;
        }

        int slash = folder.LastIndexOf('/');
        if (slash > 0)
        {
            CheckFolder(folder[..slash], forPath);
        }

        if (IsLink(Full(folder)))
        {
            throw Refuse(forPath, $"goes through '{folder}', a symbolic link");
        }

        _checkedFolders[folder] = true;
    }

    private bool IsLink(string full)
    {
        try
        {
            return (_fs.File.GetAttributes(full) & FileAttributes.ReparsePoint) != 0;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }
}
