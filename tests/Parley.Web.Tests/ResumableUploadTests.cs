using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// A large file goes up resumably (tus, in chunks): a dropped connection mid-upload is resumed, not restarted or lost; an
/// upload waits for the browser to be online again; an upload that failed goes on where it stopped when retried.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ResumableUploadTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>Alice, signed up, in a chat with bob (registered). Her page has no service worker: requests one handles are not routed by Playwright.</summary>
    private async Task<ChatPage> SenderAsync(string alice, string bob)
    {
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output, serviceWorkers: ServiceWorkerPolicy.Block);
        await a.SignUpAsync();
        await a.StartChatAsync(bob);
        return a;
    }

    /// <summary>
    /// Records the method of every request of the page to /v1/uploads into <paramref name="methods"/>; <paramref name="intercept"/>
    /// gets each with the number of PATCHes so far and answers it itself (true) or lets it through (false).
    /// </summary>
    private static async Task RecordUploadsAsync(ChatPage page, List<string> methods, Func<IRoute, int, Task<bool>> intercept) =>
        await page.Page.RouteAsync("**/v1/uploads**", async route =>
        {
            int patches;
            lock (methods)
            {
                methods.Add(route.Request.Method);
                patches = methods.Count(m => m == "PATCH");
            }
            if (!await intercept(route, patches)) await route.ContinueAsync();
        });

    [Fact]
    public async Task A_large_file_whose_connection_drops_mid_upload_goes_on_from_the_server_offset_and_arrives_whole()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await using var a = await SenderAsync(alice, bob);
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.LogInAsync();

        // 3 MiB and a bit: four PATCHes of at most 1 MiB. The second is dropped (a connection reset) once.
        var file = RandomText.Letters((3 * 1024 * 1024) + 12_345);
        var methods = new List<string>();
        var dropped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await RecordUploadsAsync(a, methods, async (route, patches) =>
        {
            if (route.Request.Method == "PATCH" && patches == 2 && !dropped.Task.IsCompleted)
            {
                // The bar shows the first chunk done when the link drops.
                var shown = await a.Page.Locator("#messages .progress").GetAttributeAsync("aria-valuenow");
                await a.ShotAsync("60-resumable-upload-before-drop");
                await route.AbortAsync("connectionreset");
                dropped.TrySetResult(int.Parse(shown ?? "-1", System.Globalization.CultureInfo.InvariantCulture));
                return true;
            }
            return false;
        });

        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "field notes.txt", MimeType = "text/plain", Buffer = file });
        await a.Page.Locator("#media-caption").FillAsync("All the notes");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        var shownAtDrop = await dropped.Task.Within();
        var sent = a.Bubble("All the notes");
        await Expect(sent.Locator(".tick")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await Expect(sent.Locator(".progress")).ToHaveCountAsync(0);
        await a.ShotAsync("61-resumable-upload-sent");

        // Between 1 MiB of 3 MiB (the first chunk) and 2 MiB: the bar was moving when the link dropped.
        Assert.InRange(shownAtDrop, 30, 66);
        // After the drop, HEAD asked where the server's bytes end, and the dropped chunk went again: 4 + 1 PATCHes.
        lock (methods) Assert.Equal(["POST", "PATCH", "PATCH", "HEAD", "PATCH", "PATCH", "PATCH"], methods);

        await b.OpenChatAsync(alice);
        var card = b.Bubble("All the notes").Locator(".doc");
        await Expect(card.Locator(".doc-name")).ToHaveTextAsync("field notes.txt");
        var download = await b.Page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync((await download.PathAsync())!));
    }

    [Fact]
    public async Task A_large_upload_cut_off_by_going_offline_waits_for_the_network_and_goes_on_from_the_server_offset()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await using var a = await SenderAsync(alice, bob);
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.LogInAsync();

        // The browser goes offline during the second PATCH (which never reaches the server).
        var file = RandomText.Letters((3 * 1024 * 1024) + 777);
        var methods = new List<string>();
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await RecordUploadsAsync(a, methods, async (route, patches) =>
        {
            if (route.Request.Method != "PATCH" || patches != 2 || cut.Task.IsCompleted) return false;
            await a.Context.SetOfflineAsync(true);
            await route.AbortAsync("internetdisconnected");
            cut.TrySetResult();
            return true;
        });
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "trip diary.txt", MimeType = "text/plain", Buffer = file });
        await a.Page.Locator("#media-caption").FillAsync("The whole diary");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        await cut.Task.Within();

        // While offline the upload waits, and says so on its ring; it does not fail.
        var sent = a.Bubble("The whole diary");
        await Expect(sent.Locator(".progress")).ToHaveAttributeAsync("data-waiting", "true");
        await Expect(sent.Locator(".progress-note")).ToHaveTextAsync("Waiting for network");
        await Expect(sent.Locator(".tick")).ToHaveAttributeAsync("data-status", "pending");
        await a.ShotAsync("87-upload-waiting-for-network");

        await a.Context.SetOfflineAsync(false);
        await Expect(sent.Locator(".tick")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await Expect(sent.Locator(".msg-failed")).ToHaveCountAsync(0);
        // One upload (one POST), asked where it stood once back online, then the rest: not started over.
        lock (methods) Assert.Equal(["POST", "PATCH", "PATCH", "HEAD", "PATCH", "PATCH", "PATCH"], methods);
        await b.OpenChatAsync(alice);
        var card = b.Bubble("The whole diary").Locator(".doc");
        var download = await b.Page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync((await download.PathAsync())!));
    }

    [Fact]
    public async Task A_large_upload_that_failed_goes_on_where_the_server_bytes_end_when_retried()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await using var a = await SenderAsync(alice, bob);

        // After the first chunk the server is overloaded (503) until the test lets it recover: every try fails.
        var file = RandomText.Letters((2 * 1024 * 1024) + 4321);
        var methods = new List<string>();
        var overloaded = true;
        await RecordUploadsAsync(a, methods, async (route, patches) =>
        {
            bool refuse;
            lock (methods) refuse = overloaded && route.Request.Method == "PATCH" && patches >= 2;
            if (!refuse) return false;
            await route.FulfillAsync(new() { Status = 503, Headers = new Dictionary<string, string> { ["Tus-Resumable"] = "1.0.0" } });
            return true;
        });
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "long read.txt", MimeType = "text/plain", Buffer = file });
        await a.Page.Locator("#media-caption").FillAsync("Tried twice");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        var failed = a.Bubble("Tried twice");
        // The tries back off for about 15 s in all before the upload is given up.
        await Expect(failed.Locator(".msg-failed")).ToContainTextAsync("Not sent: the upload failed.", new() { Timeout = 60_000 });

        lock (methods)
        {
            overloaded = false;
            methods.Clear();
        }
        await failed.Locator(".msg-failed button", new() { HasTextString = "Retry" }).ClickAsync();
        await Expect(failed.Locator(".tick")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        // The retry asked where the same upload stood and sent the rest: no new POST, the first chunk not sent again.
        lock (methods) Assert.Equal(["HEAD", "PATCH", "PATCH"], methods);
    }
}
