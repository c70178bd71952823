using BenchmarkDotNet.Attributes;
using PatchKit.Advisories.Versions;

namespace PatchKit.Benchmarks;

/// <summary>Comparisons per second: every pair of the corpus vectors (497 dpkg pairs, 454 rpm EVR pairs) per operation. The reference tools'
/// rates on the same pairs come from <c>benchmarks/versions.sh</c> in the same run.</summary>
[MemoryDiagnoser]
public class VersionCompareBenchmarks
{
    private (string A, string B)[] _dpkg = [];
    private (string A, string B)[] _rpm = [];

    [GlobalSetup]
    public void Setup()
    {
        _dpkg = AdvisoryCorpus.Pairs("debian.json", "pairs");
        _rpm = AdvisoryCorpus.Pairs("rpm.json", "evr");
        Console.WriteLine($"// VersionCompareBenchmarks: {_dpkg.Length} dpkg pairs, {_rpm.Length} rpm pairs per operation");
    }

    [Benchmark(Description = "dpkg: all corpus pairs")]
    public int Dpkg()
    {
        VersionComparer c = VersionComparer.For(VersionScheme.Dpkg);
        int sum = 0;
        foreach ((string a, string b) in _dpkg)
        {
            sum += c.TryCompare(a, b, out int r) ? r : 7;
        }

        return sum;
    }

    [Benchmark(Description = "rpm: all corpus EVR pairs")]
    public int Rpm()
    {
        VersionComparer c = VersionComparer.For(VersionScheme.Rpm);
        int sum = 0;
        foreach ((string a, string b) in _rpm)
        {
            sum += c.TryCompare(a, b, out int r) ? r : 7;
        }

        return sum;
    }
}
