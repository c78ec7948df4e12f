// Pure content fingerprint of a data set, so checkpoints and models can tell which data they came from. No DOM.
import { FER2013_LABELS } from '../labels/fer2013';
import { sameLabelOrder } from '../labels/label-set';
import type { DatasetBuffers } from './types';

function mix(hash: number, value: number): number {
  hash ^= value;
  return Math.imul(hash, 0x01000193) >>> 0; // FNV-1a prime
}

/**
 * A 64-bit hex fingerprint over every label, usage code and pixel (two FNV-1a style lanes).
 * Same rows in the same order give the same fingerprint. Class names other than FER2013's seven, and crowd
 * votes, are mixed in too (FER2013 data keeps the fingerprint it had before label sets, so its models and
 * checkpoints still match it).
 */
export function datasetFingerprint(data: DatasetBuffers): string {
  let a = 0x811c9dc5;
  let b = 0x01234567 ^ data.rows;
  const { pixels, labels, usage } = data;
  for (let i = 0; i < labels.length; i++) {
    a = mix(a, labels[i] | (usage[i] << 8));
  }
  if (!sameLabelOrder(data.labelSet.names, FER2013_LABELS.names)) {
    for (const name of data.labelSet.names) for (let i = 0; i < name.length; i++) a = mix(a, name.charCodeAt(i));
  }
  if (data.votes) for (let i = 0; i < data.votes.length; i++) a = mix(a, data.votes[i]);
  const aligned = pixels.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >>> 2) : null;
  if (words) {
    for (let i = 0; i < words.length; i++) b = mix(b, words[i]);
  }
  for (let i = words ? words.length * 4 : 0; i < pixels.length; i++) b = mix(b, pixels[i]);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
