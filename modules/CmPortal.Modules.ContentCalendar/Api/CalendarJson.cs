using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CmPortal.Modules.ContentCalendar.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Api;

/// <summary>
/// The <c>/calendar</c> answer (<see cref="ApiCalendar"/>): its JSON bytes with an ETag, or <c>304 Not Modified</c> when the
/// client already holds them (<c>If-None-Match</c>). The ETag is the window's fingerprint
/// (<see cref="CalendarWindow.WindowRead.Fingerprint"/>: the zone, the window and every column of every post read), so it
/// changes with any change of a post in the window, whichever path or node made it.
/// </summary>
internal sealed class CalendarJson(ReadOnlyMemory<byte> body, string etag) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.ETag = etag;
        if (Matches(http.Request.GetTypedHeaders().IfNoneMatch, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    private static bool Matches(IList<EntityTagHeaderValue> wanted, string etag)
    {
        if (wanted.Count == 0) return false;
        var ours = new EntityTagHeaderValue(etag);
        foreach (var tag in wanted)
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false)) return true;
        return false;
    }

    /// <summary>
    /// The JSON of <paramref name="occurrences"/>, written straight into bytes: a month of a busy workspace is thousands of
    /// occurrences, and building an object and two date strings for each before serializing them cost more than reading
    /// them. Same JSON, same names and order as <see cref="ApiOccurrence"/> serialized with the API's options (a test compares).
    /// </summary>
    public static byte[] Write(IReadOnlyList<CalendarOccurrence> occurrences, DateTimeZone zone, JavaScriptEncoder? encoder)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + occurrences.Count * 200);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder, SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray(OccurrencesName);
            Span<char> time = stackalloc char[IsoTimes.WithOffsetLength];
            foreach (var occurrence in occurrences) Write(json, occurrence, zone, time);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly JsonEncodedText OccurrencesName = JsonEncodedText.Encode("occurrences");
    private static readonly JsonEncodedText PostIdName = JsonEncodedText.Encode("postId");
    private static readonly JsonEncodedText OccurrenceDateName = JsonEncodedText.Encode("occurrenceDate");
    private static readonly JsonEncodedText StartName = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText StartUtcName = JsonEncodedText.Encode("startUtc");
    private static readonly JsonEncodedText NetworksName = JsonEncodedText.Encode("networks");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");

    private static void Write(Utf8JsonWriter json, CalendarOccurrence occurrence, DateTimeZone zone, Span<char> buffer)
    {
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

/// <summary>
/// The <c>/calendar</c> answers last written, by window fingerprint: a calendar asks for the same month again and again
/// (each reload, each script's poll) and between two changes the posts read give the same bytes. Nothing to invalidate:
/// a change of any post in the window is a new fingerprint; unused answers leave after a while or when the budget is full.
/// </summary>
internal sealed class CalendarAnswers : IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    /// <summary>Bytes of JSON kept per node at most (a busy month is about 600 KB).</summary>
    private const long MaxBytesKept = 32L * 1024 * 1024;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxBytesKept });

    public void Dispose() => cache.Dispose();

    /// <summary>The answer of the window read, written once per fingerprint.</summary>
    public CalendarJson Of(CalendarWindow.WindowRead read, JavaScriptEncoder? encoder)
    {
        // A quoted 128-bit tag is enough to tell two answers apart; the cache keys on the whole fingerprint.
        var etag = $"\"{read.Fingerprint[..32]}\"";
        if (cache.TryGetValue(read.Fingerprint, out byte[]? body)) return new CalendarJson(body, etag);
        body = CalendarJson.Write(read.Occurrences(), read.Zone, encoder);
        cache.Set(read.Fingerprint, body, new MemoryCacheEntryOptions { SlidingExpiration = KeptFor, Size = body.Length });
        return new CalendarJson(body, etag);
    }
}
