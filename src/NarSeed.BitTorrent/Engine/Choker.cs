namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// The seeding choker (BEP 3): a fixed number of upload slots, given at each rechoke to the interested peers we
/// uploaded to fastest in the last interval, plus one optimistic slot that moves to a random other peer every few
/// rechokes. Between rechokes a newly interested peer takes a free slot at once. Decisions only set each
/// connection's wish; the connection's own task sends choke/unchoke.
/// </summary>
internal sealed class Choker
{
    private readonly object _lock = new();
    private readonly HashSet<PeerConnection> _unchoked = [];
    private readonly int _slots;
    private readonly int _optimisticRotation;
    private PeerConnection? _optimistic;
    private int _round;

    public Choker(int slots, int optimisticRotation)
    {
        _slots = slots;
        _optimisticRotation = Math.Max(1, optimisticRotation);
    }

    public int UnchokedCount { get { lock (_lock) return _unchoked.Count; } }

    /// <summary>Total slots including the optimistic one.</summary>
    private int Capacity => _slots + 1;

    /// <summary>Called when a peer says it is interested: unchoke it now if a slot is free.</summary>
    public bool TryUnchoke(PeerConnection peer)
    {
        lock (_lock)
        {
            if (_unchoked.Contains(peer)) return true;
            if (_unchoked.Count >= Capacity) return false;
            _unchoked.Add(peer);
            return true;
        }
    }

    public void Remove(PeerConnection peer)
    {
        lock (_lock)
        {
            _unchoked.Remove(peer);
            if (ReferenceEquals(_optimistic, peer)) _optimistic = null;
        }
    }

    /// <summary>Reassigns the slots over <paramref name="peers"/> and tells each connection what it should be.</summary>
    public void Rechoke(IEnumerable<PeerConnection> peers)
    {
        var candidates = new List<(PeerConnection Peer, long Rate)>();
        foreach (var peer in peers)
        {
            var uploaded = peer.TakeUploadedSinceRechoke();
            if (peer.IsInterested) candidates.Add((peer, uploaded));
        }
        // Fastest downloaders first; shuffled before sorting so that among equals (e.g. all idle) each gets a turn.
        var shuffled = candidates.ToArray();
        Random.Shared.Shuffle(shuffled);
        candidates = [.. shuffled.OrderByDescending(c => c.Rate)];
        var next = new HashSet<PeerConnection>();
        foreach (var (peer, _) in candidates.Take(_slots)) next.Add(peer);

        lock (_lock)
        {
            var rest = candidates.Select(c => c.Peer).Where(p => !next.Contains(p)).ToList();
            var keepOptimistic = _optimistic is not null && rest.Contains(_optimistic) && _round % _optimisticRotation != 0;
            _optimistic = keepOptimistic ? _optimistic : rest.Count > 0 ? rest[Random.Shared.Next(rest.Count)] : null;
            if (_optimistic is not null) next.Add(_optimistic);
            _round++;
            foreach (var peer in _unchoked.Where(p => !next.Contains(p))) peer.RequestChoke(true);
            foreach (var peer in next.Where(p => !_unchoked.Contains(p))) peer.RequestChoke(false);
            _unchoked.Clear();
            _unchoked.UnionWith(next);
        }
    }
}
