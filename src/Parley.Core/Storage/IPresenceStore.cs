using Parley.Core.Presence;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>
/// What presence keeps durably: each user's last seen and privacy setting, and who counts as a contact.
/// Online state is never stored: it lives with the live connections.
/// </summary>
public interface IPresenceStore
{
    /// <summary>The user's setting and last seen; <see cref="PresenceRecord.Unknown"/> for a user the store does not have.</summary>
    Task<PresenceRecord> GetPresenceAsync(Username user, CancellationToken cancellationToken);

    /// <summary>Moves the user's last seen forward to <paramref name="lastSeen"/> (never back: writes may arrive out of order).</summary>
    Task SaveLastSeenAsync(Username user, long lastSeen, CancellationToken cancellationToken);

    Task SetLastSeenPrivacyAsync(Username user, LastSeenPrivacy privacy, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="user"/> wrote to <paramref name="contact"/> (a direct message); idempotent.</summary>
    Task RecordContactAsync(Username user, Username contact, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="viewer"/> is a contact of <paramref name="user"/>: someone <paramref name="user"/> has written
    /// to. Only the user's own actions make contacts, so nobody can make themselves one.
    /// </summary>
    Task<bool> IsContactAsync(Username user, Username viewer, CancellationToken cancellationToken);

    /// <summary>Whether the two users are both current members of at least one conversation (direct or group).</summary>
    Task<bool> ShareConversationAsync(Username user, Username other, CancellationToken cancellationToken);
}
