using System.Net;

namespace NarSeed.Hosting;

/// <summary>Parses the <c>--http</c> listen address: <c>ADDRESS:PORT</c>, <c>[IPv6]:PORT</c> or <c>localhost:PORT</c>.</summary>
public static class HttpEndpoint
{
    /// <summary>Port 0 is allowed: the system picks a free port and the node logs the one it got.</summary>
    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            return false;
        }
        var host = text[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            return false; // an IPv6 address needs brackets, or its last group reads as the port
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
