using System.Diagnostics.CodeAnalysis;
using Parley.Core.Users;

namespace Parley.Core.Conversations;

/// <summary>
/// A conversation id: <c>d:alice:bob</c> for a direct conversation (usernames in ordinal order)
/// or <c>g:&lt;id&gt;</c> for a group.
/// </summary>
public readonly record struct ConversationId
{
    private ConversationId(string value, string? first, string? second)
    {
        Value = value;
        First = first;
        Second = second;
    }

    public string Value { get; }

    public bool IsDirect => First is not null;

    /// <summary>For a direct conversation, the username that sorts first.</summary>
    public string? First { get; }

    /// <summary>For a direct conversation, the username that sorts second (equal to First for a self-chat).</summary>
    public string? Second { get; }

    public static ConversationId Direct(string a, string b)
    {
        var (first, second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        return new ConversationId($"d:{first}:{second}", first, second);
    }

    /// <summary>Parses a direct conversation id; only the canonical (sorted) form is accepted.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ConversationId? id)
    {
        id = null;
        if (value is null || !value.StartsWith("d:", StringComparison.Ordinal)) return false;
        var rest = value.AsSpan(2);
        var colon = rest.IndexOf(':');
        if (colon < 0) return false;
        var first = rest[..colon].ToString();
        var second = rest[(colon + 1)..].ToString();
        if (!Username.IsValid(first) || !Username.IsValid(second) || string.CompareOrdinal(first, second) > 0) return false;
        id = new ConversationId(value, first, second);
        return true;
    }

    /// <summary>Whether <paramref name="user"/> takes part in this direct conversation.</summary>
    public bool HasParticipant(string user) => user == First || user == Second;

    /// <summary>The other participant of a direct conversation (the user itself in a self-chat).</summary>
    public string OtherThan(string user) => user == First ? Second! : First!;

    public override string ToString() => Value;
}
