namespace Parley.Cli.Failures;

/// <summary>
/// The process exit codes, one per kind of failure so that scripts can tell them apart. Append-only: they are listed in
/// <c>parley --help</c> and docs/cli.md, and scripts depend on them.
/// </summary>
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

    /// <summary>The table that help and the docs show: code and meaning.</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> Table =
    [
        (Ok, "success"),
        (Failure, "any other failure"),
        (Usage, "bad usage: unknown command or option, a bad value, a missing argument, an ambiguous name"),
        (ServerUnreachable, "the server could not be reached"),
        (Unauthorized, "wrong password, or the session was revoked or expired"),
        (NotLoggedIn, "not logged in (in this profile)"),
        (NotFound, "no such user, group, conversation or message"),
        (Conflict, "the username is taken"),
        (Forbidden, "not allowed (not a member, not an admin, not the sender)"),
        (Invalid, "refused as invalid: empty or too large a message, a file type the server refuses, a full group, a file that exists"),
        (Busy, "the server is busy: retry later"),
        (TimedOut, "the server did not answer within --timeout"),
        (Interrupted, "interrupted (Ctrl+C)"),
    ];
}
