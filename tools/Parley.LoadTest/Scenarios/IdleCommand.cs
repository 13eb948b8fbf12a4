using System.ComponentModel;
using System.Diagnostics;
using Parley.Client;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

public sealed class IdleSettings : CommonSettings
{
    [CommandOption("--conns <N>")]
    [Description("Authenticated connections to open and hold")]
    [DefaultValue(5000)]
    public int Connections { get; init; } = 5000;

    [CommandOption("--users <N>")]
    [Description("Users the connections are spread over (each logs in once; its connections share the token)")]
    [DefaultValue(200)]
    public int Users { get; init; } = 200;

    [CommandOption("--connect-concurrency <N>")]
    [Description("Connects in flight at once")]
    [DefaultValue(50)]
    public int ConnectConcurrency { get; init; } = 50;

    [CommandOption("--connect-bound <SECONDS>")]
    [Description("How long the connect phase may last: until then a refused upgrade (503/429) is tried again after its Retry-After and a failed attempt after a backoff; 0 = until --timeout")]
    [DefaultValue(0.0)]
    public double ConnectBoundSeconds { get; init; }

    [CommandOption("--settle <SECONDS>")]
    [Description("Wait after the last connect before reading the server's memory")]
    [DefaultValue(5.0)]
    public double SettleSeconds { get; init; } = 5;

    public override ValidationResult Validate()
    {
        var common = base.Validate();
        if (!common.Successful) return common;
        if (Connections < 1 || Connections > 200_000) return ValidationResult.Error("--conns must be 1..200000");
        if (Users < 1) return ValidationResult.Error("--users must be at least 1");
        if (ConnectBoundSeconds < 0) return ValidationResult.Error("--connect-bound must not be negative");
        return ValidationResult.Success();
    }
}

/// <summary><c>idle</c>: opens and holds authenticated idle connections; reports the connect rate and the server's memory per connection.</summary>
public sealed class IdleCommand : AsyncCommand<IdleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdleSettings settings, CancellationToken cancellationToken)
    {
        using var run = new RunContext(settings, cancellationToken);
        var users = Math.Min(settings.Users, settings.Connections);
        var accounts = await UserPool.LogInAsync(settings, users, run.Counter("logged in", users), run.Token);
        var before = run.Probe?.RssKib();
        run.SampleRss("before connecting");
        var clients = Enumerable.Range(0, settings.Connections)
            .Select(i => Clients.Create(settings.ServerUri, accounts[i % users].Token, TimeSpan.FromSeconds(30))).ToList();
        var connect = new LatencyHistogram();
        var errors = new TrafficCounters();
        var retry = new ConnectRetry();
        var online = 0;
        // A connection keeps trying (refusals after their Retry-After, failures after a backoff) until the connect bound.
        using var connectBound = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        if (settings.ConnectBoundSeconds > 0) connectBound.CancelAfter(TimeSpan.FromSeconds(settings.ConnectBoundSeconds));
        try
        {
            var cpuWindow = run.Probe?.StartWindow();
            var started = Stopwatch.GetTimestamp();
            await using (ProgressLine.Start(settings.Progress, () => $"connected {Volatile.Read(ref online):N0}/{settings.Connections:N0}  refused {retry.Refused}  retried {retry.Failed}  errors {errors.Errors}"))
            {
                await Parallel.ForAsync(0, clients.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectConcurrency, CancellationToken = run.Token },
                    async (i, _) =>
                    {
                        var t = Stopwatch.GetTimestamp();
                        try
                        {
                            await retry.ConnectAsync(clients[i], int.MaxValue, connectBound.Token);
                            connect.RecordSince(t);
                            Interlocked.Increment(ref online);
                        }
                        catch (ParleyException e)
                        {
                            errors.CountError(e.Code);
                        }
                        catch (OperationCanceledException) when (connectBound.IsCancellationRequested && !run.Token.IsCancellationRequested)
                        {
                            errors.CountError("connect_bound");
                        }
                    });
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = cpuWindow?.Stop(online, "connection (connect + hello)");
            run.Say($"{online} online in {seconds:0.0} s; settling {settings.SettleSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds), run.Token);
            var after = run.Probe?.RssKib();
            run.SampleRss("after connecting and settling");
            var stillOnline = clients.Count(c => c.State == ConnectionState.Online);
            List<Figure> figures =
            [
                new("connections online", online, "connections"),
                new("still online after --settle", stillOnline, "connections"),
                new("connect + hello per second", Math.Round(online / Math.Max(seconds, 1e-3)), "connections/s"),
                new("upgrades refused (503/429), each tried again after its Retry-After", retry.Refused, "refusals"),
                new("failed connect attempts tried again", retry.Failed, "attempts"),
                new("errors", errors.Errors, "errors"),
            ];
            if (before is { } b && after is { } a && online > 0)
                figures.Add(new("server memory per connection (RSS growth / connections)", Math.Round((a - b) / (double)online, 2), "KiB"));
            List<Check> checks =
            [
                new("every connection came online", online == settings.Connections, $"{online}/{settings.Connections}"),
                new("every connection stayed online", stillOnline == online, $"{stillOnline}/{online}"),
                new("no errors", errors.Errors == 0, errors.ErrorSummary()),
            ];
            return await run.FinishAsync("idle", settings, new Dictionary<string, string>(StringComparer.Ordinal) { ["--users"] = users.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                figures, [new("connect → welcome", connect.Summarize())], cpu, checks);
        }
        finally
        {
            await Clients.DisposeAllAsync(clients);
        }
    }
}
