// Small helpers of the results pages: percentages as the reader writes them
// ("62 %" in German) and the colours of scale points and stages.
import { formatNumber } from './i18n.svelte';

// A share (0..1) as a whole percentage.
export const percent = (fraction: number) => formatNumber(fraction, { style: 'percent', maximumFractionDigits: 0 });

// A whole number of percent (62) as the reader writes it.
export const percentOf = (whole: number) => percent(whole / 100);

// A number to one decimal place ("4.3", "4,3").
export const oneDecimal = (value: number) => formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// The colour of a scale point (1-based) and of a stage.
export const scaleColour = (point: number) => `var(--scale-${Math.min(point, 5)})`;
export const stageColour = (stage: number) => `var(--stage-${Math.min(stage, 6)})`;

// A whole number with its sign ("+12", "−3", "0").
export const signedWhole = (value: number) => formatNumber(Math.round(value), { signDisplay: 'exceptZero' });
