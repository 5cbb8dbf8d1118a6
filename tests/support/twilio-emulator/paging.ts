/**
 * Twilio's list paging: `PageSize` (default 50, at most 1000), `Page` (an index the client
 * echoes back) and `PageToken` (opaque; here `PA<sid>` = after that record, `PB<sid>` = before it).
 * Tokens anchor on a record rather than an offset, so deleting while paging skips nothing.
 */

export interface PageParams {
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken: { readonly after: boolean; readonly sid: string } | null;
}

/** Reads the paging parameters; a string is the name of the bad one. */
export function parsePageParams(query: Readonly<Record<string, string>>): PageParams | string {
  const pageSize = query['PageSize'] === undefined ? 50 : Number(query['PageSize']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return 'PageSize';
  const page = query['Page'] === undefined ? 0 : Number(query['Page']);
  if (!Number.isInteger(page) || page < 0) return 'Page';
  const token = query['PageToken'];
  if (token === undefined) return { pageSize, page, pageToken: null };
  const match = /^P([AB])(\w{34})$/.exec(token);
  if (!match?.[2]) return 'PageToken';
  return { pageSize, page, pageToken: { after: match[1] === 'A', sid: match[2] } };
}

export interface ListSpec<T> {
  /** Every record the filters select, in list order, including hidden (deleted) ones. */
  readonly all: readonly T[];
  readonly visible: (item: T) => boolean;
  readonly sidOf: (item: T) => string;
  readonly toJson: (item: T) => unknown;
  /** The list's path, e.g. /2010-04-01/Accounts/AC…/Recordings.json */
  readonly path: string;
  /** Filter parameters to carry into every page URI. */
  readonly filters: Readonly<Record<string, string>>;
  /** The list key, e.g. `recordings`. */
  readonly key: string;
}

/** The records on one page, and whether more follow; null when the page token names no record of this list. */
export function selectPage<T>(list: Pick<ListSpec<T>, 'all' | 'visible' | 'sidOf'>, params: PageParams): { readonly items: readonly T[]; readonly more: boolean } | null {
  const { pageSize, page, pageToken } = params;
  if (pageToken) {
    const at = list.all.findIndex((item) => list.sidOf(item) === pageToken.sid);
    if (at < 0) return null;
    if (pageToken.after) {
      const rest = list.all.slice(at + 1).filter(list.visible);
      return { items: rest.slice(0, pageSize), more: rest.length > pageSize };
    }
    return { items: list.all.slice(0, at).filter(list.visible).slice(-pageSize), more: list.all.slice(at).some(list.visible) };
  }
  const visible = list.all.filter(list.visible);
  return { items: visible.slice(page * pageSize, (page + 1) * pageSize), more: visible.length > (page + 1) * pageSize };
}

/** One page of a list as Twilio's JSON, or null when the page token names no record of this list. */
export function pageJson<T>(list: ListSpec<T>, params: PageParams): Record<string, unknown> | null {
  const { pageSize, page, pageToken } = params;
  const selected = selectPage(list, params);
  if (!selected) return null;
  const { items, more } = selected;
  const uri = (pageNumber: number, token?: string) =>
    `${list.path}?${new URLSearchParams({ ...list.filters, PageSize: String(pageSize), Page: String(pageNumber), ...(token ? { PageToken: token } : {}) })}`;
  const first = items[0];
  const last = items.at(-1);
  const start = page * pageSize;
  return {
    end: Math.max(start, start + items.length - 1),
    first_page_uri: uri(0),
    next_page_uri: more && last ? uri(page + 1, `PA${list.sidOf(last)}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page === 0 ? null : uri(page - 1, first ? `PB${list.sidOf(first)}` : undefined),
    [list.key]: items.map(list.toJson),
    start,
    uri: uri(page, pageToken ? `P${pageToken.after ? 'A' : 'B'}${pageToken.sid}` : undefined),
  };
}

/**
 * One page in the newer APIs' shape (Serverless v1): the records under `key` and a `meta`
 * object with absolute page URLs, which the SDK follows as they are.
 */
export function pageJsonV1<T>(list: ListSpec<T> & { readonly origin: string }, params: PageParams): Record<string, unknown> | null {
  const { pageSize, page, pageToken } = params;
  const selected = selectPage(list, params);
  if (!selected) return null;
  const { items, more } = selected;
  const url = (pageNumber: number, token?: string) =>
    `${list.origin}${list.path}?${new URLSearchParams({ ...list.filters, PageSize: String(pageSize), Page: String(pageNumber), ...(token ? { PageToken: token } : {}) })}`;
  const first = items[0];
  const last = items.at(-1);
  return {
    [list.key]: items.map(list.toJson),
    meta: {
      first_page_url: url(0),
      key: list.key,
      next_page_url: more && last ? url(page + 1, `PA${list.sidOf(last)}`) : null,
      page,
      page_size: pageSize,
      previous_page_url: page === 0 ? null : url(page - 1, first ? `PB${list.sidOf(first)}` : undefined),
      url: url(page, pageToken ? `P${pageToken.after ? 'A' : 'B'}${pageToken.sid}` : undefined),
    },
  };
}
