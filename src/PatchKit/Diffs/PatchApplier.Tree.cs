using System.IO.Abstractions;
using PatchKit.Diffs.Apply;

namespace PatchKit.Diffs;

/// <content>Whole-tree apply and crash recovery.</content>
public static partial class PatchApplier
{
    /// <summary>Applies a patch to a folder tree: all-or-nothing by default, crash-safe, with every path checked.</summary>
    /// <param name="document">The parsed patch.</param>
    /// <param name="fileSystem">The file system the tree is on (<c>new FileSystem()</c> for the real one).</param>
    /// <param name="root">The tree's root folder (as <c>patch -d</c>); every path of the patch is resolved inside it.</param>
    /// <param name="options">How to apply; <see langword="null"/> for the defaults (all-or-nothing, <c>-p1</c>, fuzz 2).</param>
    /// <param name="cancellationToken">Stops before the commit starts; once committing, the commit runs to its end.</param>
    /// <returns>One result per file patch. When a file patch does not apply and <see cref="ApplyOptions.Partial"/> is
    /// not set, nothing is written and <see cref="TreeApplyResult.Committed"/> is <see langword="false"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="PathSafetyException">A path would leave the tree or is unsafe; nothing was written.</exception>
    /// <exception cref="PatchApplyException">The tree can't be read or written.</exception>
    /// <remarks>
    /// Every new content is computed in memory first; the commit then records the old state of every touched path in
    /// a journal file (<c>.patchkit-journal</c>) in the root, changes the files in place and in parallel, and deletes
    /// the journal. If the process dies during the commit, the next <see cref="ApplyTree"/> or
    /// <see cref="Recover"/> rolls the tree back to exactly its old state.
    /// </remarks>
    public static TreeApplyResult ApplyTree(PatchDocument document, IFileSystem fileSystem, string root, ApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(root);
        options ??= s_defaults;
        options.Validate();
        if (!fileSystem.Directory.Exists(root))
        {
            throw new PatchApplyException($"The target folder '{root}' does not exist.", root);
        }

        return new TreeApplier(fileSystem, root, options).Run(document, cancellationToken);
    }

    /// <summary>Applies patches in order as one transaction: each applies to the result of the ones before it (in
    /// memory), and the tree is written once, all or nothing, with the undo journal and crash recovery of
    /// <see cref="ApplyTree"/>.</summary>
    /// <param name="documents">The parsed patches, in the order they apply.</param>
    /// <param name="fileSystem">The file system the tree is on.</param>
    /// <param name="root">The tree's root folder.</param>
    /// <param name="options">How to apply; <see cref="ApplyOptions.StripComponents"/> is the strip level of every
    /// patch (guessed per file when <see langword="null"/>). <see cref="ApplyOptions.Partial"/>,
    /// <see cref="ApplyOptions.DryRun"/>, backups and reject files do not apply to a series and are ignored.</param>
    /// <param name="cancellationToken">Stops before the commit starts.</param>
    /// <returns>What applied; when one patch does not, nothing was written and the result names it (by its index, as
    /// <c>#1</c>, <c>#2</c>, …).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="PathSafetyException">A path would leave the tree or is unsafe; nothing was written.</exception>
    /// <exception cref="PatchApplyException">The tree can't be read or written.</exception>
    public static SeriesApplyResult ApplySeries(IReadOnlyList<PatchDocument> documents, IFileSystem fileSystem, string root, ApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(root);
        options = new ApplyOptions(options ?? s_defaults) { Partial = false, DryRun = false, BackupOriginals = false, RejectFile = null };
        options.Validate();
        if (!fileSystem.Directory.Exists(root))
        {
            throw new PatchApplyException($"The target folder '{root}' does not exist.", root);
        }

        var steps = new List<SeriesStep>(documents.Count);
        for (int i = 0; i < documents.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(documents[i]);
            steps.Add(new SeriesStep("#" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), documents[i], options.StripComponents ?? -1));
        }

        SeriesRun run = new TreeApplier(fileSystem, root, options).RunSeries(steps, null, cancellationToken);
        return run.FailedStep >= 0
            ? new SeriesApplyResult([], false, run.Recovered, steps[run.FailedStep].Name, run.FailedFiles)
            : new SeriesApplyResult(steps.ConvertAll(s => s.Name), run.Committed, run.Recovered, null, []);
    }

    /// <summary>Finishes an interrupted tree apply: when <paramref name="root"/> holds a journal left by a commit that
    /// was killed, every path it names is put back as it was before that apply.</summary>
    /// <param name="fileSystem">The file system the tree is on.</param>
    /// <param name="root">The tree's root folder.</param>
    /// <param name="options">The path rules the journal's entries are checked with (<see cref="ApplyOptions.AllowGitDirectory"/>,
    /// <see cref="ApplyOptions.PortableNames"/>): give the ones of the apply that was interrupted.
    /// <see langword="null"/> for the defaults.</param>
    /// <returns><see langword="true"/> when a journal was found and handled; <see langword="false"/> when there was nothing to do.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="PatchApplyException">The journal is not one an apply on this tree wrote (another tree's, damaged,
    /// not a regular file, an older format), or another apply holds the tree's lock; nothing was changed.</exception>
    /// <exception cref="PathSafetyException">An entry of the journal names an unsafe path or link target; nothing was changed.</exception>
    /// <remarks>The journal is treated as untrusted input, as a patch is: a tree from a tarball or a checkout may hold
    /// one that no apply on it wrote.</remarks>
    public static bool Recover(IFileSystem fileSystem, string root, ApplyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(root);
        options ??= s_defaults;
        var guard = new PathGuard(fileSystem, root, options.AllowGitDirectory, options.PortableNames ? true : null);
        return TreeTransaction.Recover(fileSystem, guard);
    }
}
