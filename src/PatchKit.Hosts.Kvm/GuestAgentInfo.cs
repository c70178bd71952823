using System.Text.Json.Serialization;

namespace PatchKit.Hosts.Kvm;

/// <summary>What <c>guest-info</c> reports: the agent's version and every command with whether it is enabled.</summary>
public sealed class GuestAgentInfo
{
    /// <summary>Gets or sets the agent's version (<c>7.2.22</c>).</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary>Gets or sets the commands the agent knows.</summary>
    [JsonPropertyName("supported_commands")]
    public List<GuestAgentCommandInfo> Commands { get; set; } = [];

    /// <summary>Tells whether a command exists and is enabled (not blocked with <c>-b</c> or disabled by the platform).</summary>
    /// <param name="command">The command name (<c>guest-exec</c>).</param>
    /// <returns><see langword="true"/> when it can be called.</returns>
    public bool IsEnabled(string command) => Commands.Exists(c => c.Enabled && string.Equals(c.Name, command, StringComparison.Ordinal));
}

/// <summary>One command in <see cref="GuestAgentInfo.Commands"/>.</summary>
public sealed class GuestAgentCommandInfo
{
    /// <summary>Gets or sets the command name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether the command may be called.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; }

    /// <summary>Gets or sets a value indicating whether the command answers (<c>guest-shutdown</c> does not).</summary>
    [JsonPropertyName("success-response")]
    public bool SuccessResponse { get; set; }
}
