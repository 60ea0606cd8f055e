using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static CmPortal.Tests.Integration.CalendarWindowTests;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The content calendar in Chromium, used as a community manager does: drag a post to another day of the month view
/// (it keeps its time of day, shown at the workspace's time whatever the browser's zone), see a refused drag snap back
/// with its reason, and move a post from the keyboard list without dragging.
/// </summary>
public sealed class CalendarTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Calendar = "/admin/maison-lumen/calendar";

    /// <summary>A browser in New York: the calendar must still show the posts at Paris time, the workspace's.</summary>
    private async Task<IBrowserContext> NewYorkContextAsync(PortalHost host)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString().TrimEnd('/'), Locale = "fr-FR", TimezoneId = "America/New_York",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        return context;
    }

    private static ILocator EventOf(IPage page, Guid post) => page.Locator($"#calendar a.fc-event[href$='/posts/{post}']");

    private static ILocator Day(IPage page, string date) => page.Locator($"#calendar td.fc-daygrid-day[data-date='{date}']");

    /// <summary>Drags with the mouse in small steps, as FullCalendar's pointer handling needs.</summary>
    private static async Task DragAsync(IPage page, ILocator from, ILocator to)
    {
        var source = (await from.BoundingBoxAsync())!;
        var target = (await to.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(source.X + source.Width / 2, source.Y + source.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(source.X + source.Width / 2 + 5, source.Y + source.Height / 2 + 5, new() { Steps = 3 });
        await page.Mouse.MoveAsync(target.X + target.Width / 2, target.Y + target.Height / 2, new() { Steps = 15 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task A_post_dragged_to_another_day_of_the_month_keeps_its_time_of_day_at_the_workspaces_time()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var post = await host.CreatePostAsync(Post("Coulisses de l’atelier", "2027-03-18T18:00", ["instagram"], "Savoir-faire & atelier"));
        await using var context = await NewYorkContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync($"{Calendar}?date=2027-03-01");

        await Expect(Day(page, "2027-03-18").Locator($"a[href$='/posts/{post}'] .cc-time")).ToHaveTextAsync("18:00");
        await ScreenshotAsync(page, "calendar-month");
        await DragAsync(page, EventOf(page, post), Day(page, "2027-03-23"));

        await Expect(page.Locator("#calendar-status")).ToHaveTextAsync("Publication déplacée au 23\u00a0mars\u00a02027 18:00.");
        await Expect(Day(page, "2027-03-23").Locator($"a[href$='/posts/{post}'] .cc-time")).ToHaveTextAsync("18:00");
        Assert.Equal("2027-03-23T18:00", (await host.FindPostAsync(post)).StartsLocal);
        await Expect(page.Locator("#calendar-alert")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_contributor_dragging_a_scheduled_post_sees_it_snap_back_with_the_reason()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var post = await host.CreatePostAsync(Post("Coffrets de printemps", "2027-03-19T12:00", ["instagram"], "Collections & offres"), PostState.Scheduled);
        await host.AddMemberAsync("camille@example.test", "maison-lumen", "Contributor");
        await using var context = await NewYorkContextAsync(host);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await SubmitLoginAsync(page, "camille@example.test", MemberHostExtensions.MemberPassword);
        await Expect(page).Not.ToHaveURLAsync(PathIs("/account/login"));
        await page.GotoAsync($"{Calendar}?date=2027-03-01");

        await Expect(EventOf(page, post)).ToBeVisibleAsync();
        await DragAsync(page, EventOf(page, post), Day(page, "2027-03-25"));

        var alert = page.Locator("#calendar-alert[role=alert]");
        await Expect(alert).ToHaveTextAsync("Vous ne pouvez pas déplacer cette publication\u00a0: demandez à quelqu’un qui programme les publications.");
        await Expect(Day(page, "2027-03-19").Locator($"a[href$='/posts/{post}']")).ToHaveCountAsync(1);
        await Expect(Day(page, "2027-03-25").Locator($"a[href$='/posts/{post}']")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "calendar-refused");
        Assert.Equal("2027-03-19T12:00", (await host.FindPostAsync(post)).StartsLocal);
    }

    [Fact]
    public async Task The_keyboard_list_moves_a_post_with_its_date_and_time_fields_and_the_enter_key()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var post = await host.CreatePostAsync(Post("Rituel du soir", "2027-03-18T18:00", ["instagram"], "Art de vivre"));
        await using var context = await NewYorkContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync($"{Calendar}?date=2027-03-01");
        await page.GetByRole(AriaRole.Link, new() { Name = "Déplacer au clavier" }).ClickAsync();
        await Expect(page.Locator("#month-title")).ToHaveTextAsync("Mars 2027"); // the month the calendar showed
        await page.GetByRole(AriaRole.Link, new() { Name = "Mois suivant" }).ClickAsync();
        await Expect(page.Locator("#month-title")).ToHaveTextAsync("Avril 2027");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mois précédent" }).ClickAsync();
        await Expect(page.Locator("#month-title")).ToHaveTextAsync("Mars 2027");

        var row = page.Locator($"#post-{post}");
        await row.GetByLabel("Nouvelle date").FillAsync("2027-04-02");
        await row.GetByLabel("Nouvelle heure").FillAsync("08:15");
        await row.GetByRole(AriaRole.Button, new() { Name = "Déplacer" }).FocusAsync(); // the row's own button, pressed with a key
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("main .alert-success")).ToHaveTextAsync("Publication déplacée au 2\u00a0avril\u00a02027 08:15.");
        await Expect(page.Locator("#month-title")).ToHaveTextAsync("Avril 2027");
        Assert.Equal("2027-04-02T08:15", (await host.FindPostAsync(post)).StartsLocal);
    }
}
