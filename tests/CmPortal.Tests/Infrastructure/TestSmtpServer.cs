using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (the SmtpServer package) that requires a user name and password and keeps what
/// it receives, so tests read the e-mails the portal really sent over the protocol.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    public const string UserName = "portal";
    public const string Password = "smtp-test-secret";

    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly Inbox _inbox = new();

    public int Port { get; }

    private TestSmtpServer(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).AuthenticationRequired(true).AllowUnsecureAuthentication(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_inbox);
        services.Add(new PasswordCheck());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public static TestSmtpServer Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new TestSmtpServer(port);
    }

    /// <summary>The portal's settings that send through this server.</summary>
    public Dictionary<string, string?> Settings(string from = "Maison Lumen <cm@maison-lumen.test>") => new()
    {
        ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = Port.ToString(), ["Smtp:Security"] = "None",
        ["Smtp:UserName"] = UserName, ["Smtp:Password"] = Password, ["Smtp:From"] = from,
    };

    /// <summary>The messages received so far.</summary>
    public IReadOnlyList<MimeMessage> Messages => _inbox.Messages.ToList();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _server.Shutdown();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Inbox : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    private sealed class PasswordCheck : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(user == UserName && password == Password);
    }
}
