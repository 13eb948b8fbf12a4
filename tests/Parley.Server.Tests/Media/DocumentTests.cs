using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests.Media;

/// <summary>
/// Documents (PDF, plain text, office files): accepted when their leading bytes agree, never inspected, and always
/// served as a download, so that nothing uploaded can render as a page of the server's origin.
/// </summary>
public sealed class DocumentTests(MediaServer fixture) : IClassFixture<MediaServer>
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    private readonly MediaApi _api = new(fixture.Server);

    /// <summary>A small PDF with a line of text; <paramref name="seed"/> makes its bytes (and so its id) its own.</summary>
    private static byte[] Pdf(string seed) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {seed}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>An office file as Word, Excel and PowerPoint write one: a ZIP archive whose first entry is [Content_Types].xml.</summary>
    private static byte[] Office(string part, string seed)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
                writer.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            using (var writer = new StreamWriter(zip.CreateEntry(part).Open())) writer.Write($"<doc>{seed}</doc>");
        }
        return buffer.ToArray();
    }

    private static byte[] Sample(string mime, string seed) => mime switch
    {
        "application/pdf" => Pdf(seed),
        "text/plain" => Encoding.UTF8.GetBytes($"Shopping list ({seed}):\n- bread\n- café au lait\n- 2× apples\n"),
        Docx => Office("word/document.xml", seed),
        Xlsx => Office("xl/workbook.xml", seed),
        _ => Office("ppt/presentation.xml", seed),
    };

    [Theory]
    [InlineData("application/pdf", "pdf")]
    [InlineData("text/plain", "txt")]
    [InlineData(Docx, "docx")]
    [InlineData(Xlsx, "xlsx")]
    [InlineData(Pptx, "pptx")]
    public async Task Each_document_type_is_stored_as_sent_and_served_only_as_a_download(string mime, string extension)
    {
        var token = await fixture.LoginAsync("doc");
        var bytes = Sample(mime, Guid.NewGuid().ToString("N"));
        var reply = await _api.UploadOkAsync(token, mime, bytes);
        var id = reply.GetProperty("mediaId").GetString()!;
        Assert.Equal(mime, reply.GetProperty("mime").GetString());
        Assert.Equal(bytes.Length, reply.GetProperty("size").GetInt64());
        Assert.False(reply.GetProperty("thumbnail").GetBoolean());
        Assert.False(reply.TryGetProperty("width", out _));

        using var response = await _api.GetAsync(token, $"v1/media/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mime, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{id[..12]}.{extension}", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(token, $"v1/media/{id}/thumbnail"));
    }

    [Fact]
    public async Task Photos_are_still_shown_inline_not_downloaded()
    {
        var token = await fixture.LoginAsync("inl");
        var id = (await _api.UploadOkAsync(token, "image/png", MediaFiles.Png(30, 20, seed: 41))).GetProperty("mediaId").GetString()!;
        using var response = await _api.GetAsync(token, $"v1/media/{id}");
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    [Theory]
    [InlineData("application/pdf", "text")]
    [InlineData("application/pdf", "zip")]
    [InlineData(Docx, "pdf")]
    [InlineData(Xlsx, "png")]
    [InlineData("text/plain", "png")]
    [InlineData("text/plain", "pdf-with-binary")]
    [InlineData("text/plain", "nul")]
    [InlineData("text/plain", "latin1")]
    [InlineData("text/plain", "utf16")]
    public async Task Bytes_that_are_not_the_declared_document_type_are_415_and_nothing_is_stored(string declared, string actual)
    {
        var token = await fixture.LoginAsync("dly");
        var bytes = actual switch
        {
            "text" => "Just some words, long enough to pass the length the server sniffs: 64 bytes or so."u8.ToArray(),
            "zip" => Office("word/document.xml", "zip"),
            "pdf" => Pdf("not office"),
            "png" => MediaFiles.Png(20, 20, seed: 9),
            "pdf-with-binary" => [.. "%PDF-1.7\n%"u8, 0xE2, 0xE3, 0xCF, 0xD3, .. "\n1 0 obj"u8],
            "nul" => [.. "MZ"u8, 0x90, 0x00, 0x03, 0x00, .. "This program cannot be run in DOS mode"u8],
            "latin1" => Encoding.Latin1.GetBytes("Caf\u00e9 cr\u00e8me, 12 \u00a3 the pot: written by a Windows-1252 editor"),
            _ => Encoding.Unicode.GetBytes("UTF-16 text has a NUL after every ASCII letter"),
        };
        var (status, body) = await _api.UploadAsync(token, declared, bytes);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_type", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(MediaApi.StoredFiles(fixture.Server, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("image/svg+xml")]
    [InlineData("application/xhtml+xml")]
    public async Task Markup_types_are_refused(string mime)
    {
        var token = await fixture.LoginAsync("mk");
        var (status, _) = await _api.UploadAsync(token, mime, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.domain)</script></svg>"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task Markup_sent_as_plain_text_is_served_as_plain_text_for_download_never_as_a_page()
    {
        var token = await fixture.LoginAsync("xss");
        var bytes = Encoding.UTF8.GetBytes($"<!doctype html><html><body><script>alert(document.cookie)</script> {Guid.NewGuid()}</body></html>");
        var id = (await _api.UploadOkAsync(token, "text/plain", bytes)).GetProperty("mediaId").GetString()!;
        using var response = await _api.GetAsync(token, $"v1/media/{id}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_document_has_its_own_size_limit()
    {
        var token = await fixture.LoginAsync("big");
        // Over the image limit but within the document one: accepted.
        var within = Encoding.ASCII.GetBytes(new string('a', (int)MediaServer.MaxImageBytes + 1000) + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Created, (await _api.UploadAsync(token, "text/plain", within)).Status);
        var over = new byte[MediaServer.MaxDocumentBytes + 1];
        Array.Fill(over, (byte)'b');
        var (status, body) = await _api.UploadAsync(token, "text/plain", over);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_welcome_lists_each_accepted_type_with_its_size_limit()
    {
        await using var client = await WireClient.ConnectAsync(fixture.Server, await fixture.LoginAsync("wl"));
        var media = client.Welcome.GetProperty("limits").GetProperty("media").EnumerateArray()
            .ToDictionary(t => t.GetProperty("mime").GetString()!, t => t.GetProperty("maxBytes").GetInt64());
        Assert.Equal(MediaServer.MaxImageBytes, media["image/png"]);
        Assert.Equal(MediaServer.MaxImageBytes, media["image/jpeg"]);
        Assert.Equal(100L * 1024 * 1024, media["video/mp4"]);
        Assert.Equal(MediaServer.MaxDocumentBytes, media["application/pdf"]);
        Assert.Equal(MediaServer.MaxDocumentBytes, media[Docx]);
        Assert.Equal(12, media.Count);
        Assert.DoesNotContain("text/html", media.Keys);
    }
}
