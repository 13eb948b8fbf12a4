using System.Data.Common;
using Parley.Core.Messages;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The reactions that history shows (v1.1), run on a read connection.</summary>
internal static class ReactionQueries
{
    /// <summary>
    /// The messages with their reactions, each message's in the order they were first made (one query for the page); a
    /// reaction hidden from <paramref name="viewer"/> (made while the viewer blocked its author) is left out.
    /// </summary>
    public static async Task<IReadOnlyList<StoredMessage>> WithReactionsAsync(DbConnection c, string conv, string viewer, IReadOnlyList<StoredMessage> messages,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return messages;
        var rows = await ListAsync(c, 
            "SELECT n, username, emoji FROM reactions WHERE conv = @p0 AND n >= @p1 AND n <= @p2 AND (hidden_from IS NULL OR hidden_from <> @p3) ORDER BY n, ord",
            r => (N: r.GetInt64(0), Reaction: new Reaction(r.GetString(1), r.GetString(2))), cancellationToken, conv, messages[0].N, messages[^1].N, viewer);
        if (rows.Count == 0) return messages;
        var byN = rows.GroupBy(r => r.N).ToDictionary(g => g.Key, g => (IReadOnlyList<Reaction>)[.. g.Select(r => r.Reaction)]);
        return [.. messages.Select(m => byN.TryGetValue(m.N, out var reactions) ? m with { Reactions = reactions } : m)];
    }
}
