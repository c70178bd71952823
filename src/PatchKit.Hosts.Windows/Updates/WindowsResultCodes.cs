using System.Globalization;

namespace PatchKit.Hosts.Windows.Updates;

/// <summary>Maps what Windows installers return (wusa, DISM, the Windows Update Agent) into the install result:
/// 3010 and a WUA reboot-required install are "succeeded, reboot required", 2359302 (WU_S_ALREADY_INSTALLED) is
/// "already installed", and HRESULTs are kept as error codes with their documented meaning.</summary>
internal static class WindowsResultCodes
{
    public const int ErrorSuccessRebootRequired = 3010;        // ERROR_SUCCESS_REBOOT_REQUIRED
    public const int ErrorSuccessRebootInitiated = 1641;       // ERROR_SUCCESS_REBOOT_INITIATED
    public const int WuSAlreadyInstalled = 0x00240006;         // 2359302
    public const int WuSRebootRequired = 0x00240005;           // 2359301

    private static readonly Dictionary<int, string> s_meanings = new()
    {
        [0] = "success",
        [1603] = "ERROR_INSTALL_FAILURE: fatal error during installation",
        [1618] = "ERROR_INSTALL_ALREADY_RUNNING: another installation is in progress",
        [ErrorSuccessRebootInitiated] = "ERROR_SUCCESS_REBOOT_INITIATED: succeeded, the installer started a reboot",
        [ErrorSuccessRebootRequired] = "ERROR_SUCCESS_REBOOT_REQUIRED: succeeded, a reboot is required",
        [3017] = "ERROR_FAIL_REBOOT_REQUIRED: failed, a reboot is required to roll back",
        [WuSRebootRequired] = "WU_S_REBOOT_REQUIRED: succeeded, a reboot is required",
        [WuSAlreadyInstalled] = "WU_S_ALREADY_INSTALLED: the update is already installed",
        [unchecked((int)0x80070005)] = "E_ACCESSDENIED: access denied (Windows Update cannot install from a remote session; run it as a scheduled task)",
        [unchecked((int)0x80070422)] = "the Windows Update service is disabled",
        [unchecked((int)0x80070BC2)] = "ERROR_SUCCESS_REBOOT_REQUIRED (as HRESULT): succeeded, a reboot is required",
        [unchecked((int)0x80070BC9)] = "ERROR_FAIL_REBOOT_REQUIRED: a reboot is required before installing",
        [unchecked((int)0x80240016)] = "WU_E_INSTALL_NOT_ALLOWED: another installation is in progress or a reboot is pending",
        [unchecked((int)0x80240017)] = "WU_E_NOT_APPLICABLE: the update does not apply to this computer",
        [unchecked((int)0x8024001E)] = "WU_E_SERVICE_STOP: the service or system was shutting down",
        [unchecked((int)0x80240022)] = "WU_E_ALL_UPDATES_FAILED: the operation failed for all updates",
        [unchecked((int)0x8024002D)] = "WU_E_SOURCE_ABSENT: the full-file update source is missing",
        [unchecked((int)0x80240031)] = "WU_E_INVALID_FILE: the file is in the wrong format",
        [unchecked((int)0x8024402C)] = "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED: the update server's name does not resolve",
        [unchecked((int)0x80244022)] = "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL: the update server answered 503",
        [unchecked((int)0x80242016)] = "WU_E_UH_POSTREBOOTUNEXPECTEDSTATE: the update is in an unexpected state after the reboot",
        [unchecked((int)0x800F081E)] = "CBS_E_NOT_APPLICABLE: the package does not apply to this image",
        [unchecked((int)0x800F081F)] = "CBS_E_SOURCE_MISSING: the source files could not be found",
        [unchecked((int)0x800F0922)] = "CBS_E_INSTALLERS_FAILED: processing advanced installers and generic commands failed",
        [unchecked((int)0x800F0823)] = "CBS_E_NEW_SERVICING_STACK_REQUIRED: install the latest servicing stack update first",
        [unchecked((int)0x800705B9)] = "ERROR_XML_PARSE_ERROR: the package's XML could not be parsed",
    };

    /// <summary>The documented meaning of an exit code or HRESULT, or a generic sentence.</summary>
    public static string Meaning(int code) =>
        s_meanings.TryGetValue(code, out string? m) ? m
        : code < 0 ? "HRESULT " + Format(code) + " (facility " + ((code >> 16) & 0x1FFF).ToString(CultureInfo.InvariantCulture) + ")"
        : "exit code " + code.ToString(CultureInfo.InvariantCulture);

    /// <summary>An exit code as the contract's error code: HRESULTs (negative, or above 0xFFFF) in hex, small codes in decimal.</summary>
    public static string Format(int code) =>
        code < 0 || code > 0xFFFF ? "0x" + code.ToString("X8", CultureInfo.InvariantCulture) : code.ToString(CultureInfo.InvariantCulture);

    /// <summary>The status an installer's exit code means (wusa, DISM, msiexec).</summary>
    public static HostOperationStatus FromExitCode(int code) => code switch
    {
        0 or WuSAlreadyInstalled => HostOperationStatus.Succeeded,
        ErrorSuccessRebootRequired or ErrorSuccessRebootInitiated or WuSRebootRequired or unchecked((int)0x80070BC2) => HostOperationStatus.SucceededRebootRequired,
        unchecked((int)0x80240017) or unchecked((int)0x800F081E) => HostOperationStatus.NotApplicable,
        _ => HostOperationStatus.Failed,
    };

    /// <summary>The status of a WUA installation (IInstallationResult: OperationResultCode, RebootRequired, HResult).</summary>
    public static HostOperationStatus FromWua(int operationResultCode, bool rebootRequired, int hresult) => operationResultCode switch
    {
        2 => rebootRequired ? HostOperationStatus.SucceededRebootRequired : HostOperationStatus.Succeeded, // orcSucceeded
        3 => HostOperationStatus.Partial,                                                                 // orcSucceededWithErrors
        4 or 5 => hresult == WuSAlreadyInstalled ? HostOperationStatus.Succeeded                          // orcFailed, orcAborted
            : FromExitCode(hresult) is HostOperationStatus.NotApplicable ? HostOperationStatus.NotApplicable : HostOperationStatus.Failed,
        _ => HostOperationStatus.Unknown,                                                                 // orcNotStarted, orcInProgress
    };
}
