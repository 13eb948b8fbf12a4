using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

/// <summary>Options of the scenarios that send messages for a while and then check every one arrived.</summary>
public class TrafficSettings : CommonSettings
{
    [CommandOption("--window <N>")]
    [Description("Sends in flight (not yet ok) per sender (pairs: 16, light: 1, group: 8)")]
    public int? Window { get; init; }

    [CommandOption("--duration <SECONDS>")]
    [Description("How long senders send")]
    [DefaultValue(20.0)]
    public double DurationSeconds { get; init; } = 20;

    [CommandOption("--messages <N>")]
    [Description("Stop a sender after N messages (0: only the duration bounds it)")]
    [DefaultValue(0)]
    public int MessagesPerSender { get; init; }

    [CommandOption("--warmup <SECONDS>")]
    [Description("Latencies and rates count messages sent after this")]
    [DefaultValue(2.0)]
    public double WarmupSeconds { get; init; } = 2;

    [CommandOption("--drain <SECONDS>")]
    [Description("After the last send, wait at most this long for outstanding deliveries and receipts")]
    [DefaultValue(15.0)]
    public double DrainSeconds { get; init; } = 15;

    [CommandOption("--size <BYTES>")]
    [Description("Message body size")]
    [DefaultValue(100)]
    public int Size { get; init; } = 100;

    [CommandOption("--connect-concurrency <N>")]
    [Description("WebSocket connects in flight at once")]
    [DefaultValue(32)]
    public int ConnectConcurrency { get; init; } = 32;

    public override ValidationResult Validate()
    {
        var common = base.Validate();
        if (!common.Successful) return common;
        if (Window is < 1) return ValidationResult.Error("--window must be at least 1");
        if (DurationSeconds <= 0 && MessagesPerSender <= 0) return ValidationResult.Error("give --duration or --messages");
        if (DurationSeconds > 3600) return ValidationResult.Error("--duration is at most 3600 s");
        if (ConnectConcurrency < 1) return ValidationResult.Error("--connect-concurrency must be at least 1");
        if (Size < 16) return ValidationResult.Error("--size is at least 16 bytes");
        return ValidationResult.Success();
    }
}
