using Parley.Core.Inbox;

namespace Parley.Core.Messages;

public enum ChangeStatus
{
    Ok,
    /// <summary>No such conversation or message (or it is gone).</summary>
    NotFound,
    /// <summary>The caller may not do this (not a member, not the sender, not an admin).</summary>
    Forbidden,
}

/// <summary>The outcome of a retention change or a delete: the events written.</summary>
public sealed record ChangeResult(ChangeStatus Status, IReadOnlyList<InboxWrite> Writes)
{
    public static ChangeResult Fail(ChangeStatus status) => new(status, []);
}
