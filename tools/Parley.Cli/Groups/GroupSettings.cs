using System.ComponentModel;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary>The operand of a command about one group: its id or its name.</summary>
internal class GroupSettings : ServerSettings
{
    [CommandArgument(0, "<group>")]
    [Description("The group's id (g:...) or name")]
    public string Group { get; set; } = "";
}
