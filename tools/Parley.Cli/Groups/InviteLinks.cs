using System.Text.RegularExpressions;

namespace Parley.Cli.Groups;

/// <summary>
/// Invite codes as people pass them around: the code itself, or the web client's link to it, <c>{server}/#join/{code}</c>.
/// The protocol's codes are URL-safe (letters, digits, <c>-</c>, <c>_</c>).
/// </summary>
internal static partial class InviteLinks
{
    /// <summary>The web client's link that joins with <paramref name="code"/> after sign-in.</summary>
    public static string Link(Uri server, string code) => $"{server.GetLeftPart(UriPartial.Path).TrimEnd('/')}/#join/{code}";

    /// <summary>The code of <paramref name="codeOrLink"/>: a code as is, or what follows <c>#join/</c> in a link.</summary>
    public static bool TryCode(string codeOrLink, out string code)
    {
        var at = codeOrLink.LastIndexOf("#join/", StringComparison.Ordinal);
        code = at >= 0 ? codeOrLink[(at + "#join/".Length)..] : codeOrLink;
        return UrlSafe().IsMatch(code);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex UrlSafe();
}
