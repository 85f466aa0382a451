// Building the page's elements. Text always goes in as textContent, never as HTML: labels,
// column names and cell values come from the user's files and terms.
const SVG = 'http://www.w3.org/2000/svg';

/** An HTML element with an optional class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An SVG element with its attributes and optional text. */
export function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, attribute] of Object.entries(attributes)) node.setAttribute(name, attribute);
  if (text !== undefined) node.textContent = text;
  return node;
}
