using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Parley.Client;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

public sealed class ReconnectStormSettings : PairsSettings
{
    [CommandOption("--storm-at <SECONDS>")]
    [Description("When (after sending starts) every connection is cut at once")]
    [DefaultValue(5.0)]
    public double StormAtSeconds { get; init; } = 5;

    [CommandOption("--resume-timeout <SECONDS>")]
    [Description("How long every client has to be back online after the cut")]
    [DefaultValue(60.0)]
    public double ResumeTimeoutSeconds { get; init; } = 60;

    public override ValidationResult Validate()
    {
        var pairs = base.Validate();
        if (!pairs.Successful) return pairs;
        if (DurationSeconds <= StormAtSeconds) return ValidationResult.Error("--duration must be longer than --storm-at");
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>reconnect-storm</c>: pairs traffic through a relay; at <c>--storm-at</c> every connection is cut at once and
/// every client reconnects with its backoff, resumes its inbox and re-sends what was unanswered. Reports the time
/// until all are back and proves no message was lost or delivered twice.
/// </summary>
public sealed class ReconnectStormCommand : AsyncCommand<ReconnectStormSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReconnectStormSettings settings, CancellationToken cancellationToken)
    {
        using var run = new RunContext(settings, cancellationToken);
        var users = settings.Users ?? 200;
        var window = settings.Window ?? 4;
        var accounts = await UserPool.LogInAsync(settings, users, run.Counter("logged in", users), run.Token);
        await using var relay = new TcpRelay(settings.ServerUri);
        var traffic = new PairsTraffic(settings, window);
        traffic.Create(accounts, relay.Uri);
        var resume = new LatencyHistogram();
        var stormAt = 0L;
        var resumed = 0;
        var lastResumedAt = 0L;
        var allBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var peer in traffic.Peers)
        {
            var back = 0;
            peer.Client.ConnectionStateChanged += (s, _) =>
            {
                var cut = Volatile.Read(ref stormAt);
                if (s.State != ConnectionState.Online || cut == 0 || Interlocked.Exchange(ref back, 1) == 1) return ValueTask.CompletedTask;
                resume.RecordSince(cut);
                Volatile.Write(ref lastResumedAt, Stopwatch.GetTimestamp());
                if (Interlocked.Increment(ref resumed) == users) allBack.TrySetResult();
                return ValueTask.CompletedTask;
            };
        }
        try
        {
            await traffic.ConnectAsync(run.Counter("connected", users), run.Token);
            run.Say($"sending: {users} users, window {window}; cutting every connection at {settings.StormAtSeconds} s");
            var dropped = 0;
            var storm = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.StormAtSeconds), run.Token);
                Volatile.Write(ref stormAt, Stopwatch.GetTimestamp());
                dropped = relay.DropAll();
                run.Say($"cut {dropped} connections");
            }, run.Token);
            var (cpu, seconds) = await PairsCommand.SendMeasuredAsync(run, traffic, settings);
            await storm;
            var allResumed = await allBack.Task.WaitAsync(TimeSpan.FromSeconds(settings.ResumeTimeoutSeconds), run.Token)
                .ContinueWith(t => t.IsCompletedSuccessfully, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            var drained = await traffic.DrainAsync(run.Token);
            var c = traffic.Counters;
            var allBackMs = allResumed ? Stopwatch.GetElapsedTime(stormAt, lastResumedAt).TotalMilliseconds : double.NaN;
            List<Figure> figures =
            [
                new("connections cut", dropped, "connections"),
                new("clients back online", resumed, "clients"),
                new("time until all were back online", Math.Round(allBackMs, 1), "ms"),
                new("messages sent", c.Sent, "messages"),
                new("messages stored (ok)", c.Ok, "messages"),
                new("re-sent after the cut (answered as duplicate)", c.Resent, "messages"),
                new("messages delivered", c.Delivered, "messages"),
                new("delivered per second (measured window)", Math.Round(c.DeliveredInWindow / Math.Max(seconds, 1e-3)), "messages/s"),
                new("lost", traffic.Lost(), "messages"),
                new("duplicates", c.Duplicates, "messages"),
                new("errors", c.Errors, "errors"),
                new("earlier runs' messages (ignored)", c.Foreign, "messages"),
            ];
            var checks = traffic.Checks(drained);
            checks.Insert(0, new Check("every client back online within --resume-timeout", allResumed, $"{resumed}/{users}"));
            var latencies = traffic.Latencies();
            latencies.Add(new NamedLatency("cut → client online again", resume.Summarize()));
            return await run.FinishAsync("reconnect-storm", settings, PairsCommand.Resolved(users, window), figures, latencies, cpu, checks);
        }
        finally
        {
            await traffic.DisposeAsync();
        }
    }
}
