using System.Collections.Concurrent;
using CmPortal.Modules.Inbox.Sources.Feeds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (ephemeral port) that serves whatever a test tells it per path: feeds, web
/// pages, redirects, slow or huge answers. It records each request's headers (conditional GET) and the bytes it sent.
/// </summary>
public sealed class FeedTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new();
    private long _bytesSent;

    private FeedTestServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public ConcurrentQueue<(string Path, IHeaderDictionary Headers)> Requests { get; } = new();
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public static async Task<FeedTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FeedTestServer(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server.Requests.Enqueue((path, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
            if (server._routes.TryGetValue(path, out var handler)) await handler(context);
            else context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public string Url(string path) => new Uri(BaseAddress, path.TrimStart('/')).AbsoluteUri;

    public void Map(string path, Func<HttpContext, Task> handler) => _routes[path] = handler;

    /// <summary>Serves these bytes with this Content-Type (charset included when given).</summary>
    public void Serve(string path, string contentType, byte[] body) => Map(path, async context =>
    {
        context.Response.ContentType = contentType;
        await WriteAsync(context, body);
    });

    public void Serve(string path, string contentType, string body) => Serve(path, contentType, System.Text.Encoding.UTF8.GetBytes(body));

    public void Redirect(string path, string location, int status = 302) => Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    public async Task WriteAsync(HttpContext context, byte[] bytes)
    {
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        Interlocked.Add(ref _bytesSent, bytes.Length);
    }

    /// <summary>A reader with the portal's own client registration (no automatic redirects) and these limits.</summary>
    internal static FeedReader Reader(FeedReaderOptions? options = null, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        FeedReader.Register(services);
        var provider = services.BuildServiceProvider();
        return new FeedReader(provider.GetRequiredService<IHttpClientFactory>(), options ?? new FeedReaderOptions(), clock ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
