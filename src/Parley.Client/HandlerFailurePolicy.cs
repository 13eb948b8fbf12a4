namespace Parley.Client;

/// <summary>What happens to an inbox event when one of its handlers throws (<see cref="ParleyClientOptions.HandlerFailurePolicy"/>).</summary>
public enum HandlerFailurePolicy
{
    /// <summary>
    /// The default: the event is not processed, so not acknowledged. The handlers that threw are called again with it
    /// after a backoff (<see cref="ParleyClientOptions.ReconnectMinDelay"/> doubling up to
    /// <see cref="ParleyClientOptions.ReconnectMaxDelay"/>) until they return, and no later event is handed out meanwhile:
    /// the inbox keeps its order and nothing is lost for this device. If the client stops first, the event is replayed on
    /// the next start (resume with <see cref="ParleyClient.LastProcessedSeq"/>).
    /// </summary>
    Retry,

    /// <summary>The event counts as processed all the same (acknowledged in <see cref="AckMode.Automatic"/>): one bad event cannot hold up the inbox, but this device loses it.</summary>
    Skip,
}
