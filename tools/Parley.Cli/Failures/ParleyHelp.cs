using System.Globalization;
using Parley.Cli.Config;
using Parley.Cli.Sessions;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Parley.Cli.Failures;

/// <summary>Spectre's help, with what a script needs to know under the root's: exit codes, config files, environment variables.</summary>
internal sealed class ParleyHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var footer in base.GetFooter(model, command)) yield return footer;
        if (command is not null) yield break;
        var text = new List<string>
        {
            "",
            "[yellow]CONFIG:[/]",
            $"    {Markup.Escape(Path.Combine(ConfigStore.Directory, "config.json"))} (the default profile; --profile NAME uses profiles/NAME.json beside it)",
            "    The directory is $XDG_CONFIG_HOME/parley, else ~/.config/parley; the files hold tokens and are readable by their owner only.",
            "",
            "[yellow]ENVIRONMENT:[/]",
            $"    {CliEnvironment.Server,-16}the server when --server is not given (wins over the one logged in to)",
            $"    {CliEnvironment.Profile,-16}the profile when --profile is not given",
            $"    {"XDG_CONFIG_HOME",-16}where the config directory is",
            $"    {"NO_COLOR",-16}no colours on a terminal",
            "",
            "[yellow]EXIT CODES:[/]",
        };
        text.AddRange(ExitCodes.Table.Select(e => string.Create(CultureInfo.InvariantCulture, $"    {e.Code,-5}{Markup.Escape(e.Meaning)}")));
        text.Add("");
        text.Add("Text that starts with '-' goes after --:  parley send bob -- '-5 degrees'");
        yield return new Markup(string.Join('\n', text) + "\n");
    }
}
