using System.Collections.Concurrent;
using System.Text.Json;

namespace ConnRelay;

/// <summary>
/// The bench kit's routing, unchanged (so this relay holds what the kit's does per connection): one socket per user
/// name, rooms joined with <c>{"join":"ROOM"}</c>, and a message with a top-level <c>"to"</c> forwarded verbatim to
/// that user, or to every member of <c>"#ROOM"</c> (the sender included).
/// </summary>
internal sealed class Relay
{
    private readonly ConcurrentDictionary<string, RelayPeer> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<RelayPeer, byte>> _rooms = new(StringComparer.Ordinal);

    public int Count => _users.Count;

    public void Attach(string user, RelayPeer peer) => _users[user] = peer;

    public void Detach(string user, RelayPeer peer)
    {
        _users.TryRemove(new KeyValuePair<string, RelayPeer>(user, peer));
        foreach (var room in _rooms.Values) room.TryRemove(peer, out _);
    }

    /// <summary>Routes one whole message from <paramref name="from"/>; the span is the sender's and is copied.</summary>
    public void Route(RelayPeer from, ReadOnlySpan<byte> message)
    {
        var (to, join) = ReadAddress(message);
        if (join is not null)
        {
            _rooms.GetOrAdd(join, static _ => new())[from] = 0;
        }
        else if (to is not null && to.StartsWith('#'))
        {
            if (!_rooms.TryGetValue(to[1..], out var members)) return;
            var copy = message.ToArray();
            foreach (var member in members.Keys) member.Send(copy);
        }
        else if (to is not null && _users.TryGetValue(to, out var peer))
        {
            peer.Send(message.ToArray());
        }
    }

    /// <summary>Reads only the top-level "to" and "join" string properties; anything else (or no JSON) routes nowhere.</summary>
    private static (string? To, string? Join) ReadAddress(ReadOnlySpan<byte> json)
    {
        string? to = null, join = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isTo = reader.ValueTextEquals("to"u8), isJoin = !isTo && reader.ValueTextEquals("join"u8);
                reader.Read();
                if (isTo && reader.TokenType == JsonTokenType.String) to = reader.GetString();
                else if (isJoin && reader.TokenType == JsonTokenType.String) join = reader.GetString();
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut short): the kit's relay routes such a frame nowhere, and so does this one.
        }
        return (to, join);
    }
}
