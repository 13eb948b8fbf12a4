using System.Threading.Channels;
using Parley.Protocol.Client;

namespace Parley.Client.Inbox;

/// <summary>
/// Hands events to the application one at a time, in order, across reconnects: inbox events (deduplicated by seq),
/// presence and typing, and connection state changes. In automatic mode it marks an inbox event processed once
/// its handlers returned, and asks for an ack when the burst is over (the queue is empty) or every
/// <see cref="MaxAckBatch"/> events, so that a burst costs one ack and not one per event.
/// </summary>
internal sealed class EventDispatcher
{
    /// <summary>The most inbox events processed before an ack goes out even while more are queued.</summary>
    public const int MaxAckBatch = 64;

    // Not SingleReader: that variant cannot count, and the count is what tells a burst is over.
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>();
    private readonly InboxCursor _cursor;
    private readonly AckMode _mode;
    private readonly Func<object, CancellationToken, ValueTask> _deliver;
    private readonly Action _ackDue;
    private static readonly AsyncLocal<bool> Dispatching = new();
    private int _sinceAck;

    /// <param name="cursor">The inbox marks.</param>
    /// <param name="mode">When to acknowledge.</param>
    /// <param name="deliver">Runs the application's handlers for one item; must not throw.</param>
    /// <param name="ackDue">Asks the live connection to send an ack for the processed mark.</param>
    public EventDispatcher(InboxCursor cursor, AckMode mode, Func<object, CancellationToken, ValueTask> deliver, Action ackDue)
    {
        _cursor = cursor;
        _mode = mode;
        _deliver = deliver;
        _ackDue = ackDue;
    }

    /// <summary>True inside the application's handlers (the dispatcher's own flow), where waiting for the dispatcher would deadlock.</summary>
    public static bool IsDispatching => Dispatching.Value;

    /// <summary>Queues a frame from the socket; an inbox event already queued or delivered is dropped here.</summary>
    public void Post(ServerFrame frame)
    {
        if (frame.InboxSeq is { } seq && !_cursor.TryQueue(seq)) return;
        _queue.Writer.TryWrite(frame);
    }

    /// <summary>Queues a connection state change, so that the application sees it in order with the events.</summary>
    public void Post(ConnectionStateChange change) => _queue.Writer.TryWrite(change);

    /// <summary>Delivers until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Dispatching.Value = true;
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                if (item is ServerFrame { InboxSeq: { } seq })
                {
                    // Queued before a reconnect and replayed after it: the second copy never reaches the application.
                    if (!_cursor.TryDeliver(seq)) continue;
                    await _deliver(item, cancellationToken);
                    if (_mode != AckMode.Automatic) continue;
                    _cursor.MarkProcessed(seq);
                    if (++_sinceAck >= MaxAckBatch || _queue.Reader.Count == 0)
                    {
                        _sinceAck = 0;
                        _ackDue();
                    }
                }
                else
                {
                    await _deliver(item, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: what is still queued was not processed and will be replayed to the next client.
        }
    }
}
