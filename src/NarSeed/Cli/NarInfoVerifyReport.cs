using System.Text;
using System.Text.Json;
using NarSeed.Substitutes.Compression;

namespace NarSeed.Cli;

/// <summary>The JSON that `narseed narinfo verify` prints, and its exit code.</summary>
internal sealed class NarInfoVerifyReport
{
    public string? Dialect { get; set; }
    public string? StorePath { get; set; }
    public string? Signature { get; set; }
    public string? SignatureDetail { get; set; }
    public IReadOnlyList<string> ValidKeys { get; set; } = [];
    public NarVerification? Nar { get; set; }
    public string? Error { get; set; }

    /// <summary>0 when everything checked is good, 1 when a check failed, 2 when the input could not be read.</summary>
    public int ExitCode =>
        Error is not null ? 2
        : Signature == "valid" && (Nar is null || Nar.IsValid) ? 0
        : 1;

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (Dialect is not null) json.WriteString("dialect", Dialect);
            if (StorePath is not null) json.WriteString("store_path", StorePath);
            if (Signature is not null) json.WriteString("signature", Signature);
            if (SignatureDetail is not null) json.WriteString("signature_detail", SignatureDetail);
            if (Signature is not null)
            {
                json.WriteStartArray("valid_keys");
                foreach (var k in ValidKeys) json.WriteStringValue(k);
                json.WriteEndArray();
            }
            if (Nar is { } nar)
            {
                json.WriteString("file_hash", Outcome(nar.FileHash));
                json.WriteString("file_size", Outcome(nar.FileSize));
                json.WriteString("nar_hash", Outcome(nar.NarHash));
                json.WriteString("nar_size", Outcome(nar.NarSize));
                json.WriteString("actual_file_hash", nar.ActualFileHash.ToNix32String());
                json.WriteNumber("actual_file_size", nar.ActualFileSize);
                if (nar.ActualNarHash is not null) json.WriteString("actual_nar_hash", nar.ActualNarHash.ToNix32String());
                json.WriteNumber("actual_nar_size", nar.ActualNarSize);
                if (nar.DecodeError is not null) json.WriteString("decode_error", nar.DecodeError.Message);
                if (nar.FirstFailure is not null) json.WriteString("first_failure", nar.FirstFailure);
            }
            if (Error is not null) json.WriteString("error", Error);
            json.WriteBoolean("ok", ExitCode == 0);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Outcome(NarCheckOutcome outcome) => outcome switch
    {
        NarCheckOutcome.Ok => "ok",
        NarCheckOutcome.Mismatch => "mismatch",
        _ => "not_checked",
    };
}
