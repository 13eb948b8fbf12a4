using System.Net;
using System.Security.Cryptography;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>/v1/uploads, request by request with plain HTTP: each header, each status, each error of the protocol's tus section.</summary>
public sealed class TusProtocolTests(MediaServer fixture) : IClassFixture<MediaServer>
{
    private readonly TusApi _tus = new(fixture.Server);
    private readonly MediaApi _media = new(fixture.Server);

    [Fact]
    public async Task Options_names_the_version_the_extensions_and_the_largest_upload()
    {
        using var response = await _tus.SendAsync(TusApi.Request(HttpMethod.Options, "v1/uploads", token: null, tusResumable: false));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", TusApi.Header(response, "Tus-Version"));
        Assert.Equal("creation,termination", TusApi.Header(response, "Tus-Extension"));
        // The fixture caps images at 1 MiB and documents at 2 MiB; videos keep their 100 MiB.
        Assert.Equal((100L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), TusApi.Header(response, "Tus-Max-Size"));
        Assert.Equal("1.0.0", TusApi.Header(response, "Tus-Resumable"));
    }

    [Fact]
    public async Task A_request_without_Tus_Resumable_or_with_another_version_is_412_with_Tus_Version()
    {
        var token = await fixture.LoginAsync("pre");
        var upload = await _tus.CreateOkAsync(token, 100, "image/png");
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Head, HttpMethod.Patch, HttpMethod.Delete })
        {
            foreach (var version in new[] { null, "0.2.2" })
            {
                using var request = TusApi.Request(method, method == HttpMethod.Post ? "v1/uploads" : upload.ToString(), token, tusResumable: false);
                if (version is not null) request.Headers.Add("Tus-Resumable", version);
                using var response = await _tus.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.PreconditionFailed, $"{method} with Tus-Resumable {version ?? "(none)"} answered {(int)response.StatusCode}");
                Assert.Equal("1.0.0", TusApi.Header(response, "Tus-Version"));
                Assert.Equal("1.0.0", TusApi.Header(response, "Tus-Resumable"));
            }
        }
        // Nothing was deleted by the refused DELETE.
        Assert.Equal(0, await _tus.OffsetAsync(token, upload));
    }

    [Fact]
    public async Task Every_request_needs_a_valid_token_and_every_answer_carries_Tus_Resumable()
    {
        var token = await fixture.LoginAsync("auth");
        var upload = await _tus.CreateOkAsync(token, 100, "image/png");
        foreach (var bad in new[] { null, "not-a-token" })
        {
            using var create = await _tus.CreateAsync(bad, 100, "image/png");
            using var head = await _tus.HeadAsync(bad, upload);
            using var patch = await _tus.PatchAsync(bad, upload, 0, new byte[10]);
            using var delete = await _tus.DeleteAsync(bad, upload);
            foreach (var response in new[] { create, head, patch, delete })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("1.0.0", TusApi.Header(response, "Tus-Resumable"));
            }
        }
        Assert.Equal(0, await _tus.OffsetAsync(token, upload));
    }

    [Fact]
    public async Task An_upload_in_two_patches_becomes_the_same_media_a_post_would_make()
    {
        var token = await fixture.LoginAsync("two");
        var png = MediaFiles.Png(800, 600, seed: 21);
        using var created = await _tus.CreateAsync(token, png.Length, "image/png");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1.0.0", TusApi.Header(created, "Tus-Resumable"));
        var location = created.Headers.Location!;
        Assert.Matches("^/v1/uploads/[0-9a-f]{32}$", location.ToString());
        var upload = new Uri(fixture.Server.BaseUri, location);

        using (var head = await _tus.HeadAsync(token, upload))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("0", TusApi.Header(head, "Upload-Offset"));
            Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TusApi.Header(head, "Upload-Length"));
            Assert.Equal("no-store", TusApi.Header(head, "Cache-Control"));
            Assert.Equal("filename " + TusApi.Base64("clip.bin") + ",filetype " + TusApi.Base64("image/png"), TusApi.Header(head, "Upload-Metadata"));
            Assert.Null(TusApi.Header(head, "Parley-Media-Id"));
        }

        var half = png.Length / 2;
        using (var first = await _tus.PatchAsync(token, upload, 0, png[..half]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Equal(half.ToString(System.Globalization.CultureInfo.InvariantCulture), TusApi.Header(first, "Upload-Offset"));
            Assert.Null(TusApi.Header(first, "Parley-Media-Id"));
        }
        Assert.Equal(half, await _tus.OffsetAsync(token, upload));

        string mediaId;
        using (var last = await _tus.PatchAsync(token, upload, half, png[half..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
            Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TusApi.Header(last, "Upload-Offset"));
            mediaId = TusApi.Header(last, "Parley-Media-Id")!;
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), mediaId);
        using (var after = await _tus.HeadAsync(token, upload))
        {
            Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TusApi.Header(after, "Upload-Offset"));
            Assert.Equal(mediaId, TusApi.Header(after, "Parley-Media-Id"));
        }

        // The media: its bytes, and a thumbnail as POST /v1/media makes one; the same bytes posted are the same media.
        Assert.Equal(png, await _media.DownloadAsync(token, mediaId));
        Assert.Equal((320, 240), MediaFiles.SizeOf(await _media.DownloadAsync(token, mediaId, thumbnail: true)));
        var posted = await _media.UploadOkAsync(token, "image/png", png);
        Assert.Equal(mediaId, posted.GetProperty("mediaId").GetString());
        Assert.Equal((800, 600), (posted.GetProperty("width").GetInt32(), posted.GetProperty("height").GetInt32()));
        Assert.Single(MediaApi.StoredFiles(fixture.Server, mediaId));
    }

    [Fact]
    public async Task A_patch_at_the_wrong_offset_is_409_and_changes_nothing()
    {
        var token = await fixture.LoginAsync("off");
        var upload = await _tus.CreateOkAsync(token, 1000, "image/png");
        using (var first = await _tus.PatchAsync(token, upload, 0, new byte[100])) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        foreach (var offset in new long[] { 0, 50, 101, 5000 })
        {
            using var response = await _tus.PatchAsync(token, upload, offset, new byte[10]);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("\"conflict\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(100, await _tus.OffsetAsync(token, upload));
    }

    [Fact]
    public async Task A_patch_of_another_content_type_is_415_and_one_without_a_valid_offset_is_400()
    {
        var token = await fixture.LoginAsync("ct");
        var upload = await _tus.CreateOkAsync(token, 1000, "image/png");
        using (var wrongType = await _tus.PatchAsync(token, upload, 0, new byte[10], contentType: "application/octet-stream"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
            Assert.Contains("\"unsupported_type\"", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var offset in new[] { null, "-1", "ten", "1.5" })
        {
            using var response = await _tus.PatchAsync(token, upload, 0, new byte[10], bend: r =>
            {
                r.Headers.Remove("Upload-Offset");
                if (offset is not null) r.Headers.TryAddWithoutValidation("Upload-Offset", offset);
            });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Upload-Offset {offset ?? "(none)"} answered {(int)response.StatusCode}");
        }
        Assert.Equal(0, await _tus.OffsetAsync(token, upload));
    }

    [Theory]
    [InlineData(null, "filename " + "Y2xpcC5iaW4=")]
    [InlineData(null, "filetype")]
    [InlineData(null, "filetype !!!notbase64")]
    [InlineData(null, "filetype aW1hZ2UvcG5n,filetype aW1hZ2UvcG5n")]
    [InlineData("", null)]
    [InlineData("-5", null)]
    [InlineData("0", null)]
    [InlineData("twelve", null)]
    public async Task A_creation_without_a_usable_length_or_filetype_is_400(string? length, string? metadata)
    {
        var token = await fixture.LoginAsync("bad");
        using var response = await _tus.CreateAsync(token, 100, "image/png", r =>
        {
            if (length is not null)
            {
                r.Headers.Remove("Upload-Length");
                if (length.Length > 0) r.Headers.TryAddWithoutValidation("Upload-Length", length);
            }
            if (metadata is not null)
            {
                r.Headers.Remove("Upload-Metadata");
                r.Headers.TryAddWithoutValidation("Upload-Metadata", metadata);
            }
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"bad_request\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_deferred_length_is_400()
    {
        var token = await fixture.LoginAsync("defer");
        using var response = await _tus.CreateAsync(token, 100, "image/png", r =>
        {
            r.Headers.Remove("Upload-Length");
            r.Headers.Add("Upload-Defer-Length", "1");
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_type_not_allowed_is_415_and_a_length_over_the_types_limit_is_413()
    {
        var token = await fixture.LoginAsync("lim");
        using (var exe = await _tus.CreateAsync(token, 100, "application/x-msdownload")) Assert.Equal(HttpStatusCode.UnsupportedMediaType, exe.StatusCode);
        using (var big = await _tus.CreateAsync(token, MediaServer.MaxImageBytes + 1, "image/png"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
            Assert.Contains("\"too_large\"", await big.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Each family has its own limit: a document may be larger than an image.
        using (var document = await _tus.CreateAsync(token, MediaServer.MaxImageBytes + 1, "application/pdf")) Assert.Equal(HttpStatusCode.Created, document.StatusCode);
        // The type's parameters are not part of it; its case does not matter.
        using (var text = await _tus.CreateAsync(token, 10, "Text/Plain; charset=utf-8")) Assert.Equal(HttpStatusCode.Created, text.StatusCode);
    }

    [Fact]
    public async Task Only_the_uploader_sees_continues_or_deletes_an_upload()
    {
        var owner = await fixture.LoginAsync("own");
        var other = await fixture.LoginAsync("oth");
        var upload = await _tus.CreateOkAsync(owner, 1000, "image/png");
        using (var head = await _tus.HeadAsync(other, upload)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var patch = await _tus.PatchAsync(other, upload, 0, new byte[10])) Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        using (var delete = await _tus.DeleteAsync(other, upload)) Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(0, await _tus.OffsetAsync(owner, upload));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var token = await fixture.LoginAsync("unk");
        foreach (var id in new[] { new string('a', 32), "..%2f..%2fetc", "x" })
        {
            var upload = new Uri(fixture.Server.BaseUri, "v1/uploads/" + id);
            using var head = await _tus.HeadAsync(token, upload);
            using var patch = await _tus.PatchAsync(token, upload, 0, new byte[1]);
            using var delete = await _tus.DeleteAsync(token, upload);
            Assert.All(new[] { head, patch, delete }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        }
    }

    [Fact]
    public async Task A_deleted_upload_is_404_and_its_bytes_are_gone()
    {
        var token = await fixture.LoginAsync("del");
        var upload = await _tus.CreateOkAsync(token, 1000, "image/png");
        using (var patch = await _tus.PatchAsync(token, upload, 0, new byte[300])) Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        using (var delete = await _tus.DeleteAsync(token, upload))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            Assert.Equal("1.0.0", TusApi.Header(delete, "Tus-Resumable"));
        }
        using (var head = await _tus.HeadAsync(token, upload)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var patch = await _tus.PatchAsync(token, upload, 300, new byte[10])) Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        using (var again = await _tus.DeleteAsync(token, upload)) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(UploadFiles(upload));
    }

    [Fact]
    public async Task Bytes_that_are_not_the_declared_type_make_the_last_patch_415_and_the_upload_is_gone()
    {
        var token = await fixture.LoginAsync("lie");
        var jpeg = MediaFiles.Jpeg(64, 64, seed: 5);
        var upload = await _tus.CreateOkAsync(token, jpeg.Length, "image/png");
        using (var first = await _tus.PatchAsync(token, upload, 0, jpeg[..100])) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var last = await _tus.PatchAsync(token, upload, 100, jpeg[100..]))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, last.StatusCode);
            Assert.Contains("\"unsupported_type\"", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null(TusApi.Header(last, "Parley-Media-Id"));
        }
        using (var head = await _tus.HeadAsync(token, upload)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(UploadFiles(upload));
        Assert.Empty(MediaApi.StoredFiles(fixture.Server, Convert.ToHexStringLower(SHA256.HashData(jpeg))));
    }

    [Fact]
    public async Task A_body_past_the_uploads_length_is_413_and_none_of_it_is_kept()
    {
        var token = await fixture.LoginAsync("over");
        var upload = await _tus.CreateOkAsync(token, 1000, "image/png");
        using (var first = await _tus.PatchAsync(token, upload, 0, new byte[400])) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var over = await _tus.PatchAsync(token, upload, 400, new byte[601])) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(400, await _tus.OffsetAsync(token, upload));

        // Without a Content-Length (chunked), the excess shows only while reading: the whole body is dropped all the same.
        using (var chunked = await _tus.PatchAsync(token, upload, 400, [], bend: r =>
        {
            r.Content = new StreamContent(new MemoryStream(new byte[700]));
            r.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(TusApi.OffsetOctetStream);
            r.Headers.TransferEncodingChunked = true;
        }))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        }
        Assert.Equal(400, await _tus.OffsetAsync(token, upload));
    }

    [Fact]
    public async Task An_empty_patch_at_the_end_of_a_finished_upload_answers_its_media()
    {
        var token = await fixture.LoginAsync("fin");
        var gif = MediaFiles.Gif;
        var upload = await _tus.CreateOkAsync(token, gif.Length, "image/gif");
        string? mediaId;
        using (var last = await _tus.PatchAsync(token, upload, 0, gif)) mediaId = TusApi.Header(last, "Parley-Media-Id");
        Assert.NotNull(mediaId);
        using var again = await _tus.PatchAsync(token, upload, gif.Length, []);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(mediaId, TusApi.Header(again, "Parley-Media-Id"));
        using var late = await _tus.PatchAsync(token, upload, 0, gif);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    /// <summary>The files of an upload in the media directory's uploads folder.</summary>
    private string[] UploadFiles(Uri upload)
    {
        var directory = Path.Combine(fixture.Server.DataDir, "media", ".uploads");
        var id = upload.Segments[^1];
        return Directory.Exists(directory) ? Directory.GetFiles(directory, id + "*") : [];
    }
}
