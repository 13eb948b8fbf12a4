using System.Collections.Concurrent;
using Parley.Client;
using Parley.Faults.Tests.Support;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Faults.Tests;

/// <summary>SIGKILL under load: what the server acknowledged survives, and the SDK hands each message to the application once.</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Senders = 4;
    private const int PerSender = 150;
    private const int InFlightPerSender = 16;

    [Fact]
    public async Task Every_acknowledged_send_is_delivered_exactly_once_across_a_SIGKILL_and_restart()
    {
        var server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:AckTimeout=00:00:02"]).Within(TimeSpan.FromSeconds(90));
        var current = server.BaseUri;
        Uri Address() => Volatile.Read(ref current);
        var senders = new List<FaultUser>();
        var recipients = new List<FaultUser>();
        try
        {
            for (var i = 0; i < Senders; i++)
            {
                senders.Add(await FaultUser.RegisterAsync(server.BaseUri, $"s{i}"));
                recipients.Add(await FaultUser.RegisterAsync(server.BaseUri, $"r{i}"));
            }
            foreach (var user in senders.Concat(recipients)) await user.ConnectAsync(Address);

            // Each sender streams to its recipient, several sends in flight; the kill lands once a third is acknowledged.
            var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // id -> recipient
            var failedSends = 0;
            var killAt = Senders * PerSender / 3;
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var streams = senders.Select((sender, i) => Task.Run(async () =>
            {
                using var slots = new SemaphoreSlim(InFlightPerSender);
                var sends = new List<Task>();
                for (var k = 0; k < PerSender; k++)
                {
                    // The last sends wait for the kill, so that it always lands mid-stream however fast the machine is.
                    if (k == PerSender - InFlightPerSender) await killed.Task.Within(TimeSpan.FromSeconds(120));
                    await slots.WaitAsync().Within(TimeSpan.FromSeconds(120));
                    var text = $"{sender.Name}-{k}";
                    sends.Add(Task.Run(async () =>
                    {
                        try
                        {
                            var result = await sender.Client!.SendTextAsync(recipients[i].Name, text).Within(TimeSpan.FromSeconds(120));
                            acknowledged[result.Id] = recipients[i].Name;
                            if (acknowledged.Count >= killAt) killed.TrySetResult();
                        }
                        catch (ParleyException)
                        {
                            // Not acknowledged: the test only holds the server to what it said ok to.
                            Interlocked.Increment(ref failedSends);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }));
                }
                await Task.WhenAll(sends);
            })).ToList();

            await killed.Task.Within(TimeSpan.FromSeconds(120));
            var acknowledgedAtKill = acknowledged.Count;
            await server.KillAsync();
            var restarted = await server.RestartAsync().Within(TimeSpan.FromSeconds(90));
            await server.DisposeAsync();
            server = restarted;
            Volatile.Write(ref current, restarted.BaseUri);

            await Task.WhenAll(streams).Within(TimeSpan.FromSeconds(180));
            await Bounded.EventuallyAsync(() => Task.FromResult(acknowledged.Keys.All(id => recipients.Any(r => r.Delivered.ContainsKey(id)))),
                "every acknowledged message reaches its recipient's application", TimeSpan.FromSeconds(120));

            var delivered = recipients.Sum(r => r.Delivered.Count);
            var duplicates = recipients.Sum(r => r.Delivered.Values.Sum(n => n - 1));
            var lost = acknowledged.Count(a => !recipients.Single(r => r.Name == a.Value).Delivered.ContainsKey(a.Key));
            output.WriteLine($"SIGKILL: senders={Senders} sent={Senders * PerSender} acknowledged={acknowledged.Count} " +
                $"(at the kill: {acknowledgedAtKill}) notAcknowledged={failedSends} delivered={delivered} lost={lost} dup={duplicates}");

            Assert.True(acknowledgedAtKill < Senders * PerSender, "the kill came mid-stream");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicates);
            // Every send got an answer one way or the other; a send that failed on the client's side may still have been
            // stored (and then delivered): only acknowledged ones are owed, and nothing beyond what was sent arrives.
            Assert.Equal(Senders * PerSender, acknowledged.Count + failedSends);
            Assert.InRange(delivered, acknowledged.Count, Senders * PerSender);
        }
        finally
        {
            foreach (var user in senders.Concat(recipients)) await user.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
