using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Text;

namespace PatchKit.Diffs;

/// <summary>The one gate every tree writer goes through: turns a raw patch path into a safe path inside the target
/// root, and refuses anything that could read or write outside it (STYLE: "Every writer goes through one path
/// guard").</summary>
/// <remarks>
/// Refused on every operating system, so a patch is judged the same wherever it is applied: absolute paths, empty
/// components, <c>..</c> (with <c>/</c> or <c>\</c> as separator), Windows drive (<c>C:</c>), UNC
/// (<c>\\server</c>), NUL, CR or LF
/// in a name, <c>.git</c> in any case or with trailing dots and spaces (unless allowed), PatchKit's own journal name
/// at any depth, a path whose folder is a symbolic link, and a symbolic link target that is absolute or, resolved
/// against the tree after the patch, leaves it or enters <c>.git</c>. Windows device names are refused on Windows,
/// and elsewhere only when asked (<see cref="ApplyOptions.PortableNames"/>).
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

    /// <summary>The name of the undo journal of a tree apply (<c>TreeTransaction</c>): refused as a component of any
    /// path at any depth, so no patch can plant one for a later apply to replay.</summary>
    internal const string JournalName = ".patchkit-journal";

    /// <summary>The most symbolic links one link target may go through before it counts as a loop (Linux's
    /// <c>MAXSYMLINKS</c>).</summary>
    private const int MaxLinkHops = 40;

    private readonly IFileSystem _fs;
    private readonly bool _allowGit;
    private readonly bool _refuseDevices;
    private readonly ConcurrentDictionary<string, bool> _checkedFolders = new(StringComparer.Ordinal);

    /// <param name="fs">The file system the tree is on.</param>
    /// <param name="root">The tree's root folder.</param>
    /// <param name="allowGitDirectory">Whether paths (and link targets) into a <c>.git</c> folder are allowed.</param>
    /// <param name="refuseWindowsDeviceNames">Whether Windows device names (<c>CON</c>, <c>aux.txt</c>, …) are refused;
    /// <see langword="null"/>: only on Windows, where such a name does not address a file.</param>
    public PathGuard(IFileSystem fs, string root, bool allowGitDirectory, bool? refuseWindowsDeviceNames = null)
    {
        _fs = fs;
        Root = fs.Path.GetFullPath(root);
        _allowGit = allowGitDirectory;
        _refuseDevices = refuseWindowsDeviceNames ?? OperatingSystem.IsWindows();
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

                // Exactly: a name that is not valid UTF-8 keeps its bytes as escapes (PathText.DecodeName), so a
                // Latin-1 'caf\xe9.txt' names that file and no other.
                sb.Append(PathText.DecodeName(segment));
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

    /// <summary>Refuses a symbolic link target that is absolute or that, resolved from the link's folder against the
    /// tree as it will be after the patch, leaves the tree or enters a <c>.git</c> folder.</summary>
    /// <param name="linkRelative">The link's path, relative to the root.</param>
    /// <param name="target">The link's target as the patch (or a journal) gives it.</param>
    /// <param name="after">The paths the patch (or recovery) changes, with their new state: a symbolic link there is
    /// followed with its new target, any other entry is not a link. Every other path is looked up on the disk
    /// (<c>lstat</c>), so links already in the tree are followed too. <see langword="null"/>: the disk only.</param>
    /// <remarks>Counting <c>..</c> in the text is not enough: with <c>d -&gt; .</c> in the tree (or created by the
    /// same patch), <c>d/../outside</c> has no more <c>..</c> than names and still leaves the tree.</remarks>
    public void CheckLinkTarget(string linkRelative, ReadOnlySpan<byte> target, IReadOnlyDictionary<string, Apply.TreeEntry>? after = null)
    {
        string display = linkRelative + " -> " + Printable(target);
        if (target.IsEmpty || target.IndexOfAny((byte)0, (byte)'\n') >= 0)
        {
            throw Refuse(display, "is not a usable symbolic link target");
        }

        var stack = new List<string>(linkRelative.Split('/'));
        stack.RemoveAt(stack.Count - 1);
        int hops = 0;
        Resolve(stack, PathText.DecodeName(target), display, after, ref hops);
    }

    /// <summary>Walks <paramref name="target"/> from the folder <paramref name="stack"/>, replacing every component
    /// that is (or will be) a symbolic link by what it points to.</summary>
    private void Resolve(List<string> stack, string target, string display, IReadOnlyDictionary<string, Apply.TreeEntry>? after, ref int hops)
    {
        if (target.Length == 0)
        {
            throw Refuse(display, "is not a usable symbolic link target");
        }

        if (target[0] is '/' or '\\' || (target.Length >= 2 && target[1] == ':' && char.IsAsciiLetter(target[0])))
        {
            throw Refuse(display, "is a symbolic link to an absolute path");
        }

        foreach (string part in target.Split('/', '\\'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (stack.Count == 0)
                {
                    throw Refuse(display, "is a symbolic link that points outside the tree");
                }

                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            if (!_allowGit && IsGitName(part))
            {
                throw Refuse(display, "is a symbolic link into a .git folder");
            }

            stack.Add(part);
            string? next = LinkTargetAfter(string.Join('/', stack), after);
            if (next is null)
            {
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw Refuse(display, "is a loop of symbolic links");
            }

            stack.RemoveAt(stack.Count - 1);
            Resolve(stack, next, display, after, ref hops);
        }
    }

    /// <summary>Gets the target <paramref name="relative"/> will have as a symbolic link after the change, or
    /// <see langword="null"/> when it will not be one.</summary>
    private string? LinkTargetAfter(string relative, IReadOnlyDictionary<string, Apply.TreeEntry>? after)
    {
        if (after is not null && after.TryGetValue(relative, out Apply.TreeEntry? entry))
        {
            return entry.Kind == Apply.EntryKind.Symlink ? PathText.DecodeName(entry.Content.Span) : null;
        }

        string full = Full(relative);
        return IsLink(full) ? PathText.DecodeName(Apply.RawFiles.ReadLink(_fs, full)) : null;
    }

    private static bool IsGitName(string part)
    {
        ReadOnlySpan<char> trimmed = part.AsSpan().TrimEnd(" .");
        return trimmed.Length == 4 && part.Length >= 4 && trimmed.Equals(".git", StringComparison.OrdinalIgnoreCase);
    }

    internal static string Printable(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder(raw.Length);
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            // Show the bytes themselves, not U+FFFD: the invalid ones as \xNN.
            foreach (byte b in raw)
            {
                sb.Append(b is < 0x20 or >= 0x7f ? "\\x" + b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : ((char)b).ToString());
            }

            return sb.ToString();
        }

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

            if (trimmed.Length == JournalName.Length && Ascii.EqualsIgnoreCase(trimmed, ".patchkit-journal"u8))
            {
                throw Refuse(display, "is PatchKit's own undo journal, which no patch may write");
            }

            if (_refuseDevices && IsDevice(part))
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
        if (Apply.RawFiles.IsRaw(_fs, full))
        {
            return Apply.TreeTransaction.KindOf(_fs, full) == Apply.EntryKind.Symlink;
        }

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
