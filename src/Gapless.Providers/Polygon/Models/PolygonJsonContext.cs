using System.Text.Json.Serialization;

namespace Gapless.Providers.Polygon.Models;

/// <summary>Source-generated deserializers for the Polygon wire types read through System.Text.Json.</summary>
[JsonSerializable(typeof(PolygonErrorBody))]
internal sealed partial class PolygonJsonContext : JsonSerializerContext;
