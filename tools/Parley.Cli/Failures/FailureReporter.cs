using System.Net.Sockets;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Failures;

/// <summary>The one place where an exception becomes a line on stderr and an exit code.</summary>
internal static class FailureReporter
{
    public static int Report(Exception exception, CancellationToken interrupted)
    {
        var (code, message) = Describe(exception, interrupted);
        if (code != ExitCodes.Interrupted) Console.Error.WriteLine($"parley: {message}");
        return code;
    }

    private static (int Code, string Message) Describe(Exception exception, CancellationToken interrupted) => exception switch
    {
        CliException e => (e.ExitCode, e.Message),
        CommandAppException e => (ExitCodes.Usage, e.Message + " (see parley --help)"),
        ParleyException e => FromServer(e),
        HttpRequestException e => (ExitCodes.ServerUnreachable, $"cannot reach the Parley server ({Innermost(e).Message})"),
        SocketException e => (ExitCodes.ServerUnreachable, $"cannot reach the Parley server ({e.Message})"),
        OperationCanceledException when interrupted.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted"),
        OperationCanceledException or TimeoutException => (ExitCodes.TimedOut, "the server did not answer in time (see --timeout)"),
        IOException e => (ExitCodes.Failure, e.Message),
        UnauthorizedAccessException e => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"unexpected error: {exception}"),
    };

    private static (int Code, string Message) FromServer(ParleyException e) => e.Code switch
    {
        ErrorCodes.Unauthorized => (ExitCodes.Unauthorized, "the server refused this session (logged out or expired): run `parley login`"),
        ErrorCodes.NotFound => (ExitCodes.NotFound, $"not found: {e.Message}"),
        ErrorCodes.Conflict => (ExitCodes.Conflict, e.Message),
        ErrorCodes.Forbidden => (ExitCodes.Forbidden, $"not allowed: {e.Message}"),
        ErrorCodes.BadRequest or ErrorCodes.TooLarge or ErrorCodes.GroupFull or ErrorCodes.UnsupportedType => (ExitCodes.Invalid, e.Message),
        ErrorCodes.RateLimited or ErrorCodes.Overloaded => (ExitCodes.Busy, $"the server is busy, retry in {(e.RetryAfterMs ?? 1000) / 1000.0:0.#} s"),
        _ => (ExitCodes.Failure, $"server error {e.Code}: {e.Message}"),
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
