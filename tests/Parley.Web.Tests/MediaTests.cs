using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A photo picked, uploaded with progress, shown as a thumbnail on both sides and opened in full.</summary>
[Collection(BrowserTests.Name)]
public sealed class MediaTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_photo_is_sent_with_a_caption_shown_as_a_thumbnail_and_opened_in_full()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("Look at this");

        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Pictures.Sunset() });
        await Expect(a.Page.Locator("#dlg-media")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#media-preview img")).ToBeVisibleAsync();
        await a.Page.Locator("#media-caption").FillAsync("Sunset at the beach");
        await a.ShotAsync("13-media-preview");
        await a.Page.Locator("#media-caption").PressAsync("Enter");

        var sent = a.Bubble("Sunset at the beach");
        await Expect(sent.Locator(".progress")).ToHaveCountAsync(0);
        await Expect(sent.Locator(".tick")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|delivered|read"));

        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToContainTextAsync("Sunset at the beach");
        await b.OpenChatAsync(alice);
        var thumb = b.Bubble("Sunset at the beach").Locator(".media img");
        await Expect(thumb).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        // The chat shows the server's thumbnail (longest side 320), not the whole photo.
        await Expect(thumb).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(a.Tick("Sunset at the beach")).ToHaveAttributeAsync("data-status", "read");
        await b.ShotAsync("14-photo-in-chat");

        await b.Bubble("Sunset at the beach").Locator(".media").ClickAsync();
        var full = b.Page.Locator("#viewer-body img");
        await Expect(full).ToBeVisibleAsync();
        await Expect(full).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/v1/media/"));
        await Expect(full).ToHaveJSPropertyAsync("naturalWidth", 1200);
        await Expect(b.Page.Locator("#viewer-caption")).ToHaveTextAsync("Sunset at the beach");
        await Expect(b.Page.Locator("#viewer-from")).ToHaveTextAsync(alice);
        await b.ShotAsync("15-photo-viewer");
        // The viewer's download button saves the whole photo, named for what it is.
        var download = await b.Page.RunAndWaitForDownloadAsync(() => b.Page.Locator("#viewer-download").ClickAsync());
        Assert.Matches(@"^Parley photo \d{4}-\d{2}-\d{2} at \d{2}\.\d{2}\.\d{2}\.png$", download.SuggestedFilename);
        Assert.Equal(Pictures.Sunset(), await File.ReadAllBytesAsync((await download.PathAsync())!));
        await b.Page.Keyboard.PressAsync("Escape");
        await Expect(b.Page.Locator("#viewer")).ToBeHiddenAsync();

        await b.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
        await b.ShotAsync("16-photo-phone");
    }

    [Fact]
    public async Task Without_service_workers_a_photo_opens_from_a_blob_url()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output, serviceWorkers: ServiceWorkerPolicy.Block);
        await b.LogInAsync();

        await a.StartChatAsync(bob);
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Pictures.Sunset() });
        await a.Page.Locator("#media-caption").FillAsync("No worker here");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        await Expect(a.Tick("No worker here")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|delivered|read"));

        await b.OpenChatAsync(alice);
        await b.Bubble("No worker here").Locator(".media").ClickAsync();
        var full = b.Page.Locator("#viewer-body img");
        await Expect(full).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        await Expect(full).ToHaveJSPropertyAsync("naturalWidth", 1200);
    }

    [Fact]
    public async Task The_media_worker_script_is_javascript_and_revalidated_on_every_update_check()
    {
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, Pair.Unique("carol_"), output);
        var script = await a.Page.APIRequest.GetAsync("/sw.js");
        Assert.Equal(200, script.Status);
        Assert.StartsWith("text/javascript", script.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("no-cache", script.Headers["cache-control"]);
    }

    /// <summary>
    /// Records a one-second WebM in the page (a canvas through MediaRecorder: a real video, made where no test
    /// file is needed) and drops it on the chat as a person drags a file from their desktop.
    /// </summary>
    private const string RecordAndDropVideo = """
        async () => {
          const canvas = document.createElement('canvas');
          canvas.width = 320; canvas.height = 240;
          const ctx = canvas.getContext('2d');
          const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
          const chunks = [];
          recorder.ondataavailable = (e) => chunks.push(e.data);
          const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
          recorder.start(100);
          for (let i = 0; i < 25; i++) {
            ctx.fillStyle = `hsl(${i * 14}, 70%, 50%)`;
            ctx.fillRect(0, 0, 320, 240);
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 40)));
          }
          recorder.stop();
          await stopped;
          const file = new File(chunks, 'clip.webm', { type: 'video/webm' });
          const data = new DataTransfer();
          data.items.add(file);
          const target = document.getElementById('messages');
          target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
          return file.size;
        }
        """;

    [Fact]
    public async Task A_video_dropped_on_the_chat_is_sent_and_plays_in_the_player()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);

        var size = await a.Page.EvaluateAsync<long>(RecordAndDropVideo);
        Assert.True(size > 0, "the recorder produced no bytes");
        await Expect(a.Page.Locator("#dlg-media-title")).ToHaveTextAsync("Send video");
        await a.Page.Locator("#media-caption").FillAsync("A short clip");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        await Expect(a.Bubble("A short clip").Locator(".progress")).ToHaveCountAsync(0);
        await Expect(a.Tick("A short clip")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|delivered|read"));

        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToContainTextAsync("A short clip");
        await b.OpenChatAsync(alice);
        // The player asks for the video itself, with a Range header; the media worker adds the token.
        var streamed = b.Page.WaitForResponseAsync(r => r.Request.ResourceType == "media" && r.Url.Contains("/v1/media/", StringComparison.Ordinal));
        await b.Bubble("A short clip").Locator(".media.video").ClickAsync();
        var player = b.Page.Locator("#viewer-body video");
        await Expect(player).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/v1/media/[0-9a-f]{64}$"));
        var response = await streamed;
        Assert.True(response.FromServiceWorker, "the video did not go through the media worker");
        Assert.Equal(206, response.Status);
        Assert.Matches(@"^bytes 0-\d+/\d+$", await response.HeaderValueAsync("content-range"));
        // The player has decoded the current frame: the streamed bytes are a playable video.
        await b.Page.WaitForFunctionAsync("() => document.querySelector('#viewer-body video')?.readyState >= 2", null, new() { Timeout = 20_000 });
        await b.ShotAsync("23-video-player");
        await b.Page.Keyboard.PressAsync("Escape");
        await Expect(b.Page.Locator("#viewer")).ToBeHiddenAsync();
        await b.ShotAsync("24-video-in-chat");
    }
}
