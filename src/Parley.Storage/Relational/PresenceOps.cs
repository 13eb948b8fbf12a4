using Parley.Core.Presence;

namespace Parley.Storage.Relational;

// Presence writes, one small class each; they run in transactions of their own.

/// <summary>Moves a user's last seen forward; an older value (a write that arrives late) changes nothing.</summary>
internal sealed class SaveLastSeenOp(string user, long lastSeen) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx) =>
        await ctx.ExecuteAsync("UPDATE users SET last_seen = @p1 WHERE username = @p0 AND (last_seen IS NULL OR last_seen < @p1)", user, lastSeen) > 0;
}

internal sealed class SetLastSeenPrivacyOp(string user, LastSeenPrivacy privacy) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx) =>
        await ctx.ExecuteAsync("UPDATE users SET last_seen_privacy = @p1 WHERE username = @p0", user, (long)privacy) > 0;
}
