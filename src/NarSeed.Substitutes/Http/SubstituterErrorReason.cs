namespace NarSeed.Substitutes.Http;

/// <summary>Why a request to a substituter failed after its retries.</summary>
public enum SubstituterErrorReason
{
    HttpStatus,
    Timeout,
    Network,
    TooLarge,
    BadRedirect,
    TooManyRedirects,
    BadResponse,
    NotFound,
}
