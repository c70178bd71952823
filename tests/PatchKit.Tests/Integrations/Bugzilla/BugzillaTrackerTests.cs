using Microsoft.Extensions.Logging;
using PatchKit.Hosts;
using PatchKit.Integrations;
using PatchKit.Integrations.Bugzilla;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Integrations.Bugzilla;

/// <summary>BugzillaTracker against <see cref="StandInBugzillaServer"/>, a stand-in for Bugzilla 5.2 started by the test on
/// 127.0.0.1 (a real Bugzilla cannot be installed on the build machines; the stand-in follows the 5.2 behaviour listed in
/// issue 26). Every test also checks that the API key reached no log line and no exception text.</summary>
public sealed class BugzillaTrackerTests : IAsyncLifetime
{
    private readonly string _key = "bzkey-" + Guid.NewGuid().ToString("N");
    private readonly CapturingLoggerFactory _logs = new();
    private StandInBugzillaServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new StandInBugzillaServer(_key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (string line in _logs.Lines)
        {
            Assert.DoesNotContain(_key, line, StringComparison.Ordinal);
            Assert.DoesNotContain("api_key", line, StringComparison.Ordinal);
        }
    }

    private BugzillaTracker Tracker(string? key = null) => new(new BugzillaTrackerOptions
    {
        BaseAddress = _server.BaseAddress,
        ApiKey = Secret.FromDelegate("test delegate", _ => ValueTask.FromResult(key ?? _key)),
        LoggerFactory = _logs,
        RequestTimeout = TimeSpan.FromSeconds(10),
    });

    private static IssueReport Report(string stableKey, string product = "PatchKit", string? version = null) => new()
    {
        StableKey = stableKey,
        Summary = "Patch KB1 failed lab verification on esx-lab-01",
        Description = "Verify hook reported: service did not come back.",
        Product = product,
        Component = "Lab",
        Version = version,
        Priority = IssuePriority.High,
    };

    private async Task<TrackedIssue> FileOnceAsync(IIssueTracker tracker, IssueReport report)
    {
        // The caller's idempotency pattern: look the stable key up first, file only when nothing carries it.
        return await tracker.FindAsync(report.StableKey, CancellationToken.None)
            ?? await tracker.FileAsync(report, CancellationToken.None);
    }

    private void AssertNoSecret(Exception ex)
    {
        string all = ex.ToString();
        Assert.DoesNotContain(_key, all, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetVersionAsync_StandIn_Answers52()
    {
        using var tracker = Tracker();

        string version = await tracker.GetVersionAsync(CancellationToken.None);

        Assert.Equal("5.2", version);
    }

    [Fact]
    public async Task FileAsync_ThenRetry_FindsTheFirstBugAndFilesNoSecond()
    {
        using var tracker = Tracker();
        var report = Report("verify:KB1:esx-lab-01");

        var first = await FileOnceAsync(tracker, report);
        var retry = await FileOnceAsync(tracker, report);

        Assert.Equal(first.Id, retry.Id);
        var bug = Assert.Single(_server.Bugs.Values);
        Assert.Equal(first.Id, bug.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("[patchkit:verify:KB1:esx-lab-01]", bug.Whiteboard, StringComparison.Ordinal);
        Assert.Equal(("All", "All", "unspecified", "High"), (bug.OpSys, bug.Platform, bug.Version, bug.Priority));
        Assert.Equal("CONFIRMED", retry.Status);
    }

    [Fact]
    public async Task FindAsync_OtherKeysMatchTheServersLooseSearch_OnlyTheExactKeyCounts()
    {
        // Bugzilla's whiteboard search is a case-insensitive substring search: both bugs come back for "verify:kb1".
        using var tracker = Tracker();
        await tracker.FileAsync(Report("verify:KB1"), CancellationToken.None);
        await tracker.FileAsync(Report("verify:KB10"), CancellationToken.None);
        var exact = await tracker.FileAsync(Report("verify:kb1"), CancellationToken.None);

        var found = await tracker.FindAsync("verify:kb1", CancellationToken.None);
        var none = await tracker.FindAsync("verify:kb", CancellationToken.None);

        Assert.Equal(exact.Id, found?.Id);
        Assert.Null(none);
    }

    [Fact]
    public async Task Requests_CarryKeyOnlyAsApiKey_NeverInAHeader()
    {
        using var tracker = Tracker();
        var bug = await tracker.FileAsync(Report("k-headers"), CancellationToken.None);
        await tracker.FindAsync("k-headers", CancellationToken.None);
        await tracker.CommentAsync(bug.Id, "still failing", CancellationToken.None);

        var requests = _server.Requests.ToArray();

        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.DoesNotContain(_key, r.Headers, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.DoesNotContain("X-BUGZILLA-API-KEY", r.Headers, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("\"api_key\":\"" + _key + "\"", requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("api_key=" + _key, requests[1].Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentAsync_ThenResolveAsync_BugIsResolvedFixedWithBothComments()
    {
        using var tracker = Tracker();
        var filed = await tracker.FileAsync(Report("k-resolve"), CancellationToken.None);

        await tracker.CommentAsync(filed.Id, "Retried on esx-lab-02: same failure.", CancellationToken.None);
        await tracker.ResolveAsync(filed.Id, "Fixed by KB2, verified in the lab.", CancellationToken.None);
        var found = await tracker.FindAsync("k-resolve", CancellationToken.None);

        var bug = _server.Bugs[int.Parse(filed.Id, System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Equal(("RESOLVED", "FIXED"), (bug.Status, bug.Resolution));
        Assert.Equal(["Verify hook reported: service did not come back.", "Retried on esx-lab-02: same failure.", "Fixed by KB2, verified in the lab."], bug.Comments);
        Assert.NotNull(found);
        Assert.Equal(("RESOLVED", "FIXED"), (found.Status, found.Resolution));
    }

    [Fact]
    public async Task FindAsync_WrongKey_ThrowsUnauthorizedWithoutTheKey()
    {
        string wrong = "wrongkey-" + Guid.NewGuid().ToString("N");
        using var tracker = Tracker(wrong);

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FindAsync("k", CancellationToken.None));

        Assert.Equal((IssueTrackerError.Unauthorized, 306), (ex.Error, ex.TrackerCode));
        Assert.Contains("API key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test delegate", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.BaseAddress + "rest/bug", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, string.Join('\n', _logs.Lines), StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task FileAsync_UnknownProduct_ThrowsUnknownProduct()
    {
        using var tracker = Tracker();

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FileAsync(Report("k", product: "NoSuchProduct"), CancellationToken.None));

        Assert.Equal((IssueTrackerError.UnknownProduct, 106), (ex.Error, ex.TrackerCode));
        Assert.Contains("NoSuchProduct", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Bugs);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task FileAsync_UnknownVersion_ThrowsInvalidField()
    {
        using var tracker = Tracker();

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FileAsync(Report("k", version: "9.9"), CancellationToken.None));

        Assert.Equal((IssueTrackerError.InvalidField, 51), (ex.Error, ex.TrackerCode));
        Assert.Contains("9.9", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task CommentAsync_UnknownBug_ThrowsNotFound()
    {
        using var tracker = Tracker();

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.CommentAsync("4242", "hello", CancellationToken.None));

        Assert.Equal((IssueTrackerError.NotFound, 101), (ex.Error, ex.TrackerCode));
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task FindAsync_ServerStopped_ThrowsUnreachableWithoutTheKeyOrQuery()
    {
        using var tracker = Tracker();
        _server.Stop();

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FindAsync("k", CancellationToken.None));

        Assert.Equal(IssueTrackerError.Unreachable, ex.Error);
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("?", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task ResolveAsync_UnknownBug_ThrowsNotFound()
    {
        using var tracker = Tracker();

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.ResolveAsync("77", "done", CancellationToken.None));

        Assert.Equal((IssueTrackerError.NotFound, 101), (ex.Error, ex.TrackerCode));
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task FindAsync_BaseAddressNotBugzilla_ThrowsProtocolNamingTheEndpoint()
    {
        using var tracker = new BugzillaTracker(new BugzillaTrackerOptions
        {
            BaseAddress = new Uri(_server.BaseAddress, "not-bugzilla/"),
            ApiKey = Secret.FromDelegate("test delegate", _ => ValueTask.FromResult(_key)),
            LoggerFactory = _logs,
        });

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FindAsync("k", CancellationToken.None));

        Assert.Equal(IssueTrackerError.Protocol, ex.Error);
        Assert.Contains(_server.BaseAddress + "not-bugzilla/rest/bug", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task FindAsync_ServerTooSlow_ThrowsUnreachableAfterTheRequestTimeout()
    {
        _server.Delay = TimeSpan.FromMinutes(5);
        using var tracker = new BugzillaTracker(new BugzillaTrackerOptions
        {
            BaseAddress = _server.BaseAddress,
            ApiKey = Secret.FromDelegate("test delegate", _ => ValueTask.FromResult(_key)),
            LoggerFactory = _logs,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var ex = await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FindAsync("k", CancellationToken.None));

        Assert.Equal(IssueTrackerError.Unreachable, ex.Error);
        Assert.Contains("did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task Logs_AfterSuccessAndFailure_HoldEndpointsButNeitherKeyNorQuery()
    {
        using var tracker = Tracker();
        await tracker.FindAsync("k-log", CancellationToken.None);
        await Assert.ThrowsAsync<IssueTrackerException>(() => tracker.FileAsync(Report("k-log", product: "Nope"), CancellationToken.None));

        var lines = _logs.Lines.ToArray();

        Assert.Contains(lines, l => l.Contains("GET " + _server.BaseAddress + "rest/bug", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("failed: code 106", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(_key, l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("?", l, StringComparison.Ordinal));
    }
}
