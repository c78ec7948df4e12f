// Runs anywhere: one colour per emotion (EMOTIONS order), used by every chart and legend.
export const CLASS_COLORS = ['#d9534f', '#6b8e23', '#8e6cbf', '#f0ad4e', '#4a7fc1', '#1fb5ad', '#8c8c8c'] as const;
