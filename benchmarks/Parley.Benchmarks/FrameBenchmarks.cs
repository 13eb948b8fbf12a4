using System.Text;
using BenchmarkDotNet.Attributes;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Benchmarks;

/// <summary>The envelope of the hottest frames: a client's <c>send</c> and <c>ack</c> parsed, the server's <c>message</c> event and <c>ok</c> written.</summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private byte[] _send = [];
    private byte[] _ack = [];
    private MessageView _message = null!;
    private SendResultView _result;

    [GlobalSetup]
    public void Setup()
    {
        var body = "\"" + new string('x', 100) + "\"";
        _send = Encoding.UTF8.GetBytes($$"""{"type":"send","rid":"r12345","cid":"3f2b8c1e-5d6a-4e7f-9a0b-1c2d3e4f5a6b","to":"bob","kind":"text","body":{{body}}}""");
        _ack = Encoding.UTF8.GetBytes("""{"type":"ack","seq":123456}""");
        _message = new MessageView("01JD3F4G5H6J7K8M9N0P1Q2R3S", 42, "d:alice:bob", "alice", "3f2b8c1e-5d6a-4e7f-9a0b-1c2d3e4f5a6b", "text",
            Encoding.UTF8.GetBytes(body), 1_764_000_000_000, null);
        _result = new SendResultView("01JD3F4G5H6J7K8M9N0P1Q2R3S", 42, "d:alice:bob", 1234, 1_764_000_000_000, null, false);
    }

    [Benchmark]
    public ClientRequest? ParseSend() => ClientFrameParser.TryParse(_send, out var request, out _) ? request : null;

    [Benchmark]
    public ClientRequest? ParseAck() => ClientFrameParser.TryParse(_ack, out var request, out _) ? request : null;

    [Benchmark]
    public byte[] WriteMessageEvent() => ServerFrameWriter.MessageEvent(1234, _message);

    [Benchmark]
    public byte[] WriteSendOk() => ServerFrameWriter.SendOk("r12345", _result);
}
