import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './router';

describe('archive routes', () => {
  it('carry the study of the worklist link both ways', () => {
    const route: Route = { name: 'archive', study: '1.2.840.113619.2.55.3' };
    expect(formatRoute(route)).toBe('#/archive?study=1.2.840.113619.2.55.3');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('without a study are the whole library', () => {
    expect(parseRoute('#/archive')).toEqual({ name: 'archive' });
    expect(parseRoute('#/archive?study=')).toEqual({ name: 'archive' });
    expect(formatRoute({ name: 'archive' })).toBe('#/archive');
  });

  it('parse the recording, upload and link pages, and nothing else under archive', () => {
    expect(parseRoute('#/archive/recording/abc')).toEqual({ name: 'archive-recording', recordingId: 'abc' });
    expect(parseRoute('#/archive/upload')).toEqual({ name: 'archive-upload' });
    expect(parseRoute('#/archive/retention')).toEqual({ name: 'archive-retention' });
    expect(formatRoute({ name: 'archive-retention' })).toBe('#/archive/retention');
    expect(parseRoute('#/archive/link/t0k')).toEqual({ name: 'archive-link', token: 't0k' });
    expect(parseRoute('#/archive/admin')).toEqual({ name: 'archive-admin' });
    expect(formatRoute({ name: 'archive-admin' })).toBe('#/archive/admin');
    expect(parseRoute('#/archive/other')).toBeUndefined();
  });

  it('parse and format a live OR page, and nothing deeper', () => {
    expect(parseRoute('#/or/or-3')).toEqual({ name: 'or', orId: 'or-3' });
    expect(parseRoute('#/or/access')).toEqual({ name: 'or-access' });
    expect(formatRoute({ name: 'or-access' })).toBe('#/or/access');
    expect(parseRoute('#/or/or-3/station')).toEqual({ name: 'or-station', orId: 'or-3' });
    expect(formatRoute({ name: 'or-station', orId: 'a b' })).toBe('#/or/a%20b/station');
    expect(parseRoute('#/or/or-3/station/x')).toBeUndefined();
    expect(formatRoute({ name: 'or', orId: 'a b' })).toBe('#/or/a%20b');
    expect(parseRoute('#/or')).toBeUndefined();
    expect(parseRoute('#/or/x/y')).toBeUndefined();
  });
});

describe('photo route', () => {
  it('carries what the photos attach to both ways', () => {
    const route: Route = { name: 'photo', attach: 'study:1.2.3' };
    expect(formatRoute(route)).toBe('#/photo?attach=study%3A1.2.3');
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(parseRoute('#/photo')).toEqual({ name: 'photo' });
    expect(parseRoute('#/photo/x')).toBeUndefined();
  });
});
