using System.Text.Json;
using CartGraph.Api.Transport;
using CartGraph.Api.Ide;
using CartGraph.Domain.Values;
using GraphQL.Execution;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CartGraph.Api.Security;

/// <summary>Bearer tokens on every request and socket, tenants checked on every operation, and the limits.</summary>
public static class SecurityServices
{
    /// <summary>The tenant the Development IDE acts for.</summary>
    public static readonly TenantId DemoTenant = TenantId.Parse("demo");

    public static void AddCartGraphSecurity(this WebApplicationBuilder builder)
    {
        var auth = AuthOptions.From(builder.Configuration);
        var limits = ApiLimits.From(builder.Configuration);
        var tokens = new Tokens(auth, SigningKeys.Resolve(auth, builder.Environment));
        var services = builder.Services;
        services.AddSingleton(auth);
        services.AddSingleton(limits);
        services.AddSingleton(DocumentSecurity.From(builder.Configuration) with { IdeRunsAnyDocument = builder.Environment.IsDevelopment() });
        services.AddSingleton(tokens);
        services.AddSingleton<TenantAccess>();
        services.AddSingleton<MutationRateLimiter>();
        services.AddSingleton<TenantConnectionLimiter>();
        services.AddSingleton<IGraphQLConnectionObserver>(provider => provider.GetRequiredService<TenantConnectionLimiter>());
        services.AddSingleton<SocketAuthenticator>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            bearer.MapInboundClaims = false;
            bearer.TokenValidationParameters = tokens.ValidationParameters;
            if (auth.Authority is { Length: > 0 } authority)
            {
                bearer.Authority = authority;
                bearer.Audience = auth.Audience;
            }
        });

        if (builder.Environment.IsDevelopment())
        {
            // The one-command start stays usable: the IDE served in Development carries a token for the demo tenant.
            var demo = tokens.Issue([DemoTenant], TimeSpan.FromDays(30), subject: DocumentSecurity.DevelopmentIdeSubject);
            services.AddSingleton<IdeHttpHeaders>(_ => new Dictionary<string, string> { ["Authorization"] = $"Bearer {demo}" });
        }
    }

    /// <summary>
    /// Depth and cost limits for documents. Introspection costs nothing and adds no depth (<see cref="OperationComplexityRule"/>):
    /// IDEs and code generators send one large introspection query, and what it reads is the schema, not the database.
    /// </summary>
    private static ComplexityOptions Complexity(ApiLimits limits)
    {
        var complexity = new ComplexityOptions { MaxDepth = limits.MaxQueryDepth, MaxComplexity = limits.MaxQueryComplexity };
        var standard = complexity.DefaultComplexityImpactDelegate;
        complexity.DefaultComplexityImpactDelegate = field =>
            field.ParentType.Name.StartsWith("__", StringComparison.Ordinal) || field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
                ? new FieldComplexityResult(0, 1)
                : standard(field);
        return complexity;
    }

    /// <summary>The transports' share of security: authentication required, limits, trusted documents, and the socket handshake.</summary>
    public static GraphQLTransportOptions WithSecurity(this GraphQLTransportOptions options, IServiceProvider services)
    {
        var limits = services.GetRequiredService<ApiLimits>();
        var documents = services.GetRequiredService<DocumentSecurity>();
        var sockets = services.GetRequiredService<SocketAuthenticator>();
        return options with
        {
            RequireAuthenticatedUser = true,
            AuthorizeConnection = sockets.AuthorizeAsync,
            MaxRequestBodyBytes = limits.MaxRequestBytes,
            MaxMessageBytes = limits.MaxRequestBytes,
            MaxOperationsPerConnection = limits.MaxOperationsPerConnection,
            MaxConcurrentSubscriptionsPerConnection = limits.MaxSubscriptionsPerConnection,
            MaxDocumentSelections = limits.MaxSelections,
            MaxFragmentNesting = limits.MaxQueryDepth,
            TrustedDocuments = documents.TrustedDocuments(),
            ValidationRules = [.. options.ValidationRules, new OperationComplexityRule(Complexity(limits))],
            ConfigureExecution = (execution, user) =>
            {
                options.ConfigureExecution?.Invoke(execution, user);
                execution.Timeout = limits.OperationTimeout;
                execution.TimeoutAction = TimeoutAction.ReturnTimeoutError;
            },
        };
    }
}
