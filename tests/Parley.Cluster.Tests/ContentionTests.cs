using System.Text.Json;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Cluster.Tests;

/// <summary>
/// Three nodes writing to the same rows at once: many senders on every node to one recipient whose devices ack, and
/// many users sending to each other with their sockets dropped and their sends resent through other nodes. Nothing may
/// answer <c>internal</c> (a deadlock between two nodes' writers did), no n or seq may be skipped or repeated, and every
/// delivered receipt must arrive (an ack lost to a deadlock left its sender waiting).
/// </summary>
public sealed class ContentionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private ClusterNodes _cluster = null!;

    // Ninety accounts are made: a cheap password hash keeps that from taking most of the test.
    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(3, ["--Parley:Auth:PasswordIterations=1000"]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IReadOnlyList<Uri> Nodes => _cluster.Nodes.Select(n => n.BaseUri).ToList();

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Sixty_senders_on_three_nodes_reach_one_recipient_in_order_and_every_receipt_arrives()
    {
        const int senders = 60, perSender = 8;
        var recipient = Unique("r");
        await using var phone = await ChatAgent.StartAsync(Nodes, 0, recipient);
        await using var laptop = await ChatAgent.StartAsync(Nodes, 1, recipient, register: false);
        var agents = await Task.WhenAll(Enumerable.Range(0, senders).Select(i => ChatAgent.StartAsync(Nodes, i % 3, Unique($"s{i}_"))));
        try
        {
            // Every sender streams its messages at once: the three nodes' writers number them and take the recipient's
            // seqs concurrently while the recipient's two devices ack.
            await Task.WhenAll(agents.Select(async a =>
            {
                for (var k = 1; k <= perSender; k++) await a.SendAsync(recipient, $"c{k}", $"{a.Name} {k}");
            }));
            var failures = new List<string>();
            await WaitAllAsync(agents, a => a.Oks.Count + a.Errors.Count == perSender, "every send answered", failures);
            await WaitAllAsync([phone, laptop], a => a.LastSeq >= senders * perSender, "every message processed", failures);
            await WaitAllAsync(agents, a => a.DeliveredUpTo.Values.DefaultIfEmpty().Max() >= perSender, "the delivered receipt of the last message", failures);

            foreach (var a in agents)
            {
                failures.AddRange(a.Read(x => x.Errors.Select(e => $"{x.Name}: {e}").ToList()));
                // One socket's sends to one conversation are numbered in order, gap-free.
                var ns = a.Read(x => Enumerable.Range(1, perSender).Select(k => x.Oks.TryGetValue($"c{k}", out var ok) ? ok.GetProperty("n").GetInt64() : -1).ToList());
                if (!ns.SequenceEqual(Enumerable.Range(1, perSender).Select(k => (long)k))) failures.Add($"{a.Name}: n {string.Join(",", ns)}");
                var seqs = a.Read(x => x.Oks.Values.Select(ok => ok.GetProperty("seq").GetInt64()).ToList());
                if (seqs.Distinct().Count() != seqs.Count) failures.Add($"{a.Name}: a seq taken twice in {string.Join(",", seqs)}");
            }
            foreach (var device in new[] { phone, laptop })
            {
                failures.AddRange(device.Read(d => d.Gaps.Select(g => $"{d.Name} device: gap: {g}").ToList()));
                var messages = device.Read(d => d.Events.Where(e => e.GetProperty("type").GetString() == "message").ToList());
                var keys = messages.Select(m => (m.GetProperty("conv").GetString(), m.GetProperty("n").GetInt64())).ToList();
                if (keys.Count != senders * perSender || keys.Distinct().Count() != keys.Count)
                {
                    failures.Add($"{device.Name} device: {keys.Count} messages, {keys.Distinct().Count()} distinct, of {senders * perSender}");
                }
            }
            await CheckInboxesAsync(agents.Append(phone), failures);
            Report(agents.Length * perSender, failures);
        }
        finally
        {
            foreach (var a in agents) await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task Many_to_many_traffic_with_dropped_sockets_and_resent_sends_loses_and_repeats_nothing()
    {
        const int users = 30, perUser = 24, drops = 2;
        var random = new Random(1515);
        var agents = await Task.WhenAll(Enumerable.Range(0, users).Select(i => ChatAgent.StartAsync(Nodes, i % 3, Unique($"m{i}_"))));
        try
        {
            // Each user sends to partners picked at random; its socket is dropped after a random send (twice), reconnects
            // through the next node, and resends what got no ok with the same cid.
            var plans = agents.Select(a => (
                Agent: a,
                Partners: Enumerable.Range(0, perUser).Select(_ => agents[random.Next(users)]).Select(p => p == a ? agents[(Array.IndexOf(agents, a) + 1) % users] : p).ToList(),
                DropAfter: Enumerable.Range(0, drops).Select(_ => random.Next(1, perUser)).ToHashSet())).ToList();
            await Task.WhenAll(plans.Select(async p =>
            {
                for (var k = 1; k <= perUser; k++)
                {
                    await p.Agent.SendAsync(p.Partners[k - 1].Name, $"c{k}", $"{p.Agent.Name} {k}");
                    if (p.DropAfter.Contains(k)) await p.Agent.DropAndResumeAsync();
                }
            }));
            var failures = new List<string>();
            await WaitAllAsync(agents, a => a.Oks.Count + a.Errors.Count == perUser, "every send answered", failures);

            // What each sender is owed: a delivered receipt up to its last message in each conversation.
            var lastSent = agents.ToDictionary(a => a.Name, a => a.Read(x => x.Oks.Values
                .GroupBy(ok => ok.GetProperty("conv").GetString()!).ToDictionary(g => g.Key, g => g.Max(ok => ok.GetProperty("n").GetInt64()))));
            await WaitAllAsync(agents, a => lastSent[a.Name].All(c => a.DeliveredUpTo.GetValueOrDefault(c.Key) >= c.Value), "every delivered receipt", failures);

            foreach (var a in agents)
            {
                failures.AddRange(a.Read(x => x.Errors.Select(e => $"{x.Name}: {e}").Concat(x.Gaps.Select(g => $"{x.Name}: gap: {g}")).ToList()));
                if (a.Read(x => x.Oks.Count) != perUser) failures.Add($"{a.Name}: {a.Read(x => x.Oks.Count)} of {perUser} sends answered ok");
            }
            await CheckInboxesAsync(agents, failures);
            Report(users * perUser, failures);
        }
        finally
        {
            foreach (var a in agents) await a.DisposeAsync();
        }
    }

    /// <summary>
    /// Reads every user's whole inbox through a new device: seqs 1..head with none missing or repeated, and in every
    /// conversation the messages numbered 1..n with none missing or repeated.
    /// </summary>
    private async Task CheckInboxesAsync(IEnumerable<ChatAgent> agents, List<string> failures)
    {
        var found = await Task.WhenAll(agents.Select(CheckInboxAsync));
        failures.AddRange(found.SelectMany(f => f));
    }

    private async Task<List<string>> CheckInboxAsync(ChatAgent agent)
    {
        var failures = new List<string>();
        await using var replay = await ChatAgent.StartAsync(Nodes, 2, agent.Name, register: false);
        var head = replay.WelcomeHead;
        try
        {
            await replay.WaitUntilAsync(r => r.LastSeq >= head, Settle, $"the replay of {head} events");
        }
        catch (TimeoutException ex)
        {
            failures.Add(ex.Message);
            return failures;
        }
        var events = replay.Read(r => r.Events.ToList());
        failures.AddRange(replay.Read(r => r.Gaps.Select(g => $"{agent.Name} inbox: gap: {g}").ToList()));
        var seqs = events.Select(e => e.GetProperty("seq").GetInt64()).Take((int)head).ToList();
        if (!seqs.SequenceEqual(Enumerable.Range(1, (int)head).Select(s => (long)s))) failures.Add($"{agent.Name} inbox: seqs are not 1..{head}");
        foreach (var conv in events.Where(e => e.GetProperty("type").GetString() == "message").GroupBy(e => e.GetProperty("conv").GetString()))
        {
            var ns = conv.Select(m => m.GetProperty("n").GetInt64()).Order().ToList();
            if (!ns.SequenceEqual(Enumerable.Range(1, ns.Count).Select(n => (long)n))) failures.Add($"{agent.Name} inbox: {conv.Key} has n {string.Join(",", ns)}");
        }
        return failures;
    }

    /// <summary>Waits (for all at once, at most <see cref="Settle"/>) until the condition holds for every agent; adds those where it did not.</summary>
    private static async Task WaitAllAsync(IEnumerable<ChatAgent> agents, Func<ChatAgent, bool> condition, string what, List<string> failures)
    {
        var missed = await Task.WhenAll(agents.Select(async a =>
        {
            try
            {
                await a.WaitUntilAsync(condition, Settle, what);
                return null;
            }
            catch (TimeoutException ex)
            {
                return ex.Message;
            }
        }));
        failures.AddRange(missed.OfType<string>());
    }

    private void Report(int sends, List<string> failures)
    {
        output.WriteLine($"{sends} sends, {failures.Count} failures");
        foreach (var failure in failures.Take(50)) output.WriteLine(failure);
        Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join(" | ", failures.Take(10))}");
    }
}
