namespace Parley.Core.Load;

/// <summary>
/// How much a node sheds, set by the load governor. Each level does everything the one below does.
/// Messages and inbox events are never shed at any level.
/// </summary>
public enum LoadLevel
{
    /// <summary>Nothing is shed.</summary>
    Normal = 0,
    /// <summary>Typing and presence pushes are dropped; last-seen writes wait (going offline still writes).</summary>
    Busy = 1,
    /// <summary>Also: receipts are coalesced over a longer interval.</summary>
    Strained = 2,
    /// <summary>Also: non-essential requests (history, convs, presence.subscribe, receipts, uploads) are refused with <c>overloaded</c>.</summary>
    Overloaded = 3,
}
