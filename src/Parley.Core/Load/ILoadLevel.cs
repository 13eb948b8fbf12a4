namespace Parley.Core.Load;

/// <summary>
/// The node's load level, as every part consults it (the gateway, the delivery, the grains of this node).
/// Reading it is a volatile read: cheap enough for every frame.
/// </summary>
public interface ILoadLevel
{
    LoadLevel Current { get; }

    /// <summary>How long receipts are coalesced from <see cref="LoadLevel.Strained"/> up.</summary>
    TimeSpan SlowReceiptInterval { get; }

    /// <summary>Counts one item shed (or postponed) because of the level; <paramref name="kind"/> is one of <see cref="ShedKinds"/>.</summary>
    void CountShed(string kind);
}
