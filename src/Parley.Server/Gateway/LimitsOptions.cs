using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Gateway;

/// <summary>Parley:Limits: the limits the protocol announces in <c>welcome</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Parley:Limits";

    /// <summary>The largest text frame; larger ones close the socket with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>The largest message body, as the UTF-8 length of its JSON text.</summary>
    [Range(16, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
