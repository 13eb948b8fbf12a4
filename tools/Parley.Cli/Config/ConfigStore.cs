using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Failures;

namespace Parley.Cli.Config;

/// <summary>
/// One profile's config file. The directory is <c>$XDG_CONFIG_HOME/parley</c>, else <c>~/.config/parley</c>; the profile
/// <c>default</c> lives in <c>config.json</c> there, any other in <c>profiles/&lt;name&gt;.json</c>, so that each login
/// has a file of its own and two commands of different profiles never write the same file. A file is written whole to
/// a temporary file and renamed over the old one, so a crash leaves the old or the new file, never half of one.
/// </summary>
internal sealed partial class ConfigStore
{
    public const string DefaultProfile = "default";

    public ConfigStore(string profile)
    {
        if (!ProfileName().IsMatch(profile))
        {
            throw new CliException(ExitCodes.Usage, $"a profile name is 1 to 64 of a-z, A-Z, 0-9, _, - and . (not first), not '{profile}'");
        }
        Profile = profile;
        FilePath = profile == DefaultProfile ? Path.Combine(Directory, "config.json") : Path.Combine(Directory, "profiles", profile + ".json");
    }

    public static string Directory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            var root = string.IsNullOrEmpty(xdg) || !Path.IsPathRooted(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config")
                : xdg;
            return Path.Combine(root, "parley");
        }
    }

    public string Profile { get; }

    public string FilePath { get; }

    public CliConfig? Load()
    {
        if (!File.Exists(FilePath)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), ConfigJsonContext.Default.CliConfig);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failure, $"{FilePath} is damaged ({e.Message}): run `parley login` again", e);
        }
    }

    public CliConfig Require() =>
        Load() ?? throw new CliException(
            ExitCodes.NotLoggedIn,
            Profile == DefaultProfile ? "not logged in: run `parley login <user>` first" : $"profile '{Profile}' is not logged in: run `parley login <user> --profile {Profile}` first");

    public void Save(CliConfig config)
    {
        var dir = System.IO.Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, config, ConfigJsonContext.Default.CliConfig);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    public void Delete()
    {
        if (File.Exists(FilePath)) File.Delete(FilePath);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex ProfileName();
}
