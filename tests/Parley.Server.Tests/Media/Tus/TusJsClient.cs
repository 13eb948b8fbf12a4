using System.Diagnostics;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>Runs Media/TusJs/tus-upload.mjs: the real tus-js-client in Node, uploading a file as an app would.</summary>
internal static class TusJsClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The script's one line of JSON: ok, url, mediaId, resumedFrom, patches (each PATCH's Upload-Offset), error.</summary>
    public static async Task<JsonElement> UploadAsync(Uri server, string token, string file, string filetype, object? extra = null)
    {
        var options = new Dictionary<string, object?>
        {
            ["endpoint"] = new Uri(server, "v1/uploads").ToString(),
            ["token"] = token,
            ["file"] = file,
            ["filetype"] = filetype,
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject()) options[property.Name] = property.Value;
        }
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(ScriptDirectory, "tus-upload.mjs"));
        psi.ArgumentList.Add(JsonSerializer.Serialize(options));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var (_, stdout, stderr) = await ProcessRun.ToEndAsync(process, Timeout, "tus-upload.mjs");
        var output = stdout.Trim();
        Assert.True(output.Length > 0, "tus-upload.mjs printed nothing: " + stderr);
        return JsonDocument.Parse(output.Split('\n')[^1]).RootElement.Clone();
    }

    private static string ScriptDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Parley.slnx not found"), "tests", "Parley.Server.Tests", "Media", "TusJs");
        }
    }
}
