using System.Net.Sockets;

namespace NarSeed.TestSupport;

/// <summary>
/// nginx serving a directory on 127.0.0.1 (a Range-capable HTTP origin): its own config, prefix and temp paths in a
/// temporary directory, <c>daemon off</c>, killed on dispose (real-peers.md, "HTTP origins for web-seed tests").
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly TempDirectory _prefix;

    private NginxServer(RunningProcess process, TempDirectory prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>Starts nginx serving <paramref name="root"/>; <paramref name="limitRate"/> caps each response (e.g. "2m").</summary>
    public static async Task<NginxServer> StartAsync(string root, string? limitRate = null)
    {
        var nginx = ExternalTool.Require("nginx");
        var prefix = new TempDirectory("narseed-nginx-");
        var port = FreePort.Tcp();
        var p = prefix.Path;
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{p}}/nginx.pid;
            error_log {{p}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{p}}/body;
                proxy_temp_path {{p}}/proxy;
                fastcgi_temp_path {{p}}/fastcgi;
                uwsgi_temp_path {{p}}/uwsgi;
                scgi_temp_path {{p}}/scgi;
                sendfile on;
                tcp_nodelay on;
                keepalive_requests 100000;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
                    {{(limitRate is null ? "" : $"limit_rate {limitRate};")}}
                    location / { }
                }
            }
            """;
        var configPath = Path.Combine(p, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var process = RunningProcess.Start(nginx, ["-p", p, "-c", configPath, "-e", Path.Combine(p, "error.log")]);
        var server = new NginxServer(process, prefix, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.Process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                var log = File.Exists(Path.Combine(p, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(p, "error.log")) : "";
                await server.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {process.StandardErrorSoFar} {log}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _prefix.Dispose();
    }
}
