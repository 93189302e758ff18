// How amounts, times and statuses read on the board (English, like the rest of the page).

export function money(amount, currency) {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' });
    return format.format(amount).replace(/\u00a0/g, ' ');
  } catch {
    return `${currency} ${amount}`;
  }
}

export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString('en-GB') : '';
}

const statuses = { ACTIVE: 'Active', CHECKED_OUT: 'Checked out', CANCELLED: 'Cancelled' };

export function statusLabel(status) {
  return statuses[status] ?? status;
}

/** A payload error as one line: its code, its message, and the input field when it names one. */
export function errorLine(error) {
  return `${error.code}: ${error.message}${error.field ? ` (${error.field})` : ''}`;
}
