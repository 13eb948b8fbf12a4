namespace Parley.Conformance.Tests.Harness;

/// <summary>A registered user logged in on one device.</summary>
public sealed record Session(string Username, string Password, string Token, string DeviceId, long ExpiresAt);
