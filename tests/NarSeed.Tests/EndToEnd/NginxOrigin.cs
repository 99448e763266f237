using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>
/// nginx-light serving a directory on 127.0.0.1 as a binary cache origin (Range-capable: a real web seed). Own config,
/// prefix and temp paths in a temporary directory, daemon off; disposing kills it. real-peers.md: "HTTP origins".
/// </summary>
public sealed class NginxOrigin : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _prefix = new("narseed-nginx-");
    private RunningProcess? _process;

    private NginxOrigin(int port) => Port = port;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Starts nginx serving <paramref name="root"/>; <paramref name="limitRate"/> caps each response (bytes/s).</summary>
    public static async Task<NginxOrigin> StartAsync(string root, long? limitRate = null)
    {
        var origin = new NginxOrigin(FreePort.Tcp());
        var p = origin._prefix;
        foreach (var d in new[] { "logs", "tmp" }) Directory.CreateDirectory(p.Combine(d));
        // As root, nginx's workers would run as nobody and not see a 0700 temporary directory.
        var user = Environment.UserName == "root" ? "user root;" : "";
        var limit = limitRate is { } rate ? $"limit_rate {rate};" : "";
        await File.WriteAllTextAsync(p.Combine("nginx.conf"), $$"""
            daemon off;
            {{user}}
            worker_processes 1;
            pid {{p.Combine("nginx.pid")}};
            error_log {{p.Combine("logs", "error.log")}} warn;
            events { worker_connections 256; }
            http {
                access_log {{p.Combine("logs", "access.log")}};
                client_body_temp_path {{p.Combine("tmp")}};
                proxy_temp_path {{p.Combine("tmp")}};
                fastcgi_temp_path {{p.Combine("tmp")}};
                uwsgi_temp_path {{p.Combine("tmp")}};
                scgi_temp_path {{p.Combine("tmp")}};
                types { text/x-nix-narinfo narinfo; text/plain nix-cache-info; }
                default_type application/octet-stream;
                server {
                    listen 127.0.0.1:{{origin.Port}};
                    root {{root}};
                    {{limit}}
                }
            }
            """);
        origin._process = RunningProcess.Start(ExternalTool.Require("nginx"),
            ["-p", p.Path, "-c", p.Combine("nginx.conf"), "-e", p.Combine("logs", "error.log")]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await http.GetAsync(origin.BaseUrl + "/nix-cache-info");
                return origin;
            }
            // A probe that times out (a loaded machine, nginx not answering yet) is retried like a refused one.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException
                                      && DateTime.UtcNow < deadline && !origin._process.Process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public string AccessLog => File.Exists(_prefix.Combine("logs", "access.log"))
        ? File.ReadAllText(_prefix.Combine("logs", "access.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _prefix.Dispose();
    }
}
