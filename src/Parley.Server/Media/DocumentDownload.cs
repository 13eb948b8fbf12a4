namespace Parley.Server.Media;

/// <summary>
/// The <c>Content-Disposition</c> of a document: always <c>attachment</c>. The server does not know the file's name
/// (clients carry it in the message body), so the suggested name is the id's start with the type's extension.
/// </summary>
internal static class DocumentDownload
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        [MediaSniffer.Pdf] = "pdf",
        [MediaSniffer.Text] = "txt",
        [MediaSniffer.Docx] = "docx",
        [MediaSniffer.Xlsx] = "xlsx",
        [MediaSniffer.Pptx] = "pptx",
    };

    public static string Disposition(string id, string mime) =>
        $"attachment; filename=\"{id[..12]}.{(Extensions.TryGetValue(mime, out var extension) ? extension : "bin")}\"";
}
