using System.Globalization;
using Parley.Protocol.Client;

namespace Parley.Cli.Messages;

/// <summary>How a message reads on a terminal.</summary>
internal static class MessageText
{
    public static string Body(string? bodyJson, string kind, string? mediaMime)
    {
        if (bodyJson is null) return "(deleted)";
        if (BodyJson.TryGetText(bodyJson, out var text)) return text;
        return kind == "text" ? bodyJson : $"[{kind}{(mediaMime is null ? "" : " " + mediaMime)}] {bodyJson}";
    }

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
