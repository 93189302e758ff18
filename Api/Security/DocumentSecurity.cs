using System.Security.Claims;
using CartGraph.Api.GraphQL.Documents;
using CartGraph.Api.Transport.Persisted;

namespace CartGraph.Api.Security;

/// <summary>
/// Which documents the API runs: configuration section <c>Security</c>. Open by default; with
/// <c>TrustedDocumentsOnly</c>, only the operations of Api/Operations (by <c>documentId</c>, by Apollo's persisted-query
/// hash, or as their exact text) and, with <c>AllowIntrospection</c>, introspection.
/// </summary>
public sealed record DocumentSecurity
{
    public const string Section = "Security";

    /// <summary>The subject of the token the Development IDE carries (see <see cref="SecurityServices"/>).</summary>
    public const string DevelopmentIdeSubject = "development-ide";

    public bool TrustedDocumentsOnly { get; init; }

    public bool AllowIntrospection { get; init; }

    /// <summary>In Development the IDE's own token may run any document, so Banana Cake Pop keeps working when trusted
    /// documents alone are served. Not read from configuration: set from the environment.</summary>
    public bool IdeRunsAnyDocument { get; init; }

    public static DocumentSecurity From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DocumentSecurity>() ?? new DocumentSecurity();

    /// <summary>The transports' trusted documents.</summary>
    public TrustedDocuments TrustedDocuments() => new()
    {
        Documents = OperationManifest.Documents,
        Only = TrustedDocumentsOnly,
        AllowIntrospection = AllowIntrospection,
        MayRunAnyDocument = IdeRunsAnyDocument ? IsDevelopmentIde : null,
    };

    private static bool IsDevelopmentIde(ClaimsPrincipal user) => user.FindFirstValue("sub") == DevelopmentIdeSubject;
}
