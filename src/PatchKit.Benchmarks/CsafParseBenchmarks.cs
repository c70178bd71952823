using BenchmarkDotNet.Attributes;
using PatchKit.Advisories.Csaf;
using System.Text.Json;

namespace PatchKit.Benchmarks;

/// <summary>CSAF parse throughput on the largest corpus documents, against System.Text.Json's <c>JsonDocument</c> over the same bytes
/// (the floor: a DOM with no model). Bytes are decompressed once in setup.</summary>
[MemoryDiagnoser]
public class CsafParseBenchmarks
{
    private byte[] _bytes = [];

    [Params("csaf/vendor/redhat/rhsa-2024_5363.json.zst", "csaf/vendor/redhat/rhsa-2024_4420.json")]
    public string Document { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = AdvisoryCorpus.ReadBytes(Document);
        Console.WriteLine($"// CsafParseBenchmarks: {Document}, {_bytes.Length} bytes decompressed");
    }

    [Benchmark(Baseline = true, Description = "floor: JsonDocument.Parse")]
    public int JsonDocumentFloor()
    {
        using JsonDocument doc = JsonDocument.Parse(_bytes);
        return doc.RootElement.GetProperty("vulnerabilities").GetArrayLength();
    }

    [Benchmark(Description = "CsafReader.Parse: model from bytes")]
    public int ReaderBytes() => CsafReader.Parse(_bytes, Document).Vulnerabilities.Count;

    [Benchmark(Description = "CsafReader.ReadAsync: model from a stream")]
    public async Task<int> ReaderStream()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        return (await CsafReader.ReadAsync(stream, Document)).Vulnerabilities.Count;
    }
}
