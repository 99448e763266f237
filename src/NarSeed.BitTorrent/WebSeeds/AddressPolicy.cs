using System.Net;
using System.Net.Sockets;

namespace NarSeed.BitTorrent.WebSeeds;

/// <summary>
/// Which addresses are private (loopback, RFC 1918, link-local, CGNAT, unique-local, unspecified): a web seed on a
/// public address may not redirect to one of them (libtorrent's <c>ssrf_mitigation</c>, bittorrent.md §6.2).
/// </summary>
public static class AddressPolicy
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
                   (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64);
        }
        var bytes = address.GetAddressBytes();
        return (bytes[0] & 0xFE) == 0xFC || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal;
    }

    /// <summary>True when any address <paramref name="host"/> resolves to is private.</summary>
    public static async Task<bool> IsPrivateHostAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return IsPrivate(literal);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return addresses.Any(IsPrivate);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
