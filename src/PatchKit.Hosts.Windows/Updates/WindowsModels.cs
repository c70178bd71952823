namespace PatchKit.Hosts.Windows.Updates;

/// <summary>Win32_OperatingSystem and the CurrentVersion key: what the OS is and when it booted.</summary>
internal sealed record WindowsOsInfo(string Caption, string Version, string BuildNumber, int? Ubr, string DisplayVersion, string ComputerName, DateTimeOffset LastBootUpTime)
{
    /// <summary>Build and update build revision, e.g. <c>17763.5329</c>.</summary>
    public string FullBuild => Ubr is { } u ? BuildNumber + "." + u.ToString(System.Globalization.CultureInfo.InvariantCulture) : BuildNumber;
}

/// <summary>One installed update: from Get-HotFix (<see cref="Source"/> <c>hotfix</c>) or a successful Windows Update
/// history entry (<c>history</c>).</summary>
internal sealed record WindowsInstalledUpdate(string Id, string Title, string UpdateId, DateTimeOffset InstalledAt, string Source);

/// <summary>One update the Windows Update Agent offers (IUpdate).</summary>
internal sealed record WindowsApplicableUpdate(string Title, IReadOnlyList<string> KbArticleIds, string UpdateId, string MsrcSeverity, bool IsDownloaded, bool RebootRequired);

/// <summary>The three places Windows records that a reboot is pending.</summary>
internal sealed record WindowsPendingReboot(bool CbsRebootPending, bool WindowsUpdateRebootRequired, bool PendingFileRenameOperations)
{
    public bool Any => CbsRebootPending || WindowsUpdateRebootRequired || PendingFileRenameOperations;
}

/// <summary>The state file of an install job: <c>Starting</c>, <c>Running</c>, <c>Done</c> or <c>Unknown</c> (no such job).
/// <c>ExitCode</c> and <c>Output</c> are a payload job's (wusa, DISM); the rest a Windows Update Agent job's.</summary>
internal sealed record WindowsInstallJobStatus(string State, int ResultCode, int HResult, bool RebootRequired, string Error, IReadOnlyList<WindowsInstallJobItem> Updates, int? ExitCode = null, string Output = "")
{
    public bool IsDone => State == "Done";
}

/// <summary>One update's result inside an install job (IUpdateInstallationResult).</summary>
internal sealed record WindowsInstallJobItem(string Title, string UpdateId, int ResultCode, int HResult, bool RebootRequired);
