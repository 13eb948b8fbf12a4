using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A wrong setting stops the server at start with a message that names it, not a stack trace from deep inside.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--Parley:Storage:Provider=mysql", "Parley:Storage:Provider must be 'sqlite' or 'postgres'")]
    [InlineData("--Parley:Storage:Postgres=Host=127.0.0.1;Maximum Pool", "Parley:Storage:Postgres is not a valid connection string")]
    public async Task A_bad_storage_setting_stops_the_server_with_a_message_that_names_it(string setting, string message)
    {
        var args = setting.StartsWith("--Parley:Storage:Postgres", StringComparison.Ordinal)
            ? new[] { "--Parley:Storage:Provider=postgres", setting }
            : [setting];
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(args: args));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4097")]
    public async Task A_group_description_limit_out_of_range_stops_the_server_with_a_message_that_names_it(string value)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServerProcess.StartAsync(args: [$"--Parley:Groups:MaxDescriptionChars={value}"]));
        Assert.Contains("MaxDescriptionChars", failure.Message, StringComparison.Ordinal);
    }
}
