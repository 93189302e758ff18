using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Carts;

/// <summary>
/// Why a command to a cart changed nothing: one of the cart's rules (<see cref="Rejected"/>, the decider's own
/// <see cref="CartError"/>), or what the service checks around the decider, none of them a business rule.
/// </summary>
public abstract record CartFailure
{
    private CartFailure() { }

    public abstract string Code { get; }
    public abstract string Message { get; }

    /// <summary>One invalid field of the input; every invalid field is reported at once.</summary>
    public sealed record Invalid(string Field, string Reason) : CartFailure
    {
        public override string Code => "VALIDATION_ERROR";
        public override string Message => $"{Field} {Reason}";

        public static Invalid From(InvalidInput input) => new(input.Field, input.Reason);
    }

    /// <summary>The sender may not act for this tenant.</summary>
    public sealed record Forbidden(string TenantId) : CartFailure
    {
        public override string Code => "FORBIDDEN";
        public override string Message => $"You may not act for tenant '{TenantId}'.";
    }

    /// <summary>The tenant sent more mutations than its rate allows; nothing was done.</summary>
    public sealed record RateLimited(string TenantId, TimeSpan RetryAfter) : CartFailure
    {
        public override string Code => "RATE_LIMITED";
        public override string Message =>
            $"Tenant '{TenantId}' sends mutations faster than allowed: retry after {Math.Ceiling(RetryAfter.TotalMilliseconds)} ms.";
    }

    /// <summary>The decider refused: a rule of the cart.</summary>
    public sealed record Rejected(CartError Error) : CartFailure
    {
        public override string Code => Error.Code;
        public override string Message => Error.Message;
    }

    /// <summary>The cart moved on since the version the sender based its command on (only a sender that gave one sees this).</summary>
    public sealed record ConcurrencyConflict(string CartId, long ExpectedVersion, long ActualVersion) : CartFailure
    {
        public override string Code => "CONCURRENCY_CONFLICT";
        public override string Message =>
            $"Cart '{CartId}' is at version {ActualVersion}, not {ExpectedVersion}: read it again and retry.";

        public static ConcurrencyConflict From(StreamError.WrongExpectedVersion conflict) =>
            new(conflict.StreamId, conflict.Expected is ExpectedVersion.ExactPosition p ? p.Position : 0, conflict.Actual);
    }

    /// <summary>The cart was archived: its history is kept, it takes no more commands.</summary>
    public sealed record CartArchived(string CartId) : CartFailure
    {
        public override string Code => "CART_ARCHIVED";
        public override string Message => $"Cart '{CartId}' is archived and takes no more commands.";
    }

    /// <summary>
    /// An event of the cart cannot be read (stored malformed by another writer, or of a schema version this version does
    /// not know): its state is unknown, so no command is decided on it. Why exactly is for the logs, not the client.
    /// </summary>
    public sealed record CartUnreadable(string CartId, long Position, string EventType) : CartFailure
    {
        public override string Code => "CART_UNREADABLE";
        public override string Message =>
            $"Cart '{CartId}' cannot be read: its event at version {Position} ({EventType}) is not in a form this service reads. Nothing was changed.";

        public static CartUnreadable From(StreamError.UnreadableMessage error) => new(error.StreamId, error.Position, error.MessageType);
    }

    /// <summary>The idempotency key was used on this cart by a command with other input: nothing was done.</summary>
    public sealed record IdempotencyKeyReused(string IdempotencyKey) : CartFailure
    {
        public override string Code => "IDEMPOTENCY_KEY_REUSED";
        public override string Message =>
            $"The idempotency key '{IdempotencyKey}' was used on this cart by a command with other input: use a new key for a new command.";
    }
}
