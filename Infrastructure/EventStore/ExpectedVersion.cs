namespace CartGraph.Infrastructure.EventStore;

/// <summary>What an append expects of its stream; a mismatch is a conflict and nothing is written.</summary>
public abstract record ExpectedVersion
{
    private ExpectedVersion() { }

    public static readonly ExpectedVersion Any = new AnyVersion();
    public static readonly ExpectedVersion NoStream = new NoStreamYet();
    public static readonly ExpectedVersion StreamExists = new ExistingStream();

    /// <summary>The stream is exactly at this position (0: it does not exist yet).</summary>
    public static ExpectedVersion Exactly(long position) => position == 0 ? NoStream : new ExactPosition(position);

    /// <summary>No expectation: appends after whatever position the stream is at, creating it if needed.</summary>
    public sealed record AnyVersion : ExpectedVersion
    {
        public override string ToString() => "any";
    }

    public sealed record NoStreamYet : ExpectedVersion
    {
        public override string ToString() => "no stream";
    }

    public sealed record ExistingStream : ExpectedVersion
    {
        public override string ToString() => "an existing stream";
    }

    public sealed record ExactPosition(long Position) : ExpectedVersion
    {
        public override string ToString() => $"position {Position}";
    }
}
