using System.Text.Json.Serialization;

namespace Gapless.Providers.Alpaca.Models;

/// <summary>
/// Alpaca's error answer: <c>{"code":42210000,"message":"…"}</c>, or without <c>code</c>
/// (<c>{"message":"subscription does not permit querying recent SIP data"}</c>).
/// </summary>
internal sealed record AlpacaErrorBody(
    [property: JsonPropertyName("code")] long? Code,
    [property: JsonPropertyName("message")] string? Message);
