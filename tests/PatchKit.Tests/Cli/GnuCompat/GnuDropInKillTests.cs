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
        var psi = new ProcessStartInfo(Path.Combine(GnuCompatHarness.PatchKitBin, "patch"))
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

        using var p = Process.Start(psi)!;
        var drain = Task.WhenAll(p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
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
        drain.Wait();
        return killed && p.ExitCode != 0;
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
