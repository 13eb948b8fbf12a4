using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Primitives;
using Parley.Server.Gateway;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// The connection-level head parser on a real pipe: what it takes, and that whatever it leaves to HTTP/1.1 is left
/// whole and readable at once (a pipe throws if its examined position moves back).
/// </summary>
public sealed class UpgradeRequestTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string Upgrade = "GET /v1/ws HTTP/1.1\r\nHost: chat.example:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    [Fact]
    public async Task An_upgrade_is_taken_with_its_headers_and_what_follows_it_stays_in_the_pipe()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes(Upgrade + "Origin: https://chat.example\r\nX-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n\r\n\x81\x80"));

        var request = await UpgradeRequest.ReadAsync(pipe.Reader, CancellationToken.None).AsTask().WaitAsync(Timeout);

        Assert.NotNull(request);
        Assert.Equal(("chat.example:8080", "https://chat.example", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), (request.Host, request.Origin, request.AcceptKey));
        Assert.Equal(new StringValues(["10.0.0.1", "10.0.0.2"]), request.ForwardedFor);
        Assert.True(pipe.Reader.TryRead(out var rest));
        Assert.Equal([0x81, 0x80], rest.Buffer.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public async Task A_head_arriving_in_pieces_is_taken_once_complete(int pieceLength)
    {
        var pipe = new Pipe();
        var reading = UpgradeRequest.ReadAsync(pipe.Reader, CancellationToken.None).AsTask();
        foreach (var piece in Encoding.ASCII.GetBytes(Upgrade + "\r\n").Chunk(pieceLength))
        {
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(piece);
        }
        Assert.NotNull(await reading.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("Connection: keep-alive, Upgrade")]
    [InlineData("connection: UPGRADE")]
    public void The_connection_header_is_a_token_list_compared_without_case(string connection)
    {
        // Parse takes the head without its last line end.
        Assert.NotNull(UpgradeRequest.Parse(Upgrade[..^2].Replace("Connection: Upgrade", connection, StringComparison.Ordinal)));
    }

    public static TheoryData<string> NotTaken => new()
    {
        "POST /v1/ws HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /v1/wsx HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /v1/ws/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /V1/WS HTTP/1.1\r\nHost: a\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        Upgrade.Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal) + "\r\n",
        Upgrade.Replace("Upgrade: websocket\r\n", "", StringComparison.Ordinal) + "\r\n",
        Upgrade.Replace("Connection: Upgrade", "Connection: keep-alive", StringComparison.Ordinal) + "\r\n",
        Upgrade.Replace("Version: 13", "Version: 8", StringComparison.Ordinal) + "\r\n",
        Upgrade.Replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=", StringComparison.Ordinal) + "\r\n",
        Upgrade.Replace("Host: chat.example:8080\r\n", "", StringComparison.Ordinal) + "\r\n",
        Upgrade + "Host: other.example\r\n\r\n",
        Upgrade.Replace("Host: chat.example:8080", "Host: chat example", StringComparison.Ordinal) + "\r\n",
        Upgrade + "Origin: https://a.example\r\nOrigin: https://b.example\r\n\r\n",
        Upgrade + "Content-Length: 5\r\n\r\nhello",
        Upgrade + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        Upgrade + "X-Folded: a\r\n b\r\n\r\n",
        Upgrade + "X-Bad : a\r\n\r\n",
        Upgrade + "X-Latin: caf\u00e9\r\n\r\n",
        Upgrade + "X-Padding: " + new string('p', UpgradeRequest.MaxHeadBytes) + "\r\n\r\n",
        Upgrade + "X-Padding: " + new string('p', UpgradeRequest.MaxHeadBytes),
    };

    [Theory]
    [MemberData(nameof(NotTaken))]
    public async Task A_head_it_does_not_take_is_left_whole_for_HTTP_and_readable_at_once(string head)
    {
        var bytes = Encoding.Latin1.GetBytes(head);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var reading = UpgradeRequest.ReadAsync(pipe.Reader, CancellationToken.None).AsTask();
        // In two pieces: the first read sees a part (examined, waiting for more), the second the rest.
        await pipe.Writer.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await pipe.Writer.WriteAsync(bytes.AsMemory(bytes.Length / 2));

        Assert.Null(await reading.WaitAsync(Timeout));
        Assert.True(pipe.Reader.TryRead(out var left));
        Assert.Equal(bytes, left.Buffer.ToArray());
    }

    [Fact]
    public async Task A_client_that_leaves_before_its_head_is_complete_is_left_to_HTTP()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/ws HTTP/1.1\r\nHost: a\r\n"));
        await pipe.Writer.CompleteAsync();
        Assert.Null(await UpgradeRequest.ReadAsync(pipe.Reader, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }
}
