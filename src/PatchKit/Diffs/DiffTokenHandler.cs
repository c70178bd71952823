namespace PatchKit.Diffs;

/// <summary>Receives each token of <see cref="UnifiedDiffStreamReader.ReadAsync"/>; the reader's spans are valid only during the call.</summary>
/// <param name="reader">The reader, positioned on the token (<see cref="UnifiedDiffReader.TokenType"/>, <see cref="UnifiedDiffReader.ValueSpan"/>,
/// <see cref="UnifiedDiffReader.LineNumber"/>, <see cref="UnifiedDiffReader.TokenOffset"/>).</param>
/// <returns><see langword="true"/> to go on; <see langword="false"/> to stop reading.</returns>
public delegate bool DiffTokenHandler(in UnifiedDiffReader reader);
