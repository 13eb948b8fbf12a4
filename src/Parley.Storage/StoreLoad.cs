namespace Parley.Storage;

/// <summary>How hard the store's writer is pressed right now: a pressure signal for the load governor.</summary>
/// <param name="QueueDepth">Writes waiting for the writer.</param>
/// <param name="QueueCapacity">Writes the queue holds before writers wait (<c>Parley:Storage:WriteQueueCapacity</c>).</param>
/// <param name="CommitLag">How long the oldest write not yet committed has waited so far (zero when none waits).</param>
public readonly record struct StoreLoad(int QueueDepth, int QueueCapacity, TimeSpan CommitLag);
