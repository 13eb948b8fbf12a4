using Parley.Cli.Accounts;
using Parley.Cli.Blocking;
using Parley.Cli.Chat;
using Parley.Cli.Failures;
using Parley.Cli.Groups;
using Parley.Cli.Messages;
using Parley.Cli.Parsing;
using Spectre.Console;
using Spectre.Console.Cli;

// Not a terminal: plain output for scripts and tests (no colours, no wrapping at 80 columns).
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 512;
    AnsiConsole.Profile.Capabilities.Ansi = false;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

string[] arguments;
try
{
    arguments = Operands.Prepare(args);
}
catch (CliException e)
{
    return FailureReporter.Report(e, interrupt.Token);
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("parley");
    config.UseAssemblyInformationalVersion();
    config.UseStrictParsing();
    config.SetInterceptor(new OperandInterceptor());
    config.SetHelpProvider(new ParleyHelp(config.Settings));
    config.SetExceptionHandler((exception, _) => FailureReporter.Report(exception, interrupt.Token));
    config.CancellationExitCode(ExitCodes.Interrupted);

    config.AddCommand<RegisterCommand>("register").WithDescription("Create an account").WithExample("register", "alice", "--password-stdin");
    config.AddCommand<LoginCommand>("login").WithDescription("Log this machine in and keep the token in the profile's config file");
    config.AddCommand<LogoutCommand>("logout").WithDescription("Revoke the token and forget it");
    config.AddCommand<WhoamiCommand>("whoami").WithDescription("Show who the profile is logged in as, where, and its config file");

    config.AddCommand<SendCommand>("send").WithDescription("Send a text, standard input or a photo/video; returns once the server stored it")
        .WithExample("send", "bob", "hello").WithExample("send", "bob", "--", "-5 degrees").WithExample("send", "bob", "--file", "cat.jpg", "look");
    config.AddCommand<ConvsCommand>("convs").WithDescription("List your conversations");
    config.AddCommand<HistoryCommand>("history").WithDescription("Show the newest messages of a conversation");
    config.AddCommand<ReadCommand>("read").WithDescription("Mark a conversation read (the senders see blue ticks)");
    config.AddCommand<ReplyCommand>("reply").WithDescription("Reply to a message: a text that quotes message #n").WithExample("reply", "bob", "3", "sounds good");
    config.AddCommand<ReactCommand>("react").WithDescription("React to a message with an emoji (--remove takes it back)").WithExample("react", "bob", "3", "👍");
    config.AddCommand<EditCommand>("edit").WithDescription("Change the text of your own message (within the server's edit window)").WithExample("edit", "bob", "4", "see you at 8");
    config.AddCommand<DeleteCommand>("delete").WithDescription("Delete a message for everyone");
    config.AddCommand<DownloadCommand>("download").WithDescription("Save the photo or video of a message").WithExample("download", "bob", "3");
    config.AddCommand<ChatCommand>("chat").WithDescription("Chat interactively in a terminal").WithExample("chat", "bob");
    config.AddCommand<TailCommand>("tail").WithDescription("Print incoming messages and receipts as they come, until Ctrl+C");
    config.AddCommand<BlockCommand>("block").WithDescription("Block a user: nothing they send reaches you, they see you offline");
    config.AddCommand<UnblockCommand>("unblock").WithDescription("Unblock a user");
    config.AddCommand<BlockedCommand>("blocked").WithDescription("List the users you block");
    config.AddBranch("group", group =>
    {
        group.SetDescription("Create and manage groups (by id g:... or by name)");
        group.AddCommand<GroupCreateCommand>("create").WithDescription("Create a group with you as admin");
        group.AddCommand<GroupInfoCommand>("info").WithDescription("Show a group's name, description, members, admins and retention");
        group.AddCommand<GroupAddCommand>("add").WithDescription("Add members (admins only)");
        group.AddCommand<GroupRemoveCommand>("remove").WithDescription("Remove a member (admins only)");
        group.AddCommand<GroupRenameCommand>("rename").WithDescription("Rename a group (admins only)");
        group.AddCommand<GroupDescribeCommand>("describe").WithDescription("Set a group's description, \"\" to clear it (admins only)");
        group.AddCommand<GroupLeaveCommand>("leave").WithDescription("Leave a group");
        group.AddCommand<GroupInviteCommand>("invite").WithDescription("Show the group's invite code and link (admins only)");
        group.AddCommand<GroupRevokeInviteCommand>("revoke-invite").WithDescription("Make the group's invite code stop working (admins only)");
        group.AddCommand<GroupJoinCommand>("join").WithDescription("Join a group with an invite code or link").WithExample("group", "join", "Xq3v9c0mK2sT8wLpA1bC");
    });
});
return await app.RunAsync(arguments, interrupt.Token);
