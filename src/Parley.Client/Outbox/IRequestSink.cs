namespace Parley.Client.Outbox;

/// <summary>Where the request table puts requests to be written: the live connection's writer.</summary>
internal interface IRequestSink
{
    /// <summary>The connection's number, recorded on the requests it writes.</summary>
    long Id { get; }

    /// <summary>Queues a request for writing; never blocks.</summary>
    void Enqueue(PendingRequest request);
}
