using System.Xml;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>Parsing vSphere values by namespace, not by prefix (the simulator's property values use the prefix
/// <c>XMLSchema-instance</c>, real servers <c>xsi</c>).</summary>
public sealed class VimXmlTests
{
    private static VimNode Parse(string xml)
    {
        using var r = XmlReader.Create(new StringReader(xml));
        r.MoveToContent();
        return VimNode.Read(r);
    }

    [Fact]
    public void TypeAttribute_ResolvedByNamespace_WhateverThePrefix_MorefTypeIsTheUnnamespacedOne()
    {
        var a = Parse("<val xmlns=\"urn:vim25\" xmlns:XMLSchema-instance=\"http://www.w3.org/2001/XMLSchema-instance\" XMLSchema-instance:type=\"ManagedObjectReference\" type=\"HostSystem\">host-34</val>");
        Assert.Equal("ManagedObjectReference", a.XsiType);
        Assert.Equal(new ManagedObjectReference("HostSystem", "host-34"), a.AsMoref());
        var b = Parse("<val xmlns=\"urn:vim25\" xmlns:q=\"http://www.w3.org/2001/XMLSchema-instance\" q:type=\"xsd:string\">7.0.3</val>");
        Assert.Equal("string", b.XsiType);
        Assert.Null(b.MorefType);
        Assert.Equal("7.0.3", b.Text);
        // a "type" attribute in another namespace is neither
        var c = Parse("<val xmlns:o=\"urn:other\" o:type=\"X\">v</val>");
        Assert.Null(c.XsiType);
        Assert.Null(c.MorefType);
    }

    [Fact]
    public void NestedValues_AndTimesWithNineOrThreeFractionalDigits()
    {
        var info = Parse("<val xmlns=\"urn:vim25\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"TaskInfo\"><key>task-1</key><state>error</state>"
            + "<error><fault xsi:type=\"InvalidPowerState\"><requestedState>poweredOff</requestedState></fault><localizedMessage>x</localizedMessage></error>"
            + "<queueTime>2026-11-24T05:42:58.031630824Z</queueTime><startTime>2026-11-24T05:42:58.031Z</startTime></val>");
        var t = VimTaskInfo.From(new ManagedObjectReference("Task", "task-1"), info);
        Assert.Equal("error", t.State);
        Assert.Equal("InvalidPowerState", t.ErrorType);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 42, 58, 31, TimeSpan.Zero).AddTicks(6308), info.ChildTime("queueTime"));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 42, 58, 31, TimeSpan.Zero), info.ChildTime("startTime"));
    }

    [Theory]
    [InlineData("ab:CD:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData(" ", null)]
    public void Thumbprint_Normalised(string given, string? expected) => Assert.Equal(expected, VimClient.NormalizeThumbprint(given));

    [Fact]
    public void Thumbprint_Sha1LengthRefused() =>
        Assert.Throws<VimFaultException>(() => VimClient.NormalizeThumbprint("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"));
}
