using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Spectre.Console.Cli;

namespace Parley.Cli.Sessions;

/// <summary>The options every command has: where the server is and how long to wait for it.</summary>
internal class ServerSettings : CommandSettings
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    [CommandOption("--server <URL>")]
    [Description("The server's HTTP base. Default: the one logged in to, else " + DefaultServer)]
    public string? Server { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the server")]
    [DefaultValue(30)]
    public int TimeoutSeconds { get; set; } = 30;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>--server, else the logged-in server, else the default.</summary>
    public Uri ServerUri(CliConfig? config)
    {
        var text = Server ?? config?.Server ?? DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"--server must be an http:// or https:// URL, not '{text}'");
        }
        return uri;
    }

    public override Spectre.Console.ValidationResult Validate() =>
        TimeoutSeconds > 0 ? Spectre.Console.ValidationResult.Success() : Spectre.Console.ValidationResult.Error("--timeout must be positive");
}
