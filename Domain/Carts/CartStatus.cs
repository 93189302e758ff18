namespace CartGraph.Domain.Carts;

/// <summary>A cart's lifecycle stage, as read models and clients see it.</summary>
public enum CartStatus
{
    Active,
    CheckedOut,
    Cancelled,
}
