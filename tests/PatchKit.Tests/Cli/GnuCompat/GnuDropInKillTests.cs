using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>The drop-in (the built CLI through a link named <c>patch</c>, a real process) killed with SIGKILL while it
/// writes a large file: every file of the patch is left with either its old or its new bytes.</summary>
public class GnuDropInKillTests
{
    private const int BigLines = 4_000_000; // 52 MB: its write takes long enough to be caught in the middle

    [Fact]
    public void KilledWhileWritingALargeFile_EveryFileIsOldOrNew()
    {
        if (OperatingSystem.IsWindows() || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "the built CLI or setsid is missing, and CI must run the kill test");
            return;
        }

        string root = Directory.CreateTempSubdirectory("patchkit-dropin-kill-").FullName;
        try
        {
            byte[] bigOld = BigText(changed: false);
            byte[] bigNew = BigText(changed: true);
            var files = new (string Name, byte[] Old, byte[] New)[]
            {
                ("a.txt", "one\ntwo\nthree\n"u8.ToArray(), "one\nTWO\nthree\n"u8.ToArray()),
                ("big.txt", bigOld, bigNew),
                ("z.txt", "x\ny\nz\n"u8.ToArray(), "x\nY\nz\n"u8.ToArray()),
            };
            string patch = Path.Combine(root, "change.diff");
            File.WriteAllText(patch, Patch());

            bool caught = false;
            for (int attempt = 0; attempt < 5 && !caught; attempt++)
            {
                string tree = Path.Combine(root, "t" + attempt.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(tree);
                foreach (var (name, old, _) in files)
                {
                    File.WriteAllBytes(Path.Combine(tree, name), old);
                    File.SetLastWriteTimeUtc(Path.Combine(tree, name), GnuCompatHarness.FixedTime);
                }

                caught = RunAndKillMidWrite(tree, patch);
                foreach (var (name, old, @new) in files)
                {
                    byte[] now = File.ReadAllBytes(Path.Combine(tree, name));
                    Assert.True(now.AsSpan().SequenceEqual(old) || now.AsSpan().SequenceEqual(@new), $"{name} is neither its old nor its new text after the kill ({now.Length} bytes; old {old.Length}, new {@new.Length})");
                }

                // Nothing else but, at most, the temporary file of the write that was cut (GNU patch leaves its own).
                foreach (string left in Directory.EnumerateFiles(tree).Select(Path.GetFileName)!)
                {
                    Assert.True(files.Any(f => f.Name == left) || left!.StartsWith("big.txt.o", StringComparison.Ordinal), $"unexpected file left: {left}");
                }
            }

            Assert.True(caught, "the drop-in was never caught in the middle of writing big.txt in 5 attempts");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts the drop-in on the tree and kills it as soon as big.txt's write is seen under way (its temporary
    /// file growing, or the file itself changed); true when the kill came while it still ran.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool RunAndKillMidWrite(string tree, string patch)
    {
        string big = Path.Combine(tree, "big.txt");
        long oldLength = new FileInfo(big).Length;
        using var p = Start(Path.Combine(GnuCompatHarness.PatchKitBin, "patch"), tree, patch);
        bool killed = false;
        while (!p.HasExited)
        {
            // Its temporary file is there from the start of big.txt's turn (as GNU's); the write is under way once
            // it holds more than the small files' text.
            bool writing = Directory.EnumerateFiles(tree, "big.txt.o*").Any(t => new FileInfo(t) is { Exists: true, Length: > 4096 });
            if (!writing)
            {
                var info = new FileInfo(big);
                writing = info.Exists && (info.Length != oldLength || info.LastWriteTimeUtc != GnuCompatHarness.FixedTime);
            }

            if (writing)
            {
                try
                {
                    p.Kill();
                    killed = true;
                }
                catch (InvalidOperationException)
                {
                    // It ended on its own between the check and the kill.
                }

                break;
            }
        }

        p.WaitForExit();
        return killed && p.ExitCode != 0;
    }

    /// <summary>Killed at some moment of a run over many small files, GNU patch and the drop-in leave at most the
    /// temporary file of the file whose turn was cut, holding nothing or the start of that file's new text: never one
    /// holding another file's old text (the drop-in once kept the previous file's old inode under such a name).</summary>
    [Fact]
    public void KilledAmidManyFiles_AtMostTheCutFilesTemporaryIsLeft_AsGnuPatch()
    {
        if (OperatingSystem.IsWindows() || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "the built CLI or setsid is missing, and CI must run the kill test");
            return;
        }

        const int Count = 1500;
        static string Name(int i) => "f" + i.ToString("D4", CultureInfo.InvariantCulture);
        static string New(int i) => "one\nTWO " + i.ToString(CultureInfo.InvariantCulture) + "\n";
        string root = Directory.CreateTempSubdirectory("patchkit-dropin-kill-many-").FullName;
        try
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Count; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"--- a/{Name(i)}\n+++ b/{Name(i)}\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO {i}\n");
            }

            string patch = Path.Combine(root, "many.diff");
            File.WriteAllText(patch, sb.ToString());
            foreach (string program in new[] { "patch", Path.Combine(GnuCompatHarness.PatchKitBin, "patch") })
            {
                int cutMidway = 0;
                for (int attempt = 0; attempt < 4; attempt++)
                {
                    string tree = Path.Combine(root, "t" + attempt.ToString(CultureInfo.InvariantCulture) + (program == "patch" ? "gnu" : "pk"));
                    Directory.CreateDirectory(tree);
                    for (int i = 0; i < Count; i++)
                    {
                        File.WriteAllText(Path.Combine(tree, Name(i)), "one\ntwo\n");
                    }

                    using (var p = Start(program, tree, patch))
                    {
                        // Killed once the first file is patched: the run is then somewhere among the others.
                        string first = Path.Combine(tree, Name(0));
                        while (!p.HasExited && File.ReadAllText(first) == "one\ntwo\n")
                        {
                        }

                        try
                        {
                            p.Kill();
                        }
                        catch (InvalidOperationException)
                        {
                            // It ended on its own.
                        }

                        p.WaitForExit();
                    }

                    int patched = 0;
                    for (int i = 0; i < Count; i++)
                    {
                        string now = File.ReadAllText(Path.Combine(tree, Name(i)));
                        Assert.True(now == "one\ntwo\n" || now == New(i), $"{program}: {Name(i)} is neither old nor new: {now}");
                        patched += now == New(i) ? 1 : 0;
                    }

                    cutMidway += patched > 0 && patched < Count ? 1 : 0;
                    var left = Directory.EnumerateFiles(tree).Select(f => Path.GetFileName(f)!).Where(f => f.Length != 5).ToList();
                    Assert.True(left.Count <= 1, $"{program}: more than one file left: {string.Join(", ", left)}");
                    foreach (string name in left)
                    {
                        Assert.Matches("^f[0-9]{4}\\.o[A-Za-z0-9]{6}$", name);
                        string text = File.ReadAllText(Path.Combine(tree, name));
                        string own = New(int.Parse(name.AsSpan(1, 4), CultureInfo.InvariantCulture));
                        Assert.True(own.StartsWith(text, StringComparison.Ordinal), $"{program}: {name} holds \"{text}\", not (the start of) {name[..5]}'s new text");
                    }
                }

                Assert.True(cutMidway > 0, $"{program} was never killed midway through the files in 4 attempts");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts <paramref name="program"/> as <c>patch -p1 -i PATCH</c> in <paramref name="tree"/>, its output
    /// drained.</summary>
    private static Process Start(string program, string tree, string patch)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = tree,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-p1");
        psi.ArgumentList.Add("-i");
        psi.ArgumentList.Add(patch);
        psi.Environment["LC_ALL"] = "C";
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static byte[] BigText(bool changed)
    {
        var sb = new StringBuilder(BigLines * 13);
        for (int i = 0; i < BigLines; i++)
        {
            bool edge = i == 1 || i == BigLines - 2;
            sb.Append(changed && edge ? "LINE " : "line ").Append(i.ToString("D7", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static string Patch()
    {
        static string L(int i, bool changed) => (changed ? "LINE " : "line ") + i.ToString("D7", CultureInfo.InvariantCulture) + "\n";
        int n = BigLines;
        var sb = new StringBuilder();
        sb.Append("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n");
        sb.Append("--- a/big.txt\n+++ b/big.txt\n@@ -1,3 +1,3 @@\n ").Append(L(0, false)).Append('-').Append(L(1, false)).Append('+').Append(L(1, true)).Append(' ').Append(L(2, false));
        sb.Append(CultureInfo.InvariantCulture, $"@@ -{n - 2},2 +{n - 2},2 @@\n").Append('-').Append(L(n - 2, false)).Append('+').Append(L(n - 2, true)).Append(' ').Append(L(n - 1, false));
        sb.Append("--- a/z.txt\n+++ b/z.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n");
        return sb.ToString();
    }
}
