using System.ComponentModel.DataAnnotations;

namespace Parley.Grains.Presence;

/// <summary>Parley:Presence: last seen, presence subscriptions and typing.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Parley:Presence";

    /// <summary>
    /// At most one last-seen write per user per this interval; going offline and shutting down write at once.
    /// A crash loses at most this much of last seen's movement.
    /// </summary>
    public TimeSpan LastSeenWriteInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While a connection counts toward online, its user actions reach the user's grain at most once per this interval:
    /// the moment it stops counting (close, away) is recorded anyway and is later than any action, so only a node that
    /// dies meanwhile loses up to this much of last seen. Zero sends every action.
    /// </summary>
    public TimeSpan TouchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>composing</c> not followed up within this long counts as <c>paused</c>, and the server says so.</summary>
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most users one connection follows with <c>presence.subscribe</c>.</summary>
    [Range(1, 100_000)]
    public int MaxSubscriptions { get; set; } = 1000;
}
