#!/usr/bin/env bash
# Installs the Debian packages NarSeed's tests and benchmarks run against, but only those that are missing,
# so a machine that has them all pays nothing. Real peers and servers come from here, never from downloads.
set -euo pipefail

packages=(
  python3-libtorrent      # libtorrent 2.0: the reference torrent creator, seeder and leecher
  qbittorrent-nox         # a second real BitTorrent client, driven through its Web API
  opentracker             # a real HTTP/UDP tracker
  nginx-light             # a Range-capable origin and web seed
  nix-bin                 # real Nix 2.8, daemonless: builds signed caches and fetches from substituters
  chromium                # the status page, driven by Playwright
  python3-prometheus-client  # a real Prometheus text-format parser
  libsodium23 libgcrypt20 liblzma5 libzstd1 libbz2-1.0  # native libraries behind signatures and decompression
  xz-utils zstd lzip bzip2 curl procps iproute2 systemd
  wrk                     # HTTP load generator: narinfo serving benchmark against nginx
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} system packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
