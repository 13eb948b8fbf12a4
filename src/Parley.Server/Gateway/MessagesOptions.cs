namespace Parley.Server.Gateway;

/// <summary>Parley:Messages: rules of changing a message once sent (v1.1).</summary>
public sealed class MessagesOptions
{
    public const string Section = "Parley:Messages";

    /// <summary>How long after a message was accepted its sender may still edit it; validated positive at start.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);
}
