namespace NarSeed.Substitutes.Http;

/// <summary>A substituter request that failed for good. <see cref="Offset"/> is how many body bytes had arrived.</summary>
public sealed class SubstituterException : IOException
{
    public SubstituterException(SubstituterErrorReason reason, Uri uri, string detail, long offset = 0, int? statusCode = null, Exception? inner = null)
        : base($"{uri}: {reason}: {detail}", inner)
    {
        Reason = reason;
        Uri = uri;
        Offset = offset;
        StatusCode = statusCode;
    }

    public SubstituterErrorReason Reason { get; }

    public Uri Uri { get; }

    public long Offset { get; }

    public int? StatusCode { get; }
}
