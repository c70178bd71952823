using System.Text;
using System.Text.Json;
using PatchKit.Internal;
using PatchKit.Lifecycle;

namespace PatchKit.Tests.Internal;

public sealed class JsonInputTests
{
    [Theory]
    [InlineData("maxConcurency", "maxConcurrency")]
    [InlineData("MaxConcurrency", "maxConcurrency")]
    [InlineData("errorBugdet", "errorBudget")]
    [InlineData("timezone", "timeZone")]
    public void Nearest_Misspelling_FindsTheKnownKey(string written, string expected)
    {
        string[] known = ["maxConcurrency", "errorBudget", "canaryFraction", "timeZone", "windows"];
        Assert.Equal(expected, JsonInput.Nearest(written, known));
    }

    [Fact]
    public void Nearest_UnrelatedKey_SuggestsNothing()
    {
        Assert.Null(JsonInput.Nearest("colour", ["maxConcurrency", "errorBudget", "windows"]));
    }

    [Fact]
    public void Parse_PolicyWithTwoProblems_ThrowsJsonExceptionListingBothWithPositions()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\n  \"maxConcurency\": 3,\n  \"errorBudget\": -1\n}\n");
        var ex = Assert.ThrowsAny<JsonException>(() => LifecyclePolicy.Parse(json));
        // Unknown keys are found first; the range rules run on a document whose shape is right.
        Assert.Contains("line 2, column 3 ($.maxConcurency)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.LineNumber);
        Assert.Equal("$.maxConcurency", ex.Path);
    }

    [Fact]
    public void Parse_PolicyOutOfRangeValues_ReportsEveryProblemAtOnce()
    {
        byte[] json = Encoding.UTF8.GetBytes("{ \"maxConcurrency\": 0, \"errorBudget\": -1, \"canaryFraction\": 2 }");
        var ex = Assert.IsType<JsonInputException>(Assert.ThrowsAny<JsonException>(() => LifecyclePolicy.Parse(json)));
        Assert.Equal(["$.maxConcurrency", "$.errorBudget", "$.canaryFraction"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Load_InvalidPolicyFile_MessageNamesTheFile()
    {
        using var dir = new Infrastructure.TempDir();
        string path = Path.Combine(dir.Path, "policy.json");
        File.WriteAllText(path, "{ \"errorBudget\": -1 }");
        var ex = Assert.ThrowsAny<JsonException>(() => LifecyclePolicy.Load(path));
        Assert.StartsWith($"The policy file '{path}' is not valid: line 1, column 18 ($.errorBudget): errorBudget is -1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExampleFiles_StillRead()
    {
        Assert.Equal(2, LifecyclePolicy.Load(Infrastructure.RepoFiles.Example("policy.json")).MaxConcurrency);
        Assert.Equal(8, PatchKit.Hosts.Simulated.SimulatedFleetDescription.Parse(File.ReadAllBytes(Infrastructure.RepoFiles.Example("fleet.json"))).Hosts.Count);
        Assert.NotNull(PatchKit.Advisories.JsonPatchCatalog.Load(Infrastructure.RepoFiles.Example("catalog.json")));
    }
}
