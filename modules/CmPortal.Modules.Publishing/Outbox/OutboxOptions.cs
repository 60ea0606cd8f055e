using Microsoft.Extensions.Configuration;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// How the outbox sends (section <c>Publishing</c> of the settings). The defaults suit production; tests shorten
/// the waits.
/// </summary>
internal sealed class OutboxOptions
{
    /// <summary>Whether this node sends (every node does by default; a node may be kept out of it).</summary>
    public bool DispatcherEnabled { get; init; } = true;

    /// <summary>How long an idle dispatcher waits before looking for due deliveries again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Deliveries a node sends at once (each to its network).</summary>
    public int Parallelism { get; init; } = 32;

    /// <summary>How many due deliveries a node claims in one go.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// How far ahead the stager prepares deliveries (<see cref="OutboxStager"/>): claimed, their post and channel read
    /// and their request built before their instant, so that the instant costs one call to the network each. Zero: no
    /// staging, every delivery goes the one-by-one way (docs/publishing.md, "Staging").
    /// </summary>
    public TimeSpan StageAhead { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How many deliveries one staging round claims (a node stages its share in rounds; others take theirs).</summary>
    public int StageBatchSize { get; init; } = 1000;

    /// <summary>Staged deliveries a node sends at once at their instant (per-channel rate limits still apply).</summary>
    public int StageParallelism { get; init; } = 512;

    /// <summary>How long a claim holds: past it, another node reconciles the delivery and takes it over.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The first retry's wait; each next one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery fails for good.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>How far ahead the planner materialises deliveries.</summary>
    public TimeSpan PlanAhead { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How far back the planner still plans occurrences missed while no node ran (they go out late, visibly).</summary>
    public TimeSpan PlanBehind { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Past this age, the oldest due delivery not yet sent makes /health degraded and the dashboard warn.</summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromMinutes(2);

    public static OutboxOptions From(IConfiguration configuration)
    {
        var s = configuration.GetSection("Publishing");
        return new OutboxOptions
        {
            DispatcherEnabled = s.GetValue("DispatcherEnabled", true),
            PollInterval = TimeSpan.FromMilliseconds(s.GetValue("PollMilliseconds", 300)),
            Parallelism = Math.Max(1, s.GetValue("Parallelism", 32)),
            BatchSize = Math.Max(1, s.GetValue("BatchSize", 64)),
            Lease = TimeSpan.FromSeconds(s.GetValue("LeaseSeconds", 120.0)),
            StageAhead = TimeSpan.FromSeconds(Math.Max(0, s.GetValue("StageAheadSeconds", 90.0))),
            StageBatchSize = Math.Max(1, s.GetValue("StageBatchSize", 1000)),
            StageParallelism = Math.Max(1, s.GetValue("StageParallelism", 512)),
            RetryBase = TimeSpan.FromSeconds(s.GetValue("RetryBaseSeconds", 30.0)),
            MaxRetryDelay = TimeSpan.FromSeconds(s.GetValue("MaxRetryDelaySeconds", 3600.0)),
            MaxAttempts = Math.Max(1, s.GetValue("MaxAttempts", 8)),
            LateAfter = TimeSpan.FromSeconds(s.GetValue("LateAfterSeconds", 120.0)),
        };
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: doubling, capped, ±20 % jitter so retries do not come in waves.</summary>
    public TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 20);
        var delay = Math.Min(RetryBase.TotalMilliseconds * Math.Pow(2, exponent), MaxRetryDelay.TotalMilliseconds);
        delay *= 0.8 + Random.Shared.NextDouble() * 0.4;
        var wait = TimeSpan.FromMilliseconds(delay);
        return retryAfter is { } asked && asked > wait ? asked : wait;
    }
}
