namespace Parley.Protocol.Frames;

/// <summary>A group as replies show it.</summary>
/// <param name="Conv">The group's conversation id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Description">Its description, <c>""</c> when it has none.</param>
/// <param name="Members">Its members.</param>
/// <param name="Admins">Its admins.</param>
/// <param name="Retention">Its ttl in seconds, or null for permanent.</param>
public sealed record GroupView(string Conv, string Name, string Description, IReadOnlyList<string> Members, IReadOnlyList<string> Admins, long? Retention);

/// <summary>Which of a group's fields a reply carries.</summary>
[Flags]
public enum GroupFields
{
    /// <summary>No fields.</summary>
    None = 0,
    /// <summary><c>conv</c>.</summary>
    Conv = 1,
    /// <summary><c>name</c>.</summary>
    Name = 2,
    /// <summary><c>members</c>.</summary>
    Members = 4,
    /// <summary><c>admins</c>.</summary>
    Admins = 8,
    /// <summary><c>retention</c>.</summary>
    Retention = 16,
    /// <summary><c>description</c>.</summary>
    Description = 32,
}
