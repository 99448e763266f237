using System.Text.Encodings.Web;
using System.Text.Json;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.Cli;

/// <summary>The one JSON object `narseed torrent create` and `narseed torrent show` print.</summary>
internal static class TorrentJson
{
    public static string Format(TorrentInfo torrent, string torrentPath, bool details)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
               {
                   Indented = true,
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            json.WriteStartObject();
            json.WriteString("info_hash_v2", torrent.InfoHashV2Hex);
            if (torrent.InfoHashV1Hex is { } v1) json.WriteString("info_hash_v1", v1);
            else json.WriteNull("info_hash_v1");
            json.WriteNumber("piece_length", torrent.PieceLength);
            json.WriteString("pieces_root", torrent.PiecesRootHex);
            json.WriteString("magnet", torrent.ToMagnetLink().ToString());
            json.WriteString("torrent_path", torrentPath);
            if (details)
            {
                json.WriteString("name", torrent.Name);
                json.WriteNumber("length", torrent.Length);
                json.WriteStartArray("web_seeds");
                foreach (var url in torrent.WebSeeds) json.WriteStringValue(url);
                json.WriteEndArray();
                json.WriteStartArray("trackers");
                foreach (var url in torrent.Trackers.SelectMany(t => t)) json.WriteStringValue(url);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
