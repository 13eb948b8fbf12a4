using Parley.Cli.Accounts;
using Parley.Cli.Chat;
using Parley.Cli.Failures;
using Parley.Cli.Groups;
using Parley.Cli.Messages;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected output is for scripts and tests: no wrapping at 80 columns.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 512;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("parley");
    config.SetExceptionHandler((exception, _) => FailureReporter.Report(exception, interrupt.Token));
    config.CancellationExitCode(ExitCodes.Interrupted);
    config.AddCommand<RegisterCommand>("register").WithDescription("Create an account").WithExample("register", "alice", "--password-stdin");
    config.AddCommand<LoginCommand>("login").WithDescription("Log this machine in and keep the token in the config directory");
    config.AddCommand<LogoutCommand>("logout").WithDescription("Revoke the token and forget it");
    config.AddCommand<SendCommand>("send").WithDescription("Send a text; returns once the server stored it").WithExample("send", "bob", "hello");
    config.AddCommand<ConvsCommand>("convs").WithDescription("List your conversations");
    config.AddCommand<HistoryCommand>("history").WithDescription("Show the newest messages of a conversation");
    config.AddCommand<ChatCommand>("chat").WithDescription("Chat interactively in a terminal").WithExample("chat", "bob");
    config.AddCommand<TailCommand>("tail").WithDescription("Print incoming messages and receipts as they come, until Ctrl+C");
    config.AddBranch("group", group =>
    {
        group.SetDescription("Create and manage groups");
        group.AddCommand<GroupCreateCommand>("create").WithDescription("Create a group with you as admin");
        group.AddCommand<GroupAddCommand>("add").WithDescription("Add members (admins only)");
        group.AddCommand<GroupRemoveCommand>("remove").WithDescription("Remove a member (admins only)");
        group.AddCommand<GroupLeaveCommand>("leave").WithDescription("Leave a group");
    });
});
return await app.RunAsync(args, interrupt.Token);
