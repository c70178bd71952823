namespace PatchKit.Hosts;

/// <summary>A named operation run on a host through <see cref="IHostAdapter.RunStepAsync"/>, such as a health check
/// or a vendor command. It is data, so it can be journaled and planned.</summary>
/// <param name="Name">The step name (<c>health-check</c>, <c>esxcli</c>, ...).</param>
/// <param name="Arguments">Arguments, adapter specific.</param>
public sealed record HostStep(string Name, IReadOnlyList<string> Arguments);
