// The import, as the core read it: rows used and skipped, how the file was read, and every
// column with the field it feeds — each a choice the user can change, which re-reads the data.
import { element } from './dom.js';
import { count } from './format.js';

const CONFIDENCE = { sure: 'sure', likely: 'likely — check', chosen: 'your choice' };
const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const SHAPE_NAMES = {
  contacts: 'One contact per row',
  intervals: 'An interval report (counts per interval)',
  kpis: 'A KPI history (values per period, used as given)',
};

function list(items, className) {
  const ul = element('ul', className);
  for (const text of items) ul.append(element('li', null, text));
  return ul;
}

/** The options after the user maps `column` to `field` ('' = not used). */
function remapped(options, column, field) {
  const mapping = { ...options.mapping };
  if (column.field) mapping[column.field] = null;
  if (field) mapping[field] = column.name;
  return { ...options, mapping };
}

function mappingTable(quality, fields, options, onChange) {
  const table = element('table', 'mapping');
  table.createCaption().textContent = 'Columns and the fields they feed';
  const head = table.createTHead().insertRow();
  for (const title of ['Column', 'Values', 'Used as', '']) head.append(element('th', null, title));
  const body = table.createTBody();
  for (const column of quality.columns) {
    const row = body.insertRow();
    row.append(element('th', 'column-name', column.name));
    row.insertCell().textContent = column.examples.join(' · ');
    const select = element('select');
    select.setAttribute('aria-label', `Field of column ${column.name}`);
    select.append(new Option('— not used —', ''));
    for (const { field, label } of fields) select.append(new Option(label, field, false, field === column.field));
    select.addEventListener('change', () => onChange(remapped(options, column, select.value)));
    row.insertCell().append(select);
    row.insertCell().append(element('span', `confidence ${column.confidence ?? 'none'}`,
      column.confidence ? CONFIDENCE[column.confidence] : ''));
  }
  return table;
}

/**
 * The edges of an interval report's numbered service-level increments (Avaya's ACDCALLS1…10),
 * which its columns do not state: typed as `5, 10, 20`, checked by the core.
 */
function incrementEdges(options, onChange) {
  const label = element('label', null, 'Numbered increments (ACDCALLS1…) end at ');
  const input = element('input');
  input.id = 'increment-edges';
  input.placeholder = '5, 10, 20, 30, 60';
  input.value = (options.incrementEdges ?? []).join(', ');
  input.addEventListener('change', () => {
    const edges = input.value.split(/[\s,;]+/).filter(Boolean).map(Number);
    onChange({ ...options, incrementEdges: edges });
  });
  label.append(input, ' s');
  return label;
}

/**
 * Renders the import account (`quality`, and `countedNote` when a big file was counted as read,
 * not held) into `box`. `actions.remap(options)` re-reads with new choices;
 * `actions.downloadSkipped()` saves the skipped rows.
 */
export function renderImport(box, { quality, countedNote }, fields, options, actions) {
  const onChange = actions.remap;
  box.replaceChildren();
  const { rowsRead, rowsUsed, rowsSkipped, skipped } = quality;
  box.append(element('p', 'rows', `${count(rowsRead)} rows read · ${count(rowsUsed)} used · ${count(rowsSkipped)} skipped`));
  if (countedNote) box.append(element('p', 'counted-note', countedNote));
  if (skipped.length) {
    box.append(list(skipped.map((group) => group.message), 'skipped'));
    const save = element('button', 'secondary', 'Download the skipped rows');
    save.type = 'button';
    save.id = 'skipped-csv';
    save.addEventListener('click', actions.downloadSkipped);
    box.append(save);
  }

  const details = element('details', 'import');
  const mapped = quality.columns.filter((column) => column.field).length;
  const notes = [...quality.notes];
  if (quality.encoding === 'latin1') notes.push('The file is not UTF-8: it was read as Latin-1; check accented letters.');
  for (const coerced of quality.coerced) notes.push(`column "${coerced.column}": ${count(coerced.count)} cells — ${coerced.what}`);
  const noteCount = notes.length ? ` · ${count(notes.length)} note${notes.length === 1 ? '' : 's'}` : '';
  // Summaries (an interval report, a KPI history) have no per-column mapping to choose.
  const summary = quality.shape !== 'contacts';
  details.append(element('summary', null,
    `${SHAPE_NAMES[quality.shape]}, read as `
    + `${quality.encoding === 'latin1' ? 'Latin-1' : quality.encoding.startsWith('utf16') ? 'UTF-16' : 'UTF-8'}, `
    + `${DELIMITERS[quality.dialect.delimiter] ?? 'comma'}-separated, ${quality.dialect.hasHeader ? 'with' : 'without'} a header`
    + `${summary ? '' : ` · ${mapped} of ${quality.columns.length} columns used`}${noteCount}`));
  if (notes.length) details.append(list(notes, 'notes'));

  const choices = element('div', 'actions');
  const shape = element('label', null, 'Each row is ');
  const shapeSelect = element('select');
  shapeSelect.id = 'input-shape';
  shapeSelect.append(
    new Option('one contact', 'contacts'),
    new Option('an interval\'s counts', 'intervals'),
    new Option('a period\'s KPIs', 'kpis'),
  );
  shapeSelect.value = quality.shape;
  shapeSelect.addEventListener('change', () => onChange({ ...options, shape: shapeSelect.value, mapping: {} }));
  shape.append(shapeSelect);
  choices.append(shape);
  if (quality.shape === 'intervals') choices.append(incrementEdges(options, onChange));
  if (summary) {
    details.append(choices);
    details.open = 'shape' in options || 'incrementEdges' in options
      || quality.notes.some((note) => note.includes('increments are numbered'));
    box.append(details);
    return;
  }
  const header = element('label', null, ' First row is a header');
  const headerBox = element('input');
  headerBox.type = 'checkbox';
  headerBox.id = 'has-header';
  headerBox.checked = quality.dialect.hasHeader;
  headerBox.addEventListener('change', () => onChange({ ...options, hasHeader: headerBox.checked, mapping: {} }));
  header.prepend(headerBox);
  choices.append(header);
  const order = element('label', null, 'Dates like 03/04/2026 are ');
  const orderSelect = element('select');
  orderSelect.id = 'date-order';
  orderSelect.append(new Option('day/month', 'dayFirst'), new Option('month/day', 'monthFirst'));
  orderSelect.value = quality.dateOrder;
  orderSelect.addEventListener('change', () => onChange({ ...options, dateOrder: orderSelect.value }));
  order.append(orderSelect);
  if (quality.dateOrderAmbiguous) order.append(element('span', 'warning', ' (the data cannot tell: check)'));
  choices.append(order);
  details.append(choices, mappingTable(quality, fields, options, onChange));
  // Open when something needs a look, and after every choice, so the user sees its effect.
  details.open = quality.dateOrderAmbiguous
    || quality.columns.some((column) => column.confidence === 'likely')
    || Object.keys(options.mapping ?? {}).length > 0 || 'dateOrder' in options || 'hasHeader' in options;
  box.append(details);
}
