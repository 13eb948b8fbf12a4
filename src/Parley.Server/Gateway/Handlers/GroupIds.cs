using System.Security.Cryptography;

namespace Parley.Server.Gateway.Handlers;

/// <summary>Group conversation ids: <c>g:</c> and 16 random lowercase hex characters, chosen by the server.</summary>
internal static class GroupIds
{
    public static string New() => "g:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsGroup(string conv) => conv.StartsWith("g:", StringComparison.Ordinal) && conv.Length > 2;
}
