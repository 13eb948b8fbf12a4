namespace Parley.Core.Load;

/// <summary>What the load governor sheds, as counted in <c>parley_shed_total{kind}</c>. Refused requests are counted by their frame type.</summary>
public static class ShedKinds
{
    /// <summary>A typing relay not sent, or a typing frame not written to a socket.</summary>
    public const string Typing = "typing";
    /// <summary>A presence push not sent (a later refresh sends the state then current).</summary>
    public const string Presence = "presence";
    /// <summary>A periodic last-seen write postponed by an interval.</summary>
    public const string LastSeenWrite = "last_seen_write";
    /// <summary>An ack (and the delivered receipts it causes) committed after the slow receipt interval instead of at once.</summary>
    public const string ReceiptDelay = "receipt_delay";
    /// <summary>A media upload refused with 503.</summary>
    public const string MediaUpload = "media_upload";
    /// <summary>A registration, login or account deletion refused with 503: every password-hash slot stayed busy.</summary>
    public const string PasswordHash = "password_hash";
}
