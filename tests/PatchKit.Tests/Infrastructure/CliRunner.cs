using System.Text;
using PatchKit.Cli;

namespace PatchKit.Tests.Infrastructure;

/// <summary>Runs the CLI in process with captured output (STYLE T8).</summary>
internal static class CliRunner
{
    /// <summary>Gets the path of the built CLI (<c>dotnet</c> runs it), of the same configuration as the tests.</summary>
    public static string CliDll
    {
        get
        {
            string config = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(Corpus.RepoRoot, "src", "PatchKit.Cli", "bin", config, "net10.0", "PatchKit.Cli.dll");
        }
    }

    /// <summary>Environment variable naming a native <c>patchkit</c> executable the process tests run instead of the JIT build.</summary>
    public const string NativeCliVariable = "PATCHKIT_TEST_NATIVE_CLI";

    /// <summary>Runs the built CLI as a child process (its real runtime configuration, <c>UseSystemResourceKeys</c> included).</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="args">The arguments after <c>patchkit</c>.</param>
    /// <returns>The exit code and both outputs.</returns>
    public static (int ExitCode, string Output, string Error) RunProcess(string workingDirectory, params string[] args) =>
        RunProcessWithEnvironment(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the built CLI as a child process with extra environment variables.</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="environment">Variables to set in the child.</param>
    /// <param name="args">The arguments after <c>patchkit</c>.</param>
    /// <returns>The exit code and both outputs.</returns>
    public static (int ExitCode, string Output, string Error) RunProcessWithEnvironment(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = StartProcess(workingDirectory, environment, args);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Starts the built CLI as a child process with every stream redirected.</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="args">The arguments after <c>patchkit</c>.</param>
    /// <returns>The process.</returns>
    public static System.Diagnostics.Process StartProcess(string workingDirectory, params string[] args) =>
        StartProcess(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts the CLI with extra environment variables: the built PatchKit.Cli.dll under <c>dotnet</c>, or the
    /// executable named by <see cref="NativeCliVariable"/> (a Native AOT build; eng/aot-check.sh sets it).</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="environment">Variables to set in the child.</param>
    /// <param name="args">The arguments after <c>patchkit</c>.</param>
    /// <returns>The process.</returns>
    public static System.Diagnostics.Process StartProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args) =>
        StartProcess(workingDirectory, environment, args, crashHooks: false);

    /// <summary>Starts the CLI; with <paramref name="crashHooks"/>, the tests' host of it that reads the kill-hook
    /// variables (always the JIT build: the shipped and the native CLI have no hooks).</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="environment">Variables to set in the child.</param>
    /// <param name="args">The arguments after <c>patchkit</c>.</param>
    /// <param name="crashHooks">Whether to start the crash tests' host instead of the CLI.</param>
    /// <returns>The process.</returns>
    public static System.Diagnostics.Process StartProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args, bool crashHooks)
    {
        string? native = crashHooks ? null : Environment.GetEnvironmentVariable(NativeCliVariable);
        var psi = new System.Diagnostics.ProcessStartInfo(string.IsNullOrEmpty(native) ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : native)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (string.IsNullOrEmpty(native))
        {
            psi.ArgumentList.Add(crashHooks ? RepoFiles.CrashHostDll : RepoFiles.CliDll);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("PATCHKIT_VERBOSE");
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }
        return System.Diagnostics.Process.Start(psi)!;
    }

    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, byte[]? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, () => new MemoryStream(stdin ?? []), workingDirectory, CancellationToken.None);
        int code = CliApp.Run(args, context);
        return (code, output.ToString(), error.ToString());
    }
}

/// <summary>Runs a real process (GNU patch, git, diff) and captures its output.</summary>
public static class Proc
{
    public static (int ExitCode, string Output, string Error) Run(string fileName, string workingDirectory, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["TZ"] = "UTC";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderrTask.Result);
    }
}

/// <summary>A unique temporary folder per test, deleted on dispose (STYLE T9).</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("patchkit-test-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
