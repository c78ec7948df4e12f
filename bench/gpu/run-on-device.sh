#!/usr/bin/env bash
# Runs ON THE DEVICE MACHINE (GPU), from the repo root, with `.gpu` carried (made here by bench/gpu/prepare.sh):
# unpacks Node and Dawn, makes a Vulkan loader and the NVIDIA driver's ICD visible, then trains the nets on
# tfjs' WebGPU backend, for each batch size in $BATCHES. Results: $OUT/webgpu-node-bN.json and .log.
# Env: ARCHS (default seed,compact), BATCHES (default "64 256"), DAWN_FLAGS (e.g. backend=vulkan).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-/tmp/gpu-bench-out}"
mkdir -p "$OUT"
T=/tmp/gpu-bench
mkdir -p "$T"
unxz() { # $1 -> $2; python's lzma when there is no xz
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
unxz .gpu/node.xz "$T/node" && chmod +x "$T/node"
unxz .gpu/dawn.node.xz "$T/dawn.node"
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  echo "no Vulkan loader here: unpacking the carried libvulkan1"
  for f in .gpu/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH="/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-}"
if [ -z "${VK_DRIVER_FILES:-}" ] && ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] && export VK_DRIVER_FILES="$icd" && break
  done
fi
echo "node $("$T/node" --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"
status=0
for batch in ${BATCHES:-64 256}; do
  DAWN_NODE="$T/dawn.node" timeout 240 "$T/node" .gpu/webgpu-node.mjs --archs "${ARCHS:-seed,compact}" --batch "$batch" \
    --out "$OUT/webgpu-node-b$batch.json" 2>&1 | tee "$OUT/webgpu-node-b$batch.log"
  rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] && status=$rc
  [ "$rc" -eq 2 ] && break # no adapter: the next batch size would fail the same way
done
exit "$status"
