namespace ConnRelay;

/// <summary>What a connection's HTTP/1.1 request asked for.</summary>
internal enum RequestKind
{
    /// <summary>A valid WebSocket upgrade of <c>/ws?user=NAME</c>.</summary>
    Upgrade,

    /// <summary><c>GET /stats</c>: the relay's memory readings.</summary>
    Stats,

    /// <summary>A request for <c>/ws</c> that is not a valid upgrade: answered with 400 and <see cref="UpgradeRequest.Problem"/>.</summary>
    Rejected,

    /// <summary>Anything else: left unread in the pipe for Kestrel's HTTP/1.1 pipeline (the app behind it).</summary>
    Http,
}
