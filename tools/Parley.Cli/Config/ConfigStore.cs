using System.Text.Json;
using Parley.Cli.Failures;

namespace Parley.Cli.Config;

/// <summary>
/// The config file: <c>$XDG_CONFIG_HOME/parley/config.json</c>, else <c>~/.config/parley/config.json</c>. Written whole to a
/// temporary file and renamed over the old one, so a crash leaves the old or the new file, never half of one.
/// </summary>
internal static class ConfigStore
{
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

    public static string FilePath => Path.Combine(Directory, "config.json");

    public static CliConfig? Load()
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

    public static CliConfig Require() =>
        Load() ?? throw new CliException(ExitCodes.NotLoggedIn, "not logged in: run `parley login <user>` first");

    public static void Save(CliConfig config)
    {
        var dir = System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, config, ConfigJsonContext.Default.CliConfig);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    public static void Delete()
    {
        if (File.Exists(FilePath)) File.Delete(FilePath);
    }
}
