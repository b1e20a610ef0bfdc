using System.Text.Json.Serialization;

namespace Gapless.Providers.Alpaca.Models;

/// <summary>Source-generated (de)serializers for the Alpaca wire types read through System.Text.Json.</summary>
[JsonSerializable(typeof(AlpacaErrorBody))]
internal sealed partial class AlpacaJsonContext : JsonSerializerContext;
