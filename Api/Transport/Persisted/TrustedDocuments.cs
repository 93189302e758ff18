using System.Collections.Frozen;
using System.Security.Claims;
using GraphQLParser.AST;

namespace CartGraph.Api.Transport.Persisted;

/// <summary>
/// The documents a client may name by id instead of sending their text (GraphQL over HTTP's persisted documents, and
/// the hashes of Apollo's persisted queries), and whether they are the only documents served: an operation allow-list.
/// </summary>
/// <remarks>A record: configure with <c>with { ... }</c>. The transport knows nothing of what the documents are about.</remarks>
public sealed record TrustedDocuments
{
    public static readonly TrustedDocuments None = new();

    /// <summary>Each document's text by its id, <c>sha256:&lt;hex&gt;</c> of that text (other ids can only be named).</summary>
    public IReadOnlyDictionary<string, string> Documents { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Refuse every other document with TRUSTED_DOCUMENTS_ONLY. A text whose SHA-256 is a trusted id is trusted.</summary>
    public bool Only { get; init; }

    /// <summary>With <see cref="Only"/>: still run documents whose operation only introspects (<c>__schema</c>, <c>__type</c>, <c>__typename</c>).</summary>
    public bool AllowIntrospection { get; init; }

    /// <summary>With <see cref="Only"/>: callers who may run any document, e.g. an IDE served in development.</summary>
    public Func<ClaimsPrincipal, bool>? MayRunAnyDocument { get; init; }

    /// <summary>Whether the document whose text has this lower-case hex SHA-256 is trusted.</summary>
    public bool ContainsSha256(string sha256) => Documents.ContainsKey(DocumentIds.Sha256Prefix + sha256);

    /// <summary>Whether a document must be refused before it is even parsed: only introspection could still let it run.</summary>
    internal bool RefusesUnparsed(bool trusted, ClaimsPrincipal user) =>
        Only && !trusted && !AllowIntrospection && MayRunAnyDocument?.Invoke(user) != true;

    /// <summary>Whether the parsed document must be refused.</summary>
    internal bool Refuses(bool trusted, ClaimsPrincipal user, GraphQLDocument document, GraphQLOperationDefinition? operation) =>
        Only && !trusted && MayRunAnyDocument?.Invoke(user) != true
        && !(AllowIntrospection && operation is not null && OnlyIntrospects(document, operation.SelectionSet, []));

    /// <summary>Every root field, through fragments, is <c>__schema</c>, <c>__type</c> or <c>__typename</c>.</summary>
    private static bool OnlyIntrospects(GraphQLDocument document, GraphQLSelectionSet set, HashSet<string> entered) =>
        set.Selections.All(selection => selection switch
        {
            GraphQLField field => field.Name.Value.Span is "__schema" or "__type" or "__typename",
            GraphQLInlineFragment inline => OnlyIntrospects(document, inline.SelectionSet, entered),
            GraphQLFragmentSpread spread => entered.Add(spread.FragmentName.Name.StringValue)
                && document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == spread.FragmentName.Name.StringValue) is { } fragment
                && OnlyIntrospects(document, fragment.SelectionSet, entered),
            _ => false,
        });
}
