namespace CmPortal.Modules.ContentCalendar.Api;

/// <summary>
/// The examples the OpenAPI document shows for posts and the calendar: the same as docs/api.md (keep both alike). The
/// request bodies are valid in the demo workspace (its pillars and networks), so a script can send them as they are.
/// French text keeps its non-breaking spaces, written \u00A0 in the JSON.
/// </summary>
internal static class PostsApiExamples
{
    public const string PostId = "5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90";

    public const string CreateRequest = """
        { "text": "L’atelier du mardi", "networks": ["mastodon", "bluesky"], "startsAt": "2027-03-23T09:30",
          "recurrence": "FREQ=WEEKLY;COUNT=4", "pillar": "Savoir-faire & atelier",
          "variants": { "bluesky": { "text": "L’atelier du mardi, côté Bluesky",
              "thread": ["Au programme\u00A0: la cire d’abeille", "Inscriptions sur le site 🕯️"] } } }
        """;

    public const string Post = """
        { "id": "5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90", "version": 1, "state": "draft", "text": "L’atelier du mardi",
          "startsAt": "2027-03-23T09:30", "startsAtUtc": "2027-03-23T08:30:00Z", "networks": ["mastodon", "bluesky"],
          "variants": { "mastodon": { "text": "L’atelier du mardi", "link": null, "thread": [] },
              "bluesky": { "text": "L’atelier du mardi, côté Bluesky", "link": null,
                  "thread": ["Au programme\u00A0: la cire d’abeille", "Inscriptions sur le site 🕯️"] } },
          "recurrence": "FREQ=WEEKLY;COUNT=4", "skippedDates": [], "summary": "chaque mardi à 9\u00A0h\u00A030, 4\u00A0fois",
          "pillar": "Savoir-faire & atelier", "campaign": null, "keyDate": null, "labels": [], "channels": [] }
        """;

    public const string UpdateRequest = """
        { "text": "L’atelier du mardi, v2", "networks": ["mastodon"], "startsAt": "2027-03-23T10:00" }
        """;

    public const string StateRequest = """{ "state": "inReview", "comment": "Prêt pour relecture" }""";

    public const string Page = """
        { "posts": [ { "id": "5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90", "version": 1, "state": "draft", "text": "L’atelier du mardi",
          "startsAt": "2027-03-23T09:30", "startsAtUtc": "2027-03-23T08:30:00Z", "networks": ["mastodon"],
          "variants": { "mastodon": { "text": "L’atelier du mardi", "link": null, "thread": [] } }, "recurrence": null, "skippedDates": [], "summary": null,
          "pillar": "Savoir-faire & atelier", "campaign": null, "keyDate": null, "labels": [], "channels": [] } ],
          "page": 1, "pageSize": 50, "total": 1 }
        """;

    public const string Calendar = """
        { "occurrences": [
          { "postId": "5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90", "occurrenceDate": "2027-03-22", "start": "2027-03-22T09:30:00+01:00",
            "startUtc": "2027-03-22T08:30:00Z", "networks": ["mastodon", "bluesky"], "state": "scheduled" },
          { "postId": "5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90", "occurrenceDate": "2027-03-29", "start": "2027-03-29T09:30:00+02:00",
            "startUtc": "2027-03-29T07:30:00Z", "networks": ["mastodon", "bluesky"], "state": "scheduled" } ] }
        """;

    public const string Invalid = """
        { "type": "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21", "title": "The request has problems", "status": 422,
          "detail": "“myspace” is not a network the portal knows. Use one of: facebook, instagram, linkedin, x, …",
          "errors": [ { "field": "networks", "message": "“myspace” is not a network the portal knows. Use one of: facebook, instagram, linkedin, x, …",
                        "template": "“{0}” is not a network the portal knows. Use one of: {1}." } ] }
        """;
}
