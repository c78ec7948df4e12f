import type { ReactNode } from 'react';
import type { Box } from '../../core/face-crop/types';

/** A found face on an SVG over the picture: its box and a caption above it, in the class's colour. Units are image pixels. */
export function FaceOutline({
  box,
  colour,
  strokeWidth,
  fontSize,
  children,
}: {
  box: Box;
  colour: string;
  strokeWidth: number;
  fontSize: number;
  children: ReactNode;
}) {
  return (
    <>
      <rect
        x={box.x}
        y={box.y}
        width={box.width}
        height={box.height}
        fill="transparent"
        stroke={colour}
        strokeWidth={strokeWidth}
      />
      <text
        x={box.x}
        y={Math.max(box.y - fontSize / 2, fontSize)}
        fill={colour}
        fontSize={fontSize}
        fontWeight={700}
        stroke="#fff"
        strokeWidth={Math.max(2, fontSize / 6)}
        paintOrder="stroke"
      >
        {children}
      </text>
    </>
  );
}
