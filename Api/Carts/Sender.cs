using System.Security.Claims;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Carts;

/// <summary>Who sends a command to a cart: what is checked before it runs, and what its events record of it.</summary>
public abstract record Sender
{
    private Sender() { }

    /// <summary>Carried in the metadata of the events the command appends: its correlation id and what caused it.</summary>
    public abstract MessageContext Context { get; init; }

    /// <summary>A client of the API: it acts only for the tenants its token names, within each tenant's rate of mutations.</summary>
    public sealed record Client(ClaimsPrincipal User, MessageContext Context) : Sender;

    /// <summary>The operator's own code (a verb, a spec), holding the database's credentials: trusted with every tenant, never rate limited.</summary>
    public sealed record Operator(MessageContext Context) : Sender;
}
