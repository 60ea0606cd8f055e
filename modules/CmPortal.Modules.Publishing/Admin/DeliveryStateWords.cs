using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Contracts;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// The text a page shows for a delivery's state and an attempt's outcome (declared texts). The portal keeps one
/// translation per English text for every module, and "Published" reads « Publiée » (a charter, a reply); a delivery
/// is « un envoi » and an attempt « un essai », so their published state has a text of its own, « Publié ».
/// </summary>
internal static class DeliveryStateWords
{
    public static string Of(DeliveryState state) => state == DeliveryState.Published ? "Posted" : state.ToString();

    /// <summary>An attempt's outcome: <c>Unknown</c> says what it means.</summary>
    public static string Outcome(string outcome) => outcome switch
    {
        nameof(SendStatus.Unknown) => "No answer (maybe sent)",
        nameof(SendStatus.Published) => "Posted",
        _ => outcome,
    };
}
