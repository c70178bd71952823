using System.Reflection;
using System.Runtime.CompilerServices;

namespace PatchKit.Tests.Internal;

/// <summary>The core package's boundary: the CLI and the adapters use its public API only, and it names no adapter.</summary>
public sealed class PackageBoundaryTests
{
    private static readonly Assembly s_core = typeof(PatchKit.Diffs.PatchDocument).Assembly;

    [Fact]
    public void Core_OpensItsInternalsToNoShippedProgramButTheSimulatedFleet()
    {
        var friends = s_core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal).ToArray();
        Assert.DoesNotContain("PatchKit.Cli", friends);
        Assert.All(friends, f => Assert.Contains(f, new[] { "PatchKit.Benchmarks", "PatchKit.Hosts.Simulated", "PatchKit.TestHost", "PatchKit.Tests" }));
    }

    [Fact]
    public void Core_ReferencesNoAdapterOrCliAssembly()
    {
        var references = s_core.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, r => r.StartsWith("PatchKit.", StringComparison.Ordinal));
    }
}
