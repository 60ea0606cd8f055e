using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// A token bucket per channel, so the outbox stays under a network's limit before the network has to say so:
/// Mastodon allows 300 posts per 5 minutes per account, Bluesky 1,600 record creations per hour. Per kind in the
/// settings (<c>Publishing:RateLimits:{kind}:Count</c> and <c>:Seconds</c>). Per node: with several nodes, each
/// keeps its own bucket, and the network's own 429 (honoured with its Retry-After) is the last guard.
/// </summary>
internal sealed class ChannelRateLimits
{
    private readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();
    private readonly Dictionary<string, (int Count, TimeSpan Per)> _limits = new(StringComparer.Ordinal)
    {
        ["mastodon"] = (300, TimeSpan.FromMinutes(5)),
        ["bluesky"] = (1600, TimeSpan.FromHours(1)),
    };

    public ChannelRateLimits(IConfiguration configuration)
    {
        foreach (var kind in configuration.GetSection("Publishing:RateLimits").GetChildren())
        {
            var count = kind.GetValue<int?>("Count");
            var seconds = kind.GetValue<double?>("Seconds");
            if (count is > 0 && seconds is > 0) _limits[kind.Key] = (count.Value, TimeSpan.FromSeconds(seconds.Value));
        }
    }

    /// <summary>Takes a token for the channel; when there is none, says how long until there is one.</summary>
    public TimeSpan? TryTake(Guid channelId, string kind, DateTime utcNow)
    {
        if (!_limits.TryGetValue(kind, out var limit)) return null;
        var bucket = _buckets.GetOrAdd(channelId, _ => new Bucket(limit.Count, limit.Per, utcNow));
        return bucket.TryTake(utcNow);
    }

    private sealed class Bucket(int capacity, TimeSpan per, DateTime start)
    {
        private readonly Lock _lock = new();
        private double _tokens = capacity;
        private DateTime _last = start;

        public TimeSpan? TryTake(DateTime now)
        {
            lock (_lock)
            {
                var perToken = per.TotalSeconds / capacity;
                if (now > _last) { _tokens = Math.Min(capacity, _tokens + (now - _last).TotalSeconds / perToken); _last = now; }
                if (_tokens >= 1) { _tokens -= 1; return null; }
                return TimeSpan.FromSeconds((1 - _tokens) * perToken);
            }
        }
    }
}
