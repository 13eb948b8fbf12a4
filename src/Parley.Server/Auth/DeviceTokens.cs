using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Auth;

/// <summary>Bearer tokens: 256 random bits, given to the device once and stored only as a SHA-256 hash.</summary>
public static class DeviceTokens
{
    public static string Create() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string NewDeviceId() => Base64UrlEncode(RandomNumberGenerator.GetBytes(12));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? FromHeader(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
