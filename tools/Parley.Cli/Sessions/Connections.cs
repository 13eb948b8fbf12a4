using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Client;

namespace Parley.Cli.Sessions;

/// <summary>Opens the SDK's connection for the logged-in device, failing at once (instead of retrying forever) when the server cannot be reached.</summary>
internal static class Connections
{
    /// <param name="config">The logged-in device.</param>
    /// <param name="server">The server.</param>
    /// <param name="ackMode">Manual for one-shot commands, which must not mark events processed that nobody displayed.</param>
    /// <param name="after">The inbox position to resume after, or null for the server's stored cursor.</param>
    /// <param name="timeout">Bounds the connection and its welcome.</param>
    /// <param name="configure">Subscribes handlers before anything can arrive.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<ParleyClient> ConnectAsync(
        CliConfig config, Uri server, AckMode ackMode, long? after, TimeSpan timeout, Action<ParleyClient>? configure, CancellationToken cancellationToken)
    {
        var client = new ParleyClient(new ParleyClientOptions
        {
            ServerUri = server,
            Token = config.Token,
            After = after,
            AckMode = ackMode,
            ConnectTimeout = timeout,
            RequestTimeout = timeout,
        });
        var firstFailure = new TaskCompletionSource<ConnectionStateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionStateChanged += (change, _) =>
        {
            if (change.State == ConnectionState.Reconnecting) firstFailure.TrySetResult(change);
            return ValueTask.CompletedTask;
        };
        configure?.Invoke(client);

        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connecting.CancelAfter(timeout);
        var connect = client.ConnectAsync(connecting.Token);
        if (await Task.WhenAny(connect, firstFailure.Task) == firstFailure.Task && !connect.IsCompleted)
        {
            // The SDK would retry with backoff: right for an app, wrong for a command the user waits on.
            await connecting.CancelAsync();
            await ObserveAsync(connect);
            await client.DisposeAsync();
            var failure = await firstFailure.Task;
            var why = failure.Reason ?? (failure.CloseStatus is { } status ? $"closed with {status}" : "connection refused");
            throw new CliException(ExitCodes.ServerUnreachable, $"cannot reach the Parley server at {server} ({why})");
        }
        try
        {
            await connect;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyException or ObjectDisposedException)
        {
            // Cancelled by us just above: the failure reported is the first connection's.
        }
    }
}
