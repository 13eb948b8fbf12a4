using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Parley.Client;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

public sealed class GroupSettings : TrafficSettings
{
    [CommandOption("--members <N>")]
    [Description("Group members, all online (the server's group limit applies)")]
    [DefaultValue(200)]
    public int Members { get; init; } = 200;

    [CommandOption("--senders <N>")]
    [Description("Members that send, each with --window sends in flight")]
    [DefaultValue(1)]
    public int Senders { get; init; } = 1;

    public override ValidationResult Validate()
    {
        var traffic = base.Validate();
        if (!traffic.Successful) return traffic;
        if (Members < 2) return ValidationResult.Error("--members must be at least 2");
        if (Senders < 1 || Senders > Members) return ValidationResult.Error("--senders must be 1..members");
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>group</c>: one group of <c>--members</c> online members; <c>--senders</c> of them send. Measures deliveries per
/// second and send→member / send→last member, and proves each stored message reached every other member once.
/// </summary>
public sealed class GroupCommand : AsyncCommand<GroupSettings>
{
    private sealed class Member(LoadUser user, ParleyClient client)
    {
        public LoadUser User { get; } = user;
        public ParleyClient Client { get; } = client;
        public HashSet<long> Received { get; } = [];
    }

    public override async Task<int> ExecuteAsync(CommandContext context, GroupSettings settings, CancellationToken cancellationToken)
    {
        using var run = new RunContext(settings, cancellationToken);
        var window = settings.Window ?? 8;
        var accounts = await UserPool.LogInAsync(settings, settings.Members, run.Counter("logged in", settings.Members), run.Token);
        var members = accounts.Select(a => new Member(a, Clients.Create(settings.ServerUri, a.Token))).ToList();
        var counters = new TrafficCounters();
        var ok = new LatencyHistogram();
        var toMember = new LatencyHistogram();
        var toLast = new LatencyHistogram();
        var remaining = new ConcurrentDictionary<long, int>();   // message key -> members still to receive it
        var stored = new ConcurrentBag<long>();
        var measureFrom = long.MaxValue;
        var measuring = false;
        string? conv = null;
        foreach (var m in members)
        {
            m.Client.MessageReceived += (e, _) =>
            {
                if (e.Conv != conv || e.From == m.User.Name) return ValueTask.CompletedTask;
                if (!BodyJson.TryGetText(e.Body, out var text) || !MessageText.TryParse(text, out var k, out var sender, out var sentAt))
                {
                    counters.CountForeign();
                    return ValueTask.CompletedTask;
                }
                var key = ((long)sender << 40) | k;
                lock (m.Received)
                {
                    if (!m.Received.Add(key))
                    {
                        counters.CountDuplicate();
                        return ValueTask.CompletedTask;
                    }
                }
                var measured = sentAt >= Volatile.Read(ref measureFrom);
                if (measured) toMember.RecordSince(sentAt);
                counters.CountDelivered(Volatile.Read(ref measuring));
                if (remaining.AddOrUpdate(key, settings.Members - 2, static (_, n) => n - 1) == 0 && measured) toLast.RecordSince(sentAt);
                return ValueTask.CompletedTask;
            };
        }
        try
        {
            await Clients.ConnectAllAsync([.. members.Select(m => m.Client)], settings.ConnectConcurrency, run.Counter("connected", settings.Members), run.Token);
            var created = await members[0].Client.CreateGroupAsync($"load {DateTime.UtcNow:HHmmss}", members.Skip(1).Select(m => m.User.Name), run.Token);
            Volatile.Write(ref conv, created.Conv);
            run.SampleRss("group online");
            run.Say($"sending to {created.Conv}: {settings.Senders} senders, window {window}, {settings.Members} members");

            ServerProbe.CpuWindow? cpuWindow = null;
            var start = 0L;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
            if (settings.DurationSeconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(settings.DurationSeconds));
            var warmup = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), stop.Token);
                Volatile.Write(ref measureFrom, Stopwatch.GetTimestamp());
                Volatile.Write(ref measuring, true);
                cpuWindow = run.Probe?.StartWindow();
                start = Stopwatch.GetTimestamp();
            }, stop.Token);
            await using (ProgressLine.Start(settings.Progress, () => $"sent {counters.Sent:N0}  ok {counters.Ok:N0}  deliveries {counters.Delivered:N0}  errors {counters.Errors}"))
            {
                await Task.WhenAll(Enumerable.Range(0, settings.Senders).Select(async s =>
                {
                    using var permits = new SemaphoreSlim(window);
                    for (long k = 0; settings.MessagesPerSender <= 0 || k < settings.MessagesPerSender; k++)
                    {
                        try
                        {
                            await permits.WaitAsync(stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                        _ = SendOneAsync(members[s].Client, created.Conv, s, k, permits);
                    }
                    for (var i = 0; i < window; i++) await permits.WaitAsync(run.Token);
                }));
            }
            Volatile.Write(ref measuring, false);
            await warmup.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var seconds = start == 0 ? 0 : Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu = cpuWindow?.Stop(counters.DeliveredInWindow, "delivery");

            var expected = counters.Ok * (settings.Members - 1);
            var deadline = Stopwatch.GetTimestamp() + (long)(settings.DrainSeconds * Stopwatch.Frequency);
            while (counters.Delivered < expected && Stopwatch.GetTimestamp() < deadline) await Task.Delay(100, run.Token);
            run.SampleRss("after");

            long lost = 0;
            foreach (var key in stored)
            {
                var sender = (int)(key >> 40);
                foreach (var m in members)
                {
                    if (m == members[sender]) continue;
                    lock (m.Received) if (!m.Received.Contains(key)) lost++;
                }
            }
            List<Figure> figures =
            [
                new("messages sent", counters.Sent, "messages"),
                new("messages stored (ok)", counters.Ok, "messages"),
                new("deliveries (to members other than the sender)", counters.Delivered, "deliveries"),
                new("measured window", Math.Round(seconds, 2), "s"),
                new("deliveries per second (measured window)", Math.Round(counters.DeliveredInWindow / Math.Max(seconds, 1e-3)), "deliveries/s"),
                new("lost deliveries", lost, "deliveries"),
                new("duplicates", counters.Duplicates, "deliveries"),
                new("errors", counters.Errors, "errors"),
            ];
            List<NamedLatency> latencies =
            [
                new("send → ok (stored)", ok.Summarize()),
                new("send → member", toMember.Summarize()),
                new("send → last member", toLast.Summarize()),
            ];
            List<Check> checks =
            [
                new("every stored message reached every other member", lost == 0, $"{lost} lost of {expected} deliveries"),
                new("no message delivered twice", counters.Duplicates == 0, $"{counters.Duplicates} duplicates"),
                new("no errors", counters.Errors == 0, counters.ErrorSummary()),
            ];
            var resolved = new Dictionary<string, string>(StringComparer.Ordinal) { ["--window"] = window.ToString(CultureInfo.InvariantCulture) };
            return await run.FinishAsync("group", settings, resolved, figures, latencies, cpu, checks);
        }
        finally
        {
            await Clients.DisposeAllAsync(members.Select(m => m.Client));
        }

        async Task SendOneAsync(ParleyClient client, string to, int sender, long k, SemaphoreSlim permits)
        {
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                counters.CountSent();
                await client.SendTextAsync(to, MessageText.Create(k, sender, sentAt, settings.Size), run.Token);
                if (sentAt >= Volatile.Read(ref measureFrom)) ok.RecordSince(sentAt);
                counters.CountOk(false);
                stored.Add(((long)sender << 40) | k);
            }
            catch (ParleyException e)
            {
                counters.CountError(e.Code);
            }
            catch (Exception e) when (e is not OperationCanceledException || !run.Token.IsCancellationRequested)
            {
                counters.CountError(e.GetType().Name);
            }
            finally
            {
                permits.Release();
            }
        }
    }
}
