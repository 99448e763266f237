using System.Security.Cryptography;

namespace NarSeed.BitTorrent.Trackers;

public sealed partial class AnnounceScheduler
{
    /// <summary>One info-hash on one tier: which tracker of the tier is current, and what the trackers told us.</summary>
    private sealed class Entry(TrackedTorrent torrent, ReadOnlyMemory<byte> infoHash, List<Uri> tier)
    {
        public TrackedTorrent Torrent { get; } = torrent;
        public ReadOnlyMemory<byte> InfoHash { get; } = infoHash;
        public List<Uri> Tier { get; } = tier;
        public int Generation;
        public bool Busy;
        public bool SlotReserved;
        public bool Removed;
        public bool Started;
        public bool StopSent;
        public int Failures;
        public TrackerEvent PendingEvent = TrackerEvent.Started;
        public string? TrackerId;
        public string Hex => Convert.ToHexStringLower(InfoHash.Span);
    }

    /// <summary>A tracker's client and its rate limit: the next free send slot.</summary>
    private sealed class TrackerState(ITrackerClient client)
    {
        public ITrackerClient Client { get; } = client;
        public long NextSlot;
        public long LastSent;
    }

    private void Wake()
    {
        lock (_lock) _wakeSignal.TrySetResult();
    }

    /// <summary>Queues <paramref name="entry"/> at <paramref name="due"/>; older queue items for it become stale. Caller holds the lock.</summary>
    private void Schedule(Entry entry, long due) => _queue.Enqueue((entry, ++entry.Generation), due);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var slotTicks = (long)(_time.TimestampFrequency / _options.MaxAnnouncesPerSecondPerTracker);
        while (!cancellationToken.IsCancellationRequested)
        {
            Entry? ready = null;
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            Task signal;
            lock (_lock)
            {
                signal = _wakeSignal.Task; // a wake after this point completes it, so none is lost
                var now = _time.GetTimestamp();
                while (_queue.TryPeek(out var item, out var due))
                {
                    var (entry, generation) = item;
                    if (generation != entry.Generation || entry.Removed || entry.Busy)
                    {
                        _queue.Dequeue();
                        continue;
                    }
                    if (due > now)
                    {
                        wait = _time.GetElapsedTime(now, due);
                        break;
                    }
                    _queue.Dequeue();
                    var tracker = TrackerFor(entry);
                    if (tracker.LastSent != 0 && now - tracker.LastSent < slotTicks)
                    {
                        // Never two sends to one tracker closer than a slot, even when a late loop catches up. A
                        // reserved entry waits one slot after the last send; an unreserved one gets its own slot at the
                        // end, so a burst is requeued once in all (not every due entry on every pass, which made the
                        // loop CPU-bound with 100,000 torrents and held it well below the rate limit).
                        if (entry.SlotReserved)
                        {
                            Schedule(entry, tracker.LastSent + slotTicks);
                        }
                        else
                        {
                            var slot = Math.Max(tracker.NextSlot, tracker.LastSent + slotTicks);
                            entry.SlotReserved = true;
                            Schedule(entry, slot);
                            tracker.NextSlot = slot + slotTicks;
                        }
                        continue;
                    }
                    if (entry.SlotReserved)
                    {
                        entry.SlotReserved = false; // its reserved slot has come
                    }
                    else if (tracker.NextSlot > now)
                    {
                        // Reserve the tracker's next free slot for this entry: a burst is spread at the tracker's rate.
                        entry.SlotReserved = true;
                        Schedule(entry, tracker.NextSlot);
                        tracker.NextSlot += slotTicks;
                        continue;
                    }
                    else
                    {
                        tracker.NextSlot = now + slotTicks;
                    }
                    tracker.LastSent = now;
                    entry.Busy = true;
                    ready = entry;
                    break;
                }
            }
            if (ready is null)
            {
                try
                {
                    // Task.Delay(wait, _time, …) stalled for about a second under load in tests; the plain delay did not.
                    await Task.WhenAny(signal, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (signal.IsCompleted) lock (_lock) _wakeSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
                continue;
            }
            try
            {
                await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = AnnounceAsync(ready, cancellationToken);
        }
    }

    private TrackerState TrackerFor(Entry entry) => Tracker(entry.Tier[0]);

    private async Task AnnounceAsync(Entry entry, CancellationToken cancellationToken)
    {
        var url = entry.Tier[0];
        var @event = entry.PendingEvent;
        TimeSpan next;
        var removedInFlight = false;
        try
        {
            var response = await TrackerFor(entry).Client.AnnounceAsync(Request(entry, @event), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _announces);
            RecordAnnounce(url, response.WarningMessage);
            next = Max(response.Interval, response.MinInterval ?? TimeSpan.Zero, _options.MinInterval);
            lock (_lock)
            {
                entry.Failures = 0;
                entry.Started = true;
                if (entry.PendingEvent == @event) entry.PendingEvent = TrackerEvent.None;
                if (response.TrackerId is { } id) entry.TrackerId = id;
                // An event raised while this announce was in flight (completed right after started) dropped its queue
                // item (the entry was busy): send it now, not an interval later.
                if (entry.PendingEvent != TrackerEvent.None) next = TimeSpan.Zero;
                // Removed while its first announce was in flight: Remove sent no stopped (not started then); send it now.
                removedInFlight = entry.Removed && !entry.StopSent;
                if (removedInFlight) entry.StopSent = true;
            }
            if (response.WarningMessage is { } warning) TrackerLog.TrackerWarning(_log, url, warning);
            TrackerLog.Announced(_log, url, entry.Hex, @event, response.Peers.Count, next);
            if (response.Peers.Count > 0) PeersReceived?.Invoke(entry.InfoHash, response.Peers);
            if (removedInFlight && !_stopping.IsCancellationRequested) _ = SendStoppedAsync([entry], _options.StopDeadline);
        }
        catch (TrackerException e)
        {
            Interlocked.Increment(ref _failures);
            RecordFailure(url, e.Message);
            lock (_lock)
            {
                entry.Failures++;
                // BEP 12: try the next tracker of the tier; the failed one goes to the back.
                if (entry.Tier.Count > 1)
                {
                    entry.Tier.RemoveAt(0);
                    entry.Tier.Add(url);
                }
            }
            next = RetryDelay(entry.Failures, entry.Tier.Count);
            TrackerLog.AnnounceFailed(_log, url, entry.Hex, e.Reason, e.Message, next);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            _inFlight.Release();
        }
        lock (_lock)
        {
            entry.Busy = false;
            if (!entry.Removed) Schedule(entry, _time.GetTimestamp() + (long)(Jitter(next).TotalSeconds * _time.TimestampFrequency));
        }
        Wake();
    }

    /// <summary>After a failure: the next tracker of the tier at once, then 15 s·2^n per full round, capped.</summary>
    private TimeSpan RetryDelay(int failures, int tierSize)
    {
        if (failures % tierSize != 0) return TimeSpan.Zero;
        var rounds = Math.Min(failures / tierSize - 1, 16);
        var delay = _options.RetryBase * Math.Pow(2, rounds);
        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    /// <summary>±10 %, so torrents announced together drift apart instead of staying in lock-step.</summary>
    private static TimeSpan Jitter(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? delay : delay * (0.9 + 0.2 * RandomNumberGenerator.GetInt32(1000) / 1000.0);

    private AnnounceRequest Request(Entry entry, TrackerEvent @event)
    {
        var progress = entry.Torrent.Progress();
        return new AnnounceRequest
        {
            InfoHash = entry.InfoHash, PeerId = _options.PeerId, Port = _options.Port(), Event = @event,
            Uploaded = progress.Uploaded, Downloaded = progress.Downloaded, Left = progress.Left,
            NumWant = @event == TrackerEvent.Stopped ? 0 : _options.NumWant, Key = _key, TrackerId = entry.TrackerId,
        };
    }

    private async Task SendStoppedAsync(List<Entry> entries, TimeSpan deadline)
    {
        if (entries.Count == 0) return;
        using var timeout = new CancellationTokenSource(deadline, _time);
        var sent = 0;
        using var gate = new SemaphoreSlim(_options.MaxConcurrentAnnounces);
        var tasks = entries.Select(async entry =>
        {
            try
            {
                await gate.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    // WaitAsync: the deadline holds even for a client that ignores its token.
                    await TrackerFor(entry).Client.AnnounceAsync(Request(entry, TrackerEvent.Stopped), timeout.Token)
                        .WaitAsync(timeout.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref sent);
                }
                finally
                {
                    gate.Release();
                }
            }
            catch (Exception e) when (e is TrackerException or OperationCanceledException)
            {
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        TrackerLog.StoppedSent(_log, sent, entries.Count);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b, TimeSpan c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
}
