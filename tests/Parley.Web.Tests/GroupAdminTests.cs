using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>What a group's admin does in its info: rename it, add people (only people who exist), and how it reads.</summary>
[Collection(BrowserTests.Name)]
public sealed class GroupAdminTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_admin_renames_the_group_and_adds_people_and_unknown_names_are_named()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob, carol, zed) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User, Pair.Unique("carol_"), Pair.Unique("zed_"));
        await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password);

        // Creating a group with a name nobody has says which name.
        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Weekend trip");
        await a.Page.Locator("#new-group-members").FillAsync($"{carol}, {zed}");
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#new-group-error")).ToHaveTextAsync($"There is no user named “{zed}”.");
        await a.Page.Locator("#new-group-members").FillAsync(carol);
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync("Weekend trip");

        // Adding: an unknown name is named and nobody is added; then bob is added, and his note says "you".
        await a.Page.Locator("#chat-title").ClickAsync();
        await a.Page.Locator("#add-member-input").FillAsync($"{bob} {zed}");
        await a.Page.Locator("#add-member-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-error")).ToHaveTextAsync($"There is no user named “{zed}”.");
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(2);
        await a.Page.Locator("#add-member-input").FillAsync(bob);
        await a.Page.Locator("#add-member-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(3);
        await Expect(a.Page.Locator("#info-error")).ToHaveTextAsync("");
        await b.OpenChatAsync("Weekend trip");
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} added you");

        // Renaming from the info: the pencil is the admin's only; everyone sees the new name and a note.
        await a.Page.Locator("#btn-rename").ClickAsync();
        await Expect(a.Page.Locator("#rename-input")).ToHaveValueAsync("Weekend trip");
        await a.Page.Locator("#rename-input").FillAsync("Weekend trip to the lake");
        await a.ShotAsync("32-group-rename");
        await a.Page.Locator("#rename-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(a.Page.Locator("#form-rename")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#chat-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} changed the group name to \"Weekend trip to the lake\"");
        await Expect(b.ChatItem("Weekend trip to the lake")).ToBeVisibleAsync();
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(b.Page.Locator("#btn-rename")).ToBeHiddenAsync();
    }
}
