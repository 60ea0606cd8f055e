namespace CmPortal.Web;

/// <summary>
/// A request whose body was cut short (the browser left the page while a live check was posting) or is malformed at
/// the HTTP level is the client's fault: it gets its 4xx, and the log does not report a server error for it. Without
/// this, whether such a request was logged as an error depended on whether Kestrel had noticed the closed connection
/// before the exception handler looked.
/// </summary>
public static class ClientRequestErrors
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try { await next(context); }
        catch (BadHttpRequestException refused)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientRequestErrors))
                .LogDebug("A request to {Path} was refused at the HTTP level: {Reason}", context.Request.Path, refused.Message);
            if (!context.Response.HasStarted) context.Response.StatusCode = refused.StatusCode;
        }
    }
}
