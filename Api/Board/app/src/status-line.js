// The one line that says whether the board is live: a status region, so assistive technology hears the changes.

/** @param {HTMLElement} element  a role="status" element */
export function statusLine(element) {
  return {
    /** @param {'idle' | 'connecting' | 'live' | 'error'} state */
    show(state, text) {
      element.dataset.state = state;
      element.textContent = text;
    },
  };
}
