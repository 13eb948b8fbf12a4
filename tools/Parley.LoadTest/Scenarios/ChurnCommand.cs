using System.ComponentModel;
using System.Diagnostics;
using Parley.Client;
using Parley.Client.Http;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

public sealed class ChurnSettings : CommonSettings
{
    [CommandOption("--users <N>")]
    [Description("Users the workers take turns with")]
    [DefaultValue(50)]
    public int Users { get; init; } = 50;

    [CommandOption("--concurrency <N>")]
    [Description("Workers, each connecting, saying hello and disconnecting in a loop")]
    [DefaultValue(16)]
    public int Concurrency { get; init; } = 16;

    [CommandOption("--duration <SECONDS>")]
    [Description("How long the loop runs")]
    [DefaultValue(10.0)]
    public double DurationSeconds { get; init; } = 10;

    [CommandOption("--count <N>")]
    [Description("Stop after N connects in all (0: only the duration bounds it)")]
    [DefaultValue(0)]
    public int Count { get; init; }

    [CommandOption("--login")]
    [Description("Log in over HTTP before every connect (connect + log in, the way a fresh device does)")]
    public bool Login { get; init; }

    public override ValidationResult Validate()
    {
        var common = base.Validate();
        if (!common.Successful) return common;
        if (Users < 1 || Concurrency < 1) return ValidationResult.Error("--users and --concurrency must be at least 1");
        if (DurationSeconds <= 0 || DurationSeconds > 3600) return ValidationResult.Error("--duration must be in (0, 3600] s");
        return ValidationResult.Success();
    }
}

/// <summary><c>churn</c>: connect, hello/welcome, disconnect in a loop; connects per second and their latency.</summary>
public sealed class ChurnCommand : AsyncCommand<ChurnSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ChurnSettings settings, CancellationToken cancellationToken)
    {
        using var run = new RunContext(settings, cancellationToken);
        var accounts = await UserPool.LogInAsync(settings, settings.Users, run.Counter("logged in", settings.Users), run.Token);
        using var http = new ParleyHttpClient(settings.ServerUri);
        var latency = new LatencyHistogram();
        var counters = new TrafficCounters();
        var connects = 0L;
        var next = -1L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        stop.CancelAfter(TimeSpan.FromSeconds(settings.DurationSeconds));
        var cpuWindow = run.Probe?.StartWindow();
        var started = Stopwatch.GetTimestamp();
        await using (ProgressLine.Start(settings.Progress, () => $"connects {Interlocked.Read(ref connects):N0}  errors {counters.Errors}"))
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    if (settings.Count > 0 && i >= settings.Count) break;
                    var user = accounts[(int)(i % accounts.Count)];
                    var t = Stopwatch.GetTimestamp();
                    try
                    {
                        var token = settings.Login ? await UserPool.LogInOneAsync(http, user.Name, settings.Password, stop.Token) : user.Token;
                        await using var client = Clients.Create(settings.ServerUri, token);
                        await client.ConnectAsync(stop.Token);
                        latency.RecordSince(t);
                        Interlocked.Increment(ref connects);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (ParleyException e)
                    {
                        counters.CountError(e.Code);
                    }
                    catch (HttpRequestException e)
                    {
                        counters.CountError("http: " + e.Message);
                    }
                }
            }));
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var done = Interlocked.Read(ref connects);
        var cpu = cpuWindow?.Stop(done, settings.Login ? "log in + connect" : "connect");
        run.SampleRss("after");
        List<Figure> figures =
        [
            new("connects", done, "connections"),
            new(settings.Login ? "log in + connect + hello per second" : "connect + hello per second", Math.Round(done / Math.Max(seconds, 1e-3)), "connections/s"),
            new("errors", counters.Errors, "errors"),
        ];
        List<Check> checks =
        [
            new("at least one connect", done > 0, $"{done}"),
            new("no errors", counters.Errors == 0, counters.ErrorSummary()),
        ];
        return await run.FinishAsync("churn", settings, new Dictionary<string, string>(StringComparer.Ordinal), figures,
            [new(settings.Login ? "log in → welcome" : "connect → welcome", latency.Summarize())], cpu, checks);
    }
}
