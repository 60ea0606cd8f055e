using Microsoft.Extensions.Localization;

namespace CmPortal.Fixtures.BadModule;

/// <summary>Breaks rule 4: user data as a localizer key and as a format string.</summary>
internal sealed class LocalizedMessages(IStringLocalizer<LocalizedMessages> T)
{
    public string Welcome(string roleName) => T[roleName].Value;

    public string Greeting(string name) => T[$"Hello {name}"].Value;
}
