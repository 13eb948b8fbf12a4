namespace Parley.Cli.Sessions;

/// <summary>A token that fires on Ctrl+C or after the command's --timeout, whichever comes first.</summary>
internal static class Deadline
{
    public static CancellationTokenSource After(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        return cts;
    }
}
