#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian 12 packages.
# Idempotent: does nothing when everything is present. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  zlib1g-dev libzstd-dev zstd libleveldb-dev libsimdjson-dev libre2-dev
  libboost-dev libboost-system-dev libspdlog-dev libfmt-dev libsnappy-dev
  libprotobuf-dev protobuf-compiler libyaml-cpp-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
