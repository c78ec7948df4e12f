// Runs on the page: draws a width x height grayscale image (values 0–255) on a canvas, scaled with crisp pixels.
import { useEffect, useRef } from 'react';
import { IMAGE_SIZE } from '../../core/dataset/face-format';

interface GrayImageProps {
  /** Row-major gray levels, length width*height (Uint8Array, or Float32Array already in 0–255). */
  pixels: ArrayLike<number>;
  width?: number;
  height?: number;
  /** Displayed size in CSS pixels. */
  size?: number;
  title?: string;
  className?: string;
}

export function GrayImage({ pixels, width = IMAGE_SIZE, height = IMAGE_SIZE, size = 48, title, className }: GrayImageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const value = pixels[i];
      image.data[i * 4] = value;
      image.data[i * 4 + 1] = value;
      image.data[i * 4 + 2] = value;
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels, width, height]);
  return (
    <canvas
      ref={canvasRef}
      width={width}
      height={height}
      className={className ? `gray-image ${className}` : 'gray-image'}
      style={{ width: size, height: (size * height) / width }}
      title={title}
      role="img"
      aria-label={title}
    />
  );
}
