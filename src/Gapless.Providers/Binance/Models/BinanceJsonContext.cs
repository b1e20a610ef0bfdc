using System.Text.Json.Serialization;

namespace Gapless.Providers.Binance.Models;

/// <summary>Source-generated (de)serializers for the Binance wire types read through System.Text.Json.</summary>
[JsonSerializable(typeof(ExchangeInfoResponse))]
[JsonSerializable(typeof(BinanceErrorBody))]
internal sealed partial class BinanceJsonContext : JsonSerializerContext;
