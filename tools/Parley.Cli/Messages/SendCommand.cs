using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Client.Http;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley send &lt;to&gt; &lt;text&gt;</c>, <c>--stdin</c> or <c>--file</c>: returns once the server stored the message
/// (the single tick). An empty text is refused: it would be a message nobody can read.
/// </summary>
internal sealed class SendCommand : AsyncCommand<SendCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<to>")]
        [Description(Targets.Help)]
        public string To { get; set; } = "";

        [CommandArgument(1, "[text]")]
        [Description("The message (a photo's or video's caption with --file). Text that starts with '-' goes after --")]
        public string? Text { get; set; }

        [CommandOption("--stdin")]
        [Description("Read the text from standard input (all of it; the last line break is dropped)")]
        public bool Stdin { get; set; }

        [CommandOption("--file <PATH>")]
        [Description("Send a photo or video: uploaded first (resumably from 4 MiB: a dropped connection is resumed), the text becomes its caption")]
        public string? File { get; set; }

        [CommandOption("--type <MIME>")]
        [Description("The file's type when its extension does not tell it (image/jpeg, video/mp4, ...)")]
        public string? Type { get; set; }

        public override ValidationResult Validate()
        {
            if (Stdin && Text is not null) return ValidationResult.Error("give the text or --stdin, not both");
            if (!Stdin && Text is null && File is null) return ValidationResult.Error("give the text, --stdin or --file");
            if (Type is not null && File is null) return ValidationResult.Error("--type goes with --file");
            return base.Validate();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var text = await TypedText.ReadAsync(settings.Stdin, settings.Text, cancellationToken);
        if (settings.File is null) TypedText.NotEmpty(text, "nothing was sent");
        var printer = settings.Printer();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var target = await Targets.ResolveAsync(session, settings.To, userMustExist: false, deadline.Token);
        var message = string.IsNullOrWhiteSpace(text) ? new OutgoingMessage(target.Peer ?? target.Conv, "\"\"") : new OutgoingMessage(target.Peer ?? target.Conv, BodyJson.FromText(text));
        // The upload is bounded by each of its requests' timeouts, not by --timeout: a large file over a slow link takes what it takes.
        if (settings.File is not null) message = await AttachAsync(session, message, settings.File, settings.Type, cancellationToken);
        TypedText.CheckSize(session.Client, message.BodyJson, "nothing was sent");
        try
        {
            var sent = await session.Client.SendAsync(message, deadline.Token);
            printer.Result($"sent {sent.Id} n={sent.N} conv={sent.Conv}", w => ProtocolJson.SendResult(w, sent));
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            var what = ConversationIds.IsConversation(settings.To) ? $"no conversation {settings.To} that you are in" : $"no user or group named '{settings.To}'";
            throw new CliException(ExitCodes.NotFound, what, e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, $"you are not a member of {target.Conv}", e);
        }
    }

    private static async Task<OutgoingMessage> AttachAsync(Connected session, OutgoingMessage message, string path, string? type, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(path)) throw new CliException(ExitCodes.Usage, $"no file {path}");
        var mime = type ?? MediaTypes.FromExtension(path)
            ?? throw new CliException(ExitCodes.Usage, $"cannot tell the type of {Path.GetFileName(path)} from its extension: give --type (image/jpeg, video/mp4, ...)");
        await using var content = System.IO.File.OpenRead(path);
        MediaUpload upload;
        // From ResumableUploadOptions.Threshold on, the SDK uploads resumably: a dropped connection costs a retry, not the file.
        var progress = UploadProgressLine.ForTerminal(Path.GetFileName(path));
        try
        {
            upload = await session.Http.UploadMediaAsync(session.Config.Token, content, mime, progress, cancellationToken);
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.UnsupportedType or ErrorCodes.TooLarge)
        {
            var why = e.Code == ErrorCodes.TooLarge ? "is too large for the server" : $"is not a type the server accepts as {mime}";
            throw new CliException(ExitCodes.Invalid, $"{Path.GetFileName(path)} {why} ({e.Message}): nothing was sent", e);
        }
        finally
        {
            progress?.Done();
        }
        return message with { Kind = MediaTypes.Kind(upload.Mime), MediaId = upload.MediaId };
    }
}
