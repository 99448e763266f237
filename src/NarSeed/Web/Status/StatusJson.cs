using System.Text.Json;
using System.Text.Json.Serialization;

namespace NarSeed.Web.Status;

/// <summary>JSON shape of the status API: camelCase names, numbers as numbers, nulls written.</summary>
internal static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new ReadOnlyMemoryHexConverter() },
    };

    /// <summary>Byte strings (info-hashes) as lower-case hex.</summary>
    private sealed class ReadOnlyMemoryHexConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert,
            JsonSerializerOptions options) => Convert.FromHexString(reader.GetString() ?? "");

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Convert.ToHexStringLower(value.Span));
    }
}
