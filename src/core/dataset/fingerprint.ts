// Pure content fingerprint of a data set, so checkpoints and models can tell which data they came from. No DOM.
import type { DatasetBuffers } from './types';

function mix(hash: number, value: number): number {
  hash ^= value;
  return Math.imul(hash, 0x01000193) >>> 0; // FNV-1a prime
}

/**
 * A 64-bit hex fingerprint over every label, usage code and pixel (two FNV-1a style lanes).
 * Same rows in the same order give the same fingerprint.
 */
export function datasetFingerprint(data: DatasetBuffers): string {
  let a = 0x811c9dc5;
  let b = 0x01234567 ^ data.rows;
  const { pixels, labels, usage } = data;
  for (let i = 0; i < labels.length; i++) {
    a = mix(a, labels[i] | (usage[i] << 8));
  }
  const aligned = pixels.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >>> 2) : null;
  if (words) {
    for (let i = 0; i < words.length; i++) b = mix(b, words[i]);
  }
  for (let i = words ? words.length * 4 : 0; i < pixels.length; i++) b = mix(b, pixels[i]);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
