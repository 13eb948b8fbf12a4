using Parley.Client;
using Parley.Client.Http;
using Parley.Protocol;

namespace Parley.LoadTest.Accounts;

/// <summary>A logged-in load user: its name and the token of the device this run logged in.</summary>
public sealed record LoadUser(int Index, string Name, string Token);

/// <summary>
/// Logs in the users <c>prefix0..prefixN-1</c>, registering those that do not exist yet. The server hashes passwords
/// slowly on purpose (PBKDF2), so accounts are kept across runs (same prefix, same password) and logins run
/// concurrently; a registration that meets 409 (another run or worker made it) just logs in.
/// </summary>
public static class UserPool
{
    public static async Task<IReadOnlyList<LoadUser>> LogInAsync(
        CommonSettings settings, int count, Action<int>? progress, CancellationToken cancellationToken)
    {
        using var http = new ParleyHttpClient(settings.ServerUri);
        var users = new LoadUser[count];
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = settings.LoginConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var name = settings.Prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                users[i] = new LoadUser(i, name, await LogInOneAsync(http, name, settings.Password, ct));
                progress?.Invoke(Interlocked.Increment(ref done));
            });
        return users;
    }

    /// <summary>Logs one user in (a new device), registering it first when the server does not know it.</summary>
    public static async Task<string> LogInOneAsync(ParleyHttpClient http, string name, string password, CancellationToken cancellationToken)
    {
        try
        {
            return (await http.LoginAsync(name, password, "loadtest", cancellationToken)).Token;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Unauthorized)
        {
            try
            {
                await http.RegisterAsync(name, password, cancellationToken: cancellationToken);
            }
            catch (ParleyException conflict) when (conflict.Code == ErrorCodes.Conflict)
            {
                // Registered meanwhile by someone else with this prefix; the login below tells whether the password matches.
            }
            return (await http.LoginAsync(name, password, "loadtest", cancellationToken)).Token;
        }
    }
}
