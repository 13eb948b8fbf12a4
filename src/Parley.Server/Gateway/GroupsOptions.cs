using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Gateway;

/// <summary>Parley:Groups: the member cap, which group requests enforce and <c>welcome</c> announces.</summary>
public sealed class GroupsOptions
{
    public const string Section = "Parley:Groups";

    /// <summary>The most members a group has, its creator included.</summary>
    [Range(2, 100_000)]
    public int MaxMembers { get; set; } = 200;
}
