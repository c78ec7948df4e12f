import { describe, expect, it } from 'vitest';
import { sniffText } from './sniff';

describe('sniffText', () => {
  it('accepts plain UTF-8 text and recognises UTF-16 byte-order marks', () => {
    expect(sniffText(new TextEncoder().encode('emotion,pixels\n0,1 2'))).toEqual({ ok: true, encoding: 'utf-8' });
    expect(sniffText(Uint8Array.from([0xff, 0xfe, 0x65, 0]))).toEqual({ ok: true, encoding: 'utf-16le' });
    expect(sniffText(Uint8Array.from([0xfe, 0xff, 0, 0x65]))).toEqual({ ok: true, encoding: 'utf-16be' });
  });

  it.each([
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], /PNG image/],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0], /JPEG image/],
    ['ZIP', [0x50, 0x4b, 0x03, 0x04], /ZIP archive/],
    ['gzip', [0x1f, 0x8b, 0x08], /gzip archive/],
    ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d], /PDF/],
    ['NUL bytes', [0x41, 0x00, 0x42], /NUL bytes/],
    ['control characters', [1, 2, 3, 4, 5, 6, 7, 8, 0x41], /binary data/],
  ])('rejects %s', (_name, bytes, reason) => {
    const result = sniffText(Uint8Array.from(bytes));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
