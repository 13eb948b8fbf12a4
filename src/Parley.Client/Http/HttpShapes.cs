namespace Parley.Client.Http;

// The request and error bodies of the HTTP API; internal, for serialization only.

internal sealed record RegisterBody(string Username, string Password, string? DisplayName);

internal sealed record LoginBody(string Username, string Password, string? DeviceName);

internal sealed record PasswordBody(string Password);

internal sealed record ErrorEnvelope(ErrorBody? Error);

internal sealed record ErrorBody(string? Code, string? Message);
