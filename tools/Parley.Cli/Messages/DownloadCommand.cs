using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley download &lt;with&gt; &lt;n&gt;</c>: saves the photo or video of message #n (or its thumbnail).</summary>
internal sealed class DownloadCommand : AsyncCommand<DownloadCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description(Targets.Help)]
        public string With { get; set; } = "";

        [CommandArgument(1, "<n>")]
        [Description("The message's number (#n in history)")]
        public string NText { get; set; } = "";

        [CommandOption("-o|--output <PATH>")]
        [Description("Where to save it ('-' for standard output). Default: <media id>.<ext> here")]
        public string? Output { get; set; }

        [CommandOption("--thumbnail")]
        [Description("The thumbnail (JPEG, at most 320 px) instead of the file")]
        public bool Thumbnail { get; set; }

        [CommandOption("--force")]
        [Description("Overwrite a file that exists")]
        public bool Force { get; set; }

        public override ValidationResult Validate() =>
            WholeNumber.TryParse("<n>", NText, 1, long.MaxValue, out _, out var error) ? base.Validate() : error;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        var n = WholeNumber.Parse(settings.NText);
        await using var session = await Connected.OpenAsync(settings, cancellationToken);
        Protocol.Client.HistoryMessage? message;
        using (var deadline = Deadline.After(settings.Timeout, cancellationToken))
        {
            var target = await Targets.ResolveAsync(session, settings.With, userMustExist: false, deadline.Token);
            try
            {
                message = (await session.Client.HistoryAsync(target.Conv, before: n + 1, limit: 1, cancellationToken: deadline.Token)).SingleOrDefault(m => m.N == n);
            }
            catch (ParleyException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
            {
                throw new CliException(ExitCodes.NotFound, $"you cannot read {target.Conv}: {e.Message}", e);
            }
            if (message is null) throw new CliException(ExitCodes.NotFound, $"no message #{n} in {target.Conv}");
        }
        var media = message.Media ?? throw new CliException(ExitCodes.NotFound, $"#{n} in {message.Conv} has no photo or video");
        if (settings.Thumbnail && !media.Thumbnail) throw new CliException(ExitCodes.NotFound, $"#{n} in {message.Conv} has no thumbnail");
        var path = settings.Output ?? media.Id[..Math.Min(16, media.Id.Length)] + (settings.Thumbnail ? ".jpg" : MediaTypes.Extension(media.Mime));
        if (path != "-" && File.Exists(path) && !settings.Force) throw new CliException(ExitCodes.Invalid, $"{path} exists: give --force to overwrite it, or --output");

        long size;
        await using (var content = await session.Http.OpenMediaAsync(session.Config.Token, media.Id, settings.Thumbnail, cancellationToken))
        {
            if (path == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                await content.CopyToAsync(stdout, cancellationToken);
                return ExitCodes.Ok;
            }
            // Written beside the target and renamed: an interrupted download leaves no half file under the name.
            var temp = path + ".part";
            await using (var file = File.Create(temp)) await content.CopyToAsync(file, cancellationToken);
            size = new FileInfo(temp).Length;
            File.Move(temp, path, overwrite: true);
        }
        var mime = settings.Thumbnail ? "image/jpeg" : media.Mime;
        printer.Result($"saved {path} ({mime}, {MessageText.Size(size)})", w =>
        {
            w.WriteString("path", Path.GetFullPath(path));
            w.WriteString("mime", mime);
            w.WriteNumber("size", size);
            w.WriteString("mediaId", media.Id);
        });
        return ExitCodes.Ok;
    }
}
