using PatchKit.Advisories;
using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Research;

/// <summary>Arguments of a lab verification hook: test the patched clone (a service answers, a page loads).</summary>
/// <param name="context">The run.</param>
/// <param name="clone">The patched lab clone.</param>
/// <param name="patch">The patch under test.</param>
/// <param name="adapter">The adapter that manages the clone (test it for <see cref="IGuestExecCapability"/>).</param>
public readonly struct OnLabVerifyArguments(PatchRunContext context, LabClone clone, PatchDefinition patch, IHostAdapter adapter)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the clone.</summary>
    public LabClone Clone { get; } = clone;

    /// <summary>Gets the patch.</summary>
    public PatchDefinition Patch { get; } = patch;

    /// <summary>Gets the adapter.</summary>
    public IHostAdapter Adapter { get; } = adapter;
}
