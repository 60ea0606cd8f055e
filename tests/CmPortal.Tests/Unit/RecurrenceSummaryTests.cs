using System.Globalization;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>The rule in words next to the editor's preview, in French (with no-break spaces) and English.</summary>
public sealed class RecurrenceSummaryTests
{
    private const string S = "\u00a0";

    [Theory]
    [InlineData("FREQ=WEEKLY;BYDAY=TU;COUNT=10", "2027-01-05T09:30", "chaque mardi à 9" + S + "h" + S + "30, 10" + S + "fois", "every Tuesday at 9:30, 10" + S + "times")]
    [InlineData("FREQ=WEEKLY", "2027-01-05T09:05", "chaque mardi à 9" + S + "h" + S + "05", "every Tuesday at 9:05")]
    [InlineData("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO;UNTIL=20270630", "2027-01-04T18:00",
        "toutes les 2" + S + "semaines le lundi et le jeudi à 18" + S + "h, jusqu’au 30" + S + "juin" + S + "2027",
        "every 2" + S + "weeks on Monday and Thursday at 18:00, until June" + S + "30," + S + "2027")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20270601", "2027-01-04T08:00",
        "chaque semaine le lundi, le mercredi et le vendredi à 8" + S + "h, jusqu’au 1er" + S + "juin" + S + "2027",
        "every Monday, Wednesday and Friday at 8:00, until June" + S + "1," + S + "2027")]
    [InlineData("FREQ=MONTHLY;BYDAY=1TU", "2027-01-05T09:00", "le premier mardi de chaque mois à 9" + S + "h", "on the first Tuesday of every month at 9:00")]
    [InlineData("FREQ=MONTHLY;BYDAY=-1FR", "2027-01-29T17:30", "le dernier vendredi de chaque mois à 17" + S + "h" + S + "30", "on the last Friday of every month at 17:30")]
    [InlineData("FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE", "2027-01-13T12:00", "le deuxième mercredi, tous les 3" + S + "mois à 12" + S + "h", "on the second Wednesday, every 3" + S + "months at 12:00")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-01-31T12:00", "le dernier jour de chaque mois à 12" + S + "h", "on the last day of every month at 12:00")]
    [InlineData("FREQ=MONTHLY", "2027-01-15T12:00", "le 15 de chaque mois à 12" + S + "h", "on the 15th of every month at 12:00")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=1", "2027-01-01T12:00", "le 1er de chaque mois à 12" + S + "h", "on the 1st of every month at 12:00")]
    [InlineData("FREQ=YEARLY", "2028-02-29T09:00", "chaque année le 29" + S + "février (années bissextiles) à 9" + S + "h", "every year on February" + S + "29 (leap years) at 9:00")]
    [InlineData("FREQ=YEARLY;COUNT=1", "2027-03-01T10:00", "chaque année le 1er" + S + "mars à 10" + S + "h, 1" + S + "fois", "every year on March" + S + "1 at 10:00, once")]
    [InlineData("FREQ=DAILY;INTERVAL=3", "2027-03-01T07:45", "tous les 3" + S + "jours à 7" + S + "h" + S + "45", "every 3" + S + "days at 7:45")]
    [InlineData("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "2027-03-01T07:45", "chaque lundi, mardi, mercredi, jeudi et vendredi à 7" + S + "h" + S + "45", "every Monday, Tuesday, Wednesday, Thursday and Friday at 7:45")]
    public void A_rule_reads_as_a_sentence_in_French_and_English(string text, string start, string french, string english)
    {
        Assert.True(RecurrenceRule.TryParse(text, out var rule, out var problem), problem?.ToString());
        var at = LocalDateTime.FromDateTime(DateTime.Parse(start, CultureInfo.InvariantCulture));
        Assert.Equal(french, RecurrenceSummary.Describe(rule, at, new CultureInfo("fr-FR")));
        Assert.Equal(english, RecurrenceSummary.Describe(rule, at, new CultureInfo("en-US")));
    }

    [Fact]
    public void A_UTC_end_is_shown_as_the_workspace_date()
    {
        Assert.True(RecurrenceRule.TryParse("FREQ=DAILY;UNTIL=20270630T230000Z", out var rule, out _));
        var start = new LocalDateTime(2027, 6, 1, 9, 0);
        Assert.EndsWith("jusqu’au 1er" + S + "juillet" + S + "2027", RecurrenceSummary.Describe(rule, start, new CultureInfo("fr-FR"), DateTimeZoneProviders.Tzdb["Europe/Paris"]));
        Assert.EndsWith("jusqu’au 30" + S + "juin" + S + "2027", RecurrenceSummary.Describe(rule, start, new CultureInfo("fr-FR"), DateTimeZoneProviders.Tzdb["America/New_York"]));
    }
}
