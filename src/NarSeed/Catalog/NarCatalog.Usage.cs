namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>Adds a batch of HTTP requests and uploaded bytes for one nar (the node's in-memory counters' flush).</summary>
    public async Task AddUsageAsync(long narId, long requests, long uploadedBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(uploadedBytes);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE nar_counters SET requests = requests + $requests, uploaded_bytes = uploaded_bytes + $bytes,
                last_requested_at = CASE WHEN $requests > 0 THEN $now ELSE last_requested_at END
            WHERE nar_id = $nar;
            """);
        command.Parameters.AddWithValue("$nar", narId);
        command.Parameters.AddWithValue("$requests", requests);
        command.Parameters.AddWithValue("$bytes", uploadedBytes);
        command.Parameters.AddWithValue("$now", NowMilliseconds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
