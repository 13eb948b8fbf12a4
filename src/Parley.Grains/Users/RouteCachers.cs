using Microsoft.Extensions.Logging;

namespace Parley.Grains.Users;

/// <summary>
/// The nodes that hold a user's route (which nodes have the user's connections), learned from the grain's answers to
/// their publishes, and the route's version. When the route changes they are told to forget it, and they ask again
/// with their next publish through the grain.
/// </summary>
internal sealed partial class RouteCachers(string user, TimeProvider time, TimeSpan changeTimeout, ILogger logger)
{
    // Null while no node holds the route (an idle user's grain, with no publish since the last change).
    private Dictionary<string, INodeInbox>? _cachers;

    // Versions only grow, also from one activation to the next (a node keeps the highest it was told to forget, and
    // ignores answers older than that): they start from the clock, and a change moves them at least one on.
    private long _version = time.GetUtcNow().UtcTicks;

    /// <summary>Tells <paramref name="publisher"/> the route it sees (the other nodes), and remembers it holds it.</summary>
    public void Answer(NodeRoute publisher, int epoch, NodeRoute[] nodes)
    {
        (_cachers ??= new Dictionary<string, INodeInbox>(StringComparer.Ordinal))[publisher.Node] = publisher.Inbox;
        Call(publisher.Inbox, i => i.OnRouteAsync(user, _version, epoch, nodes)).Ignore();
    }

    /// <summary>
    /// A node joined the route (or the activation ends): returns once every node that held the route has forgotten it
    /// (or <c>changeTimeout</c> passed), so that a connection on the new node, catching up after its attach, misses no
    /// commit: a node that published along the old route did so before it forgot it, hence before the catch-up.
    /// </summary>
    public async Task ForgetAsync()
    {
        var forgetting = TellForget();
        if (forgetting.Length == 0) return;
        try
        {
            await Task.WhenAll(forgetting).WaitAsync(changeTimeout, time);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A node that does not answer in time is dead or stuck; one that forgets late may publish along the old
            // route meanwhile, and its pushes then miss the new node until the next push or the connection's refresh.
            LogForgetFailed(logger, user, ex);
        }
    }

    /// <summary>A node left the route: the others forget it (without waiting: a push to a node with no connection is dropped there).</summary>
    public void ForgetLater()
    {
        foreach (var forgetting in TellForget()) forgetting.Ignore();
    }

    private Task[] TellForget()
    {
        if (_cachers is not { Count: > 0 } cachers) return [];
        _version = Math.Max(_version + 1, time.GetUtcNow().UtcTicks);
        var version = _version;
        var calls = cachers.Values.Select(c => Call(c, i => i.OnRouteChangedAsync(user, version))).ToArray();
        _cachers = null;
        return calls;
    }

    private static Task Call(INodeInbox inbox, Func<INodeInbox, Task> call)
    {
        try
        {
            return call(inbox);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A reference that cannot be called now (its node is gone): that node holds no route any more.
            return Task.FromException(ex);
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Not every node forgot the route of {User} in time")]
    private static partial void LogForgetFailed(ILogger logger, string user, Exception exception);
}
