// Pure procedural generator of 48x48 grayscale "faces" for the seven FER2013 classes (the demo data set).
// Runs in the dataset worker and in Node tests; no DOM. The images are synthetic cartoons, not photos.
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import { FER2013_LABELS } from '../labels/fer2013';
import { createRng, gaussian } from '../random';
import type { DatasetBuffers } from '../dataset/types';

export interface DemoOptions {
  /** Rows per Usage value. */
  training: number;
  publicTest: number;
  privateTest: number;
  seed: number;
}

/** Small by default so a CPU-only laptop can train on it in minutes. */
export const defaultDemoOptions: DemoOptions = { training: 1400, publicTest: 350, privateTest: 350, seed: 2013 };

/** Sizes offered in the UI: tiny for a first try (and the end-to-end tests), the default, and a larger set. */
export const DEMO_SIZES = {
  tiny: { training: 280, publicTest: 70, privateTest: 70, seed: 2013 },
  small: defaultDemoOptions,
  large: { training: 5600, publicTest: 1400, privateTest: 1400, seed: 2013 },
} as const satisfies Record<string, DemoOptions>;
export type DemoSize = keyof typeof DEMO_SIZES;

/** Class mix of the demo rows (Angry … Neutral): FER2013-like imbalance, with Disgust less starved. */
export const DEMO_CLASS_SHARES = [0.13, 0.06, 0.14, 0.22, 0.16, 0.11, 0.18] as const;

/** Where the features sit and how they are shaped; units are the face box, x and y in [-1, 1], y down. */
interface Expression {
  eyeHeight: number; // eye ellipse vertical radius
  eyeWidth: number;
  browLift: number; // negative = higher
  browTilt: number; // + raises the inner ends (sad, fear), - lowers them (angry)
  mouthCurve: number; // + smile, - frown
  mouthWidth: number;
  mouthOpen: number; // vertical radius of an open mouth, 0 = closed line
  mouthRaise: number; // asymmetric upper-lip raise (disgust)
  noseWrinkle: number; // 0..1 (disgust)
}

const NEUTRAL: Expression = {
  eyeHeight: 0.075,
  eyeWidth: 0.13,
  browLift: 0,
  browTilt: 0,
  mouthCurve: 0,
  mouthWidth: 0.3,
  mouthOpen: 0,
  mouthRaise: 0,
  noseWrinkle: 0,
};

/** One archetype per class, in FER2013's order (the demo data speaks FER2013's seven). */
const ARCHETYPES: Expression[] = [
  { ...NEUTRAL, eyeHeight: 0.05, browLift: 0.05, browTilt: -0.13, mouthCurve: -0.15, mouthWidth: 0.28 }, // Angry
  { ...NEUTRAL, eyeHeight: 0.055, browLift: 0.04, browTilt: -0.06, mouthCurve: -0.2, mouthRaise: 0.12, noseWrinkle: 1 }, // Disgust
  { ...NEUTRAL, eyeHeight: 0.11, eyeWidth: 0.14, browLift: -0.07, browTilt: 0.12, mouthWidth: 0.38, mouthOpen: 0.07, mouthCurve: -0.1 }, // Fear
  { ...NEUTRAL, eyeHeight: 0.045, mouthCurve: 0.55, mouthWidth: 0.44, mouthOpen: 0.035 }, // Happy
  { ...NEUTRAL, eyeHeight: 0.06, browLift: -0.02, browTilt: 0.14, mouthCurve: -0.45, mouthWidth: 0.32 }, // Sad
  { ...NEUTRAL, eyeHeight: 0.12, eyeWidth: 0.13, browLift: -0.13, mouthWidth: 0.2, mouthOpen: 0.15 }, // Surprise
  NEUTRAL, // Neutral
];

const clamp01 = (value: number) => (value < 0 ? 0 : value > 1 ? 1 : value);

/** Coverage of a shape from its signed distance (negative inside), anti-aliased over about one pixel. */
function coverage(distance: number, pixel: number): number {
  return clamp01(0.5 - distance / pixel);
}

function ellipseDistance(x: number, y: number, cx: number, cy: number, rx: number, ry: number): number {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return (Math.sqrt(dx * dx + dy * dy) - 1) * Math.min(rx, ry);
}

function segmentDistance(x: number, y: number, x1: number, y1: number, x2: number, y2: number): number {
  const vx = x2 - x1;
  const vy = y2 - y1;
  const t = clamp01(((x - x1) * vx + (y - y1) * vy) / (vx * vx + vy * vy));
  const dx = x - (x1 + t * vx);
  const dy = y - (y1 + t * vy);
  return Math.sqrt(dx * dx + dy * dy);
}

/** Blends `ink` into `base` with weight `alpha`. */
const blend = (base: number, ink: number, alpha: number) => base + (ink - base) * alpha;

/** Mixes an archetype with random individual variation so classes overlap a little, like real faces. */
function sampleExpression(emotion: number, random: () => number): Expression {
  const base = ARCHETYPES[emotion];
  const jitter = (scale: number) => gaussian(random) * scale;
  const intensity = 0.65 + 0.5 * random(); // how strongly the expression shows
  const mixed = (key: keyof Expression, scale: number) =>
    NEUTRAL[key] + (base[key] - NEUTRAL[key]) * intensity + jitter(scale);
  return {
    eyeHeight: Math.max(0.02, mixed('eyeHeight', 0.012)),
    eyeWidth: Math.max(0.08, mixed('eyeWidth', 0.012)),
    browLift: mixed('browLift', 0.025),
    browTilt: mixed('browTilt', 0.035),
    mouthCurve: mixed('mouthCurve', 0.08),
    mouthWidth: Math.max(0.12, mixed('mouthWidth', 0.03)),
    mouthOpen: Math.max(0, mixed('mouthOpen', 0.012)),
    mouthRaise: mixed('mouthRaise', 0.02),
    noseWrinkle: clamp01(mixed('noseWrinkle', 0.1)),
  };
}

/**
 * Draws one face into out[offset .. offset+2304) as gray levels 0–255.
 * Pose (shift, rotation, scale), lighting gradient, skin tone and sensor noise vary per face.
 */
export function renderFace(emotion: number, random: () => number, out: Uint8Array, offset: number): void {
  const e = sampleExpression(emotion, random);
  const angle = gaussian(random) * 0.12; // radians, about ±7°
  const scale = 0.88 + 0.2 * random();
  const shiftX = gaussian(random) * 0.06;
  const shiftY = gaussian(random) * 0.05;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const skin = 125 + 70 * random();
  const background = 30 + 170 * random();
  const light = (random() - 0.5) * 90; // left-right lighting difference in gray levels
  const hair = 20 + 60 * random();
  const feature = 15 + 35 * random(); // darkness of eyes, brows, mouth
  const noise = 3 + 6 * random();
  const faceRx = 0.6 + 0.06 * random();
  const faceRy = 0.78 + 0.06 * random();
  const pixel = 2 / IMAGE_SIZE / scale; // one pixel in face units

  for (let row = 0; row < IMAGE_SIZE; row++) {
    for (let col = 0; col < IMAGE_SIZE; col++) {
      // Image coordinates in [-1, 1], then into the face's own frame (inverse pose).
      const u = ((col + 0.5) / IMAGE_SIZE) * 2 - 1 - shiftX;
      const v = ((row + 0.5) / IMAGE_SIZE) * 2 - 1 - shiftY;
      const x = (cos * u + sin * v) / scale;
      const y = (-sin * u + cos * v) / scale;
      const shade = light * x * 0.5;

      let value = background + shade * 0.4;
      const face = coverage(ellipseDistance(x, y, 0, 0.08, faceRx, faceRy), pixel);
      value = blend(value, skin + shade, face);
      // Hair: a dark cap over the top of the head.
      const hairCover = coverage(ellipseDistance(x, y, 0, -0.38, faceRx + 0.06, 0.5), pixel) * clamp01((-0.42 - y) / 0.08 + 1);
      value = blend(value, hair, hairCover);

      for (const side of [-1, 1]) {
        const eyeX = side * 0.27;
        // Sclera, then iris: wide-open eyes show more white.
        value = blend(value, Math.min(235, skin + 45), coverage(ellipseDistance(x, y, eyeX, -0.08, e.eyeWidth, e.eyeHeight), pixel));
        value = blend(value, feature, coverage(ellipseDistance(x, y, eyeX, -0.08, 0.055, Math.min(e.eyeHeight, 0.055)), pixel));
        // Brow: a thick segment; tilt moves the inner end (near x = 0).
        const browY = -0.3 + e.browLift - 0.3 * (e.eyeHeight - NEUTRAL.eyeHeight);
        const inner = browY - e.browTilt;
        const outer = browY + e.browTilt * 0.3;
        value = blend(value, feature, coverage(segmentDistance(x, y, side * 0.1, inner, side * 0.42, outer) - 0.035, pixel));
      }
      // Nose: a soft shadow, with wrinkle lines for disgust.
      value = blend(value, skin * 0.7 + shade, 0.6 * coverage(ellipseDistance(x, y, 0, 0.18, 0.06, 0.11), pixel * 3));
      if (e.noseWrinkle > 0.05) {
        for (const side of [-1, 1]) {
          const wrinkle = segmentDistance(x, y, side * 0.06, 0.02, side * 0.14, 0.1) - 0.012;
          value = blend(value, feature + 30, e.noseWrinkle * 0.8 * coverage(wrinkle, pixel));
        }
      }
      // Mouth: a parabola whose middle drops by curve*0.12 (a smile when curve > 0, since y points down),
      // drawn as a lip line, or as a dark opening when open; `raise` lifts one corner.
      const mouthY = 0.46;
      const dx = x / e.mouthWidth;
      if (Math.abs(dx) <= 1.15) {
        const lift = e.mouthRaise * (dx + 1) * 0.5;
        const centre = mouthY + e.mouthCurve * 0.12 * (1 - dx * dx) - lift;
        const halfOpen = e.mouthOpen * Math.max(0, 1 - dx * dx);
        const distance = Math.abs(y - centre) - halfOpen - 0.022;
        const edge = Math.max(distance, (Math.abs(dx) - 1) * e.mouthWidth);
        value = blend(value, feature * (halfOpen > 0.01 ? 0.6 : 1), coverage(edge, pixel));
      }
      value += gaussian(random) * noise;
      out[offset + row * IMAGE_SIZE + col] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
    }
  }
}

/** Labels for `count` rows in DEMO_CLASS_SHARES proportions (largest remainder), then shuffled. */
function demoLabels(count: number, random: () => number): Uint8Array {
  const exact = DEMO_CLASS_SHARES.map((share) => share * count);
  const counts = exact.map(Math.floor);
  const order = exact.map((value, k) => ({ k, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest);
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < count; i++) counts[order[i % DEMO_CLASS_SHARES.length].k]++;
  const labels = new Uint8Array(count);
  let at = 0;
  counts.forEach((n, k) => labels.fill(k, at, (at += n)));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  return labels;
}

/** Renders the demo set straight into typed arrays (Usage blocks in file order: Training, PublicTest, PrivateTest). */
export function generateDemoBuffers(options: DemoOptions = defaultDemoOptions): DatasetBuffers {
  const random = createRng(options.seed);
  const sizes = [options.training, options.publicTest, options.privateTest];
  const rows = sizes[0] + sizes[1] + sizes[2];
  const pixels = new Uint8Array(rows * PIXELS);
  const labels = new Uint8Array(rows);
  const usage = new Uint8Array(rows);
  let at = 0;
  sizes.forEach((size, usageCode) => {
    const blockLabels = demoLabels(size, random);
    for (let i = 0; i < size; i++, at++) {
      labels[at] = blockLabels[i];
      usage[at] = usageCode;
      renderFace(blockLabels[i], random, pixels, at * PIXELS);
    }
  });
  return { rows, pixels, labels, usage, labelSet: FER2013_LABELS };
}
