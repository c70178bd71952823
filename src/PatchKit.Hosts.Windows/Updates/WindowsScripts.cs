namespace PatchKit.Hosts.Windows.Updates;

/// <summary>The PowerShell (Windows PowerShell 5.1) the adapter runs. Each script starts with a <c># patchkit:NAME</c>
/// line, so its runs can be recognised in logs (and by the test fixture). Every script prints one JSON document.</summary>
internal static class WindowsScripts
{
    public const string OsInfo = """
        # patchkit:os-info
        $ErrorActionPreference = 'Stop'
        $os = Get-CimInstance -ClassName Win32_OperatingSystem
        $cv = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
        [pscustomobject]@{
          Caption = $os.Caption; Version = $os.Version; BuildNumber = $os.BuildNumber; UBR = $cv.UBR
          DisplayVersion = $cv.DisplayVersion; ComputerName = $env:COMPUTERNAME
          LastBootUpTime = $os.LastBootUpTime.ToUniversalTime().ToString('o')
        } | ConvertTo-Json -Compress
        """;

    public const string InstalledUpdates = """
        # patchkit:installed-updates
        $ErrorActionPreference = 'Stop'
        $hf = @(Get-HotFix | Select-Object HotFixID, Description, InstalledBy, InstalledOn)
        $hist = @()
        try {
          $q = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
          $n = $q.GetTotalHistoryCount()
          if ($n -gt 0) {
            $hist = @($q.QueryHistory(0, $n) | Where-Object { $_.Operation -eq 1 } | ForEach-Object {
              [pscustomobject]@{ Title = $_.Title; UpdateID = $_.UpdateIdentity.UpdateID; Date = $_.Date.ToUniversalTime().ToString('o'); ResultCode = [int]$_.ResultCode; HResult = [int]$_.HResult } })
          }
        } catch { }
        ConvertTo-Json -InputObject ([pscustomobject]@{ HotFixes = $hf; History = $hist }) -Depth 4
        """;

    public const string Search = """
        # patchkit:wua-search
        $ErrorActionPreference = 'Stop'
        $r = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher().Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
        $u = @($r.Updates | ForEach-Object { [pscustomobject]@{ Title = $_.Title; KBArticleIDs = @($_.KBArticleIDs); UpdateID = $_.Identity.UpdateID; MsrcSeverity = $_.MsrcSeverity; IsDownloaded = $_.IsDownloaded; RebootRequired = $_.RebootRequired } })
        ConvertTo-Json -InputObject $u -Depth 3
        """;

    public const string PendingReboot = """
        # patchkit:pending-reboot
        $cbs = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
        $wu = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
        $pfro = $null -ne (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue)
        [pscustomobject]@{ CbsRebootPending = $cbs; WindowsUpdateRebootRequired = $wu; PendingFileRenameOperations = $pfro } | ConvertTo-Json -Compress
        """;

    // The Windows Update Agent refuses to download or install from a remote (WinRM) logon (0x80070005), so the install
    // runs as a scheduled task under SYSTEM and writes its state to %ProgramData%\PatchKit\jobs\JOB.json; the job id is
    // the handle the adapter checkpoints and polls, also after the orchestrator was restarted.
    private const string Worker = """
        param([string]$UpdateId, [string]$Kb, [string]$Out)
        function Save($o) { $o | ConvertTo-Json -Depth 4 -Compress | Set-Content -Path $Out -Encoding UTF8 }
        try {
          Save @{ State = 'Running' }
          $s = New-Object -ComObject Microsoft.Update.Session
          $r = $s.CreateUpdateSearcher().Search('IsInstalled=0 and IsHidden=0')
          $sel = New-Object -ComObject Microsoft.Update.UpdateColl
          foreach ($u in $r.Updates) {
            if (($UpdateId -and $u.Identity.UpdateID -eq $UpdateId) -or ($Kb -and @($u.KBArticleIDs) -contains $Kb)) {
              if (-not $u.EulaAccepted) { $u.AcceptEula() }
              [void]$sel.Add($u)
            }
          }
          if ($sel.Count -eq 0) { Save @{ State = 'Done'; ResultCode = 4; HResult = -2145124329; RebootRequired = $false; Updates = @() }; exit }
          $d = $s.CreateUpdateDownloader(); $d.Updates = $sel; [void]$d.Download()
          $i = $s.CreateUpdateInstaller(); $i.Updates = $sel; $res = $i.Install()
          $items = for ($k = 0; $k -lt $sel.Count; $k++) {
            $ur = $res.GetUpdateResult($k)
            @{ Title = $sel.Item($k).Title; UpdateID = $sel.Item($k).Identity.UpdateID; ResultCode = [int]$ur.ResultCode; HResult = [int]$ur.HResult; RebootRequired = $ur.RebootRequired }
          }
          Save @{ State = 'Done'; ResultCode = [int]$res.ResultCode; HResult = [int]$res.HResult; RebootRequired = $res.RebootRequired; Updates = @($items) }
        } catch {
          Save @{ State = 'Done'; ResultCode = 4; HResult = [int]$_.Exception.HResult; RebootRequired = $false; Error = $_.Exception.Message; Updates = @() }
        }
        """;

    /// <summary>Starts the WUA install of one update (by KB number, digits only, or UpdateID, a GUID) as job <paramref name="jobId"/>.</summary>
    public static string StartInstall(string jobId, string? kbDigits, string? updateId) =>
        "# patchkit:wua-install-start job=" + jobId + " kb=" + (kbDigits ?? string.Empty) + " update=" + (updateId ?? string.Empty) + "\n" +
        "$ErrorActionPreference = 'Stop'\n" +
        "$dir = Join-Path $env:ProgramData 'PatchKit\\jobs'\n" +
        "New-Item -ItemType Directory -Force -Path $dir | Out-Null\n" +
        "$job = '" + jobId + "'\n" +
        "$worker = @'\n" + Worker + "\n'@\n" +
        "Set-Content -Path (Join-Path $dir \"$job.ps1\") -Value $worker -Encoding UTF8\n" +
        "$arg = \"-NoProfile -ExecutionPolicy Bypass -File `\"$dir\\$job.ps1`\" -UpdateId '" + (updateId ?? string.Empty) + "' -Kb '" + (kbDigits ?? string.Empty) + "' -Out `\"$dir\\$job.json`\"\"\n" +
        "$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arg\n" +
        "Register-ScheduledTask -TaskName \"PatchKit-$job\" -Action $action -User 'SYSTEM' -RunLevel Highest -Force | Out-Null\n" +
        "Start-ScheduledTask -TaskName \"PatchKit-$job\"\n" +
        "[pscustomobject]@{ JobId = $job } | ConvertTo-Json -Compress\n";

    /// <summary>Reads the state of job <paramref name="jobId"/>.</summary>
    public static string JobStatus(string jobId) =>
        "# patchkit:wua-job-status job=" + jobId + "\n" +
        "$p = Join-Path $env:ProgramData 'PatchKit\\jobs\\" + jobId + ".json'\n" +
        "if (Test-Path $p) { Get-Content -Raw -Path $p }\n" +
        "elseif (Get-ScheduledTask -TaskName 'PatchKit-" + jobId + "' -ErrorAction SilentlyContinue) { '{\"State\":\"Starting\"}' }\n" +
        "else { '{\"State\":\"Unknown\"}' }\n";
}
