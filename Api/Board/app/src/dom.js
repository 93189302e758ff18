// Elements made from data: text only, never markup, so nothing a cart holds can become HTML.

/** `h('td', { class: 'total' }, 'USD 40.00', child...)` */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter(child => child !== null && child !== undefined));
  return element;
}
