import { pageLinks, pageWindow } from './page-number-pagination.ts';

describe('pageWindow', () => {
  it('starts at page 1 without ?page', () => {
    expect(pageWindow(undefined, 25)).toEqual({ page: 1, offset: 0, limit: 10 });
  });

  it('reads a page number and "last"', () => {
    expect(pageWindow('2', 25)).toEqual({ page: 2, offset: 10, limit: 10 });
    expect(pageWindow('last', 25)).toEqual({ page: 3, offset: 20, limit: 10 });
  });

  it('serves an empty first page for an empty list', () => {
    expect(pageWindow('1', 0)).toEqual({ page: 1, offset: 0, limit: 10 });
  });

  it.each(['0', '4', '-1', 'abc', '1.5'])('refuses page %s of three', (raw) => {
    expect(pageWindow(raw, 25)).toBeNull();
  });
});

describe('pageLinks', () => {
  const url = 'http://host/analytics_automated/job/?format=json';

  it('links page 1 to page 2 only', () => {
    expect(pageLinks(url, 1, 25)).toEqual({
      next: 'http://host/analytics_automated/job/?format=json&page=2',
      previous: null,
    });
  });

  it('links back to page 1 without a page parameter, and sorts the query as DRF does', () => {
    expect(pageLinks('http://host/analytics_automated/job/?page=2&format=json', 2, 25)).toEqual({
      next: 'http://host/analytics_automated/job/?format=json&page=3',
      previous: 'http://host/analytics_automated/job/?format=json',
    });
  });

  it('has no links when everything fits on one page', () => {
    expect(pageLinks(url, 1, 10)).toEqual({ next: null, previous: null });
  });

  it('encodes query values like Python urlencode', () => {
    expect(pageLinks("http://h/j/?q=a b*~'", 1, 11).next).toBe('http://h/j/?page=2&q=a+b%2A~%27');
  });
});
