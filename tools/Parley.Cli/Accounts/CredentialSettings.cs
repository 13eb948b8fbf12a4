using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Accounts;

/// <summary>A username and where its password comes from.</summary>
internal class CredentialSettings : ServerSettings
{
    [CommandArgument(0, "<user>")]
    [Description("The username")]
    public string User { get; set; } = "";

    [CommandOption("--password <PASSWORD>")]
    [Description("The password (visible to other users of this machine: prefer --password-stdin)")]
    public string? Password { get; set; }

    [CommandOption("--password-stdin")]
    [Description("Read the password from the first line of standard input")]
    public bool PasswordStdin { get; set; }

    public override ValidationResult Validate() =>
        Password is not null && PasswordStdin ? ValidationResult.Error("give --password or --password-stdin, not both") : base.Validate();

    /// <summary>The password: from the option, standard input, or a hidden prompt on a terminal.</summary>
    public string ReadPassword()
    {
        if (Password is not null) return Password;
        if (PasswordStdin || Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new CliException(ExitCodes.Usage, "no password on standard input");
        }
        return AnsiConsole.Prompt(new TextPrompt<string>($"Password for {User}:").Secret());
    }
}
