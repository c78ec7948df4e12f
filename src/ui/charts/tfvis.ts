// Runs on the page: the one place that loads tfjs-vis. Its bundled preact typings clash with React's JSX
// types (tfjs issue #1415), and it brings vega (~2 MB), so it is imported lazily, the first time a chart
// is drawn, and kept out of the page's first download.

import type * as TfvisModule from '@tensorflow/tfjs-vis';

type Tfvis = typeof TfvisModule;

let loading: Promise<Tfvis> | null = null;

/** tfjs-vis, loaded on first use (the promise is shared). */
export function loadTfvis(): Promise<Tfvis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}
