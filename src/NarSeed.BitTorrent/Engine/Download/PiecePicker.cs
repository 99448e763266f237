namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Chooses which piece each source fetches next. Whole pieces are assigned to one source at a time, so a piece that
/// fails verification names exactly one culprit. Rarest first by default (fewest connected peers have it); in streaming
/// mode lowest index first, so the file fills from its beginning and the read-ahead is whatever the sources have in
/// flight. End game: once every missing piece a source could fetch is assigned, it may duplicate one already assigned
/// to others (fewest workers first); the first verified copy wins.
/// </summary>
internal sealed class PiecePicker
{
    private readonly object _lock = new();
    private readonly bool[] _have;
    private readonly int[] _availability;
    private readonly int[] _workers;
    private readonly bool _streaming;
    private int _remaining;
    private int _firstMissing;

    public PiecePicker(bool[] have, bool streaming)
    {
        _have = have;
        _availability = new int[have.Length];
        _workers = new int[have.Length];
        _streaming = streaming;
        _remaining = have.Count(h => !h);
        AdvanceFirstMissing();
    }

    public int PieceCount => _have.Length;

    public int Remaining { get { lock (_lock) return _remaining; } }

    /// <summary>The lowest piece not yet verified (<see cref="PieceCount"/> when complete).</summary>
    public int FirstMissing { get { lock (_lock) return _firstMissing; } }

    public bool Has(int piece) { lock (_lock) return _have[piece]; }

    public void AddAvailability(bool[] peerHas, int sign)
    {
        lock (_lock)
        {
            for (var i = 0; i < peerHas.Length; i++) if (peerHas[i]) _availability[i] += sign;
        }
    }

    public void AddHave(int piece) { lock (_lock) _availability[piece]++; }

    /// <summary>
    /// Assigns a piece <paramref name="peerHas"/> holds and <paramref name="mine"/> does not, or returns −1.
    /// <paramref name="peerHas"/> null means the source has everything (a web seed).
    /// </summary>
    public int Pick(bool[]? peerHas, ICollection<int> mine, bool allowEndGame = true)
    {
        lock (_lock)
        {
            var best = -1;
            var bestKey = long.MaxValue;
            var n = _have.Length;
            var start = _streaming ? _firstMissing : Random.Shared.Next(n);
            for (var k = 0; k < n; k++)
            {
                var i = _streaming ? _firstMissing + k : (start + k) % n;
                if (i >= n) break;
                if (_have[i] || _workers[i] != 0 || (peerHas is not null && !peerHas[i])) continue;
                if (_streaming) { best = i; break; }
                if (_availability[i] < bestKey) (best, bestKey) = (i, _availability[i]);
            }
            if (best < 0 && allowEndGame)
            {
                for (var i = _firstMissing; i < n; i++)
                {
                    if (_have[i] || mine.Contains(i) || (peerHas is not null && !peerHas[i])) continue;
                    var key = (long)_workers[i] * n + (_streaming ? i : 0);
                    if (key < bestKey) (best, bestKey) = (i, key);
                }
            }
            if (best >= 0) _workers[best]++;
            return best;
        }
    }

    /// <summary>
    /// For a web seed: assigns a run of consecutive unassigned missing pieces, at most <paramref name="maxPieces"/>,
    /// starting from the piece <see cref="Pick"/> would choose. Returns (−1, 0) when nothing is left.
    /// </summary>
    public (int First, int Count) PickRun(int maxPieces, bool allowEndGame)
    {
        lock (_lock)
        {
            var first = Pick(null, Array.Empty<int>(), allowEndGame);
            if (first < 0) return (-1, 0);
            var count = 1;
            while (count < maxPieces && first + count < _have.Length && !_have[first + count] && _workers[first + count] == 0)
            {
                _workers[first + count]++;
                count++;
            }
            return (first, count);
        }
    }

    /// <summary>A source gave up a piece it was assigned (choked, rejected, dropped, failed).</summary>
    public void Release(int piece)
    {
        lock (_lock) if (_workers[piece] > 0) _workers[piece]--;
    }

    /// <summary>Marks a verified piece; false when another source already completed it (end game).</summary>
    public bool Complete(int piece)
    {
        lock (_lock)
        {
            if (_workers[piece] > 0) _workers[piece]--;
            if (_have[piece]) return false;
            _have[piece] = true;
            _remaining--;
            AdvanceFirstMissing();
            return true;
        }
    }

    public bool[] Snapshot() { lock (_lock) return (bool[])_have.Clone(); }

    private void AdvanceFirstMissing()
    {
        while (_firstMissing < _have.Length && _have[_firstMissing]) _firstMissing++;
    }
}
