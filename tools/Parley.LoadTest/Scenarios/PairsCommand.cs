using System.Diagnostics;
using System.Globalization;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

/// <summary><c>pairs</c>: throughput and latency of 1:1 messages under load (200 users, window 16 by default).</summary>
public class PairsCommand : AsyncCommand<PairsSettings>
{
    protected virtual string Scenario => "pairs";
    protected virtual int DefaultUsers => 200;
    protected virtual int DefaultWindow => 16;

    public override async Task<int> ExecuteAsync(CommandContext context, PairsSettings settings, CancellationToken cancellationToken)
    {
        using var run = new RunContext(settings, cancellationToken);
        var users = settings.Users ?? DefaultUsers;
        var window = settings.Window ?? DefaultWindow;
        var accounts = await UserPool.LogInAsync(settings, users, run.Counter("logged in", users), run.Token);
        run.SampleRss("before connecting");
        var traffic = new PairsTraffic(settings, window);
        traffic.Create(accounts, settings.ServerUri);
        try
        {
            await traffic.ConnectAsync(run.Counter("connected", users), run.Token);
            run.SampleRss("connected");
            run.Say($"sending: {users} users, window {window}");
            var (cpu, seconds) = await SendMeasuredAsync(run, traffic, settings);
            var drained = await traffic.DrainAsync(run.Token);
            run.SampleRss("after");
            var c = traffic.Counters;
            List<Figure> figures =
            [
                new("messages sent", c.Sent, "messages"),
                new("messages stored (ok)", c.Ok, "messages"),
                new("re-sent after a reconnect (answered as duplicate)", c.Resent, "messages"),
                new("messages delivered", c.Delivered, "messages"),
                new("measured window", Math.Round(seconds, 2), "s"),
                new("delivered per second (measured window)", Math.Round(c.DeliveredInWindow / Math.Max(seconds, 1e-3)), "messages/s"),
                new("lost", traffic.Lost(), "messages"),
                new("duplicates", c.Duplicates, "messages"),
                new("errors", c.Errors, "errors"),
                new("earlier runs' messages (ignored)", c.Foreign, "messages"),
            ];
            return await run.FinishAsync(Scenario, settings, Resolved(users, window), figures, traffic.Latencies(), cpu, traffic.Checks(drained));
        }
        finally
        {
            await traffic.DisposeAsync();
        }
    }

    /// <summary>Sends with the progress line on; returns the server CPU over the measured window and its length.</summary>
    internal static async Task<(ServerCpu? Cpu, double Seconds)> SendMeasuredAsync(RunContext run, PairsTraffic traffic, PairsSettings settings)
    {
        ServerProbe.CpuWindow? cpuWindow = null;
        var start = 0L;
        await using (ProgressLine.Start(settings.Progress, traffic.Status))
        {
            await traffic.SendAsync(() =>
            {
                cpuWindow = run.Probe?.StartWindow();
                start = Stopwatch.GetTimestamp();
            }, run.Token);
        }
        var seconds = start == 0 ? 0 : Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (cpuWindow?.Stop(traffic.Counters.DeliveredInWindow, "message (incl. its receipt)"), seconds);
    }

    internal static Dictionary<string, string> Resolved(int users, int window) => new(StringComparer.Ordinal)
    {
        ["--users"] = users.ToString(CultureInfo.InvariantCulture),
        ["--window"] = window.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary><c>light</c>: per-hop latency with little load (20 users, window 1).</summary>
public sealed class LightCommand : PairsCommand
{
    protected override string Scenario => "light";
    protected override int DefaultUsers => 20;
    protected override int DefaultWindow => 1;
}
