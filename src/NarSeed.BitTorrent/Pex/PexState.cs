using System.Net;

namespace NarSeed.BitTorrent.Pex;

/// <summary>
/// What we told one connected peer through ut_pex, so the next message carries only the difference, within BEP 11:
/// at most one message per <see cref="PexLimits.MinMessageInterval"/>, at most 50 added and 50 dropped after the
/// first, only peers connected now, and never the peer itself. Not thread-safe: one owner (the connection's task).
/// </summary>
public sealed class PexState
{
    private readonly HashSet<IPEndPoint> _advertised = [];
    private readonly TimeProvider _time;
    private long _lastSent;
    private bool _sentFirst;

    public PexState(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Messages built so far.</summary>
    public int MessagesSent { get; private set; }

    /// <summary>
    /// The next message for a peer whose own listen endpoint is <paramref name="self"/>, given the peers connected
    /// now; null when nothing changed or the last message was less than a minute ago. An empty first message is not
    /// sent, so the first one goes out as soon as there is someone to tell about.
    /// </summary>
    public PexMessage? Next(IReadOnlyCollection<PexPeer> connected, IPEndPoint? self)
    {
        var now = _time.GetTimestamp();
        if (_sentFirst && _time.GetElapsedTime(_lastSent, now) < PexLimits.MinMessageInterval) return null;
        var cap = _sentFirst ? PexLimits.MaxEntriesAfterFirst : PexLimits.MaxEntriesFirst;
        var current = new HashSet<IPEndPoint>();
        var added = new List<PexPeer>();
        foreach (var peer in connected)
        {
            if (peer.EndPoint.Equals(self) || !current.Add(peer.EndPoint)) continue;
            if (!_advertised.Contains(peer.EndPoint) && added.Count < cap) added.Add(peer);
        }
        var dropped = _advertised.Where(p => !current.Contains(p)).Take(cap).ToList();
        if (added.Count == 0 && dropped.Count == 0) return null;
        foreach (var peer in added) _advertised.Add(peer.EndPoint);
        foreach (var peer in dropped) _advertised.Remove(peer);
        _sentFirst = true;
        _lastSent = now;
        MessagesSent++;
        return new PexMessage(added, dropped);
    }
}
