namespace PatchKit.Diffs.Apply;

/// <summary>One path the commit changes: its state before (kept in the journal for rollback) and after.</summary>
internal readonly record struct TreeChange(string Relative, TreeEntry Before, TreeEntry After);
