namespace Parley.Protocol.Frames;

/// <summary>A user's presence as one viewer may see it: hidden values are already offline and null.</summary>
/// <param name="User">Whose presence.</param>
/// <param name="Online">Whether the user is online.</param>
/// <param name="LastSeen">The user's last seen (Unix ms), or null when never seen or hidden.</param>
public readonly record struct PresenceView(string User, bool Online, long? LastSeen);
