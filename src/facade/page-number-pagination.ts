// Django REST framework's PageNumberPagination, as A_A's /job/ list used it (PAGE_SIZE 10).

export const PAGE_SIZE = 10;

export interface PageWindow {
  page: number;
  offset: number;
  limit: number;
}

/** The page a `?page=` value asks for, or null where DRF answered 404 "Invalid page.". */
export function pageWindow(raw: string | undefined, count: number, pageSize = PAGE_SIZE): PageWindow | null {
  // Django counts an empty list as one (empty) page.
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const text = raw === undefined || raw === '' ? '1' : raw.trim();
  const page = text === 'last' ? pages : /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(page) || page < 1 || page > pages) return null;
  return { page, offset: (page - 1) * pageSize, limit: pageSize };
}

/** DRF's next/previous links: the request's absolute URL with `page` replaced, or removed for page 1. */
export function pageLinks(requestUrl: string, page: number, count: number, pageSize = PAGE_SIZE) {
  const hasNext = page * pageSize < count;
  return {
    next: hasNext ? withPage(requestUrl, page + 1) : null,
    previous: page > 1 ? withPage(requestUrl, page - 1 === 1 ? null : page - 1) : null,
  };
}

// As DRF's replace_query_param / remove_query_param: keys sorted, encoded like Python's urlencode.
function withPage(requestUrl: string, page: number | null): string {
  const url = new URL(requestUrl);
  const grouped = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  if (page === null) grouped.delete('page');
  else grouped.set('page', [String(page)]);
  const query = [...grouped.keys()]
    .sort()
    .flatMap((key) => grouped.get(key)!.map((value) => `${quotePlus(key)}=${quotePlus(value)}`))
    .join('&');
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}${url.hash}`;
}

// Python's quote_plus keeps only letters, digits and "_.-~".
function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
