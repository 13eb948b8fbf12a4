namespace Parley.Core.Presence;

/// <summary>What the store keeps of a user's presence: the privacy setting and the last seen time (null: never seen).</summary>
public sealed record PresenceRecord(LastSeenPrivacy Privacy, long? LastSeen)
{
    /// <summary>A user the store knows nothing about: visible to everyone, never seen.</summary>
    public static readonly PresenceRecord Unknown = new(LastSeenPrivacy.Everyone, null);
}
