using CmPortal.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Unit;

/// <summary>A request the client cut short is answered as the client's error, never as the portal's.</summary>
public sealed class ClientRequestErrorsTests
{
    private static DefaultHttpContext Context() =>
        new() { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };

    [Fact]
    public async Task A_body_cut_short_by_the_client_gets_its_400_and_does_not_reach_the_server_error_handler()
    {
        var context = Context();
        await ClientRequestErrors.InvokeAsync(context, _ => throw new BadHttpRequestException("Unexpected end of request content.", 400));
        Assert.Equal(400, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_body_too_large_keeps_the_status_kestrel_gave_it()
    {
        var context = Context();
        await ClientRequestErrors.InvokeAsync(context, _ => throw new BadHttpRequestException("Request body too large.", 413));
        Assert.Equal(413, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_real_server_fault_still_goes_to_the_error_handler()
    {
        var context = Context();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ClientRequestErrors.InvokeAsync(context, _ => throw new InvalidOperationException("bug")));
    }
}
