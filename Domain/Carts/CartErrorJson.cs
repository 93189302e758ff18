using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using static CartGraph.Domain.Carts.CartError;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>
/// The storage contract of cart errors (a remembered rejection): an object with the error's <c>code</c> and its details
/// in camelCase. Pure; an unknown code or a malformed object reads as None.
/// </summary>
public static class CartErrorJson
{
    public static readonly ErrorCodec<CartError> Codec = new(Serialize, Deserialize);

    public static string Serialize(CartError error)
    {
        var json = new JsonObject { ["code"] = error.Code };
        switch (error)
        {
            case CartClosed e: json["status"] = e.Status.ToString(); break;
            case ItemNotInCart e: json["sku"] = e.Sku; break;
            case InsufficientQuantity e: (json["sku"], json["requested"], json["available"]) = (e.Sku, e.Requested, e.Available); break;
            case ItemDetailsMismatch e: (json["sku"], json["existingName"], json["existingUnitPrice"]) = (e.Sku, e.ExistingName, e.ExistingUnitPrice); break;
            case QuantityLimitExceeded e: (json["sku"], json["limit"]) = (e.Sku, e.Limit); break;
            case TooManyItems e: json["limit"] = e.Limit; break;
            case TotalMismatch e: (json["expected"], json["given"]) = (e.Expected, e.Given); break;
            case UnsupportedCommand e: (json["state"], json["command"]) = (e.State, e.Command); break;
        }
        return json.ToJsonString();
    }

    public static Option<CartError> Deserialize(string text)
    {
        try
        {
            var json = JsonNode.Parse(text)!.AsObject();
            string S(string name) => json[name]!.GetValue<string>();
            int I(string name) => json[name]!.GetValue<int>();
            decimal D(string name) => json[name]!.GetValue<decimal>();
            return S("code") switch
            {
                "CART_NOT_FOUND" => Some<CartError>(new CartNotFound()),
                "CART_ALREADY_EXISTS" => new CartAlreadyExists(),
                "CART_CLOSED" when Enum.TryParse<CartStatus>(S("status"), out var status) => new CartClosed(status),
                "ITEM_NOT_IN_CART" => new ItemNotInCart(S("sku")),
                "INSUFFICIENT_QUANTITY" => new InsufficientQuantity(S("sku"), I("requested"), I("available")),
                "ITEM_DETAILS_MISMATCH" => new ItemDetailsMismatch(S("sku"), S("existingName"), D("existingUnitPrice")),
                "QUANTITY_LIMIT_EXCEEDED" => new QuantityLimitExceeded(S("sku"), I("limit")),
                "TOO_MANY_ITEMS" => new TooManyItems(I("limit")),
                "CART_IS_EMPTY" => new CartIsEmpty(),
                "TOTAL_MISMATCH" => new TotalMismatch(D("expected"), D("given")),
                "UNSUPPORTED_COMMAND" => new UnsupportedCommand(S("state"), S("command")),
                _ => None,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return None;
        }
    }
}
