namespace PatchKit.Advisories.Matching;

/// <summary>A list of decisions whose kinds can be read without making the <see cref="PackageMatch"/> objects.</summary>
internal interface IDecisionList
{
    /// <summary>Returns the decision at an index.</summary>
    MatchDecision DecisionAt(int index);
}
