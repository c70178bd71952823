using System.IO.Compression;
using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Advisories.Osv;

namespace PatchKit.Tests.Advisories.Osv;

/// <summary>The OSV reader on ../shared/corpus/advisories/osv: osv/index.json's counts for all 395 records, broken documents, folders, gzip.</summary>
public sealed class OsvReaderTests
{
    private const string Root = "advisories";

    [CorpusFact(Root + "/osv/index.json")]
    public async Task ReadFile_EveryIndexRow_ReproducesItsCounts()
    {
        using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Root + "/osv/index.json")));
        var failures = new List<string>();
        int rows = 0;
        foreach (JsonElement row in index.RootElement.GetProperty("records").EnumerateArray())
        {
            rows++;
            string file = row.GetProperty("file").GetString()!;
            OsvRecord r = await OsvReader.ReadFileAsync(Corpus.Require(Path.Combine(Root, file)));
            void Check(string what, object? want, object? got)
            {
                if (!Equals(want, got))
                {
                    failures.Add($"{file}: {what}: index {want}, read {got}");
                }
            }

            Check("id", row.GetProperty("id").GetString(), r.Id);
            Check("schema_version", row.GetProperty("schema_version").ValueKind == JsonValueKind.Null ? null : row.GetProperty("schema_version").GetString(), r.SchemaVersion);
            JsonElement withdrawn = row.GetProperty("withdrawn");
            Check("withdrawn", withdrawn.ValueKind == JsonValueKind.Null ? null : DateTimeOffset.Parse(withdrawn.GetString()!, System.Globalization.CultureInfo.InvariantCulture), r.Withdrawn);
            Check("aliases", Join(row.GetProperty("aliases")), string.Join(",", r.Aliases));
            Check("upstream", Join(row.GetProperty("upstream")), string.Join(",", r.Upstream));
            IReadOnlyList<OsvAffected> affected = r.Affected ?? [];
            Check("ecosystems", string.Join(",", row.GetProperty("ecosystems").EnumerateArray().Select(static e => e.GetString()).Order(StringComparer.Ordinal)),
                string.Join(",", affected.Select(static a => a.Package?.Ecosystem).Where(static e => e is not null).Distinct().Order(StringComparer.Ordinal)));
            Check("affected", row.GetProperty("affected").GetInt32(), affected.Count);
            Check("range_types", Counts(row.GetProperty("range_types")),
                Counts(affected.SelectMany(static a => a.Ranges).GroupBy(static g => g.Type switch { OsvRangeType.Git => "GIT", OsvRangeType.Semver => "SEMVER", _ => "ECOSYSTEM" })));
            Check("events", Counts(row.GetProperty("events")),
                Counts(affected.SelectMany(static a => a.Ranges).SelectMany(static g => g.Events).GroupBy(static e => e.Kind switch
                {
                    OsvEventKind.Introduced => "introduced",
                    OsvEventKind.Fixed => "fixed",
                    OsvEventKind.LastAffected => "last_affected",
                    OsvEventKind.Limit => "limit",
                    _ => "?",
                })));
            Check("versions_listed", row.GetProperty("versions_listed").GetInt32(), affected.Sum(static a => a.Versions.Count));
        }

        Assert.Equal(395, rows);
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n" + string.Join('\n', failures.Take(40)));
    }

    [CorpusFact(Root + "/osv/go")]
    public async Task ReadFolderAsync_GoFolder_ReadsAllWithTenWithdrawn()
    {
        int read = 0;
        int withdrawn = 0;
        await foreach (OsvReadResult result in OsvReader.ReadFolderAsync(Corpus.Require(Root + "/osv/go")))
        {
            Assert.True(result.Succeeded, result.Error?.Message);
            read++;
            withdrawn += result.Record.Withdrawn is null ? 0 : 1;
        }

        Assert.Equal(160, read);
        Assert.Equal(10, withdrawn);
    }

    [CorpusFact(Root + "/broken/osv")]
    public async Task ReadFolderAsync_BrokenFolder_ReportsEachAndGoesOn()
    {
        var results = new List<OsvReadResult>();
        await foreach (OsvReadResult result in OsvReader.ReadFolderAsync(Corpus.Require(Root + "/broken/osv")))
        {
            results.Add(result);
        }

        Assert.Equal(5, results.Count);
        Assert.All(results, static r => Assert.False(r.Succeeded));
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
                if (file.StartsWith("broken/osv/", StringComparison.Ordinal))
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
        JsonElement expect = BrokenExpectation(file);
        string path = Corpus.Require(Path.Combine(Root, file));
        AdvisoryFormatException e = await Assert.ThrowsAsync<AdvisoryFormatException>(() => OsvReader.ReadFileAsync(path));
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
            Assert.Contains(found.GetString()!, e.Message, StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("wanted", out JsonElement wanted))
        {
            Assert.Contains("wanted " + (wanted.GetString()!.Contains('|', StringComparison.Ordinal) ? string.Empty : "a"), e.Message, StringComparison.Ordinal);
            Assert.Contains(wanted.GetString()!, e.Message, StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("at_byte", out JsonElement atByte))
        {
            long size = new FileInfo(path).Length;
            Assert.Equal(atByte.ValueKind == JsonValueKind.Number ? atByte.GetInt64() : size, e.BytePosition);
            Assert.Contains(atByte.ValueKind == JsonValueKind.Number ? "byte 0" : "end of file", e.Message, StringComparison.Ordinal);
        }
    }

    [CorpusFact(Root + "/osv/go/GO-2020-0028.json")]
    public async Task ReadFileAsync_GzipAndBom_ReadAsThePlainFile()
    {
        string source = Corpus.Require(Root + "/osv/go/GO-2020-0028.json");
        string dir = Path.Combine(Path.GetTempPath(), "patchkit-osv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string gz = Path.Combine(dir, "GO-2020-0028.json.gz");
            await using (FileStream output = File.Create(gz))
            await using (var zip = new GZipStream(output, CompressionLevel.Fastest))
            {
                await zip.WriteAsync(File.ReadAllBytes(source));
            }

            OsvRecord plain = await OsvReader.ReadFileAsync(source);
            OsvRecord fromGzip = await OsvReader.ReadFileAsync(gz);
            OsvRecord withBom = OsvReader.Parse([0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(source)], "bom");
            Assert.Equal("GO-2020-0028", plain.Id);
            Assert.Equal(plain.Id, fromGzip.Id);
            Assert.Equal(plain.Affected!.Count, fromGzip.Affected!.Count);
            Assert.Equal(plain.Modified, withBom.Modified);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ReadFolderAsync_ThreeThousandFilesPlainAndGzip_ReadsEachOnceInOrder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "patchkit-osvfolder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        try
        {
            for (int i = 0; i < 3000; i++)
            {
                byte[] json = System.Text.Encoding.UTF8.GetBytes(
                    $$"""{"id":"TEST-{{i:D5}}","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"p{{i}}"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.{{i}}.0"}]}]}]}""");
                string name = Path.Combine(dir, i % 2 == 0 ? "sub" : string.Empty, $"TEST-{i:D5}.json");
                if (i % 3 == 0)
                {
                    await using FileStream output = File.Create(name + ".gz");
                    await using var zip = new GZipStream(output, CompressionLevel.Fastest);
                    await zip.WriteAsync(json);
                }
                else
                {
                    await File.WriteAllBytesAsync(name, json);
                }
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "broken.json"), "{\"id\":");
            int read = 0;
            int errors = 0;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await foreach (OsvReadResult r in OsvReader.ReadFolderAsync(dir))
            {
                if (r.Succeeded)
                {
                    read++;
                    Assert.True(ids.Add(r.Record.Id));
                    Assert.Equal("1." + int.Parse(r.Record.Id[5..], System.Globalization.CultureInfo.InvariantCulture) + ".0", r.Record.Affected![0].Ranges[0].Events[1].Fixed);
                }
                else
                {
                    errors++;
                    Assert.EndsWith("broken.json", r.Document, StringComparison.Ordinal);
                }
            }

            Assert.Equal(3000, read);
            Assert.Equal(1, errors);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [CorpusFact(Root + "/osv/go")]
    public async Task ReadZipAsync_GoFolderAsOsvDevZip_ReadsEveryEntryAndNamesTheBrokenOne()
    {
        string zipPath = Path.Combine(Path.GetTempPath(), "patchkit-osvzip-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            await using (FileStream output = File.Create(zipPath))
            using (var archive = new ZipArchive(output, ZipArchiveMode.Create))
            {
                foreach (string file in Directory.EnumerateFiles(Corpus.Require(Root + "/osv/go"), "*.json").Order(StringComparer.Ordinal))
                {
                    archive.CreateEntryFromFile(file, Path.GetFileName(file));
                }

                await using Stream broken = archive.CreateEntry("broken.json").Open();
                await broken.WriteAsync("{\"id\": 5}"u8.ToArray());
            }

            int read = 0;
            var errors = new List<OsvReadResult>();
            await using FileStream zip = File.OpenRead(zipPath);
            await foreach (OsvReadResult r in OsvReader.ReadZipAsync(zip, "all.zip"))
            {
                if (r.Succeeded)
                {
                    read++;
                }
                else
                {
                    errors.Add(r);
                }
            }

            Assert.Equal(160, read);
            OsvReadResult error = Assert.Single(errors);
            Assert.Equal("all.zip!broken.json", error.Document);
            Assert.Equal("$.id", error.Error!.JsonPath);
        }
        finally
        {
            File.Delete(zipPath);
        }
    }

    [Fact]
    public void Parse_TimestampNotRfc3339_NamesPathAndWhatIsWanted()
    {
        AdvisoryFormatException e = Assert.Throws<AdvisoryFormatException>(() => OsvReader.Parse("""{"id":"X-1","modified":"yesterday"}"""u8, "x.json"));
        Assert.Equal("$.modified", e.JsonPath);
        Assert.StartsWith("x.json: $.modified: invalid value: wanted a string (RFC 3339 timestamp)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RawSpecificMembers_KeptAsJson()
    {
        OsvRecord r = OsvReader.Parse("""
            {"id":"X-1","modified":"2024-01-02T03:04:05Z","affected":[{"package":{"ecosystem":"Debian:12","name":"openssh"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:9.2p1-2+deb12u3"}]}],
             "ecosystem_specific":{"urgency":"high","n":[1,2]},"database_specific":{"source":"x"}}]}
            """u8, "inline");
        OsvAffected a = Assert.Single(r.Affected!);
        Assert.Equal("high", a.EcosystemSpecific!.Value.GetProperty("urgency").GetString());
        Assert.Equal("x", a.DatabaseSpecific!.Value.GetProperty("source").GetString());
        Assert.Equal([OsvEventKind.Introduced, OsvEventKind.Fixed], a.Ranges[0].Events.Select(static e => e.Kind));
        Assert.Equal("1:9.2p1-2+deb12u3", a.Ranges[0].Events[1].Version);
    }

    internal static JsonElement BrokenExpectation(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Corpus.Require(Root + "/broken/index.json")));
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("file").GetString() == file)
            {
                return c.GetProperty("expect").Clone();
            }
        }

        throw new InvalidOperationException(file + " is not in broken/index.json");
    }

    private static string Join(JsonElement array) => string.Join(",", array.EnumerateArray().Select(static e => e.GetString()));

    private static string Counts(JsonElement obj) =>
        string.Join(",", obj.EnumerateObject().Select(static p => $"{p.Name}={p.Value.GetInt32()}").Order(StringComparer.Ordinal));

    private static string Counts<T>(IEnumerable<IGrouping<string, T>> groups) =>
        string.Join(",", groups.Select(static g => $"{g.Key}={g.Count()}").Order(StringComparer.Ordinal));
}
