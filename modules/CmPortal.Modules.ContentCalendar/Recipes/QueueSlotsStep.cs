using System.Globalization;
using System.Text.Json;
using CmPortal.Core.Networks;
using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Recipes;

/// <summary>
/// <c>{ "step": "queueSlots", "queueSlots": [ { "network": "instagram", "weekday": "TU", "time": "18:00" } ] }</c>: adds the
/// publishing slots the workspace lacks (a slot is its network, weekday and time); slots the step does not list stay.
/// "weekday" is MO…SU or 1 (Monday) … 7 (Sunday); "time" is "HH:mm" in the workspace's zone.
/// </summary>
internal sealed class QueueSlotsStep : RecipeStep<QueueSlotsStep.Model>
{
    public sealed record Model(List<Item> QueueSlots);

    public sealed record Item(string Network, JsonElement Weekday, string Time);

    private static readonly string[] Days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    public override string Name => "queueSlots";

    public override string Label => "Queue slots";

    /// <summary>1 (Monday) to 7 (Sunday), from "TU" or 2; null when it is neither.</summary>
    internal static int? WeekdayOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when Array.IndexOf(Days, value.GetString()?.Trim().ToUpperInvariant()) is var i and >= 0 => i + 1,
        JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 1 and <= 7 => n,
        _ => null,
    };

    /// <summary>"18:00" as it is stored; null when it is not a time of day written HH:mm.</summary>
    internal static string? TimeOf(string? text) =>
        LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(text?.Trim() ?? "") is { Success: true } r ? r.Value.ToString("HH':'mm", CultureInfo.InvariantCulture) : null;

    /// <summary>Every problem of one slot, fields named as the recipe names them.</summary>
    internal static IEnumerable<Problem> Check(Item item, int index)
    {
        if (SocialNetworks.Find(item.Network) is null)
            yield return new Problem($"queueSlots[{index}].network", "“{0}” is not a network the portal knows. Use one of: {1}.", item.Network, SocialNetworks.Ids);
        if (WeekdayOf(item.Weekday) is null)
            yield return new Problem($"queueSlots[{index}].weekday", "“{0}” is not a day of the week. Write MO, TU, WE, TH, FR, SA or SU, or 1 (Monday) to 7 (Sunday).", item.Weekday.ToString());
        if (TimeOf(item.Time) is null)
            yield return new Problem($"queueSlots[{index}].time", "“{0}” is not a time of day. Write it as 18:00.", item.Time);
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var seen = new HashSet<(string, int?, string?)>();
        for (var i = 0; i < model.QueueSlots.Count; i++)
        {
            var item = model.QueueSlots[i];
            var problems = Check(item, i).ToList();
            foreach (var problem in problems) context.Error(problem);
            if (problems.Count == 0 && !seen.Add((item.Network, WeekdayOf(item.Weekday), TimeOf(item.Time))))
                context.Error($"queueSlots[{i}]", "This slot is given twice in this step.");
        }
        return Task.CompletedTask;
    }

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var stored = context.Existing is null ? [] : await context.Services.GetRequiredService<CalendarDbContext>().QueueSlots.AsNoTracking().ToListAsync(ct);
        var added = model.QueueSlots.Count(i => !stored.Any(s => Same(s, i)));
        changes.Add(new RecipeChange("{0} queue {0|slot|slots} added, {1} already there.", added, model.QueueSlots.Count - added));
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<CalendarDbContext>();
        var stored = await db.QueueSlots.ToListAsync(ct);
        foreach (var item in model.QueueSlots.Where(i => !stored.Any(s => Same(s, i))))
            db.QueueSlots.Add(new QueueSlot { Id = Guid.NewGuid(), Network = item.Network, Weekday = WeekdayOf(item.Weekday)!.Value, Time = TimeOf(item.Time)! });
        await db.SaveChangesAsync(ct);
    }

    private static bool Same(QueueSlot slot, Item item) =>
        slot.Network == item.Network && slot.Weekday == WeekdayOf(item.Weekday) && slot.Time == TimeOf(item.Time);

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var slots = await context.Services.GetRequiredService<CalendarDbContext>().QueueSlots.AsNoTracking().ToListAsync(ct);
        return slots.Count == 0 ? null : new Model(slots.OrderBy(s => s.Network, StringComparer.Ordinal).ThenBy(s => s.Weekday).ThenBy(s => s.Time, StringComparer.Ordinal)
            .Select(s => new Item(s.Network, JsonSerializer.SerializeToElement(Days[s.Weekday - 1]), s.Time)).ToList());
    }
}
