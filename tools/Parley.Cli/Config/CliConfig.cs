namespace Parley.Cli.Config;

/// <summary>What <c>parley login</c> keeps: the logged-in device and how far its inbox was processed.</summary>
/// <param name="Server">The server's HTTP base.</param>
/// <param name="User">The username.</param>
/// <param name="Token">The bearer token (the file is readable by its owner only).</param>
/// <param name="DeviceId">The device the token belongs to.</param>
/// <param name="LastSeq">The last inbox seq that <c>tail</c> or <c>chat</c> processed; null before the first.</param>
internal sealed record CliConfig(string Server, string User, string Token, string DeviceId, long? LastSeq);
