namespace CartGraph.Api.Ide;

/// <summary>
/// HTTP headers Banana Cake Pop puts on the documents it opens (and sends, lower-cased, as the WebSocket
/// <c>connection_init</c> payload), decided per request of <c>bcp-config.json</c>.
/// </summary>
/// <remarks>
/// The hook for the one-command start with auth (issue 6): in Development, register one that returns
/// <c>{"Authorization": "Bearer &lt;token for the demo tenant&gt;"}</c> with
/// <c>services.AddSingleton&lt;IdeHttpHeaders&gt;(...)</c>. Every registered one contributes, in registration order
/// (a later one wins a header both set); none registered, the IDE sends no extra header. Whatever they return is
/// readable by anyone who can reach <c>/graphql/ui/</c>, so only a development token belongs here.
/// </remarks>
public delegate IReadOnlyDictionary<string, string> IdeHttpHeaders(HttpContext request);
