using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.LoadTest;

/// <summary>The options every scenario takes: where the server is, who the users are, where the report goes.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--url <URL>")]
    [Description("The server's HTTP base (the WebSocket is <url>/v1/ws)")]
    [DefaultValue("http://127.0.0.1:8080/")]
    public string Url { get; init; } = "http://127.0.0.1:8080/";

    [CommandOption("--prefix <PREFIX>")]
    [Description("Usernames are <prefix><i>; the same prefix reuses the accounts of earlier runs")]
    [DefaultValue("load")]
    public string Prefix { get; init; } = "load";

    [CommandOption("--password <PASSWORD>")]
    [Description("The password of every load user (8+ characters)")]
    [DefaultValue("load-test-password")]
    public string Password { get; init; } = "load-test-password";

    [CommandOption("--login-concurrency <N>")]
    [Description("Logins (and registrations) in flight at once")]
    [DefaultValue(16)]
    public int LoginConcurrency { get; init; } = 16;

    [CommandOption("--server-pid <PID>")]
    [Description("The server's process id on this machine: adds its CPU per message and its RSS to the report")]
    public int? ServerPid { get; init; }

    [CommandOption("--report <PATH>")]
    [Description("Report files: <path>.md and <path>.json")]
    [DefaultValue("loadtest-report")]
    public string Report { get; init; } = "loadtest-report";

    [CommandOption("--timeout <SECONDS>")]
    [Description("Hard bound on the whole run, setup included")]
    [DefaultValue(600)]
    public int TimeoutSeconds { get; init; } = 600;

    [CommandOption("--progress")]
    [Description("Live progress line on stderr (default: when stderr is a terminal)")]
    public bool? Progress { get; init; }

    public Uri ServerUri => new(Url.EndsWith('/') ? Url : Url + "/");

    public override ValidationResult Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _)) return ValidationResult.Error("--url must be an absolute http(s) URL");
        if (Password.Length < 8) return ValidationResult.Error("--password needs 8+ characters");
        if (LoginConcurrency < 1) return ValidationResult.Error("--login-concurrency must be at least 1");
        if (TimeoutSeconds < 1) return ValidationResult.Error("--timeout must be at least 1 s");
        return ValidationResult.Success();
    }
}
