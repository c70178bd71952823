namespace PatchKit.Diffs;

/// <summary>The first hunk of a file patch whose body holds fewer lines than its header promises: a patch read leniently
/// that was cut off or damaged. The tree applier refuses it (GNU patch: "unexpected end of file in patch"; git apply:
/// "corrupt patch") unless the counts were recounted, and then the CLI warns.</summary>
/// <param name="Index">The 0-based index of the hunk in its file patch.</param>
/// <param name="LineNumber">The 1-based line of its header in the patch.</param>
/// <param name="HeaderOld">The old-side line count its header gives.</param>
/// <param name="HeaderNew">The new-side line count its header gives.</param>
/// <param name="BodyOld">The old-side lines its body holds.</param>
/// <param name="BodyNew">The new-side lines its body holds.</param>
/// <param name="Recounted">Whether the patch was read with <see cref="PatchParseOptions.Recount"/>: the lines were
/// counted on purpose, so the applier only warns.</param>
internal readonly record struct ShortHunk(int Index, long LineNumber, int HeaderOld, int HeaderNew, int BodyOld, int BodyNew, bool Recounted);
