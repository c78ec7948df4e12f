// Runs anywhere: the colour of class k where only the class index is known (Try it, bars, legends).
export { CLASS_PALETTE as CLASS_COLORS } from '../../core/labels/label-set';
