using Parley.LoadTest.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 512;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("parley-loadtest");
    config.PropagateExceptions();
    config.AddCommand<PairsCommand>("pairs").WithDescription("1:1 messages between users in pairs: throughput, send→ok/delivery/receipt, no loss")
        .WithExample("pairs", "--url", "http://127.0.0.1:8080", "--users", "200", "--window", "16", "--duration", "20");
    config.AddCommand<LightCommand>("light").WithDescription("Latency with little load: pairs with 20 users and window 1 by default");
    config.AddCommand<GroupCommand>("group").WithDescription("One group of up to 200 online members: deliveries per second, no loss");
    config.AddCommand<IdleCommand>("idle").WithDescription("Hold N authenticated idle connections: connect rate, server memory per connection");
    config.AddCommand<ChurnCommand>("churn").WithDescription("Connect, hello, disconnect in a loop: connects per second");
    config.AddCommand<ReconnectStormCommand>("reconnect-storm").WithDescription("Cut every connection at once under traffic: time until all resumed, no loss");
});
try
{
    return await app.RunAsync(args, interrupt.Token);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"parley-loadtest: {e.GetType().Name}: {e.Message}");
    return 2;
}
