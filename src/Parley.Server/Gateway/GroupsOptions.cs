using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Gateway;

/// <summary>Parley:Groups: the member cap and the longest description, which group requests enforce and <c>welcome</c> announces.</summary>
public sealed class GroupsOptions
{
    public const string Section = "Parley:Groups";

    /// <summary>The most members a group has, its creator included.</summary>
    [Range(2, 100_000)]
    public int MaxMembers { get; set; } = 200;

    /// <summary>
    /// The longest group description, in UTF-16 code units after trimming (as a name is counted). At most 4096, so that a
    /// <c>group.describe</c> of the longest description fits in a frame of the default size even with every character escaped.
    /// </summary>
    [Range(1, 4096)]
    public int MaxDescriptionChars { get; set; } = 512;
}
