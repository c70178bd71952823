using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>
/// The reference orderings on this machine, batched: one shell loop over <c>dpkg --compare-versions</c> for all dpkg pairs and one
/// python3 process calling python3-rpm's <c>labelCompare</c> for all rpm pairs.
/// </summary>
internal static class ReferenceTools
{
    public const string SystemPython = "/usr/bin/python3";

    public static bool HasDpkg => File.Exists("/usr/bin/dpkg");

    public static bool HasPythonRpm => s_hasPythonRpm.Value;

    /// <summary>node-semver: the copy bundled with npm (node's own package manager), or a global install.</summary>
    public static string? NodeSemver => new[] { "/usr/lib/node_modules/npm/node_modules/semver", "/usr/lib/node_modules/semver", "/usr/local/lib/node_modules/npm/node_modules/semver" }
        .FirstOrDefault(static d => File.Exists(Path.Combine(d, "package.json")) && File.Exists("/usr/bin/node"));

    /// <summary>node-semver's <c>compare</c> per pair.</summary>
    public static int[] NodeSemverCompare(IReadOnlyList<(string A, string B)> pairs)
    {
        string script = "const s=require(" + JsonSerializer.Serialize(NodeSemver) + ");const d=JSON.parse(require('fs').readFileSync(0,'utf8'));"
            + "process.stdout.write(JSON.stringify(d.map(([a,b])=>s.compare(a,b))));";
        string input = JsonSerializer.Serialize(pairs.Select(static p => new[] { p.A, p.B }).ToArray());
        (int code, string output, string error) = Run("/usr/bin/node", script, input, evalFlag: "-e");
        Assert.True(code == 0, "node-semver failed: " + error);
        int[] result = JsonSerializer.Deserialize<int[]>(output)!;
        Assert.Equal(pairs.Count, result.Length);
        return result;
    }

    private static readonly Lazy<bool> s_hasPythonRpm = new(() =>
    {
        if (!File.Exists(SystemPython))
        {
            return false;
        }

        (int code, _, _) = Run(SystemPython, "import rpm", string.Empty);
        return code == 0;
    });

    /// <summary>dpkg's answer per pair: -1, 0, 1, or null when dpkg rejects a version (an error, not a warning).</summary>
    public static int?[] Dpkg(IReadOnlyList<(string A, string B)> pairs)
    {
        // Fields are NUL-free and newline-free; a tab separates them. dpkg prints errors to stderr and exits 2 on bad syntax.
        const string Script = """
            while IFS=$'\t' read -r a b; do
              if dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null; then echo lt
              elif dpkg --compare-versions -- "$a" eq "$b" 2>/dev/null; then echo eq
              elif dpkg --compare-versions -- "$a" gt "$b" 2>/dev/null; then echo gt
              else echo err; fi
            done
            """;
        var input = new StringBuilder();
        foreach ((string a, string b) in pairs)
        {
            input.Append(a).Append('\t').Append(b).Append('\n');
        }

        (int code, string output, string error) = Run("/bin/bash", Script, input.ToString(), scriptAsCommand: true);
        Assert.True(code == 0, "dpkg loop failed: " + error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(pairs.Count, lines.Length);
        return [.. lines.Select(static l => l switch { "lt" => -1, "eq" => 0, "gt" => (int?)1, _ => null })];
    }

    /// <summary>python3-rpm's <c>labelCompare</c> per pair, on (epoch, version, release) split as rpm's parseEVR; bare versions when
    /// <paramref name="bare"/>; null where librpm refuses the pair ("invalid version": an empty version).</summary>
    public static int?[] RpmLabelCompare(IReadOnlyList<(string A, string B)> pairs, bool bare)
    {
        const string Script = """
            import json, sys, rpm
            def evr(s):
                i = 0
                while i < len(s) and s[i].isdigit(): i += 1
                e = None
                if i < len(s) and s[i] == ':':
                    e, s = (s[:i] or '0'), s[i + 1:]
                v, sep, r = s.rpartition('-')
                return (e, v, r) if sep else (e, s, None)
            bare = sys.argv[1] == '1'
            out = []
            for a, b in json.load(sys.stdin):
                try:
                    out.append(rpm.labelCompare((None, a, None), (None, b, None)) if bare else rpm.labelCompare(evr(a), evr(b)))
                except ValueError:
                    out.append(None)
            json.dump(out, sys.stdout)
            """;
        string input = JsonSerializer.Serialize(pairs.Select(static p => new[] { p.A, p.B }).ToArray());
        (int code, string output, string error) = Run(SystemPython, Script, input, extraArg: bare ? "1" : "0");
        Assert.True(code == 0, "python3-rpm failed: " + error);
        int?[] result = JsonSerializer.Deserialize<int?[]>(output)!;
        Assert.Equal(pairs.Count, result.Length);
        return result;
    }

    private static (int Code, string Output, string Error) Run(string exe, string script, string input, bool scriptAsCommand = false, string? extraArg = null, string evalFlag = "-c")
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(evalFlag);
        psi.ArgumentList.Add(script);
        if (extraArg is not null)
        {
            psi.ArgumentList.Add(extraArg);
        }

        psi.Environment["LC_ALL"] = "C";
        _ = scriptAsCommand;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fact skipped, with the reason, when a reference tool ("dpkg" or "python3-rpm") or a corpus entry is absent.</summary>
public sealed class ReferenceToolFactAttribute : FactAttribute
{
    public ReferenceToolFactAttribute(string tool, string? corpus = null)
    {
        bool present = tool switch
        {
            "dpkg" => ReferenceTools.HasDpkg,
            "python3-rpm" => ReferenceTools.HasPythonRpm,
            "node-semver" => ReferenceTools.NodeSemver is not null,
            _ => false,
        };
        if (!present)
        {
            Skip = $"{tool} is not installed (test.sh installs it with apt-get)";
        }
        else if (corpus is not null && Corpus.Find(corpus) is null)
        {
            Skip = $"corpus entry '{corpus}' is absent";
        }
    }
}
