using System.Text.Json.Serialization;

namespace Gapless.Providers.Polygon.Models;

/// <summary>
/// Polygon's refusals: <c>{"status":"ERROR","request_id":"…","error":"Unknown API Key"}</c>, and for plan
/// entitlements <c>{"status":"NOT_AUTHORIZED","request_id":"…","message":"Your plan doesn't include this data timeframe. …"}</c>
/// (the text is in <c>error</c> or in <c>message</c>, depending on the refusal).
/// </summary>
internal sealed record PolygonErrorBody(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message);
