namespace CmPortal.Fixtures.BadModule.Contracts;

/// <summary>A legitimate contract type: rule 2 must NOT report it (only LeakyHelper is a leak).</summary>
public interface IBadModuleGreeter
{
    string Greet(string name);
}
