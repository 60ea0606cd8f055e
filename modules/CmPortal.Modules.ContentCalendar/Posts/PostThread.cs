using System.Text.Json;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// A variant as a thread (Mastodon replies, a Bluesky reply chain): its text is the first part, and the parts that
/// follow it are kept on the variant (<see cref="Data.PostVariant.Thread"/>), in order. Publishing sends them one
/// after the other, each replying to the one before, each exactly once.
/// </summary>
internal static class PostThread
{
    /// <summary>The most parts a thread has, its first text included (Bluesky and Mastodon accept more; readers rarely do).</summary>
    public const int MaxParts = 20;

    /// <summary>The networks where a post can be a thread (a reply chain of the account's own posts).</summary>
    public static readonly IReadOnlyList<string> Networks = ["mastodon", "bluesky", "x", "threads"];

    public static bool Threaded(string network) => Networks.Contains(network, StringComparer.Ordinal);

    /// <summary>The parts after the first, from the stored JSON; empty for a single post.</summary>
    public static IReadOnlyList<string> Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored)) return [];
        try { return JsonSerializer.Deserialize<List<string>>(stored)?.Where(p => p is not null).ToList() ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>What is stored for <paramref name="parts"/>: trimmed, blank parts left out; null when none is left.</summary>
    public static string? Serialize(IEnumerable<string>? parts)
    {
        var kept = Clean(parts);
        return kept.Count == 0 ? null : JsonSerializer.Serialize(kept);
    }

    /// <summary>The parts someone wrote, trimmed, without the blank ones (an editor's empty box is no part).</summary>
    public static IReadOnlyList<string> Clean(IEnumerable<string>? parts) =>
        (parts ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).ToList();
}
