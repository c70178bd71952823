using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows.Updates;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>Parsing of the adapter's PowerShell and WUA outputs. The inputs are representative outputs written from the
/// documented formats (Windows PowerShell 5.1 ConvertTo-Json, Win32_OperatingSystem, IUpdate, IUpdateHistoryEntry,
/// IInstallationResult), not recordings of a Windows host.</summary>
public sealed class WindowsOutputParserTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s.Replace("\n", "\r\n", StringComparison.Ordinal));

    [Fact]
    public void PowerShell_IsRunAsEncodedCommand_Utf16LeBase64()
    {
        string[] args = PatchKit.Hosts.Windows.WinRm.WinRmShell.EncodedCommandArguments("Get-HotFix");
        Assert.Equal("-EncodedCommand", args[^2]);
        // pywinrm's run_ps('Get-HotFix') sent the same payload (reference-envelopes/06-Command-ps.xml)
        Assert.Equal("RwBlAHQALQBIAG8AdABGAGkAeAA=", args[^1]);
        Assert.Equal("Get-HotFix", Encoding.Unicode.GetString(Convert.FromBase64String(args[^1])));
    }

    [Fact]
    public void OsInfo_VersionBuildUbrAndBootTime()
    {
        var os = WindowsOutputParser.ParseOsInfo(B("""
            {"Caption":"Microsoft Windows Server 2019 Datacenter","Version":"10.0.17763","BuildNumber":"17763","UBR":5329,"DisplayVersion":null,"ComputerName":"WIN-TEST","LastBootUpTime":"2024-02-14T08:00:00.0000000Z"}
            """));
        Assert.Equal("10.0.17763", os.Version);
        Assert.Equal("17763.5329", os.FullBuild);
        Assert.Equal(string.Empty, os.DisplayVersion);
        Assert.Equal(new DateTimeOffset(2024, 2, 14, 8, 0, 0, TimeSpan.Zero), os.LastBootUpTime);
    }

    [Fact]
    public void OsInfo_WithoutBootTime_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => WindowsOutputParser.ParseOsInfo(B("""{"Caption":"x","Version":"10.0"}""")));
        Assert.Throws<FormatException>(() => WindowsOutputParser.ParseOsInfo(B("Get-CimInstance : Access denied")));
        Assert.Throws<FormatException>(() => WindowsOutputParser.ParseOsInfo(B("")));
    }

    [Fact]
    public void InstalledUpdates_HotFixDatesInPs51Shape_HistoryOnlySuccesses_KbFromTitle_NoDuplicates()
    {
        var list = WindowsOutputParser.ParseInstalledUpdates(B("""
            {
                "HotFixes":  [
                                 {
                                     "HotFixID":  "KB5034439",
                                     "Description":  "Update",
                                     "InstalledBy":  "NT AUTHORITY\\SYSTEM",
                                     "InstalledOn":  {
                                                         "value":  "\/Date(1707782400000)\/",
                                                         "DateTime":  "Tuesday, February 13, 2024 12:00:00 AM"
                                                     }
                                 },
                                 {
                                     "HotFixID":  "KB5034768",
                                     "Description":  "Security Update",
                                     "InstalledBy":  "",
                                     "InstalledOn":  null
                                 }
                             ],
                "History":  [
                                {
                                    "Title":  "2024-02 Cumulative Update for Windows Server 2019 (1809) for x64-based Systems (KB5034768)",
                                    "UpdateID":  "5e4b1d77-9a0e-4a0c-8d3f-0b8f4c2a6d11",
                                    "Date":  "2024-02-13T10:00:00.0000000Z",
                                    "ResultCode":  2,
                                    "HResult":  0
                                },
                                {
                                    "Title":  "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.405.123.0)",
                                    "UpdateID":  "0c3a8b2e-1f44-4f7e-9a51-6d2c9e7f3b20",
                                    "Date":  "2024-02-13T11:00:00.0000000Z",
                                    "ResultCode":  2,
                                    "HResult":  0
                                },
                                {
                                    "Title":  "2024-01 Security Update (KB5034441)",
                                    "UpdateID":  "11111111-2222-3333-4444-555555555555",
                                    "Date":  "2024-01-10T10:00:00.0000000Z",
                                    "ResultCode":  4,
                                    "HResult":  -2145124322
                                }
                            ]
            }
            """));
        Assert.Equal(["KB5034439", "KB5034768", "KB2267602"], list.Select(u => u.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1707782400000), list[0].InstalledAt);
        Assert.Equal("hotfix", list[1].Source);
        Assert.Equal("history", list[2].Source);
        Assert.Equal("0c3a8b2e-1f44-4f7e-9a51-6d2c9e7f3b20", list[2].UpdateId);
    }

    [Fact]
    public void InstalledUpdates_ABareGetHotFixObject_IsOneUpdate()
    {
        // PowerShell 5.1 writes a single item as an object, not a one-element list.
        var list = WindowsOutputParser.ParseInstalledUpdates(B("""{"HotFixID":"KB5034439","Description":"Update","InstalledOn":"\/Date(1707782400000)\/"}"""));
        Assert.Equal("KB5034439", Assert.Single(list).Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1707782400000), list[0].InstalledAt);
    }

    [Fact]
    public void Search_KbIdsGetThePrefix_NullSeverityIsEmpty()
    {
        var list = WindowsOutputParser.ParseSearch(B("""
            [
                {
                    "Title":  "2024-02 Cumulative Update for Windows Server 2019 (1809) for x64-based Systems (KB5034768)",
                    "KBArticleIDs":  [
                                         "5034768"
                                     ],
                    "UpdateID":  "5e4b1d77-9a0e-4a0c-8d3f-0b8f4c2a6d11",
                    "MsrcSeverity":  "Critical",
                    "IsDownloaded":  false,
                    "RebootRequired":  true
                },
                {
                    "Title":  "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.405.123.0)",
                    "KBArticleIDs":  "2267602",
                    "UpdateID":  "0c3a8b2e-1f44-4f7e-9a51-6d2c9e7f3b20",
                    "MsrcSeverity":  null,
                    "IsDownloaded":  true,
                    "RebootRequired":  false
                }
            ]
            """));
        Assert.Equal(2, list.Count);
        Assert.Equal(["KB5034768"], list[0].KbArticleIds);
        Assert.True(list[0].RebootRequired);
        Assert.Equal(["KB2267602"], list[1].KbArticleIds);
        Assert.Equal(string.Empty, list[1].MsrcSeverity);
        Assert.Empty(WindowsOutputParser.ParseSearch(B("[]")));
    }

    [Fact]
    public void PendingReboot_AnyOfTheThreeMarkers()
    {
        Assert.False(WindowsOutputParser.ParsePendingReboot(B("""{"CbsRebootPending":false,"WindowsUpdateRebootRequired":false,"PendingFileRenameOperations":false}""")).Any);
        Assert.True(WindowsOutputParser.ParsePendingReboot(B("""{"CbsRebootPending":false,"WindowsUpdateRebootRequired":false,"PendingFileRenameOperations":true}""")).Any);
        Assert.True(WindowsOutputParser.ParsePendingReboot(B("""{"CbsRebootPending":true,"WindowsUpdateRebootRequired":false,"PendingFileRenameOperations":false}""")).CbsRebootPending);
    }

    [Fact]
    public void JobStatus_RunningAndDone_WithPerUpdateResults()
    {
        Assert.False(WindowsOutputParser.ParseJobStatus(B("""{"State":"Running"}""")).IsDone);
        // Set-Content -Encoding UTF8 writes a BOM
        var done = WindowsOutputParser.ParseJobStatus([0xEF, 0xBB, 0xBF, .. B("""{"Updates":[{"Title":"KB5034768","UpdateID":"5e4b1d77-9a0e-4a0c-8d3f-0b8f4c2a6d11","ResultCode":2,"HResult":0,"RebootRequired":true}],"State":"Done","ResultCode":2,"HResult":0,"RebootRequired":true}""")]);
        Assert.True(done.IsDone);
        Assert.True(done.RebootRequired);
        Assert.Equal(2, Assert.Single(done.Updates).ResultCode);
        Assert.Equal("Unknown", WindowsOutputParser.ParseJobStatus(B("{}")).State);
    }

    [Fact]
    public void ClixmlErrorStream_BecomesText()
    {
        string clixml = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Error\">Get-HotFix : Access is denied_x000D__x000A_</S><S S=\"Error\">At line:1 char:1_x000D__x000A_</S></Objs>";
        Assert.Equal("Get-HotFix : Access is denied\nAt line:1 char:1", WindowsOutputParser.ErrorText(Encoding.ASCII.GetBytes(clixml)));
        Assert.Equal("plain text", WindowsOutputParser.ErrorText("plain text\r\n"u8));
    }

    [Theory]
    [InlineData(0, HostOperationStatus.Succeeded, "0")]
    [InlineData(3010, HostOperationStatus.SucceededRebootRequired, "3010")]
    [InlineData(1641, HostOperationStatus.SucceededRebootRequired, "1641")]
    [InlineData(2359302, HostOperationStatus.Succeeded, "0x00240006")]
    [InlineData(-2145124329, HostOperationStatus.NotApplicable, "0x80240017")]
    [InlineData(-2146498530, HostOperationStatus.NotApplicable, "0x800F081E")]
    [InlineData(1603, HostOperationStatus.Failed, "1603")]
    [InlineData(-2145124318, HostOperationStatus.Failed, "0x80240022")]
    public void InstallerExitCodes_MapToTheContract_AndKeepTheirCode(int code, HostOperationStatus expected, string formatted)
    {
        Assert.Equal(expected, WindowsResultCodes.FromExitCode(code));
        Assert.Equal(formatted, WindowsResultCodes.Format(code));
        Assert.False(string.IsNullOrEmpty(WindowsResultCodes.Meaning(code)));
    }

    [Fact]
    public void HResultMeanings_AreTheDocumentedOnes()
    {
        Assert.StartsWith("WU_E_ALL_UPDATES_FAILED", WindowsResultCodes.Meaning(unchecked((int)0x80240022)), StringComparison.Ordinal);
        Assert.StartsWith("WU_S_ALREADY_INSTALLED", WindowsResultCodes.Meaning(2359302), StringComparison.Ordinal);
        Assert.StartsWith("ERROR_SUCCESS_REBOOT_REQUIRED", WindowsResultCodes.Meaning(3010), StringComparison.Ordinal);
        Assert.Contains("0x80249999", WindowsResultCodes.Meaning(unchecked((int)0x80249999)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, false, 0, HostOperationStatus.Succeeded)]
    [InlineData(2, true, 0, HostOperationStatus.SucceededRebootRequired)]
    [InlineData(3, true, 0, HostOperationStatus.Partial)]
    [InlineData(4, false, -2145124318, HostOperationStatus.Failed)]
    [InlineData(4, false, 2359302, HostOperationStatus.Succeeded)]
    [InlineData(4, false, -2145124329, HostOperationStatus.NotApplicable)]
    [InlineData(5, false, -2145124322, HostOperationStatus.Failed)]
    [InlineData(1, false, 0, HostOperationStatus.Unknown)]
    public void WuaOperationResultCodes_MapToTheContract(int orc, bool reboot, int hresult, HostOperationStatus expected) =>
        Assert.Equal(expected, WindowsResultCodes.FromWua(orc, reboot, hresult));
}
