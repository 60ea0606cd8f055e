using CmPortal.Web;

return await PortalProgram.RunAsync(args);

/// <summary>Makes the entry point visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
