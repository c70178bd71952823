using PatchKit.Hosts;
using PatchKit.Integrations;
using PatchKit.Integrations.Bugzilla;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Research;
using PatchKit.Tests.Integrations.Bugzilla;

namespace PatchKit.Tests.Lifecycle.Research;

/// <summary>The Research stage's IssueTracker hook, against the stand-in Bugzilla 5.2 server of
/// <see cref="StandInBugzillaServer"/> (a real Bugzilla cannot be installed on the build machines) and a counting tracker.</summary>
public sealed class ResearchStageBugzillaTests
{
    private const string Key = "research-bz-key-0123456789";

    private static BugzillaTracker Tracker(StandInBugzillaServer server) => new(new BugzillaTrackerOptions
    {
        BaseAddress = server.BaseAddress,
        ApiKey = Secret.FromDelegate("test delegate", _ => ValueTask.FromResult(Key)),
        RequestTimeout = TimeSpan.FromSeconds(10),
    });

    private static Action<ResearchStageOptions> RejectQemuP1(IIssueTracker tracker) => o =>
    {
        o.Verify = a => new ValueTask<bool>(a.Patch.Id != "qemu-p1");
        o.IssueTracker = tracker;
        o.IssueProduct = "PatchKit";
        o.IssueComponent = "Lab";
    };

    [Fact]
    public async Task Execute_VerifyRejects_FilesOneBugAndASecondRunCommentsOnIt()
    {
        await using var server = new StandInBugzillaServer(Key);
        using var tracker = Tracker(server);

        var (first, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker), runId: "run-1");
        var (second, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker), runId: "run-2");

        Assert.False(first.Context.Research!.Tests.Single(t => t.PatchId == "qemu-p1").Passed);
        var bug = Assert.Single(server.Bugs.Values);
        Assert.Contains("qemu-p1", bug.Summary, StringComparison.Ordinal);
        Assert.Contains("[patchkit:lab-verify:qemu-p1:", bug.Whiteboard, StringComparison.Ordinal);
        Assert.Equal(2, bug.Comments.Count);
        Assert.Contains("run-1", bug.Comments[0], StringComparison.Ordinal);
        Assert.Contains("run-2", bug.Comments[1], StringComparison.Ordinal);
        Assert.Equal(first.Context.Research.Tests.Select(t => t.Passed), second.Context.Research!.Tests.Select(t => t.Passed));
    }

    [Fact]
    public async Task Execute_PatchThatFailedNowPasses_ItsBugIsResolvedOnce()
    {
        await using var server = new StandInBugzillaServer(Key);
        using var tracker = Tracker(server);
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker), runId: "run-1");
        Action<ResearchStageOptions> passes = o =>
        {
            RejectQemuP1(tracker)(o);
            o.Verify = _ => new ValueTask<bool>(true);
        };
        var (second, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: passes, runId: "run-2");
        TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: passes, runId: "run-3");

        Assert.True(second.Context.Research!.Tests.Single(t => t.PatchId == "qemu-p1").Passed);
        var bug = Assert.Single(server.Bugs.Values);
        Assert.Equal("RESOLVED", bug.Status);
        Assert.Equal("FIXED", bug.Resolution);
        Assert.Equal(2, bug.Comments.Count); // filed by run-1, resolved by run-2; run-3 finds it resolved and leaves it
        Assert.Contains("passed lab verification", bug.Comments[1], StringComparison.Ordinal);
        Assert.Contains("run-2", bug.Comments[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_TrackerDown_RunCompletesAsWithoutATracker()
    {
        var server = new StandInBugzillaServer(Key);
        using var tracker = Tracker(server);
        await server.DisposeAsync();

        var (withDownTracker, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker));
        var (without, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: o => o.Verify = a => new ValueTask<bool>(a.Patch.Id != "qemu-p1"));

        Assert.False(withDownTracker.Context.Research!.Tests.Single(t => t.PatchId == "qemu-p1").Passed);
        Assert.Equal(without.Context.Research!.Tests.Select(t => (t.PatchId, t.Passed)), withDownTracker.Context.Research.Tests.Select(t => (t.PatchId, t.Passed)));
        Assert.Equal(without.Context.Repair!.Outcomes.Select(o => (o.HostId, o.State)), withDownTracker.Context.Repair!.Outcomes.Select(o => (o.HostId, o.State)));
    }

    [Fact]
    public void Execute_ResumedWithTheSameJournal_DoesNotCallTheTrackerAgain()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pk-bz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var tracker = new CountingTracker();
            int passed;
            using (var journal = new FileRunJournal(Path.Combine(dir, "journal.jsonl")))
            {
                var (first, _) = TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker), journal: journal, runId: "resume-run");
                passed = first.Context.Research!.Tests.Count(t => t.Passed);
            }

            // The first run looks up the rejected patch's issue (to file it) and each passed patch's (to resolve one, if open).
            Assert.Equal((1 + passed, 1, 0), (tracker.Finds, tracker.Files, tracker.Comments));

            using (var journal = new FileRunJournal(Path.Combine(dir, "journal.jsonl")))
            {
                TestFleet.Run(TestFleet.Standard(), TestFleet.Catalog(), research: RejectQemuP1(tracker), journal: journal, runId: "resume-run");
            }

            Assert.Equal((1 + passed, 1, 0), (tracker.Finds, tracker.Files, tracker.Comments));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AddResearch_IssueTrackerWithoutProductOrComponent_RefusedNamingBoth()
    {
        var options = new ResearchStageOptions { IssueTracker = new CountingTracker(), IssueProduct = "PatchKit" };

        var ex = Assert.Throws<ArgumentException>(() => new PatchPipelineBuilder().AddResearch(options));

        Assert.Contains("IssueComponent", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CountingTracker : IIssueTracker
    {
        public int Finds { get; private set; }

        public int Files { get; private set; }

        public int Comments { get; private set; }

        public Task<TrackedIssue?> FindAsync(string stableKey, CancellationToken cancellationToken)
        {
            Finds++;
            return Task.FromResult<TrackedIssue?>(null);
        }

        public Task<TrackedIssue> FileAsync(IssueReport report, CancellationToken cancellationToken)
        {
            Files++;
            return Task.FromResult(new TrackedIssue { Id = "7", StableKey = report.StableKey });
        }

        public Task CommentAsync(string issueId, string text, CancellationToken cancellationToken)
        {
            Comments++;
            return Task.CompletedTask;
        }

        public Task ResolveAsync(string issueId, string comment, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
