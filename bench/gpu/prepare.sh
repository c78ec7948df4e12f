#!/usr/bin/env bash
# Runs HERE, on a machine with node_modules and apt (not on the device): packs into .gpu/ everything that
# bench/gpu/run-on-device.sh needs, because the device machine has no Node.js, no node_modules and no network:
# the benchmark bundled with tfjs (esbuild), Dawn's dawn.node and this machine's node binary (both xz'd), and
# Debian's Vulkan loader (libvulkan1) in case the device has none. ~45 MB; the device call carries `.gpu`.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .gpu
mkdir -p .gpu
# Ignored locally only (carried explicitly, never committed).
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >>.git/info/exclude
npx esbuild bench/gpu/webgpu-node.ts --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --outfile=.gpu/webgpu-node.mjs \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >.gpu/dawn.node.xz
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" >.gpu/node.xz
(cd .gpu && apt-get download libvulkan1 >/dev/null)
du -sh .gpu
ls -la .gpu
