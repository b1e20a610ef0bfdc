using System.Text.Json.Serialization;

namespace Gapless.Providers.Binance.Models;

/// <summary>Binance's error answer: <c>{"code":-1121,"msg":"Invalid symbol."}</c>.</summary>
internal sealed record BinanceErrorBody(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("msg")] string? Msg);
