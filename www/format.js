// Formatting of the numbers the core computed, for people. No SLA arithmetic: values, margins
// and counts arrive computed; this only chooses digits and units.
const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// A count the input does not carry (a KPI history has values, not counts) is null.
export const count = (value) => (value === null ? '—' : counts.format(value));

/** A metric value in its unit: `81.9 %`, `12.5 s`, `4.21`; `no data` for null. */
export function value(amount, unit) {
  if (amount === null) return 'no data';
  switch (unit) {
    case 'percent': return `${oneDecimal.format(amount)} %`;
    case 'seconds': return `${oneDecimal.format(amount)} s`;
    default: return twoDecimals.format(amount);
  }
}

/**
 * A signed margin, positive = good: `+1.9 pts`, `−2.5 s`, `+0.12`. A miss by less than 0.05
 * shows two decimals, so a missed cell never reads `−0.0`.
 */
export function margin(amount, unit) {
  const sign = amount >= 0 ? '+' : '−';
  const magnitude = Math.abs(amount);
  const digits = magnitude > 0 && magnitude < 0.05 ? twoDecimals : oneDecimal;
  switch (unit) {
    case 'percent': return `${sign}${digits.format(magnitude)} pts`;
    case 'seconds': return `${sign}${digits.format(magnitude)} s`;
    default: return `${sign}${twoDecimals.format(magnitude)}`;
  }
}

const PERIOD_NAMES = {
  interval15: 'Per 15-minute interval',
  interval30: 'Per half-hour interval',
  interval60: 'Per hour',
  day: 'Daily',
  isoWeek: 'Weekly (ISO weeks)',
  month: 'Monthly',
};

/** `Monthly`, `Per half-hour interval`… for a period kind of the report. */
export const periodName = (kind) => PERIOD_NAMES[kind] ?? kind;

/** A duration as contracts write thresholds: `20 s`, `1.5 s`. */
export const seconds = (amount) => value(amount, 'seconds').replace(/\.0 s$/, ' s');
