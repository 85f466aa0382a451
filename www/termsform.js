// The terms as a form: the agreement's main settings and one row per target, with a menu of
// the core's metrics to add from. The JSON text stays the one source of the terms: the form is
// drawn from it and every change is written back to it; what the form does not show (credit
// rules, calendars, exclusions…) is kept untouched.
import { element } from './dom.js';
import { periodName } from './format.js';

const PERIODS = ['interval15', 'interval30', 'interval60', 'day', 'isoWeek', 'month'];
const UNIT_SUFFIX = { percent: '%', seconds: 's', score: 'score' };
const ZONES = ['UTC', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'America/New_York',
  'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata',
  'Asia/Manila', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney', 'Africa/Johannesburg'];

let nextId = 0;
/** A labelled input: the label's text and the control, tied by id for screen readers. */
function field(labelText, control, className = 'field') {
  control.id ||= `terms-form-${nextId++}`;
  const wrapper = element('div', className);
  const label = element('label', null, labelText);
  label.htmlFor = control.id;
  wrapper.append(label, control);
  return wrapper;
}

function input(type, current, attributes = {}) {
  const control = element('input');
  control.type = type;
  control.value = current ?? '';
  for (const [name, attribute] of Object.entries(attributes)) control.setAttribute(name, attribute);
  return control;
}

function select(options, current) {
  const control = element('select');
  for (const [optionValue, text] of options) {
    const option = element('option', null, text);
    option.value = optionValue;
    option.selected = optionValue === (current ?? '');
    control.append(option);
  }
  return control;
}

/** Sets `key` of `object` to `value`, or removes it when the input was emptied. */
function assign(object, key, value) {
  if (value === undefined || value === '' || Number.isNaN(value)) delete object[key];
  else object[key] = value;
}

const numberOf = (control) => (control.value.trim() === '' ? undefined : control.valueAsNumber);

/** `voice, chat` → `["voice", "chat"]`, one value stays a string, nothing is undefined. */
function scopeValues(text) {
  const values = text.split(',').map((part) => part.trim()).filter(Boolean);
  return values.length > 1 ? values : values[0];
}
const scopeText = (scope) => (Array.isArray(scope) ? scope.join(', ') : scope ?? '');

/**
 * Draws the form for `terms` (a parsed terms object) into `container`. `onChange(terms,
 * redraw)` is called after every edit with the edited object; `redraw` is true when targets
 * were added or removed. `units[i]` is target i's unit as the last report gave it.
 */
export function renderTermsForm(container, terms, catalog, units, onChange) {
  container.replaceChildren();
  const byMetric = new Map(catalog.map((choice) => [choice.metric, choice]));
  const changed = (redraw = false) => onChange(terms, redraw);

  const agreement = element('div', 'agreement-fields');
  const name = input('text', terms.name, { placeholder: 'Your agreement' });
  name.addEventListener('input', () => { assign(terms, 'name', name.value); changed(); });
  const period = select(PERIODS.map((kind) => [kind, periodName(kind)]), terms.period ?? 'month');
  period.addEventListener('change', () => { terms.period = period.value; changed(); });
  const zone = input('text', terms.timeZone, { placeholder: 'UTC', list: 'time-zones', autocomplete: 'off' });
  const zones = element('datalist');
  zones.id = 'time-zones';
  for (const zoneName of ZONES) zones.append(Object.assign(element('option'), { value: zoneName }));
  zone.addEventListener('change', () => { assign(terms, 'timeZone', zone.value.trim()); changed(); });
  const fee = input('number', terms.feePerPeriod, { min: 0, step: 'any', placeholder: 'none' });
  fee.addEventListener('input', () => { assign(terms, 'feePerPeriod', numberOf(fee)); changed(); });
  const currency = input('text', terms.currency, { maxlength: 3, size: 4, placeholder: 'EUR' });
  currency.addEventListener('change', () => { assign(terms, 'currency', currency.value.trim().toUpperCase()); changed(); });
  agreement.append(
    field('Agreement', name), field('Measured per', period), field('Time zone', zone), zones,
    field('Fee per period', fee), field('Currency', currency),
  );

  const table = element('table', 'targets-form');
  table.createCaption().textContent = 'Targets';
  const head = table.createTHead().insertRow();
  for (const heading of ['Metric', 'Goal', 'Threshold or percentile', 'Channel', 'Priority', 'Period', '']) {
    const th = element('th', null, heading);
    th.scope = 'col';
    head.append(th);
  }
  const body = table.createTBody();
  const targets = Array.isArray(terms.targets) ? terms.targets : [];
  targets.forEach((target, index) => {
    const choice = byMetric.get(target.metric);
    const row = body.insertRow();
    const number = index + 1;
    const metricCell = row.insertCell();
    metricCell.append(element('span', 'metric-name', choice?.name ?? String(target.metric)));
    if (choice) {
      metricCell.title = `${choice.question} ${choice.definition}`;
      metricCell.append(element('span', 'definition', choice.definition));
    }
    const unit = UNIT_SUFFIX[units?.[index] ?? choice?.unit] ?? '';
    const goal = input('number', target.goal, { step: 'any', 'aria-label': `Goal of target ${number}${unit ? ` (${unit})` : ''}` });
    goal.addEventListener('input', () => { assign(target, 'goal', numberOf(goal)); changed(); });
    const goalCell = row.insertCell();
    goalCell.append(goal, element('span', 'unit', unit));

    const optionCell = row.insertCell();
    const option = choice?.options.find((name) => name === 'thresholdSecs' || name === 'percentile');
    if (option) {
      const isThreshold = option === 'thresholdSecs';
      const control = input('number', target[option], {
        min: 0, step: 'any', 'aria-label': `${isThreshold ? 'Threshold in seconds' : 'Percentile'} of target ${number}`,
      });
      control.addEventListener('input', () => { assign(target, option, numberOf(control)); changed(); });
      optionCell.append(control, element('span', 'unit', isThreshold ? 's' : 'th'));
    }

    const usesContacts = target.metric !== 'availability';
    for (const scopeField of ['channel', 'priority']) {
      const scopeCell = row.insertCell();
      if (!usesContacts) continue;
      const control = input('text', scopeText(target.scope?.[scopeField]), {
        placeholder: 'all', size: 10, 'aria-label': `${scopeField === 'channel' ? 'Channel' : 'Priority'} of target ${number}`,
      });
      control.addEventListener('change', () => {
        const scope = { ...(target.scope ?? {}) };
        assign(scope, scopeField, scopeValues(control.value));
        assign(target, 'scope', Object.keys(scope).length ? scope : undefined);
        changed();
      });
      scopeCell.append(control);
    }

    const targetPeriod = select([['', 'the agreement’s'], ...PERIODS.map((kind) => [kind, periodName(kind)])], target.period);
    targetPeriod.setAttribute('aria-label', `Period of target ${number}`);
    targetPeriod.addEventListener('change', () => { assign(target, 'period', targetPeriod.value); changed(); });
    row.insertCell().append(targetPeriod);

    const remove = element('button', 'secondary remove', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove target ${number}: ${choice?.name ?? target.metric}`);
    remove.addEventListener('click', () => { targets.splice(index, 1); changed(true); });
    row.insertCell().append(remove);
  });

  const adder = element('div', 'actions add-target');
  const menu = select(catalog.map((choice) => [choice.metric, choice.name]));
  [...menu.options].forEach((option, index) => { option.title = catalog[index].question; });
  const add = element('button', null, 'Add target');
  add.type = 'button';
  add.addEventListener('click', () => {
    const choice = byMetric.get(menu.value);
    const section = choice.needsSection;
    if (section && terms[section.field] === undefined) terms[section.field] = structuredClone(section.value);
    terms.targets = [...targets, structuredClone(choice.starter)];
    changed(true);
  });
  const question = element('span', 'hint', catalog[0]?.question ?? '');
  question.id = 'add-target-question';
  menu.setAttribute('aria-describedby', question.id);
  menu.addEventListener('change', () => { question.textContent = byMetric.get(menu.value).question; });
  adder.append(field('Add a metric', menu, 'field inline'), add, question);

  container.append(agreement, table, adder);
}
