using System.Net;
using System.Net.Http.Headers;

namespace Parley.Server.Tests.Media;

/// <summary>GET /v1/media/{id}: ranges, validators, caching, and 404 for whatever one may not see.</summary>
public sealed class MediaDownloadTests(MediaServer fixture) : IClassFixture<MediaServer>
{
    private readonly MediaApi _api = new(fixture.Server);

    private async Task<(string Token, string Id, byte[] Bytes)> UploadAsync()
    {
        var token = await fixture.LoginAsync("dl");
        var bytes = MediaFiles.Jpeg(640, 480, seed: (byte)Random.Shared.Next(256));
        var reply = await _api.UploadOkAsync(token, "image/jpeg", bytes);
        return (token, reply.GetProperty("mediaId").GetString()!, bytes);
    }

    [Fact]
    public async Task The_file_comes_with_its_type_an_etag_from_its_hash_and_private_caching()
    {
        var (token, id, bytes) = await UploadAsync();
        using var response = await _api.GetAsync(token, $"v1/media/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{id}\"", response.Headers.ETag?.Tag);
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());

        using var again = await _api.GetAsync(token, $"v1/media/{id}", h => h.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{id}\"")));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_range_request_gets_206_with_just_those_bytes()
    {
        var (token, id, bytes) = await UploadAsync();
        using var first = await _api.GetAsync(token, $"v1/media/{id}", h => h.Range = new RangeHeaderValue(0, 99));
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal($"bytes 0-99/{bytes.Length}", first.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[..100], await first.Content.ReadAsByteArrayAsync());

        using var middle = await _api.GetAsync(token, $"v1/media/{id}", h => h.Range = new RangeHeaderValue(1000, 1999));
        Assert.Equal(bytes[1000..2000], await middle.Content.ReadAsByteArrayAsync());

        using var tail = await _api.GetAsync(token, $"v1/media/{id}", h => h.Range = new RangeHeaderValue(null, 10));
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^10..], await tail.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_416()
    {
        var (token, id, bytes) = await UploadAsync();
        using var response = await _api.GetAsync(token, $"v1/media/{id}", h => h.Range = new RangeHeaderValue(bytes.Length + 10, bytes.Length + 20));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{bytes.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Absent_forbidden_and_malformed_ids_all_read_404_and_no_token_is_401()
    {
        var (token, id, _) = await UploadAsync();
        var outsider = await fixture.LoginAsync("out");
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(outsider, $"v1/media/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(outsider, $"v1/media/{id}/thumbnail"));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(token, $"v1/media/{new string('0', 64)}"));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(token, "v1/media/..%2F..%2Fparley.db"));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(token, $"v1/media/{id.ToUpperInvariant()}"));
        using var anonymous = await _api.GetAsync(null, $"v1/media/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
