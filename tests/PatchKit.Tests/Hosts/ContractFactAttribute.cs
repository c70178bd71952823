using Xunit.Abstractions;
using Xunit.Sdk;

namespace PatchKit.Tests.Hosts;

/// <summary>A check of <see cref="HostAdapterContractTests{TAdapter}"/>: a plain fact, unless the concrete test class
/// carries a <see cref="ContractServersAttribute"/> saying its servers cannot run here — then every check is skipped with
/// that reason (the attribute gives none when CI=true, so CI runs the checks and they fail).</summary>
[XunitTestCaseDiscoverer("PatchKit.Tests.Hosts.ContractFactDiscoverer", "PatchKit.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute
{
}

/// <summary>Put on a concrete contract test class: why its real servers cannot run on this machine, or
/// <see langword="null"/> when they can (or when CI=true).</summary>
[AttributeUsage(AttributeTargets.Class)]
public abstract class ContractServersAttribute : Attribute
{
    /// <summary>Gets the reason to skip, or <see langword="null"/>.</summary>
    public abstract string? SkipReason { get; }
}

/// <summary>Finds <see cref="ContractFactAttribute"/> checks, skipped with the class's <see cref="ContractServersAttribute"/>
/// reason when it gives one.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        string? skip = testMethod.TestClass.Class.ToRuntimeType()?
            .GetCustomAttributes(typeof(ContractServersAttribute), inherit: true).OfType<ContractServersAttribute>()
            .Select(a => a.SkipReason).FirstOrDefault(r => r is not null);
        return skip is not null
            ? [new XunitSkippedDataRowTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip)]
            : [new XunitTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
    }
}
