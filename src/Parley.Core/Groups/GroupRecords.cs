namespace Parley.Core.Groups;

/// <summary>A group as its members see it.</summary>
/// <param name="Description">What the group is about, shown under its name; <c>""</c> when it has none.</param>
public sealed record GroupInfo(string Conv, string Name, string Description, IReadOnlyList<string> Members, IReadOnlyList<string> Admins, long? RetentionSeconds);

public enum GroupStatus
{
    Ok,
    /// <summary>No such group.</summary>
    GroupNotFound,
    /// <summary>A named user does not exist, or is not a member where one must be.</summary>
    UserNotFound,
    /// <summary>The caller is not a member, or not an admin where one must be.</summary>
    Forbidden,
    /// <summary>The change would pass the member cap.</summary>
    GroupFull,
    /// <summary>The change would leave the group without an admin.</summary>
    Conflict,
}

/// <summary>The outcome of a group change: the group after it, and the group events written.</summary>
public sealed record GroupResult(GroupStatus Status, GroupInfo? Group, IReadOnlyList<Inbox.InboxWrite> Writes)
{
    public static GroupResult Fail(GroupStatus status) => new(status, null, []);
}

/// <summary>Who of a group's members (other than the sender) have received and read a message.</summary>
public sealed record MessageReceipts(IReadOnlyList<string> Delivered, IReadOnlyList<string> Read);
