using System.Collections.Concurrent;

namespace Parley.Server.Media.Tus;

/// <summary>
/// The PATCH (or DELETE) working on each upload on this node. A client that resumes has given up on its earlier
/// request, but the server may not have noticed yet (a connection that died without a close): the new request
/// stops the old one, which keeps the bytes it received and lets go of the upload at once, instead of the new one
/// waiting for the old connection to time out.
/// </summary>
internal sealed class InFlightPatches
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _requests = new(StringComparer.Ordinal);

    /// <summary>Stops the request working on <paramref name="id"/>, if any, and registers this one; its token is cancelled when a newer one takes over.</summary>
    public CancellationTokenSource Begin(string id)
    {
        var mine = new CancellationTokenSource();
        CancellationTokenSource? old = null;
        _requests.AddOrUpdate(id, mine, (_, existing) =>
        {
            old = existing;
            return mine;
        });
        if (old is not null) Stop(old);
        return mine;
    }

    private static void Stop(CancellationTokenSource request)
    {
        try
        {
            request.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile: nothing to stop.
        }
    }

    public void End(string id, CancellationTokenSource mine)
    {
        _requests.TryRemove(KeyValuePair.Create(id, mine));
        mine.Dispose();
    }
}
