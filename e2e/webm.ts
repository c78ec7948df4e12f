// Node-side, for tests: a minimal WebM muxer (one VP8 track) for frames encoded in the page with WebCodecs, so a
// test video has exactly the frames and timestamps it asks for, whatever the machine's load.
//
// Laid out as Chromium's MediaRecorder streams a recording (given a timeslice; Chromium 156 finalises a recording
// made without one): the Segment's and each Cluster's size unknown, no Duration, no Cues, so a player learns the
// length only by reading to the last frame. `durationMs` adds the Duration a finalised file states.

/** One encoded frame, as an EncodedVideoChunk gives it (timestamp in microseconds). */
export interface EncodedFrame {
  timestampUs: number;
  key: boolean;
  data: Uint8Array;
}

const UNKNOWN_SIZE = Uint8Array.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** EBML variable-length size, in the fewest bytes (all-ones patterns are reserved for "unknown"). */
function size(value: number): Uint8Array {
  for (let length = 1; length <= 8; length++) {
    if (value < 2 ** (7 * length) - 1) {
      const bytes = new Uint8Array(length);
      let rest = value;
      for (let i = length - 1; i >= 0; i--) {
        bytes[i] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      bytes[0] |= 0x80 >> (length - 1);
      return bytes;
    }
  }
  throw new Error(`EBML size too large: ${value}`);
}

/** An element ID's bytes (IDs are written with their length marker, e.g. 0x1a45dfa3). */
function id(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.from(bytes);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
const element = (elementId: number, ...body: Uint8Array[]) => {
  const content = concat(body);
  return concat([id(elementId), size(content.length), content]);
};
const uint = (elementId: number, value: number) => {
  const bytes: number[] = [];
  for (let rest = value; bytes.length === 0 || rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return element(elementId, Uint8Array.from(bytes));
};
const text = (elementId: number, value: string) => element(elementId, new TextEncoder().encode(value));
const float = (elementId: number, value: number) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return element(elementId, bytes);
};

/**
 * A WebM of VP8 frames: a Cluster from each key frame (the first frame must be one), times in milliseconds, frames
 * in SimpleBlocks.
 * @param options.durationMs the Duration to state in the header (a finalised file); none when left out.
 */
export function muxWebm(frames: readonly EncodedFrame[], options: { width: number; height: number; durationMs?: number }): Buffer {
  if (frames.length === 0 || !frames[0].key) throw new Error('a WebM needs a key frame first');
  const header = element(
    0x1a45dfa3,
    uint(0x4286, 1), // EBMLVersion
    uint(0x42f7, 1), // EBMLReadVersion
    uint(0x42f2, 4), // EBMLMaxIDLength
    uint(0x42f3, 8), // EBMLMaxSizeLength
    text(0x4282, 'webm'), // DocType
    uint(0x4287, 4), // DocTypeVersion
    uint(0x4285, 2), // DocTypeReadVersion
  );
  const info = element(
    0x1549a966,
    uint(0x2ad7b1, 1_000_000), // TimecodeScale: 1 ms
    text(0x4d80, 'fer-trainer e2e muxer'), // MuxingApp
    text(0x5741, 'fer-trainer e2e'), // WritingApp
    ...(options.durationMs === undefined ? [] : [float(0x4489, options.durationMs)]), // Duration, in TimecodeScale units
  );
  const tracks = element(
    0x1654ae6b,
    element(
      0xae, // TrackEntry
      uint(0xd7, 1), // TrackNumber
      uint(0x73c5, 1), // TrackUID
      uint(0x83, 1), // TrackType: video
      text(0x86, 'V_VP8'), // CodecID
      element(0xe0, uint(0xb0, options.width), uint(0xba, options.height)), // Video: PixelWidth, PixelHeight
    ),
  );
  const clusters: Uint8Array[] = [];
  let start = 0;
  while (start < frames.length) {
    let end = start + 1;
    while (end < frames.length && !frames[end].key) end++;
    const clusterMs = Math.round(frames[start].timestampUs / 1000);
    const blocks = frames.slice(start, end).map((frame) => {
      const relative = Math.round(frame.timestampUs / 1000) - clusterMs;
      if (relative > 32767) throw new Error('a cluster spans more than 32.767 s: add key frames');
      // SimpleBlock: track number 1, int16 time relative to the cluster, flags (0x80: key frame), the frame.
      return element(0xa3, Uint8Array.from([0x81, (relative >> 8) & 0xff, relative & 0xff, frame.key ? 0x80 : 0]), frame.data);
    });
    clusters.push(id(0x1f43b675), UNKNOWN_SIZE, uint(0xe7, clusterMs), ...blocks); // Cluster: Timecode, blocks
    start = end;
  }
  return Buffer.from(concat([header, id(0x18538067), UNKNOWN_SIZE, info, tracks, ...clusters]));
}
