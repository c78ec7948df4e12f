import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, validateTrainConfig } from './train-config';

describe('validateTrainConfig', () => {
  it('accepts the defaults, and names a random-erasing share outside 0-1', () => {
    const config = defaultTrainConfig('vgg-s');
    expect(validateTrainConfig(config)).toEqual([]);
    expect(validateTrainConfig({ ...config, augment: { ...config.augment, erase: 0.5 } })).toEqual([]);
    for (const erase of [-0.1, 1.5, NaN]) {
      expect(validateTrainConfig({ ...config, augment: { ...config.augment, erase } })).toEqual(['random erasing must be a share from 0 to 1']);
    }
  });
});
