// Pure facts about a face row, shared by every part of the app (workers, UI, Node tests). No DOM.

/** Faces are 48x48 grayscale, stored row-major. */
export const IMAGE_SIZE = 48;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE; // 2304

/** Values of the CSV `Usage` column; a row's usage code is its index here. */
export const USAGES = ['Training', 'PublicTest', 'PrivateTest'] as const;
export type Usage = (typeof USAGES)[number];
export const USAGE_TRAINING = 0;
export const USAGE_PUBLIC_TEST = 1;
export const USAGE_PRIVATE_TEST = 2;
