using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

[assembly: PortalModule(typeof(CmPortal.Fixtures.BadModule.BadModule))]

namespace CmPortal.Fixtures.BadModule;

/// <summary>
/// Deliberately breaks the three architecture rules; each break is marked "Breaks rule N".
/// Everything else is shaped like a well-behaved module, so each rule reports only its own break.
/// </summary>
internal sealed class BadModule : PortalModule
{
    public override string Id => "BadModule";
    public override string Name => "Bad module";
    public override string Description => "Test fixture that breaks every architecture rule.";
    public override string Category => "Tests";

    // Breaks rule 1: the endpoint below uses KeyDates, yet Dependencies stays empty.
    public override IReadOnlyList<string> Dependencies => [];

    // Breaks rule 3: an admin endpoint with no .RequirePermission(...).
    public override void MapAdminEndpoints(IEndpointRouteBuilder admin) =>
        admin.MapGet("/leaky-calendar", async ([FromServices] IKeyDateCalendar calendar, CancellationToken ct) =>
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            return Results.Ok(await calendar.BetweenAsync(today, today.AddMonths(1), ct));
        });

    // Breaks the DbContext rule: an API endpoint reading the database around the services.
    public override void MapApiEndpoints(IEndpointRouteBuilder api) =>
        api.MapGet("/raw-users", async ([FromServices] CoreDbContext db, CancellationToken ct) => Results.Ok(await db.Users.CountAsync(ct)));
}

/// <summary>Breaks rule 3 the MVC way: an admin action without [RequirePermission].</summary>
internal sealed class BadAdminController : Controller
{
    [HttpGet]
    [Route("admin/{workspace}/bad")]
    public IActionResult Index() => Content("anyone may read this");
}

/// <summary>Breaks rule 2: a public type outside the module's Contracts namespace.</summary>
public sealed class LeakyHelper
{
    public static string Shout(string text) => text.ToUpperInvariant();
}
