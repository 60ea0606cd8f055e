using System.Text.Json;
using CmPortal.Modules.ContentCalendar.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Api;

/// <summary>
/// The <c>/calendar</c> answer (<see cref="ApiCalendar"/>) written straight to the response: a month of a busy
/// workspace is thousands of occurrences, and building an object and two date strings for each before serializing
/// them cost more than reading them. Same JSON, same names and order as <see cref="ApiOccurrence"/> (a test compares).
/// </summary>
internal sealed class CalendarJson(IReadOnlyList<CalendarOccurrence> occurrences, DateTimeZone zone) : IResult
{
    private static readonly JsonEncodedText OccurrencesName = JsonEncodedText.Encode("occurrences");
    private static readonly JsonEncodedText PostIdName = JsonEncodedText.Encode("postId");
    private static readonly JsonEncodedText OccurrenceDateName = JsonEncodedText.Encode("occurrenceDate");
    private static readonly JsonEncodedText StartName = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText StartUtcName = JsonEncodedText.Encode("startUtc");
    private static readonly JsonEncodedText NetworksName = JsonEncodedText.Encode("networks");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
        json.WriteStartObject();
        json.WriteStartArray(OccurrencesName);
        var written = 0;
        foreach (var occurrence in occurrences)
        {
            Write(json, occurrence);
            // Hand what is written to the response every few hundred occurrences rather than holding the month in memory.
            if (++written % 256 == 0) await json.FlushAsync(http.RequestAborted);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private void Write(Utf8JsonWriter json, CalendarOccurrence occurrence)
    {
        Span<char> buffer = stackalloc char[IsoTimes.WithOffsetLength];
        json.WriteStartObject();
        json.WriteString(PostIdName, occurrence.PostId);
        if (occurrence.OccurrenceDate is { } date) json.WriteString(OccurrenceDateName, date);
        else json.WriteNull(OccurrenceDateName);
        var zoned = occurrence.StartUtc.InZone(zone);
        if (IsoTimes.TryWriteWithOffset(buffer, zoned.LocalDateTime, zoned.Offset)) json.WriteString(StartName, buffer);
        else json.WriteString(StartName, occurrence.StartWithOffset(zone));
        if (IsoTimes.TryWriteUtc(buffer, occurrence.StartUtc)) json.WriteString(StartUtcName, buffer[..IsoTimes.UtcLength]);
        else json.WriteString(StartUtcName, NodaTime.Text.InstantPattern.General.Format(occurrence.StartUtc));
        json.WriteStartArray(NetworksName);
        foreach (var network in occurrence.Networks) json.WriteStringValue(network);
        json.WriteEndArray();
        json.WriteString(StateName, PostsApi.StateName(occurrence.State));
        json.WriteEndObject();
    }
}
