using System.Diagnostics;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

// Expands 1,000 varied recurring posts over one year (2027) in their workspace's time zone, as the calendar will
// for a year view or a feed: rules parsed once, occurrences computed lazily and counted. Deterministic (seed 9).
var runs = args.Length > 0 ? int.Parse(args[0]) : 7;
const int Rules = 1000;
string[] zones = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata"];
string[] shapes =
[
    "FREQ=DAILY", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=60",
    "FREQ=MONTHLY", "FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE", "FREQ=YEARLY", "FREQ=YEARLY;BYDAY=1MO", "FREQ=WEEKLY;UNTIL=20270630", "FREQ=DAILY;UNTIL=20270915T120000Z",
];
var random = new Random(9);
var posts = new List<Occurrences>();
var parse = Stopwatch.StartNew();
for (var i = 0; i < Rules; i++)
{
    if (!RecurrenceRule.TryParse(shapes[i % shapes.Length], out var rule, out var problem)) throw new InvalidOperationException(problem!.ToString());
    var start = new LocalDateTime(2026, 1, 1, 0, 0).PlusDays(random.Next(0, 365)).PlusMinutes(random.Next(0, 24 * 4) * 15);
    var skipped = Enumerable.Range(0, random.Next(0, 4)).Select(_ => new LocalDate(2027, 1, 1).PlusDays(random.Next(0, 365)));
    posts.Add(new Occurrences(rule, start, zones[i % zones.Length], skipped));
}
parse.Stop();

long Expand()
{
    long count = 0;
    foreach (var post in posts)
    {
        var from = new LocalDate(2027, 1, 1).AtStartOfDayInZone(post.Zone).ToInstant();
        var to = new LocalDate(2028, 1, 1).AtStartOfDayInZone(post.Zone).ToInstant();
        foreach (var _ in post.Between(from, to)) count++;
    }
    return count;
}

var occurrences = Expand(); // warm-up: JIT and time zone data
var times = new List<double>();
for (var run = 0; run < runs; run++)
{
    var watch = Stopwatch.StartNew();
    if (Expand() != occurrences) throw new InvalidOperationException("runs differ");
    times.Add(watch.Elapsed.TotalMilliseconds);
}
times.Sort();
var median = times[times.Count / 2];
Console.WriteLine($"{Rules} rules ({shapes.Length} shapes, {zones.Length} time zones) parsed and set up in {parse.Elapsed.TotalMilliseconds:0.0} ms");
Console.WriteLine($"expanded over 2027: {occurrences} occurrences; median of {runs} runs {median:0.0} ms total (min {times[0]:0.0}, max {times[^1]:0.0})");
Console.WriteLine($"time per rule: {median * 1000 / Rules:0.0} µs; per occurrence: {median * 1_000_000 / occurrences:0} ns");
