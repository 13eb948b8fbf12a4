using Parley.Client.Connection;

namespace Parley.Client.Tests.Client;

public class ServerUrisTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000/", "ws://127.0.0.1:5000/v1/ws")]
    [InlineData("http://127.0.0.1:5000", "ws://127.0.0.1:5000/v1/ws")]
    [InlineData("https://chat.example/parley/", "wss://chat.example/parley/v1/ws")]
    [InlineData("ws://h:1/v1/ws", "ws://h:1/v1/ws")]
    [InlineData("wss://h/v1/ws", "wss://h/v1/ws")]
    public void The_websocket_endpoint_is_derived_from_the_http_base(string server, string expected) =>
        Assert.Equal(new Uri(expected), ServerUris.WebSocket(new Uri(server)));
}
