using GraphQL.Types;

namespace CartGraph.Api.GraphQL.Relay;

/// <summary>Relay's global object identification: an object that <c>node(id:)</c> can fetch again by its <c>id</c>.</summary>
public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a global id: node(id:) fetches it again (Relay's global object identification).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Opaque and unique across the API; pass it to node(id:).");
    }
}
