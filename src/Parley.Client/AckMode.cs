namespace Parley.Client;

/// <summary>When the client acknowledges inbox events to the server.</summary>
public enum AckMode
{
    /// <summary>After the application's handlers for an event have returned (acks are coalesced: one for the highest seq of a burst).</summary>
    Automatic,
    /// <summary>Only when the application calls <see cref="ParleyClient.Acknowledge"/>.</summary>
    Manual,
}
