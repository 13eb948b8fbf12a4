using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Parsing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Sessions;

/// <summary>The options every command has: where the server is, how long to wait for it, which login, and the output format.</summary>
internal class ServerSettings : CommandSettings
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    [CommandOption("--server <URL>")]
    [Description("The server's HTTP base. Default: $" + CliEnvironment.Server + ", else the one logged in to, else " + DefaultServer)]
    public string? Server { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the server")]
    [DefaultValue("30")]
    public string TimeoutText { get; set; } = "30";

    [CommandOption("--profile <NAME>")]
    [Description("Which login to use (each has its own config file). Default: $" + CliEnvironment.Profile + ", else " + ConfigStore.DefaultProfile)]
    public string? Profile { get; set; }

    [CommandOption("--json")]
    [Description("Print JSON instead of text (tail: one object per line)")]
    public bool Json { get; set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(WholeNumber.Parse(TimeoutText));

    /// <summary>The config file of the chosen profile.</summary>
    public ConfigStore Store() => new(Profile ?? CliEnvironment.Get(CliEnvironment.Profile) ?? ConfigStore.DefaultProfile);

    public Printer Printer() => new(Json);

    /// <summary>--server, else $PARLEY_SERVER, else the logged-in server, else the default.</summary>
    public Uri ServerUri(CliConfig? config)
    {
        var (text, source) = Server is not null ? (Server, "--server")
            : CliEnvironment.Get(CliEnvironment.Server) is { } fromEnvironment ? (fromEnvironment, CliEnvironment.Server)
            : (config?.Server ?? DefaultServer, "the server");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"{source} must be an http:// or https:// URL, not '{text}'");
        }
        return uri;
    }

    public override ValidationResult Validate() =>
        WholeNumber.TryParse("--timeout", TimeoutText, 1, 24 * 3600, out _, out var error) ? ValidationResult.Success() : error;
}
