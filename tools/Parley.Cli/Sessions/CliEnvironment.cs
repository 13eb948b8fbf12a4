namespace Parley.Cli.Sessions;

/// <summary>The environment variables the CLI reads (documented in <c>parley --help</c> and docs/cli.md).</summary>
internal static class CliEnvironment
{
    /// <summary>The server's HTTP base when <c>--server</c> is not given; wins over the one logged in to.</summary>
    public const string Server = "PARLEY_SERVER";

    /// <summary>The profile when <c>--profile</c> is not given.</summary>
    public const string Profile = "PARLEY_PROFILE";

    public static string? Get(string name) => System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
