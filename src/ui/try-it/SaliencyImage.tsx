// Runs on the page: a 48x48 gray crop with its saliency heat map blended on top (red = drove the prediction).
import { useEffect, useRef } from 'react';
import { IMAGE_SIZE, PIXELS } from '../../core/dataset/face-format';

interface SaliencyImageProps {
  /** Float32Array(2304), 0–255 gray levels of the crop. */
  gray: Float32Array;
  /** Float32Array(2304), 0–1, or null while it is computed. */
  heat: Float32Array | null;
  size: number;
  title: string;
}

/** A compact "jet"-like colour ramp: blue (0) -> cyan -> yellow -> red (1). */
function heatColour(value: number): [number, number, number] {
  const v = Math.max(0, Math.min(1, value));
  const r = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 3)));
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 2)));
  const b = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 1)));
  return [r * 255, g * 255, b * 255];
}

export function SaliencyImage({ gray, heat, size, title }: SaliencyImageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let i = 0; i < PIXELS; i++) {
      const g = gray[i];
      let [r, gr, b] = [g, g, g];
      if (heat) {
        // Alpha grows with the heat, so cold regions keep the face visible.
        const [hr, hg, hb] = heatColour(heat[i]);
        const alpha = 0.25 + 0.45 * heat[i];
        r = (1 - alpha) * g + alpha * hr;
        gr = (1 - alpha) * g + alpha * hg;
        b = (1 - alpha) * g + alpha * hb;
      }
      image.data.set([r, gr, b, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  }, [gray, heat]);
  return (
    <canvas
      ref={canvasRef}
      width={IMAGE_SIZE}
      height={IMAGE_SIZE}
      className="gray-image"
      style={{ width: size, height: size }}
      role="img"
      aria-label={title}
      title={title}
    />
  );
}
