namespace Parley.Cli.Failures;

/// <summary>The process exit codes, one per kind of failure so that scripts can tell them apart. Append-only.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int ServerUnreachable = 3;
    public const int Unauthorized = 4;
    public const int NotLoggedIn = 5;
    public const int NotFound = 6;
    public const int Conflict = 7;
    public const int Forbidden = 8;
    public const int Invalid = 9;
    public const int Busy = 10;
    public const int TimedOut = 11;
    public const int Interrupted = 130;
}
