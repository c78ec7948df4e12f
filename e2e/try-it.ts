// Playwright helpers for the "Try it" screen: a page object, photo composition in the page, fake-camera video.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { PIXELS } from '../src/core/dataset/face-format';
import type { Box } from '../src/core/face-crop/types';
import type { SerializedBundle } from './fixture-model';

/** One face to draw: a 48x48 row (0–255 gray levels), its place and size in the photo. */
export interface PlacedFace extends Box {
  pixels: number[];
}

export interface FaceRow {
  box: Box;
  region: Box;
  score: number | null;
  probs: number[];
  top: string;
}

const parseBox = (text: string): Box => {
  const [x, y, width, height] = text.split(',').map(Number);
  return { x, y, width, height };
};

export class TryItScreen {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('/');
    await this.page.getByRole('tab', { name: /Try it/ }).click();
  }

  /** Hands the screen a model through its test seam (see src/ui/try-it/injected-bundle.ts). */
  async useBundle(bundle: SerializedBundle) {
    await this.page.evaluate((serialized) => {
      const bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      const floats = (text: string) => new Float32Array(bytes(text).buffer);
      const detail = {
        id: serialized.id,
        name: serialized.name,
        labels: serialized.labels,
        artifacts: {
          modelTopology: serialized.modelTopology,
          weightSpecs: serialized.weightSpecs,
          weightData: bytes(serialized.weightData).buffer,
        },
        mean: floats(serialized.mean),
        std: floats(serialized.std),
      };
      window.dispatchEvent(new CustomEvent('fer:test-bundle', { detail }));
    }, bundle);
    await this.page
      .getByTestId('try-it-model')
      .filter({ hasText: /loaded in/ })
      .waitFor({ timeout: 60_000 });
  }

  /** Drops files on the photo drop zone, as a user dragging them from a file manager would. */
  async drop(files: { name: string; buffer: Buffer; mimeType: string }[]) {
    const dataTransfer = await this.page.evaluateHandle(
      (list) => {
        const transfer = new DataTransfer();
        for (const file of list)
          transfer.items.add(
            new File([Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0))], file.name, {
              type: file.mimeType,
            }),
          );
        return transfer;
      },
      files.map((file) => ({
        name: file.name,
        mimeType: file.mimeType,
        data: file.buffer.toString('base64'),
      })),
    );
    await this.page.getByTestId('photo-drop-zone').dispatchEvent('drop', { dataTransfer });
  }

  async pick(files: { name: string; buffer: Buffer; mimeType: string }[]) {
    await this.page.getByTestId('photo-input').setInputFiles(files);
  }

  card(name: string): Locator {
    return this.page.locator(`[data-testid="photo-card"][data-name="${name}"]`);
  }

  /** Waits for a photo's result and reads one row per face. */
  async faces(name: string): Promise<FaceRow[]> {
    const card = this.card(name);
    await card.and(this.page.locator('[data-status="done"]')).waitFor({ timeout: 90_000 });
    return card
      .getByTestId('face-result')
      .evaluateAll((items) =>
        items.map((item) => {
          const data = (item as HTMLElement).dataset;
          return {
            box: data.box!,
            region: data.region!,
            score: data.score === '' ? null : Number(data.score),
            probs: data.probs!.split(',').map(Number),
            top: data.top!,
          };
        }),
      )
      .then((rows) => rows.map((row) => ({ ...row, box: parseBox(row.box), region: parseBox(row.region) })));
  }

  /**
   * Draws faces on a canvas in the page (each 48x48 row enlarged with the browser's smooth scaling) over a
   * background with some shapes, and encodes it. `rotateForExif` stores the photo turned 90° counter-clockwise
   * (to be tagged with EXIF orientation 6, "rotate 90° clockwise to view").
   */
  async composePhoto(options: {
    width: number;
    height: number;
    faces: PlacedFace[];
    mimeType: string;
    quality?: number;
    rotateForExif?: boolean;
    /** false: nearest-neighbour enlargement (exact blocks). */
    smoothing?: boolean;
  }): Promise<Buffer> {
    const data = await this.page.evaluate(
      async ({ width, height, faces, mimeType, quality, rotateForExif, smoothing = true }) => {
        const canvas = new OffscreenCanvas(width, height);
        const g = canvas.getContext('2d')!;
        const gradient = g.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, '#7a8c6a');
        gradient.addColorStop(1, '#c9b48f');
        g.fillStyle = gradient;
        g.fillRect(0, 0, width, height);
        for (let i = 0; i < 14; i++) {
          g.fillStyle = `hsla(${(i * 47) % 360}, 35%, ${35 + (i % 4) * 12}%, 0.5)`;
          g.fillRect((i * 211) % width, (i * 137) % height, 40 + ((i * 31) % 90), 30 + ((i * 17) % 70));
        }
        g.imageSmoothingEnabled = smoothing;
        g.imageSmoothingQuality = 'high';
        for (const face of faces) {
          const small = new OffscreenCanvas(48, 48);
          const image = new ImageData(48, 48);
          face.pixels.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
          small.getContext('2d')!.putImageData(image, 0, 0);
          g.drawImage(small, face.x, face.y, face.width, face.height);
        }
        let out: OffscreenCanvas = canvas;
        if (rotateForExif) {
          out = new OffscreenCanvas(height, width);
          const r = out.getContext('2d')!;
          r.translate(0, width);
          r.rotate(-Math.PI / 2);
          r.drawImage(canvas, 0, 0);
        }
        const blob = await out.convertToBlob({ type: mimeType, quality });
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000)
          text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(text);
      },
      options,
    );
    return Buffer.from(data, 'base64');
  }
}

/** Inserts an EXIF APP1 segment with the given Orientation tag right after a JPEG's SOI marker. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08, // big-endian TIFF header, IFD0 at offset 8
    0x00,
    0x01, // one entry
    0x01,
    0x12,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    orientation,
    0x00,
    0x00, // Orientation, SHORT, 1 value
    0x00,
    0x00,
    0x00,
    0x00, // no next IFD
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255]);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

/** A real grayscale PNG of width x height, all one gray level (compresses to a few tens of KB at 60 MP). */
export function flatPng(width: number, height: number, gray = 128): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit gray, no interlace
  const row = Buffer.alloc(width + 1, gray);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Writes a Y4M video for Chromium's fake camera (--use-file-for-fake-video-capture): `frames` frames of
 * width x height, gray background with the faces drawn (bilinear enlargement), chroma neutral.
 */
export function writeFaceVideo(
  path: string,
  options: { width: number; height: number; frames: number; faces: PlacedFace[] },
) {
  const { width, height, frames, faces } = options;
  const luma = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      luma[y * width + x] = 96 + Math.round(40 * Math.sin(x / 50) * Math.cos(y / 70));
  for (const face of faces) {
    for (let y = 0; y < face.height; y++) {
      for (let x = 0; x < face.width; x++) {
        // Bilinear sample of the 48x48 row at the pixel centre.
        const sx = Math.min(47, Math.max(0, ((x + 0.5) * 48) / face.width - 0.5));
        const sy = Math.min(47, Math.max(0, ((y + 0.5) * 48) / face.height - 0.5));
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const x1 = Math.min(47, x0 + 1);
        const y1 = Math.min(47, y0 + 1);
        const fx = sx - x0;
        const fy = sy - y0;
        const p = face.pixels;
        const value =
          (1 - fy) * ((1 - fx) * p[y0 * 48 + x0] + fx * p[y0 * 48 + x1]) +
          fy * ((1 - fx) * p[y1 * 48 + x0] + fx * p[y1 * 48 + x1]);
        const px = face.x + x;
        const py = face.y + y;
        if (px >= 0 && px < width && py >= 0 && py < height) luma[py * width + px] = Math.round(value);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(luma), chroma]);
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`),
      ...Array.from({ length: frames }, () => frame),
    ]),
  );
}

/** Row `row` of a FER pixel array as plain numbers. */
export function rowPixels(pixels: Uint8Array, row: number): number[] {
  return Array.from(pixels.subarray(row * PIXELS, (row + 1) * PIXELS));
}
