using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Working with messages: search in a chat, links, documents, and trying a failed one again.</summary>
[Collection(BrowserTests.Name)]
public sealed class MessageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Search_marks_the_loaded_messages_that_match_and_steps_from_the_newest_back()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        string[] lines = ["Shall we meet for Lunch on Monday?", "The weather is fine", "Lunch at the harbour was great", "See you tomorrow", "No lunch for me today"];
        foreach (var line in lines) await Accounts.SendAsync(c, bob, line);
        await b.OpenChatAsync(carol);
        await Expect(b.Bubbles).ToHaveCountAsync(5);

        await b.Page.Locator("#btn-search").ClickAsync();
        await Expect(b.Page.Locator("#msg-search-input")).ToBeFocusedAsync();
        await b.Page.Locator("#msg-search-input").FillAsync("lunch");
        await Expect(b.Page.Locator("#msg-search-count")).ToHaveTextAsync("3 of 3");
        await Expect(b.Page.Locator("#messages mark")).ToHaveTextAsync(["Lunch", "Lunch", "lunch"]);
        await Expect(b.Page.Locator("#messages .msg.current")).ToContainTextAsync("No lunch for me today");
        await b.ShotAsync("42-search-in-chat");

        // Enter goes to the older match, and the arrow back to the newer.
        await b.Page.Locator("#msg-search-input").PressAsync("Enter");
        await Expect(b.Page.Locator("#msg-search-count")).ToHaveTextAsync("2 of 3");
        await Expect(b.Page.Locator("#messages .msg.current")).ToContainTextAsync("harbour");
        await b.Page.Locator("#msg-search-input").PressAsync("Enter");
        await Expect(b.Page.Locator("#messages .msg.current")).ToContainTextAsync("Monday");
        await b.Page.Locator("#msg-search-newer").ClickAsync();
        await Expect(b.Page.Locator("#messages .msg.current")).ToContainTextAsync("harbour");

        // A word nobody wrote says so; closing the search removes the marks.
        await b.Page.Locator("#msg-search-input").FillAsync("dinner");
        await Expect(b.Page.Locator("#msg-search-count")).ToHaveTextAsync("No results");
        await Expect(b.Page.Locator("#messages mark")).ToHaveCountAsync(0);
        await b.Page.Locator("#msg-search-input").FillAsync("weather");
        await Expect(b.Page.Locator("#messages mark")).ToHaveCountAsync(1);
        await b.Page.Locator("#msg-search-input").PressAsync("Escape");
        await Expect(b.Page.Locator("#msg-search")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#messages mark")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Web_addresses_become_links_to_a_new_tab_and_other_schemes_stay_text()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        await Accounts.SendAsync(c, bob, "Read https://example.org/news?id=1. Or www.example.com/a_(b)! Not javascript:alert(document.cookie) or <a href=x>this</a>");
        await b.OpenChatAsync(carol);

        var links = b.Bubble("Read").Locator(".text a");
        await Expect(links).ToHaveCountAsync(2);
        await Expect(links.Nth(0)).ToHaveAttributeAsync("href", "https://example.org/news?id=1");
        await Expect(links.Nth(0)).ToHaveTextAsync("https://example.org/news?id=1");
        await Expect(links.Nth(1)).ToHaveAttributeAsync("href", "https://www.example.com/a_(b)");
        foreach (var i in new[] { 0, 1 })
        {
            await Expect(links.Nth(i)).ToHaveAttributeAsync("target", "_blank");
            await Expect(links.Nth(i)).ToHaveAttributeAsync("rel", new Regex(@"\bnoopener\b"));
        }
        // The rest is text, markup included.
        await Expect(b.Bubble("Read").Locator(".text")).ToContainTextAsync("javascript:alert(document.cookie) or <a href=x>this</a>");
        await b.ShotAsync("43-links");
    }

    [Fact]
    public async Task A_photo_whose_upload_failed_says_so_and_goes_with_retry()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("A photo follows");

        await a.Context.SetOfflineAsync(true);
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Pictures.Sunset() });
        await a.Page.Locator("#media-caption").FillAsync("Sent on the second try");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        var failed = a.Bubble("Sent on the second try");
        await Expect(failed.Locator(".tick")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(failed.Locator(".msg-failed")).ToContainTextAsync("Not sent: the upload failed.");
        await a.ShotAsync("44-failed-upload");

        await a.Context.SetOfflineAsync(false);
        await a.ExpectOnlineAsync();
        await failed.Locator(".msg-failed button", new() { HasTextString = "Retry" }).ClickAsync();
        await Expect(failed.Locator(".tick")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await Expect(failed.Locator(".msg-failed")).ToHaveCountAsync(0);
        await b.OpenChatAsync(alice);
        await Expect(b.Bubble("Sent on the second try").Locator(".media img")).ToHaveAttributeAsync("src", new Regex("^blob:"));
        await Expect(b.Bubbles).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_document_is_sent_with_its_name_and_the_recipient_downloads_it()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);

        // The picker offers what the server announced (welcome.limits.media), documents included.
        await Expect(a.Page.Locator("#file-input")).ToHaveAttributeAsync("accept", new Regex("application/pdf"));
        // A type the server does not take is refused before any upload, saying what can be sent.
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "tool.exe", MimeType = "application/x-msdownload", Buffer = [0x4D, 0x5A, 0x90, 0x00] });
        await Expect(a.Page.Locator("#toast")).ToContainTextAsync("This type of file can't be sent. You can send");
        await Expect(a.Page.Locator("#dlg-media")).ToBeHiddenAsync();

        var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {Guid.NewGuid()}\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "Trip plan.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Expect(a.Page.Locator("#dlg-media-title")).ToHaveTextAsync("Send document");
        await Expect(a.Page.Locator("#media-preview .doc-name")).ToHaveTextAsync("Trip plan.pdf");
        await a.Page.Locator("#media-caption").FillAsync("The plan, as promised");
        await a.ShotAsync("45-send-document");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        var sent = a.Bubble("The plan, as promised");
        await Expect(sent.Locator(".tick")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await Expect(sent.Locator(".doc-name")).ToHaveTextAsync("Trip plan.pdf");

        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToContainTextAsync("The plan, as promised");
        await b.OpenChatAsync(alice);
        var card = b.Bubble("The plan, as promised").Locator(".doc");
        await Expect(card.Locator(".doc-name")).ToHaveTextAsync("Trip plan.pdf");
        await Expect(card.Locator(".doc-info")).ToHaveTextAsync(new Regex(@"^PDF · \d+ B$"));
        await b.ShotAsync("46-document-in-chat");
        var download = await b.Page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal("Trip plan.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(pdf, await File.ReadAllBytesAsync(path!));
    }
}
