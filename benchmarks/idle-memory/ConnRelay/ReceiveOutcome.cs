namespace ConnRelay;

/// <summary>How a socket's reading ended.</summary>
internal enum ReceiveOutcome
{
    /// <summary>Still open (only inside the read loop).</summary>
    Open,

    /// <summary>The peer sent its close; ours (echoing its code) is queued.</summary>
    PeerClosed,

    /// <summary>The peer broke the protocol or a limit; our close (1002, 1007 or 1009) is queued.</summary>
    Failed,

    /// <summary>The connection ended (or was aborted) without a close.</summary>
    Lost,
}
