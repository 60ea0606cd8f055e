using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>What the post editor's script asks the server while someone writes: the live checks and the recurrence preview.</summary>
public sealed class PostEditorEndpointTests
{
    private const string Posts = "/admin/maison-lumen/posts";

    private static async Task<JsonNode> CheckAsync(PortalClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Posts}/check") { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());
        var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task The_live_check_gives_each_variant_its_count_and_tells_errors_from_warnings_which_can_be_acknowledged()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var tooLong = string.Join(" ", Enumerable.Repeat("bougies", 50)); // 399 characters

        var result = await CheckAsync(admin, new
        {
            text = "Nos bougies #MaisonLumen", networks = new[] { "instagram", "x" }, variants = new Dictionary<string, string> { ["x"] = tooLong },
        });
        var variants = result["variants"]!.AsArray();
        var x = variants.Single(v => (string?)v!["network"] == "x")!;
        Assert.Equal((399, 280, 1), ((int)x["length"]!, (int)x["maxLength"]!, (int)x["errors"]!));
        var error = x["issues"]!.AsArray().Single(i => (string?)i!["severity"] == "error")!;
        Assert.Equal(("TooLong", "Trop long"), ((string?)error["kind"], (string?)error["label"]));
        // Instagram checks the main text, within its limit: no error.
        var instagram = variants.Single(v => (string?)v!["network"] == "instagram")!;
        Assert.Equal((24, 0), ((int)instagram["length"]!, (int)instagram["errors"]!));

        // A banned term of the editorial line is a warning; once acknowledged, it comes back ticked and no longer counts.
        var first = await CheckAsync(admin, new { text = "Nos bougies pas cher #MaisonLumen", networks = new[] { "instagram" } });
        var warning = first["variants"]![0]!["issues"]!.AsArray().FirstOrDefault(i => (string?)i!["severity"] == "warning");
        Assert.NotNull(warning);
        var key = (string)warning["key"]!;
        var again = await CheckAsync(admin, new
        {
            text = "Nos bougies pas cher #MaisonLumen", networks = new[] { "instagram" },
            acknowledged = new Dictionary<string, string[]> { ["instagram"] = [key] },
        });
        var same = again["variants"]![0]!["issues"]!.AsArray().Single(i => (string?)i!["key"] == key)!;
        Assert.True((bool)same["acknowledged"]!);
        Assert.Equal((int)first["variants"]![0]!["warnings"]! - 1, (int)again["variants"]![0]!["warnings"]!);
    }

    [Fact]
    public async Task The_recurrence_preview_says_the_rule_in_words_and_gives_the_next_five_dates_across_the_change_of_time()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var json = JsonNode.Parse(await admin.GetStringAsync($"{Posts}/recurrence?rule=FREQ%3DWEEKLY%3BBYDAY%3DTU%3BCOUNT%3D10&start=2027-03-16T09:30&skipped=2027-03-23"))!;
        Assert.Equal("chaque mardi à 9\u00a0h\u00a030, 10\u00a0fois", (string?)json["summary"]);
        Assert.Equal(["2027-03-16", "2027-03-30", "2027-04-06", "2027-04-13", "2027-04-20"], json["next"]!.AsArray().Select(n => (string)n!["date"]!));
        Assert.StartsWith("mardi 30\u00a0mars\u00a02027 09:30", (string?)json["next"]![1]!["label"]);

        var bad = JsonNode.Parse(await admin.GetStringAsync($"{Posts}/recurrence?rule=FREQ%3DHOURLY&start=2027-03-16T09:30"))!;
        Assert.Equal("FREQ doit valoir DAILY, WEEKLY, MONTHLY ou YEARLY, pas HOURLY.", (string?)bad["problem"]);
    }
}
