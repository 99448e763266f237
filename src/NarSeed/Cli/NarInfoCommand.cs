using System.CommandLine;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Cli;

/// <summary>
/// `narseed narinfo verify NARINFO [--nar FILE] --trusted-key KEY...`: checks a Nix or Guix narinfo's signature and,
/// given the nar file, its FileHash/FileSize/NarHash/NarSize in one pass. Prints JSON; exit 0 only when all is good.
/// </summary>
public static class NarInfoCommand
{
    public static Command Create()
    {
        var narinfo = new Command("narinfo", "Inspect and verify narinfo files.");
        var file = new Argument<FileInfo>("NARINFO") { Description = "The narinfo file (Nix or Guix dialect)." };
        var nar = new Option<FileInfo?>("--nar") { Description = "The nar file the narinfo's URL points to." };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "A Nix key 'name:base64', or a file holding Nix keys or a Guix (public-key …) s-expression. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var verify = new Command("verify", "Verify a narinfo's signature and optionally its nar.");
        verify.Arguments.Add(file);
        verify.Options.Add(nar);
        verify.Options.Add(keys);
        verify.SetAction(async (parseResult, cancellationToken) =>
        {
            var report = await VerifyAsync(parseResult.GetValue(file)!, parseResult.GetValue(nar),
                parseResult.GetValue(keys) ?? [], cancellationToken);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(report.ToJson());
            return report.ExitCode;
        });
        narinfo.Subcommands.Add(verify);
        return narinfo;
    }

    internal static async Task<NarInfoVerifyReport> VerifyAsync(FileInfo narinfoFile, FileInfo? narFile, IReadOnlyList<string> keyArguments,
        CancellationToken cancellationToken)
    {
        var report = new NarInfoVerifyReport();
        try
        {
            var (nixKeys, guixKeys) = await ReadKeysAsync(keyArguments, cancellationToken);
            var bytes = await File.ReadAllBytesAsync(narinfoFile.FullName, cancellationToken);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            NarExpectation expectation;
            if (IsGuix(text))
            {
                var info = GuixNarInfo.Parse(bytes, StoreDirectoryOf(text));
                report.Dialect = "guix";
                report.StorePath = info.StorePath.FullPath;
                var verdict = GuixSignatureVerifier.Verify(info, guixKeys);
                report.Signature = verdict switch
                {
                    GuixSignatureVerdict.Valid => "valid",
                    GuixSignatureVerdict.Unsigned => "unsigned",
                    GuixSignatureVerdict.UnauthorizedKey => "untrusted",
                    _ => "invalid",
                };
                report.SignatureDetail = verdict.ToString();
                var size = narFile?.Exists == true ? narFile.Length : -1;
                var entry = info.Entries.FirstOrDefault(e => e.FileSize == size) ?? info.Entries.FirstOrDefault();
                expectation = new NarExpectation(entry?.Compression ?? CompressionMethod.None, null, entry?.FileSize, info.NarHash, info.NarSize);
            }
            else
            {
                var info = NixNarInfo.Parse(bytes, StoreDirectoryOf(text));
                report.Dialect = "nix";
                report.StorePath = info.StorePath.FullPath;
                var check = NixSignatureVerifier.Verify(info, nixKeys);
                report.Signature = check.Verdict.ToString().ToLowerInvariant();
                report.ValidKeys = check.ValidKeyNames;
                expectation = new NarExpectation(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize);
            }
            if (narFile is not null)
            {
                report.Nar = await NarVerifier.VerifyFileAsync(narFile.FullName, expectation, cancellationToken);
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or DllNotFoundException)
        {
            report.Error = e.Message;
        }
        return report;
    }

    private static bool IsGuix(string text) =>
        text.StartsWith("Signature:", StringComparison.Ordinal) || text.Contains("\nSignature:", StringComparison.Ordinal)
        || (!text.Contains("\nURL:", StringComparison.Ordinal) && !text.StartsWith("URL:", StringComparison.Ordinal));

    /// <summary>The store directory named by the StorePath line, so /gnu/store and custom stores work unchanged.</summary>
    private static string StoreDirectoryOf(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("StorePath:", StringComparison.Ordinal)) continue;
            var path = line["StorePath:".Length..].Trim();
            var slash = path.LastIndexOf('/');
            if (slash > 0) return path[..slash];
        }
        throw new NarInfoFormatException(NarInfoErrorReason.MissingField, 0, "StorePath missing.");
    }

    private static async Task<(List<NixPublicKey> Nix, List<GuixPublicKey> Guix)> ReadKeysAsync(IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var nix = new List<NixPublicKey>();
        var guix = new List<GuixPublicKey>();
        foreach (var argument in arguments)
        {
            if (!File.Exists(argument))
            {
                nix.Add(NixPublicKey.Parse(argument));
                continue;
            }
            var content = (await File.ReadAllTextAsync(argument, cancellationToken)).Trim();
            if (content.StartsWith('('))
            {
                guix.AddRange(GuixPublicKey.ParseAll(content));
            }
            else
            {
                nix.AddRange(content.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(NixPublicKey.Parse));
            }
        }
        return (nix, guix);
    }
}
