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

    // The Windows Update Agent and wusa refuse to work from a remote (WinRM) logon (0x80070005), so installs run as a
    // scheduled task under SYSTEM and write their state to %ProgramData%\PatchKit\jobs\JOB.json; the job id is the
    // handle the adapter checkpoints and polls, also after the orchestrator was restarted. The job's values are written
    // into its script as single-quoted literals: a scheduled task's "-File x.ps1 -Name 'v'" would hand the quotes over.
    private const string Save = """
        function Save($o) { $o | ConvertTo-Json -Depth 4 -Compress | Set-Content -Path $Out -Encoding UTF8 }
        """;

    private const string WuaWorker = """
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

    // wusa (.msu) or DISM (.cab) run by the task; their exit code and the end of their output (DISM's text; wusa prints
    // nothing and logs to the event log) go into the state file.
    private const string PayloadWorker = """
        try {
          Save @{ State = 'Running' }
          $log = [IO.Path]::ChangeExtension($Out, '.log')
          if ($Tool -eq 'wusa') {
            $p = Start-Process -FilePath (Join-Path $env:SystemRoot 'System32\wusa.exe') -ArgumentList @("`"$Path`"", '/quiet', '/norestart') -Wait -PassThru -NoNewWindow -RedirectStandardOutput $log
          } else {
            $p = Start-Process -FilePath (Join-Path $env:SystemRoot 'System32\dism.exe') -ArgumentList @('/Online', '/Add-Package', "/PackagePath:`"$Path`"", '/Quiet', '/NoRestart', '/English') -Wait -PassThru -NoNewWindow -RedirectStandardOutput $log
          }
          $text = if (Test-Path $log) { [string](Get-Content -Raw -Path $log) } else { '' }
          if ($text.Length -gt 2000) { $text = $text.Substring($text.Length - 2000) }
          Save @{ State = 'Done'; ExitCode = [int]$p.ExitCode; Output = $text }
        } catch {
          Save @{ State = 'Done'; ExitCode = [int]$_.Exception.HResult; Error = $_.Exception.Message }
        }
        """;

    /// <summary>Starts the WUA install of one update (by KB number, digits only, or UpdateID, a GUID) as job <paramref name="jobId"/>.</summary>
    public static string StartInstall(string jobId, string? kbDigits, string? updateId) =>
        StartJob("wua-install-start job=" + jobId + " kb=" + (kbDigits ?? string.Empty) + " update=" + (updateId ?? string.Empty), jobId,
            "$UpdateId = " + Quote(updateId ?? string.Empty) + "\n$Kb = " + Quote(kbDigits ?? string.Empty) + "\n", WuaWorker);

    /// <summary>Starts <c>wusa /quiet /norestart</c> (<paramref name="tool"/> <c>wusa</c>) or <c>DISM /Online /Add-Package</c>
    /// (<c>dism</c>) on the payload at <paramref name="path"/> (a path the guest reads) as job <paramref name="jobId"/>.</summary>
    public static string StartPayloadInstall(string jobId, string tool, string path) =>
        StartJob("payload-install-start job=" + jobId + " tool=" + tool, jobId,
            "$Tool = " + Quote(tool) + "\n$Path = " + Quote(path) + "\n", PayloadWorker);

    /// <summary>A PowerShell single-quoted literal (a quote inside is doubled; nothing else is special there).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string StartJob(string header, string jobId, string values, string worker) =>
        "# patchkit:" + header + "\n" +
        "$ErrorActionPreference = 'Stop'\n" +
        "$dir = Join-Path $env:ProgramData 'PatchKit\\jobs'\n" +
        "New-Item -ItemType Directory -Force -Path $dir | Out-Null\n" +
        "$job = '" + jobId + "'\n" +
        "$worker = @'\n$Out = Join-Path $env:ProgramData 'PatchKit\\jobs\\" + jobId + ".json'\n" + values + Save + "\n" + worker + "\n'@\n" +
        "Set-Content -Path (Join-Path $dir \"$job.ps1\") -Value $worker -Encoding UTF8\n" +
        "$arg = \"-NoProfile -ExecutionPolicy Bypass -File `\"$dir\\$job.ps1`\"\"\n" +
        "$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arg\n" +
        "Register-ScheduledTask -TaskName \"PatchKit-$job\" -Action $action -User 'SYSTEM' -RunLevel Highest -Force | Out-Null\n" +
        "Start-ScheduledTask -TaskName \"PatchKit-$job\"\n" +
        "[pscustomobject]@{ JobId = $job } | ConvertTo-Json -Compress\n";

    /// <summary>Reads and, with <paramref name="bootTime"/>, adds to the boot times at which an install of
    /// <paramref name="patch"/> (KB digits with "KB", or a GUID) ended with "reboot required". The list lives on the
    /// machine (%ProgramData%\PatchKit\reboot-asks\PATCH.txt), so it survives a restart of the orchestrator and spans
    /// runs; prints the list as JSON.</summary>
    public static string RebootAsks(string patch, string? bootTime) =>
        "# patchkit:reboot-asks patch=" + patch + " boot=" + (bootTime ?? string.Empty) + "\n" +
        "$ErrorActionPreference = 'Stop'\n" +
        "$dir = Join-Path $env:ProgramData 'PatchKit\\reboot-asks'\n" +
        "$p = Join-Path $dir " + Quote(patch + ".txt") + "\n" +
        "$boot = " + Quote(bootTime ?? string.Empty) + "\n" +
        "$have = @(if (Test-Path $p) { Get-Content -Path $p | Where-Object { $_ } })\n" +
        "if ($boot -and -not ($have -contains $boot)) { New-Item -ItemType Directory -Force -Path $dir | Out-Null; Add-Content -Path $p -Value $boot -Encoding ASCII; $have += $boot }\n" +
        "ConvertTo-Json -InputObject @($have) -Compress\n";

    /// <summary>Compare-and-set of the machine's fencing token for <paramref name="hostId"/>, kept in the registry
    /// (<c>HKLM\SOFTWARE\PatchKit\Fence</c>, one value per host id) under a machine-wide named mutex, so two workers'
    /// checks on one machine never interleave: a token smaller than the stored one is refused, a larger one stored.
    /// Prints <c>{"Accepted":…,"Token":…}</c> (the stored token after the call).</summary>
    public static string Fence(string hostId, long token) =>
        "# patchkit:fence token=" + token.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" +
        "$ErrorActionPreference = 'Stop'\n" +
        "$id = " + Quote(hostId) + "\n" +
        "$token = [long]" + token.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" +
        "$k = 'HKLM:\\SOFTWARE\\PatchKit\\Fence'\n" +
        "$mutex = New-Object System.Threading.Mutex($false, 'Global\\PatchKit-Fence')\n" +
        "try { [void]$mutex.WaitOne() } catch [System.Threading.AbandonedMutexException] { }\n" +
        "try {\n" +
        "  if (-not (Test-Path $k)) { New-Item -Path $k -Force | Out-Null }\n" +
        "  $v = (Get-ItemProperty -Path $k -Name $id -ErrorAction SilentlyContinue).$id\n" +
        "  $stored = if ($v) { [long]$v } else { [long]0 }\n" +
        "  if ($token -lt $stored) { '{\"Accepted\":false,\"Token\":' + $stored + '}' }\n" +
        "  else { if ($token -gt $stored) { Set-ItemProperty -Path $k -Name $id -Value ([string]$token) }; '{\"Accepted\":true,\"Token\":' + $token + '}' }\n" +
        "} finally { $mutex.ReleaseMutex(); $mutex.Dispose() }\n";

    /// <summary>Reads the state of job <paramref name="jobId"/> (<paramref name="kind"/> <c>wua</c> or <c>payload</c>, for logs).</summary>
    public static string JobStatus(string jobId, string kind = "wua") =>
        "# patchkit:" + kind + "-job-status job=" + jobId + "\n" +
        "$p = Join-Path $env:ProgramData 'PatchKit\\jobs\\" + jobId + ".json'\n" +
        "if (Test-Path $p) { Get-Content -Raw -Path $p }\n" +
        "elseif (Get-ScheduledTask -TaskName 'PatchKit-" + jobId + "' -ErrorAction SilentlyContinue) { '{\"State\":\"Starting\"}' }\n" +
        "else { '{\"State\":\"Unknown\"}' }\n";

    /// <summary>Runs a program with environment variables and a working directory (a command over WinRM has neither):
    /// PowerShell sets them and exits with the program's exit code.</summary>
    public static string Exec(GuestCommand command)
    {
        var sb = new System.Text.StringBuilder("# patchkit:exec\n");
        foreach (string e in command.Environment)
        {
            int eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new HostAdapterException("The environment entry '" + e + "' is not NAME=value.");
            }

            sb.Append("Set-Item -LiteralPath ").Append(Quote("Env:" + e[..eq])).Append(" -Value ").Append(Quote(e[(eq + 1)..])).Append('\n');
        }

        if (command.WorkingDirectory is { } dir)
        {
            sb.Append("Set-Location -LiteralPath ").Append(Quote(dir)).Append('\n');
        }

        sb.Append("& ").Append(Quote(command.Program));
        foreach (string a in command.Arguments)
        {
            sb.Append(' ').Append(Quote(a));
        }

        return sb.Append("\nexit $LASTEXITCODE\n").ToString();
    }

    /// <summary>Prints a file's bytes as base64, or <c>absent</c>.</summary>
    public static string ReadFile(string path) =>
        "# patchkit:file-read path=" + path.ReplaceLineEndings(" ") + "\n" +
        "$p = " + Quote(path) + "\n" +
        "if (-not (Test-Path -LiteralPath $p -PathType Leaf)) { 'absent'; exit 0 }\n" +
        "[Convert]::ToBase64String([IO.File]::ReadAllBytes($p))\n";

    /// <summary>Writes part <paramref name="part"/> of <paramref name="parts"/> of a file: the first creates
    /// PATH.patchkit-part, the others append, the last moves it over PATH (a reader never sees half a file).</summary>
    public static string WriteFilePart(string path, int part, int parts, ReadOnlySpan<byte> data) =>
        "# patchkit:file-write part=" + part.ToString(System.Globalization.CultureInfo.InvariantCulture) + " of=" + parts.ToString(System.Globalization.CultureInfo.InvariantCulture) + " path=" + path.ReplaceLineEndings(" ") + "\n" +
        "$ErrorActionPreference = 'Stop'\n" +
        "$p = " + Quote(path) + "\n" +
        "$t = $p + '.patchkit-part'\n" +
        "$b = [Convert]::FromBase64String('" + Convert.ToBase64String(data) + "')\n" +
        (part == 0 ? "[IO.File]::WriteAllBytes($t, $b)\n" : "$f = [IO.File]::Open($t, 'Append'); try { $f.Write($b, 0, $b.Length) } finally { $f.Close() }\n") +
        (part == parts - 1 ? "Move-Item -LiteralPath $t -Destination $p -Force\n" : string.Empty);

    /// <summary>Creates a folder (and its parents) when missing.</summary>
    public static string EnsureDirectory(string path) =>
        "# patchkit:mkdir path=" + path.ReplaceLineEndings(" ") + "\n" +
        "New-Item -ItemType Directory -Force -Path " + Quote(path) + " | Out-Null\n";

    /// <summary>Prints a file's SHA-256 as lowercase hex, or <c>absent</c>.</summary>
    public static string FileHash(string path) =>
        "# patchkit:file-hash path=" + path.ReplaceLineEndings(" ") + "\n" +
        "$p = " + Quote(path) + "\n" +
        "if (-not (Test-Path -LiteralPath $p -PathType Leaf)) { 'absent'; exit 0 }\n" +
        "(Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash.ToLowerInvariant()\n";
}
