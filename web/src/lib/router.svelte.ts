// A small history-API router: the current path as reactive state, links
// handled without a page load, and pattern matching with named parameters.

export const route = $state({ path: location.pathname, search: location.search });

export function navigate(to: string, replace = false) {
  const url = new URL(to, location.origin);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.path = url.pathname;
  route.search = url.search;
  window.scrollTo(0, 0);
}

// Matches "/cycles/:cycle/results" against a path; null when it does not fit.
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

export function startRouter() {
  addEventListener('popstate', () => {
    route.path = location.pathname;
    route.search = location.search;
  });
  // Same-origin links navigate in place; new tabs, downloads and modified
  // clicks keep the browser's behaviour.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    if (anchor.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
}
