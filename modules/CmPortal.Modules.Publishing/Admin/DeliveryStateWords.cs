using CmPortal.Modules.Publishing.Data;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// The text a page shows for a delivery's state. The portal keeps one translation per English text for every module,
/// and "Published" reads « Publiée » (a charter, a reply); a delivery is « un envoi », so its published state has a
/// text of its own, « Publié ».
/// </summary>
internal static class DeliveryStateWords
{
    public static string Of(DeliveryState state) => state == DeliveryState.Published ? "Posted" : state.ToString();
}
