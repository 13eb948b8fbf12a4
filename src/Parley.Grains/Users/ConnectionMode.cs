namespace Parley.Grains.Users;

/// <summary>
/// What a connection says about its user's presence: a background connection never makes the user online,
/// an away one (<c>presence.set away</c>) does not either while it is away.
/// </summary>
/// <param name="Background">Opened with <c>hello</c> <c>background: true</c>.</param>
/// <param name="Away">Its last <c>presence.set</c> was <c>away</c>.</param>
/// <param name="Version">Grows with every change on the connection, so a late re-attach cannot undo a newer state.</param>
/// <param name="ChangedAt">When the state last changed (Unix ms).</param>
[GenerateSerializer, Immutable]
public sealed record ConnectionMode(
    [property: Id(0)] bool Background,
    [property: Id(1)] bool Away,
    [property: Id(2)] long Version,
    [property: Id(3)] long ChangedAt)
{
    /// <summary>Whether the connection counts toward the user being online.</summary>
    public bool Present => !Background && !Away;
}
