using System.Text;

namespace Parley.Server.Tests.Gateway;

/// <summary>A response's status, head and body.</summary>
internal sealed record HttpAnswer(int Status, string Head, byte[] Body)
{
    /// <summary>Written by Kestrel's HTTP/1.1 (the endpoint), not by the connection-level gateway.</summary>
    public bool FromHttpEndpoint => Header("Server") == "Kestrel";

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Head.Split("\r\n").Skip(1)
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2 && string.Equals(parts[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
        .Select(parts => parts[1].Trim()).FirstOrDefault();
}
