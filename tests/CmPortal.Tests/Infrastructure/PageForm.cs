using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// A form of a page as a browser would submit it: its action and the fields it would post (hidden ones, the
/// antiforgery token, checked boxes, selected options), to change a few and post the rest as they are.
/// </summary>
public sealed class PageForm
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private PageForm(string action, List<KeyValuePair<string, string>> fields)
    {
        Action = action;
        _fields = fields;
    }

    public string Action { get; }

    /// <summary>The first value posted under the name, or null.</summary>
    public string? this[string name] => _fields.FirstOrDefault(f => f.Key == name) is { Key: not null } f ? f.Value : null;

    /// <summary>The first form of the page that <paramref name="selector"/> matches (e.g. <c>form[action$='/delete']</c>).</summary>
    public static PageForm Parse(string html, string selector = "main form")
    {
        var form = new HtmlParser().ParseDocument(html).QuerySelector(selector) as IHtmlFormElement
            ?? throw new Xunit.Sdk.XunitException($"The page has no form matching {selector}.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when input.Name is { Length: > 0 } name && !input.IsDisabled:
                    if (input.Type is "submit" or "button" or "file" or "image" or "reset") continue;
                    if (input.Type is "checkbox" or "radio" && !input.IsChecked) continue;
                    fields.Add(new(name, input.Type is "checkbox" or "radio" && !input.HasAttribute("value") ? "on" : input.Value));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name && !area.IsDisabled:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name && !select.IsDisabled:
                    if ((select.SelectedOptions.FirstOrDefault() ?? select.Options.FirstOrDefault()) is { } option) fields.Add(new(name, option.Value));
                    break;
            }
        }
        return new PageForm(form.GetAttribute("action") ?? "", fields);
    }

    /// <summary>Replaces every value posted under the name by this one (adds it when absent).</summary>
    public PageForm Set(string name, string value)
    {
        var index = _fields.FindIndex(f => f.Key == name);
        _fields.RemoveAll(f => f.Key == name);
        _fields.Insert(index < 0 ? _fields.Count : index, new(name, value));
        return this;
    }

    /// <summary>Ticks a checkbox: its value is posted before the hidden "false" that ASP.NET adds after it.</summary>
    public PageForm Check(string name) => Set(name, "true").Append(name, "false");

    private PageForm Append(string name, string value)
    {
        _fields.Add(new(name, value));
        return this;
    }

    /// <summary>Posts the form to its action with the same client, as the browser would.</summary>
    public Task<HttpResponseMessage> SubmitAsync(PortalClient client) => client.Http.PostAsync(Action, new FormUrlEncodedContent(_fields));
}
