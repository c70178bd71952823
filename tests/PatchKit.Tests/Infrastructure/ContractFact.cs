using Xunit.Abstractions;
using Xunit.Sdk;

namespace PatchKit.Tests.Infrastructure;

/// <summary>Marks a subclass of a shared (abstract) test class whose tests need the test PostgreSQL server: its
/// <see cref="ContractFactAttribute"/> and <see cref="ContractTheoryAttribute"/> tests are skipped with the reason
/// when the server's programs are missing, except under CI (<c>CI=true</c>), where they run and fail.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute
{
}

/// <summary>A fact of a shared test class: it runs in every subclass, unless the subclass needs a server that is
/// missing (<see cref="RequiresPostgresAttribute"/>). Plain <see cref="FactAttribute"/>s cannot tell, because the
/// attribute is declared once on the base class.</summary>
[XunitTestCaseDiscoverer("PatchKit.Tests.Infrastructure.ContractFactDiscoverer", "PatchKit.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute
{
}

/// <summary>The theory counterpart of <see cref="ContractFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("PatchKit.Tests.Infrastructure.ContractTheoryDiscoverer", "PatchKit.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractTheoryAttribute : TheoryAttribute
{
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        ContractSkip.Reason(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class ContractTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        ContractSkip.Reason(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

internal static class ContractSkip
{
    public static string? Reason(ITestMethod testMethod) =>
        testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute).AssemblyQualifiedName).Any()
            && PostgresServer.BinDir is null && Environment.GetEnvironmentVariable("CI") != "true"
            ? PostgresServer.Missing
            : null;
}
