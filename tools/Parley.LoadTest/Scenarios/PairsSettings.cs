using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Scenarios;

/// <summary>Options of pairs, light and reconnect-storm.</summary>
public class PairsSettings : TrafficSettings
{
    [CommandOption("--users <N>")]
    [Description("Users (even); user 2i and 2i+1 are partners and each sends to the other (pairs: 200, light: 20)")]
    public int? Users { get; init; }

    [CommandOption("--read")]
    [Description("Receivers also mark every message read, and send→read receipt is measured")]
    public bool Read { get; init; }

    public override ValidationResult Validate()
    {
        var traffic = base.Validate();
        if (!traffic.Successful) return traffic;
        if (Users is { } u && (u < 2 || u % 2 != 0)) return ValidationResult.Error("--users must be even and at least 2");
        return ValidationResult.Success();
    }
}
