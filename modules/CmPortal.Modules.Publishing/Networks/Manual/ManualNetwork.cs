using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Channels;

namespace CmPortal.Modules.Publishing.Networks.Manual;

/// <summary>
/// A network the portal cannot reach (Instagram, Facebook, LinkedIn, TikTok…): at the due time the delivery is
/// handed to the channel's assignee, who is told, copies the text, downloads the images, posts by hand and marks it
/// published with its URL. Nothing is sent, so nothing can go out twice.
/// </summary>
internal sealed class ManualNetwork : IChannelNetwork
{
    public string Kind => "manual";

    public Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var id = request.Fields.GetValueOrDefault("network")?.Trim() ?? "";
        if (SocialNetworks.Find(id) is not { } network)
            return Task.FromResult(ConnectOutcome.Refused(new Problem("network", "Choose the network this channel posts to by hand.")));
        return Task.FromResult(new ConnectOutcome([], AccountName: network.Name,
            Settings: new Dictionary<string, string> { ["network"] = network.Id }));
    }

    public string NewDeliveryKey(DateTime utcNow) => "manual_" + Guid.CreateVersion7(new DateTimeOffset(utcNow, TimeSpan.Zero)).ToString("N");

    public Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct) =>
        Task.FromResult(new SendOutcome(SendStatus.HandedToPerson, request.SentParts, "Handed to the person who posts by hand."));

    /// <summary>Nothing was sent by the portal: there is nothing to find.</summary>
    public Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct) =>
        Task.FromResult(new ReconcileOutcome(ReconcileStatus.NotFound, request.SentParts));
}
