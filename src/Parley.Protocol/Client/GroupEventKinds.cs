namespace Parley.Protocol.Client;

/// <summary>The values of a <c>group</c> event's <c>event</c> field.</summary>
public static class GroupEventKinds
{
    /// <summary>The group was created (<c>members</c>, <c>name</c>).</summary>
    public const string Created = "created";
    /// <summary>Members were added (<c>members</c>).</summary>
    public const string Added = "added";
    /// <summary>Members were removed (<c>members</c>).</summary>
    public const string Removed = "removed";
    /// <summary>A member left (<c>member</c>).</summary>
    public const string Left = "left";
    /// <summary>The group was renamed (<c>name</c>).</summary>
    public const string Renamed = "renamed";
    /// <summary>Admin rights were granted or revoked (<c>member</c>, <c>admin</c>).</summary>
    public const string Admin = "admin";
    /// <summary>v1.1: a user joined with an invite code (<c>member</c> and <c>by</c>: the joiner).</summary>
    public const string Joined = "joined";
    /// <summary>The group's description was set or cleared (<c>description</c>, <c>""</c> when cleared; issue 20).</summary>
    public const string Described = "described";
}
