using System.Globalization;
using Parley.Protocol;
using Parley.Protocol.Client;

namespace Parley.Cli.Chat;

/// <summary>
/// What the chat's header says about the other side: the peer's presence (online, last seen) and who is typing. Typing
/// is shown until <c>paused</c>, a message from that user, or <see cref="TypingShownFor"/> without a new <c>composing</c>
/// (typing events are not replayed and may be dropped, so a lost <c>paused</c> must not leave it on forever).
/// </summary>
/// <param name="conv">The conversation shown.</param>
/// <param name="peer">The other user of a direct conversation, or null (a group, or a chat with oneself).</param>
/// <param name="groupMembers">A group's size, or 0 for a direct conversation.</param>
/// <param name="time">The clock that typing expires by.</param>
internal sealed class PeerStatus(string conv, string? peer, int groupMembers, TimeProvider time)
{
    public static readonly TimeSpan TypingShownFor = TimeSpan.FromSeconds(6);

    private readonly Dictionary<string, long> _typing = new(StringComparer.Ordinal);
    private bool _online;
    private long? _lastSeen;

    public void Presence(bool online, long? lastSeen)
    {
        _online = online;
        _lastSeen = lastSeen;
    }

    public void Apply(PresenceEvent e)
    {
        if (e.User == peer) Presence(e.Online, e.LastSeen);
    }

    public void Apply(TypingEvent e)
    {
        if (e.Conv != conv) return;
        if (e.State == TypingStates.Composing) _typing[e.User] = time.GetTimestamp();
        else _typing.Remove(e.User);
    }

    /// <summary>A message from <paramref name="user"/> ends its typing.</summary>
    public void MessageFrom(string user) => _typing.Remove(user);

    /// <summary>Forgets typing not renewed in time; true when something changed.</summary>
    public bool Expire()
    {
        var stale = _typing.Where(t => time.GetElapsedTime(t.Value) > TypingShownFor).Select(t => t.Key).ToList();
        foreach (var user in stale) _typing.Remove(user);
        return stale.Count > 0;
    }

    /// <summary>The header's text: <c>typing…</c>, <c>online</c>, <c>last seen 14:02</c>; for a group who types, else its size.</summary>
    public string Text()
    {
        if (peer is not null)
        {
            if (_typing.ContainsKey(peer)) return "typing…";
            if (_online) return "online";
            return _lastSeen is { } seen ? "last seen " + LastSeen(seen) : "";
        }
        if (groupMembers == 0) return "";
        return _typing.Count switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"{groupMembers} members"),
            1 => $"{_typing.Keys.First()} is typing…",
            _ => $"{string.Join(", ", _typing.Keys.Order(StringComparer.Ordinal))} are typing…",
        };
    }

    private string LastSeen(long unixMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime();
        var today = time.GetLocalNow().Date;
        return at.Date == today ? at.ToString("HH:mm", CultureInfo.InvariantCulture) : at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
