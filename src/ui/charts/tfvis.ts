// Runs on the page: the one place that imports tfjs-vis (its bundled preact typings clash with React's JSX
// types, tfjs issue #1415, so nothing else touches it).
import * as tfvis from '@tensorflow/tfjs-vis';

export { tfvis };
