using System.Collections.Concurrent;
using Parley.Client.Tests.Support;
using Parley.Protocol.Client;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Client.Tests.EndToEnd;

public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sends_streamed_through_a_SIGKILL_are_stored_exactly_once_and_the_recipient_sees_no_seq_twice()
    {
        const int total = 300;
        // Enough in flight that some sends are stored but not yet answered when the kill comes: their re-send is a duplicate.
        const int inFlight = 64;
        const int killAfter = 100;
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:AckTimeout=00:00:02"]).Within(TimeSpan.FromSeconds(90));
        var address = new MovingServer(server.BaseUri);
        await using var alice = await ChatUser.RegisterAsync(server.BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(server.BaseUri, "bob");
        var aliceClient = await alice.ConnectAsync(address.Provider);
        await bob.ConnectAsync(address.Provider);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);

        // Several sends in flight at every moment, issued in order 1..total.
        var completed = new ConcurrentDictionary<int, SendResult>();
        var completedAtKill = -1;
        Task? killing = null;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slots = new SemaphoreSlim(inFlight);
        var sends = new List<Task>();
        var streaming = Task.Run(async () =>
        {
            for (var i = 1; i <= total; i++)
            {
                // On a slow machine the stream could outrun the kill: the last sends wait for it, so that it lands mid-stream.
                if (i == total - inFlight + 1) await killed.Task.Within(TimeSpan.FromSeconds(120));
                await slots.WaitAsync().Within(TimeSpan.FromSeconds(120));
                var index = i;
                sends.Add(Send(index));
            }
        });

        async Task Send(int index)
        {
            try
            {
                completed[index] = await aliceClient.SendTextAsync(bob.Name, $"k{index}").Within(TimeSpan.FromSeconds(120));
                if (completed.Count >= killAfter && Interlocked.CompareExchange(ref completedAtKill, completed.Count, -1) == -1)
                {
                    // SIGKILL right here, from the completion itself, while the stream is running.
                    killing = server.KillAsync();
                    killed.SetResult();
                }
            }
            finally
            {
                slots.Release();
            }
        }

        await killed.Task.Within(TimeSpan.FromSeconds(60));
        await killing!.Within(TimeSpan.FromSeconds(30));
        await using var restarted = await server.RestartAsync().Within(TimeSpan.FromSeconds(90));
        address.Current = restarted.BaseUri;
        await streaming.Within(TimeSpan.FromSeconds(120));
        await Task.WhenAll(sends).Within(TimeSpan.FromSeconds(120));
        await bob.Messages.WaitAsync(all => all.Select(m => m.Id).Distinct().Count() >= total, TimeSpan.FromSeconds(120));

        var duplicates = completed.Values.Count(r => r.Duplicate);
        output.WriteLine($"completed at the kill: {completedAtKill}; answered duplicate after the restart: {duplicates}; bob saw {bob.Messages.Snapshot().Count} messages");
        Assert.True(completedAtKill < total, "the kill came mid-stream");
        Assert.Contains(alice.States.Snapshot(), s => s.State == ConnectionState.Reconnecting);

        // Every acknowledged send is in history exactly once, and nothing else is.
        var history = await bob.FullHistoryAsync(conv);
        Assert.Equal(total, completed.Count);
        Assert.Equal(total, history.Count);
        Assert.Equal(total, history.Select(m => m.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, total).Select(i => $"\"k{i}\"").Order(), history.Select(m => m.Body).Order());
        foreach (var (index, result) in completed) Assert.Equal($"\"k{index}\"", history.Single(m => m.Id == result.Id).Body);
        Assert.Equal(Enumerable.Range(1, total).Select(n => (long)n), history.Select(m => m.N));

        // The recipient's application never saw a seq (nor a message) twice.
        var seen = bob.Messages.Snapshot();
        Assert.Equal(seen.Count, seen.Select(m => m.Seq).Distinct().Count());
        Assert.Equal(seen.Count, seen.Select(m => m.Id).Distinct().Count());
        Assert.Equal(seen.Select(m => m.Seq).Order(), seen.Select(m => m.Seq));
    }
}
