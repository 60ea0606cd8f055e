using System.Reflection;
using System.Text.Json;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Events;

/// <summary>
/// Names an event type for storage: <c>[ModuleEvent("ContentCalendar.PostApproved")]</c>. The name, not the
/// CLR type, is what is stored, so a renamed class keeps its stored events.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModuleEventAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The stored name of <paramref name="eventType"/>; throws when it has no <see cref="ModuleEventAttribute"/>.</summary>
    public static string NameOf(Type eventType) =>
        eventType.GetCustomAttribute<ModuleEventAttribute>()?.Name
        ?? throw new InvalidOperationException($"{eventType.Name} is not a module event: add [ModuleEvent(\"Module.EventName\")] to it.");
}

/// <summary>Raises module events: stored in the caller's transaction, handled after it commits.</summary>
public interface IModuleEvents
{
    /// <summary>
    /// Stores <paramref name="moduleEvent"/> for the current workspace, in the scope's open transaction when there
    /// is one (the scope's <see cref="PortalConnection"/> transaction or one a DbContext of the scope began), so an
    /// event raised in work that rolls back never happened. Handlers run later, in the background.
    /// </summary>
    Task RaiseAsync<TEvent>(TEvent moduleEvent, CancellationToken ct = default) where TEvent : class;

    /// <summary>As <see cref="RaiseAsync{TEvent}"/>, for the workspace <paramref name="workspaceId"/> when the work is
    /// not done in it (the host's admin, a recipe creating it).</summary>
    Task RaiseForAsync<TEvent>(Guid workspaceId, TEvent moduleEvent, CancellationToken ct = default) where TEvent : class;
}

/// <summary>Runs after an event's transaction committed, in a scope of its own set to the event's workspace,
/// only where the handler's module is on. Delivery is at least once: a handler that failed is run again.</summary>
public interface IModuleEventHandler<in TEvent> where TEvent : class
{
    Task HandleAsync(TEvent moduleEvent, CancellationToken ct);
}

/// <summary>A handler a module registered (<c>module.AddEventHandler&lt;TEvent, THandler&gt;()</c>).</summary>
public sealed record ModuleEventHandlerRegistration(string ModuleId, string EventName, Type EventType, Type HandlerType)
{
    /// <summary>Stable identity of the handler in <c>Core_ModuleEventDeliveries</c>.</summary>
    public string Key => $"{ModuleId}:{HandlerType.FullName}";

    internal Task InvokeAsync(IServiceProvider services, string payload, CancellationToken ct)
    {
        var moduleEvent = JsonSerializer.Deserialize(payload, EventType, ModuleEventJson.Options)
            ?? throw new InvalidOperationException($"Event {EventName} has an empty payload.");
        var handler = services.GetRequiredService(HandlerType);
        var handle = typeof(IModuleEventHandler<>).MakeGenericType(EventType).GetMethod(nameof(IModuleEventHandler<object>.HandleAsync))!;
        return (Task)handle.Invoke(handler, [moduleEvent, ct])!;
    }
}

internal static class ModuleEventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

public enum ModuleEventState { Pending = 0, Handled = 1, Failed = 2 }

/// <summary>A raised event waiting for (or done with) its handlers: a row of <c>Core_ModuleEvents</c>.</summary>
public sealed class StoredModuleEvent
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Payload { get; set; }
    public DateTime RaisedUtc { get; set; }
    public ModuleEventState State { get; set; }
    /// <summary>Failed rounds so far (a round runs every handler not yet done).</summary>
    public int Attempts { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public string? LastError { get; set; }
    public DateTime? HandledUtc { get; set; }
}

/// <summary>One handler done with one event, so a retry after another handler failed does not run it again.</summary>
public sealed class ModuleEventDelivery
{
    public Guid EventId { get; set; }
    public required string Handler { get; set; }
    public DateTime HandledUtc { get; set; }
}

internal sealed class ModuleEvents(IServiceProvider services, PortalConnection connection, WorkspaceContext workspace, TimeProvider time)
    : IModuleEvents, IAsyncDisposable
{
    // A context of its own, so raising an event never saves changes the caller left pending in the scope's CoreDbContext.
    private CoreDbContext? _db;

    public Task RaiseAsync<TEvent>(TEvent moduleEvent, CancellationToken ct = default) where TEvent : class =>
        RaiseForAsync(workspace.Current?.Id ?? throw new InvalidOperationException(
            $"Event {ModuleEventAttribute.NameOf(typeof(TEvent))} cannot be raised outside a workspace."), moduleEvent, ct);

    public async Task RaiseForAsync<TEvent>(Guid workspaceId, TEvent moduleEvent, CancellationToken ct = default) where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(moduleEvent);
        var name = ModuleEventAttribute.NameOf(moduleEvent.GetType());
        var now = time.GetUtcNow().UtcDateTime;
        _db ??= ActivatorUtilities.CreateInstance<CoreDbContext>(services);
        var transaction = connection.CurrentTransaction;
        var joined = transaction is not null && _db.Database.CurrentTransaction is null;
        if (joined) _db.Database.UseTransaction(transaction);
        try
        {
            var row = new StoredModuleEvent
            {
                Id = Guid.NewGuid(), WorkspaceId = workspaceId, Name = name, RaisedUtc = now, NextAttemptUtc = now,
                Payload = JsonSerializer.Serialize(moduleEvent, moduleEvent.GetType(), ModuleEventJson.Options),
            };
            _db.ModuleEvents.Add(row);
            await _db.SaveChangesAsync(ct);
            _db.ChangeTracker.Clear();
        }
        finally
        {
            if (joined) _db.Database.UseTransaction(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
    }
}
