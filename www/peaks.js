// When the misses happen, and what staffing the hours need: a weekday × hour heat map of the
// service level the core computed, the core's finding, and its Erlang C staffing of the busiest
// hours. Colours and layout only; every number is the core's.
import { element } from './dom.js';
import { count, value } from './format.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const BUSIEST_HOURS = 8;

const hourName = (cell) => `${DAYS[cell.weekday]} ${String(cell.hour).padStart(2, '0')}:00`;

/** A cell's colour: red below the goal, green at or above, paler with less volume. */
function shade(cell, goal, busiest) {
  if (cell.serviceLevel === null) return '';
  const strength = 0.25 + 0.75 * Math.min(1, cell.averageOffered / busiest);
  return cell.serviceLevel >= goal
    ? `rgba(47, 158, 94, ${strength.toFixed(2)})`
    : `rgba(200, 71, 59, ${strength.toFixed(2)})`;
}

function heatMap(profile) {
  const hours = [...new Set(profile.cells.filter((cell) => cell.offered > 0).map((cell) => cell.hour))].sort((a, b) => a - b);
  const busiest = Math.max(1, ...profile.cells.map((cell) => cell.averageOffered));
  const table = element('table', 'heat-map');
  table.createCaption().textContent =
    `Service level in ${profile.thresholdSecs} s by weekday and hour (green: at or above ${profile.goal} %; the stronger the colour, the busier the hour)`;
  const head = table.createTHead().insertRow();
  head.append(element('th'));
  for (const hour of hours) head.append(element('th', 'hour', String(hour).padStart(2, '0')));
  const body = table.createTBody();
  DAYS.forEach((day, weekday) => {
    const row = body.insertRow();
    row.append(element('th', null, day));
    for (const hour of hours) {
      const cell = profile.cells[weekday * 24 + hour];
      const td = row.insertCell();
      td.className = 'heat';
      td.style.background = shade(cell, profile.goal, busiest);
      td.title = cell.offered === 0
        ? `${hourName(cell)}: no contacts`
        : `${hourName(cell)}: ${value(cell.serviceLevel, 'percent')} of ${count(cell.offered)} offered (${value(cell.averageOffered, 'seconds').replace(' s', '')} per hour)`;
      td.dataset.hour = hourName(cell);
    }
  });
  return table;
}

function staffingTable(profile, agents, alternatives) {
  const busiest = profile.cells
    .filter((cell) => cell.staffing)
    .sort((a, b) => b.averageOffered - a.averageOffered)
    .slice(0, BUSIEST_HOURS);
  const table = element('table', 'staffing');
  table.createCaption().textContent = `Busiest hours: agents for ${profile.goal} % in ${profile.thresholdSecs} s (Erlang C on the average hour)`;
  const titles = ['Hour', 'Contacts / hour', 'AHT', 'Erlangs', 'Agents needed', 'Scheduled', 'SL · ASA · occupancy with them'];
  for (const candidate of alternatives) titles.push(`${candidate.level} ≥ ${candidate.goal} %: agents (scheduled)`);
  if (agents) titles.push(`With ${agents} agents`);
  const head = table.createTHead().insertRow();
  for (const title of titles) head.append(element('th', null, title));
  const body = table.createTBody();
  for (const cell of busiest) {
    const { staffing } = cell;
    const row = body.insertRow();
    const cells = [
      hourName(cell),
      value(cell.averageOffered, 'seconds').replace(' s', ''),
      value(cell.ahtSecs, 'seconds'),
      staffing.erlangs.toFixed(2),
      count(staffing.required.agents),
      count(staffing.scheduled),
      `${value(staffing.required.serviceLevel, 'percent')} · ${value(staffing.required.asaSecs, 'seconds')} · ${value(staffing.required.occupancy, 'percent')}`,
    ];
    for (const goal of staffing.forGoals) cells.push(`${count(goal.agents)} (${count(goal.scheduled)})`);
    if (agents) {
      cells.push(staffing.withAgents
        ? `${value(staffing.withAgents.serviceLevel, 'percent')} · ${value(staffing.withAgents.asaSecs, 'seconds')}`
        : 'too few: the queue grows');
    }
    cells.forEach((text, index) => {
      const td = row.insertCell();
      td.textContent = text;
      if (index > 0) td.className = 'num';
    });
  }
  return table;
}

/**
 * Renders the weekly profile into `container`; `alternatives` are the suggested service-level
 * goals the core also staffed each hour for.
 */
export function renderPeaks(container, profile, agents, alternatives = []) {
  container.replaceChildren();
  // An input without hours (a KPI history): no grid or table of empty hours, the finding only.
  if (profile.cells.every((cell) => cell.offered === 0)) {
    container.append(element('h3', null, 'Staffing'), element('p', 'finding', profile.finding));
    return;
  }
  container.append(element('h3', null, 'When the misses happen'), heatMap(profile),
    element('p', 'finding', profile.finding), element('h3', 'staffing-heading', 'Staffing'), staffingTable(profile, agents, alternatives));
}
