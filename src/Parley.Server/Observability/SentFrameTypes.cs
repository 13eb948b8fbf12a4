using System.Text;
using Parley.Protocol;

namespace Parley.Server.Observability;

/// <summary>
/// The type of a frame the server wrote, read from its first bytes without parsing or allocating: every server
/// frame starts with <c>{"type":"...</c> (ServerFrameWriter writes the type first).
/// </summary>
internal static class SentFrameTypes
{
    private const string Other = "other";
    private static readonly byte[] Head = "{\"type\":\""u8.ToArray();
    private static readonly (byte[] Utf8, string Name)[] Known = new[]
    {
        FrameTypes.Ok, FrameTypes.Error, FrameTypes.Message, FrameTypes.Receipt, FrameTypes.Typing, FrameTypes.Presence,
        FrameTypes.Group, FrameTypes.Deleted, FrameTypes.Settings, FrameTypes.Failed, FrameTypes.Welcome,
    }.Select(t => (Encoding.UTF8.GetBytes(t + "\""), t)).ToArray();

    public static string Of(ReadOnlySpan<byte> frame)
    {
        if (!frame.StartsWith(Head)) return Other;
        var rest = frame[Head.Length..];
        foreach (var (utf8, name) in Known)
        {
            if (rest.StartsWith(utf8)) return name;
        }
        return Other;
    }
}
