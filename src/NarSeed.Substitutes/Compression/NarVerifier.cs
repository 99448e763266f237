using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Compression;

/// <summary>
/// Decodes a nar once and checks everything a narinfo promises: FileSize and FileHash of the raw bytes, NarSize and
/// NarHash of the decoded bytes. Decoding stops one byte past NarSize, so a decompression bomb costs bounded work.
/// </summary>
public static class NarVerifier
{
    private const int CopyBufferSize = 256 * 1024;

    public static async Task<NarVerification> VerifyAsync(Stream compressed, NarExpectation expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentNullException.ThrowIfNull(expected);
        var fileAlgorithm = expected.FileHash?.Algorithm ?? HashAlgorithmKind.Sha256;
        using var raw = new HashingReadStream(compressed, leaveOpen: true);
        NarDecodingException? error = null;
        long narBytes = 0;
        byte[]? narDigest = null;
        var buffer = new byte[CopyBufferSize];
        try
        {
            await using var decoded = NarDecoder.Open(expected.Compression, raw, leaveOpen: true);
            using var nar = new HashingReadStream(decoded, maxBytes: expected.NarSize, leaveOpen: true);
            while (await nar.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
            narBytes = nar.BytesRead;
            narDigest = nar.GetHash();
        }
        catch (NarDecodingException e) when (e.Reason == NarDecodingErrorReason.OutputTooLarge)
        {
            // More decoded bytes than NarSize: a size mismatch, not a broken stream.
            narBytes = e.Offset;
        }
        catch (NarDecodingException e)
        {
            error = e;
        }
        catch (InvalidDataException e)
        {
            // gzip and brotli from the BCL report corruption this way.
            error = new NarDecodingException(NarDecodingErrorReason.Corrupt, raw.BytesRead, e.Message);
        }
        // Hash the rest of the raw file so FileHash/FileSize are reported even when decoding stopped early.
        while (await raw.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
        var fileDigest = raw.GetHash();
        var actualFileHash = fileAlgorithm == HashAlgorithmKind.Sha256
            ? new NixHash(HashAlgorithmKind.Sha256, fileDigest)
            : null;
        NixHash? actualNarHash = narDigest is null ? null : new NixHash(HashAlgorithmKind.Sha256, narDigest);
        return new NarVerification(
            FileSize: expected.FileSize is { } fs ? (fs == raw.BytesRead ? NarCheckOutcome.Ok : NarCheckOutcome.Mismatch) : NarCheckOutcome.NotChecked,
            FileHash: expected.FileHash is null ? NarCheckOutcome.NotChecked
                : actualFileHash is not null && actualFileHash.Equals(expected.FileHash) ? NarCheckOutcome.Ok : NarCheckOutcome.Mismatch,
            NarSize: error is null && narBytes == expected.NarSize ? NarCheckOutcome.Ok : NarCheckOutcome.Mismatch,
            NarHash: error is null && actualNarHash is not null && expected.NarHash.Algorithm == HashAlgorithmKind.Sha256
                && actualNarHash.Equals(expected.NarHash) ? NarCheckOutcome.Ok : NarCheckOutcome.Mismatch,
            ActualFileSize: raw.BytesRead,
            ActualFileHash: new NixHash(HashAlgorithmKind.Sha256, fileDigest),
            ActualNarSize: narBytes,
            ActualNarHash: actualNarHash,
            DecodeError: error);
    }

    /// <summary>Opens <paramref name="path"/> and verifies it.</summary>
    public static async Task<NarVerification> VerifyFileAsync(string path, NarExpectation expected, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await VerifyAsync(file, expected, cancellationToken).ConfigureAwait(false);
    }
}
