using System.Diagnostics.CodeAnalysis;
using Parley.Core.Users;

namespace Parley.Core.Conversations;

/// <summary>
/// A conversation id: <c>d:alice:bob</c> for a direct conversation (usernames in ordinal order)
/// or <c>g:&lt;id&gt;</c> for a group. The spelling is <see cref="ConversationIdSyntax"/>'s.
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

    public bool IsGroup => Value is not null && First is null;

    /// <summary>For a direct conversation, the username that sorts first.</summary>
    public string? First { get; }

    /// <summary>For a direct conversation, the username that sorts second (equal to First for a self-chat).</summary>
    public string? Second { get; }

    public static ConversationId Direct(string a, string b)
    {
        var (first, second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        return new ConversationId(ConversationIdSyntax.Direct(first, second), first, second);
    }

    /// <summary>A new group id, chosen by the server: <c>g:</c> and 16 random lowercase hex characters.</summary>
    public static ConversationId NewGroup() => new(ConversationIdSyntax.NewGroup(), null, null);

    /// <summary>Whether <paramref name="value"/> is spelled as a group id (<c>g:</c> and at least one character).</summary>
    public static bool IsGroupId([NotNullWhen(true)] string? value) => ConversationIdSyntax.IsGroup(value);

    /// <summary>Parses a direct id in its canonical (sorted) form, or a group id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out ConversationId id)
    {
        if (IsGroupId(value))
        {
            id = new ConversationId(value, null, null);
            return true;
        }
        return TryParseDirect(value, out id);
    }

    /// <summary>Parses a direct conversation id; only the canonical (sorted) form of two valid usernames is accepted.</summary>
    public static bool TryParseDirect([NotNullWhen(true)] string? value, out ConversationId id)
    {
        id = default;
        if (!ConversationIdSyntax.TrySplitDirect(value, out var first, out var second)) return false;
        if (!Username.IsValid(first) || !Username.IsValid(second) || string.CompareOrdinal(first, second) > 0) return false;
        id = new ConversationId(value, first, second);
        return true;
    }

    /// <summary>An id known to be well formed (a grain's key, a stored row); throws <see cref="FormatException"/> otherwise.</summary>
    public static ConversationId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a conversation id");

    /// <summary>Whether <paramref name="user"/> takes part in this direct conversation.</summary>
    public bool HasParticipant(string user) => user == First || user == Second;

    /// <summary>The other participant of a direct conversation (the user itself in a self-chat).</summary>
    public string OtherThan(string user) => user == First ? Second! : First!;

    /// <summary>The participants of a direct conversation: both, or one for a self-chat.</summary>
    public IReadOnlyList<string> Participants() => First == Second ? [First!] : [First!, Second!];

    public override string ToString() => Value;
}
