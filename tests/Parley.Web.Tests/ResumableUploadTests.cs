using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A large file goes up resumably (tus, in chunks): a dropped connection mid-upload is resumed, not restarted or lost.</summary>
[Collection(BrowserTests.Name)]
public sealed class ResumableUploadTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_large_file_whose_connection_drops_mid_upload_goes_on_from_the_server_offset_and_arrives_whole()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        // Requests a service worker handles are not routed by Playwright: the sender's page has none.
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output, serviceWorkers: ServiceWorkerPolicy.Block);
        await a.SignUpAsync();
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.LogInAsync();
        await a.StartChatAsync(bob);

        // 3 MiB and a bit: four PATCHes of at most 1 MiB. The second is dropped (a connection reset) once.
        var file = RandomText.Letters((3 * 1024 * 1024) + 12_345);
        var methods = new List<string>();
        var dropped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.Page.RouteAsync("**/v1/uploads/*", async route =>
        {
            int patches;
            lock (methods)
            {
                methods.Add(route.Request.Method);
                patches = methods.Count(m => m == "PATCH");
            }
            if (route.Request.Method == "PATCH" && patches == 2 && !dropped.Task.IsCompleted)
            {
                // The bar shows the first chunk done when the link drops.
                var shown = await a.Page.Locator("#messages .progress").GetAttributeAsync("aria-valuenow");
                await a.ShotAsync("60-resumable-upload-before-drop");
                await route.AbortAsync("connectionreset");
                dropped.TrySetResult(int.Parse(shown ?? "-1", System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            await route.ContinueAsync();
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
        lock (methods) Assert.Equal(["PATCH", "PATCH", "HEAD", "PATCH", "PATCH", "PATCH"], methods);

        await b.OpenChatAsync(alice);
        var card = b.Bubble("All the notes").Locator(".doc");
        await Expect(card.Locator(".doc-name")).ToHaveTextAsync("field notes.txt");
        var download = await b.Page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync((await download.PathAsync())!));
    }
}
