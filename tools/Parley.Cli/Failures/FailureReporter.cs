using Parley.Client;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Failures;

/// <summary>
/// The one place where an exception becomes a line on stderr and an exit code. Each message says it once: the wording
/// chosen where the failure was understood best, without the layers it went through.
/// </summary>
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
        CommandAppException e => (ExitCodes.Usage, Usage(e)),
        ParleyException e => FromServer(e),
        OperationCanceledException when interrupted.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted"),
        OperationCanceledException or TimeoutException => (ExitCodes.TimedOut, "the server did not answer in time (see --timeout)"),
        HttpRequestException e => (ExitCodes.ServerUnreachable, $"cannot reach the Parley server: {Innermost(e).Message}"),
        IOException e => (ExitCodes.Failure, e.Message),
        UnauthorizedAccessException e => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"unexpected error: {exception}"),
    };

    private static string Usage(CommandAppException e)
    {
        var message = e.Message.TrimEnd('.');
        return message.StartsWith("Unknown option", StringComparison.Ordinal)
            ? $"{message} (see parley <command> --help; text that starts with '-' goes after --)"
            : $"{message} (see parley <command> --help)";
    }

    private static (int Code, string Message) FromServer(ParleyException e) => e.Code switch
    {
        ClientErrorCodes.Unreachable => (ExitCodes.ServerUnreachable, e.Message),
        ErrorCodes.Unauthorized => (ExitCodes.Unauthorized, "the server refused this session (logged out or expired): run `parley login`"),
        ErrorCodes.NotFound => (ExitCodes.NotFound, e.Message),
        ErrorCodes.Conflict => (ExitCodes.Conflict, e.Message),
        ErrorCodes.Forbidden => (ExitCodes.Forbidden, e.Message),
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
