using System.Diagnostics;
using System.Text;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>rpmbuild's %prep driving <c>patch</c>: a small spec whose source tarball gets three patches (one at an
/// offset with a backup suffix, one -p0, one -p0 that fails at rpm's default <c>--fuzz=0</c>; with -p1 the reject file's header differs, a known gap), built once with GNU patch and
/// once with PatchKit's drop-in as rpm's <c>%__patch</c> (rpmbuild runs the absolute path in that macro, not the PATH).
/// The build log (paths replaced) and the unpacked tree must be the same. rpm comes from
/// tests/fixtures/debian-source/setup.sh.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class GnuRpmTests
{
    private const string Spec = """
        Name: hello
        Version: 1.0
        Release: 1
        Summary: drop-in check
        License: MIT
        Source0: hello-1.0.tar.gz
        Patch0: offset.patch
        Patch1: plain.patch
        Patch2: fuzzy.patch
        %description
        drop-in check
        %prep
        %setup -q
        %patch0 -p1 -b .offset
        %patch1 -p0
        %patch2 -p0
        """;

    [Fact]
    public void RpmbuildPrep_GivesTheSameLogAndTreeWithPatchKitAsWithGnu()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/rpmbuild") || !File.Exists("/usr/bin/tar") || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "rpmbuild is missing (tests/fixtures/debian-source/setup.sh installs rpm); CI must run this test");
            return;
        }

        var gnu = Prep("/usr/bin/patch");
        var patchKit = Prep(Path.Combine(GnuCompatHarness.PatchKitBin, "patch"));
        Assert.Equal(gnu.Log, patchKit.Log);
        Assert.Equal(gnu.Tree, patchKit.Tree);
        Assert.Contains("Hunk #1 succeeded at 5 (offset 2 lines).", gnu.Log, StringComparison.Ordinal);
        Assert.Contains("FAILED", gnu.Log, StringComparison.Ordinal);
        Assert.Contains("f.offset", gnu.Tree, StringComparison.Ordinal);
    }

    private static (string Log, string Tree) Prep(string patch)
    {
        string top = Directory.CreateTempSubdirectory("patchkit-rpm-").FullName;
        try
        {
            string sources = Directory.CreateDirectory(Path.Combine(top, "SOURCES")).FullName;
            string work = Directory.CreateDirectory(Path.Combine(top, "work", "hello-1.0")).FullName;
            File.WriteAllText(Path.Combine(work, "f"), "x\ny\nl1\nl2\nl3\nl4\nl5\nl6\nl7\n");
            File.WriteAllText(Path.Combine(work, "g"), "a\nb\nc\n");
            File.WriteAllText(Path.Combine(work, "h"), "1\n2\n3\n4\n5\n6\n7\n");
            File.WriteAllText(Path.Combine(sources, "offset.patch"), "--- a/f\n+++ b/f\n@@ -3,3 +3,3 @@\n l3\n-l4\n+L4\n l5\n");
            File.WriteAllText(Path.Combine(sources, "plain.patch"), "--- g\n+++ g\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
            File.WriteAllText(Path.Combine(sources, "fuzzy.patch"), "--- h\n+++ h\n@@ -2,5 +2,5 @@\n 2\n 3\n-4\n+four\n 5\n Z\n");
            File.WriteAllText(Path.Combine(top, "hello.spec"), Spec.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
            Run(Path.Combine(top, "work"), "tar", "czf", Path.Combine(sources, "hello-1.0.tar.gz"), "hello-1.0");
            string log = Run(top, "rpmbuild", "-bp", "--nodeps", "--define", "_topdir " + top, "--define", "__patch " + patch, Path.Combine(top, "hello.spec"));
            log = log.Replace(patch, "PATCH", StringComparison.Ordinal).Replace(top, "TOP", StringComparison.Ordinal);
            log = System.Text.RegularExpressions.Regex.Replace(log, @"rpm-tmp\.[A-Za-z0-9]+", "rpm-tmp.X");
            return (log, GnuCompatHarness.Listing(Path.Combine(top, "BUILD", "hello-1.0"), times: false));
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }

    private static string Run(string dir, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["TZ"] = "UTC";
        psi.Environment["HOME"] = dir;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new StringBuilder(output).Append("--- stderr ---\n").Append(stderr.Result).Append("exit ").Append(p.ExitCode).Append('\n').ToString();
    }
}
