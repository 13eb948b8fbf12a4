using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Blocking;

/// <summary><c>parley blocked</c>: the users this account blocks, one per line (<c>--json</c>: <c>{"users": [...]}</c>).</summary>
internal sealed class BlockedCommand : AsyncCommand<ServerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var users = await session.Client.GetBlockedAsync(deadline.Token);
        if (printer.Json)
        {
            Printer.Document(w =>
            {
                w.WriteStartObject();
                ProtocolJson.Strings(w, "users", users);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }
        foreach (var user in users) Printer.Line(user);
        if (users.Count == 0) Printer.Note("you block nobody");
        return ExitCodes.Ok;
    }
}
