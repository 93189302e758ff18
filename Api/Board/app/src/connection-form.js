// Which tenant to show, with which token. In Development the API serves config.json with the token its IDE uses
// (the demo tenant's); elsewhere that file is not there and the person pastes a token (`Api -- token --tenant ID`).

export async function developmentConfig() {
  const response = await fetch('config.json', { cache: 'no-store' }).catch(() => null);
  return response?.ok ? response.json() : null;
}

/**
 * @param {HTMLFormElement} form
 * @param {(tenantId: string, authorization: string) => void} onShow
 */
export function connectionForm(form, onShow) {
  const { tenant, token } = form.elements;
  const suggestions = form.querySelector('datalist');

  form.addEventListener('submit', event => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const tenantId = tenant.value.trim();
    const value = token.value.trim();
    const url = new URL(location.href);
    url.searchParams.set('tenant', tenantId);
    history.replaceState(null, '', url); // a reload shows the same tenant (the token is never put in the URL)
    onShow(tenantId, /^bearer /i.test(value) ? value : `Bearer ${value}`);
  });

  return {
    /** Fills in what config.json and the page's ?tenant= give; true when both fields are then set. */
    prefill(config) {
      suggestions.replaceChildren(...(config?.tenants ?? []).map(id => new Option(id, id)));
      tenant.value = new URL(location.href).searchParams.get('tenant') ?? config?.tenants?.[0] ?? '';
      if (config?.authorization) token.value = config.authorization;
      return tenant.value !== '' && token.value !== '';
    },
    submit: () => form.requestSubmit(),
  };
}
