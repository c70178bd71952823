using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Advisories.Csaf;
using PatchKit.Tests.Advisories.Osv;

namespace PatchKit.Tests.Advisories.Csaf;

/// <summary>The CSAF reader on ../shared/corpus/advisories/csaf: vendor index counts (31 documents, gzip and zstd included), examples, broken documents.</summary>
public sealed class CsafReaderTests
{
    private const string Root = CsafCorpus.Root;

    public static TheoryData<string> VendorFiles()
    {
        var data = new TheoryData<string>();
        string? index = Corpus.Find(Root + "/csaf/vendor/index.json");
        if (index is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(index));
            foreach (JsonElement row in doc.RootElement.GetProperty("documents").EnumerateArray())
            {
                data.Add(row.GetProperty("file").GetString()!);
            }
        }

        return data;
    }

    [CorpusFact(Root + "/csaf/vendor/index.json")]
    public void VendorIndex_HasThirtyOneRows()
    {
        Assert.Equal(31, VendorFiles().Count);
    }

    [CorpusTheory(Root + "/csaf/vendor/index.json")]
    [MemberData(nameof(VendorFiles))]
    public async Task Read_VendorDocument_ReproducesIndexCounts(string file)
    {
        JsonElement row = IndexRow(file);
        CsafDocument doc = await CsafCorpus.ReadAsync(file);
        CsafDocumentMetadata meta = doc.Document!;
        Assert.Equal(row.GetProperty("id").GetString(), meta.Tracking!.Id);
        Assert.Equal(row.GetProperty("category").GetString(), meta.Category);
        Assert.Equal(row.GetProperty("csaf_version").GetString(), meta.CsafVersion);
        Assert.Equal(row.GetProperty("title").GetString(), meta.Title);
        Assert.Equal(row.GetProperty("publisher").GetString(), meta.Publisher!.Name);
        Assert.Equal(row.GetProperty("tracking_version").GetString(), meta.Tracking.Version);
        Assert.Equal(row.GetProperty("vulnerabilities").GetInt32(), doc.Vulnerabilities.Count);
        Assert.Equal(
            row.GetProperty("cves").EnumerateArray().Select(static c => c.GetString()).Order(StringComparer.Ordinal),
            doc.Vulnerabilities.Where(static v => v.Cve is not null).Select(static v => v.Cve).Order(StringComparer.Ordinal));
        Assert.Equal(row.GetProperty("relationships").GetInt32(), doc.ProductTree?.Relationships.Count ?? 0);
        Assert.Equal(row.GetProperty("product_ids_in_tree").GetInt32(), CsafProductIds.Defined(doc).Select(static d => d.ProductId).Distinct(StringComparer.Ordinal).Count());

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (CsafVulnerability v in doc.Vulnerabilities)
        {
            if (v.ProductStatus is not { } s)
            {
                continue;
            }

            foreach ((string name, IReadOnlyList<string> ids) in CsafProductIds.Statuses(s))
            {
                if (ids.Count > 0)
                {
                    counts[name] = counts.GetValueOrDefault(name) + ids.Count;
                }
            }
        }

        Assert.Equal(
            // A status list that is present but empty counts 0 in the index; the model does not tell empty from absent.
            row.GetProperty("product_status_counts").EnumerateObject().Where(static p => p.Value.GetInt32() > 0).Select(static p => $"{p.Name}={p.Value.GetInt32()}").Order(StringComparer.Ordinal),
            counts.Select(static p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
    }

    [CorpusFact(Root + "/csaf/examples/index.json")]
    public async Task ReadFile_EveryExampleAndStandardDocument_Reads()
    {
        string folder = Corpus.Require(Root + "/csaf/examples");
        int count = 0;
        foreach (string file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Where(static f => !f.EndsWith("index.json", StringComparison.Ordinal)))
        {
            CsafDocument doc = await CsafReader.ReadFileAsync(file);
            Assert.NotNull(doc.Document);
            count++;
        }

        Assert.Equal(239 + 19, count);
    }

    public static TheoryData<string> BrokenCases()
    {
        var data = new TheoryData<string>();
        string? index = Corpus.Find(Root + "/broken/index.json");
        if (index is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(index));
            foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                string file = c.GetProperty("file").GetString()!;
                if (file.StartsWith("broken/csaf/", StringComparison.Ordinal))
                {
                    data.Add(file);
                }
            }
        }

        return data;
    }

    [CorpusTheory(Root + "/broken/index.json")]
    [MemberData(nameof(BrokenCases))]
    public async Task ReadFile_BrokenDocument_ErrorNamesPathOrOffset(string file)
    {
        JsonElement expect = OsvReaderTests.BrokenExpectation(file);
        string path = Corpus.Require(Path.Combine(Root, file));
        if (expect.GetProperty("error").ValueKind == JsonValueKind.Null)
        {
            // The byte order mark case: valid after the BOM, so it reads as the document it was derived from.
            CsafDocument doc = await CsafReader.ReadFileAsync(path);
            Assert.Equal("RHSA-2024:4546", doc.Document!.Tracking!.Id);
            return;
        }

        AdvisoryFormatException e = await Assert.ThrowsAsync<AdvisoryFormatException>(() => CsafReader.ReadFileAsync(path));
        Assert.Equal(path, e.Document);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
        if (expect.TryGetProperty("json_path", out JsonElement jsonPath))
        {
            Assert.Equal(jsonPath.GetString(), e.JsonPath);
            Assert.Contains(jsonPath.GetString()!, e.Message, StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("found", out JsonElement found))
        {
            Assert.Contains("found a" + (found.GetString() == "object" ? "n " : " ") + found.GetString(), e.Message, StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("wanted", out JsonElement wanted))
        {
            Assert.Contains("wanted a" + (wanted.GetString() == "array" ? "n " : " ") + wanted.GetString(), e.Message, StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("at_byte", out JsonElement atByte))
        {
            long size = new FileInfo(path).Length;
            Assert.Equal(atByte.ValueKind == JsonValueKind.Number ? atByte.GetInt64() : size, e.BytePosition);
            Assert.Contains(atByte.ValueKind == JsonValueKind.Number ? "byte 0" : "end of file", e.Message, StringComparison.Ordinal);
        }
    }

    [CorpusFact(Root + "/csaf/vendor/redhat")]
    public async Task ReadFolderAsync_RedHatFolder_ReadsAllButRefusesZstdWithAReason()
    {
        var results = new List<CsafReadResult>();
        await foreach (CsafReadResult r in CsafReader.ReadFolderAsync(Corpus.Require(Root + "/csaf/vendor/redhat")))
        {
            results.Add(r);
        }

        Assert.Equal(19, results.Count);
        CsafReadResult zstd = Assert.Single(results, static r => !r.Succeeded);
        Assert.EndsWith("rhsa-2024_5363.json.zst", zstd.Path, StringComparison.Ordinal);
        Assert.Contains("zstd-compressed", zstd.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("RHSA-2025:3215", results.Single(static r => r.Path.EndsWith(".gz", StringComparison.Ordinal)).Document!.Document!.Tracking!.Id);
    }

    [Fact]
    public void Parse_TruncatedAfterByteOrderMark_OffsetCountsTheMark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. """{"document":{"category":"x","""u8];
        AdvisoryFormatException e = Assert.Throws<AdvisoryFormatException>(() => CsafReader.Parse(bytes, "bom.json"));
        Assert.Equal(bytes.Length, e.BytePosition);
        Assert.Contains("end of file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedStream_NamesPathAndLine()
    {
        using var stream = new MemoryStream("""{"document":{"category":"csaf_base","tracking":{"id":"x","""u8.ToArray());
        AdvisoryFormatException e = await Assert.ThrowsAsync<AdvisoryFormatException>(() => CsafReader.ReadAsync(stream, "feed/x.json"));
        Assert.StartsWith("feed/x.json: $.document.tracking", e.Message, StringComparison.Ordinal);
        Assert.Equal("$.document.tracking", e.JsonPath);
    }

    private static JsonElement IndexRow(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Root + "/csaf/vendor/index.json")));
        return doc.RootElement.GetProperty("documents").EnumerateArray().First(r => r.GetProperty("file").GetString() == file).Clone();
    }
}
