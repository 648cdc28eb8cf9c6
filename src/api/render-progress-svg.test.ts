import { allElements, parseXml, textOf } from '../../test/helpers/parse-xml.ts';
import { sampleStep, sampleView } from '../../test/helpers/sample-submission-view.ts';
import { escapeXml, renderProgressSvg, STATUS_COLOURS } from './render-progress-svg.ts';

const steps = (svg: string) => allElements(parseXml(svg)).filter((e) => e.attrs.class === 'step');

describe('renderProgressSvg', () => {
  it('draws stages left to right with their steps stacked, joined by arrows', () => {
    const svg = parseXml(renderProgressSvg(sampleView()));
    expect(svg.name).toBe('svg');
    expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const stages = allElements(svg).filter((e) => e.attrs.class === 'stage');
    expect(stages.map((s) => s.attrs['data-stage'])).toEqual(['1', '2']);
    const rects = stages.map((s) =>
      allElements(s)
        .filter((e) => e.name === 'rect')
        .map((r) => [Number(r.attrs.x), Number(r.attrs.y)]),
    );
    expect(rects[0]).toHaveLength(1);
    expect(rects[1]).toHaveLength(2);
    expect(rects[1]![0]![0]).toBeGreaterThan(rects[0]![0]![0]! + 200);
    expect(rects[1]![1]![0]).toBe(rects[1]![0]![0]);
    expect(rects[1]![1]![1]).toBeGreaterThan(rects[1]![0]![1]!);
    expect(allElements(svg).filter((e) => e.attrs.class === 'arrow')).toHaveLength(1);
    expect(textOf(svg)).toContain('psipred');
  });

  it.each(['pending', 'running', 'complete', 'error', 'crash', 'cancelled'])(
    'fills a %s step with its own colour',
    (status) => {
      const svg = renderProgressSvg(sampleView({}, [[sampleStep(0, 'task', { status })]]));
      const [step] = steps(svg);
      expect(step!.attrs['data-status']).toBe(status);
      const rect = step!.children.find((c) => c.name === 'rect')!;
      expect(rect.attrs.fill).toBe(STATUS_COLOURS[status]!.fill);
      expect(rect.attrs.stroke).toBe(STATUS_COLOURS[status]!.stroke);
    },
  );

  it('gives every status a different fill and lists them all in the legend', () => {
    const fills = Object.values(STATUS_COLOURS).map((c) => c.fill);
    expect(new Set(fills).size).toBe(fills.length);
    const legend = allElements(parseXml(renderProgressSvg(sampleView()))).filter(
      (e) => e.attrs.class === 'legend-item',
    );
    expect(legend.map((l) => l.attrs['data-status'])).toEqual(Object.keys(STATUS_COLOURS));
  });

  it('escapes task names, backends, names and messages, so user data cannot add markup', () => {
    const evil = '<script>alert("x")</script>&';
    const view = sampleView({ name: evil, job: "j'ob", lastMessage: `${evil}\u0007` }, [
      [sampleStep(0, evil, { backend: '<b>', status: 'error', message: evil })],
    ]);
    const svg = renderProgressSvg(view);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    const doc = parseXml(svg);
    expect(allElements(doc).map((e) => e.name)).not.toContain('script');
    expect(textOf(steps(svg)[0]!)).toContain('<script>alert("x")</script>&');
  });

  it('says so when no steps are planned, and still draws a well-formed picture', () => {
    const svg = renderProgressSvg(sampleView({ status: 'crash' }, []));
    expect(textOf(parseXml(svg))).toContain('no steps planned');
  });
});

describe('escapeXml', () => {
  it('replaces markup characters and drops control characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\n`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;\n');
  });
});

describe('the XML check these tests rely on', () => {
  it.each([
    ['an unclosed element', '<svg><g></svg>'],
    ['a bare ampersand', '<svg>a & b</svg>'],
    ['an unquoted attribute', '<svg width=10></svg>'],
    ['two roots', '<svg/><svg/>'],
    ['a stray "<"', '<svg>1 < 2</svg>'],
  ])('rejects %s', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('joins each step of a graph run to its parents, not stage to stage', () => {
    const view = sampleView({}, [
      [sampleStep(0, 'a', { name: 'a', parents: [] })],
      [sampleStep(1, 'b', { name: 'b', parents: ['a'] }), sampleStep(2, 'c', { name: 'c', parents: ['a'] })],
      [sampleStep(3, 'd', { name: 'd', parents: ['b', 'c'] }), sampleStep(4, 'e', { name: 'e', parents: ['a'] })],
    ]);
    const svg = parseXml(renderProgressSvg(view));
    const edges = allElements(svg).filter((e) => e.attrs.class === 'edge');
    expect(edges.map((e) => `${e.attrs['data-from']}>${e.attrs['data-to']}`)).toEqual([
      'a>b',
      'a>c',
      'b>d',
      'c>d',
      'a>e',
    ]);
    expect(allElements(svg).filter((e) => e.attrs.class === 'arrow')).toHaveLength(0);
  });

  it('draws a skipped step dashed and a map step as a stack with done/total', () => {
    const view = sampleView({}, [
      [
        sampleStep(0, 'sample', { name: 'sample', parents: [], status: 'skipped' }),
        sampleStep(1, 'each', { name: 'each', parents: [], status: 'running', map: { done: 37, total: 100 } }),
      ],
    ]);
    const [skipped, mapped] = steps(renderProgressSvg(view));
    expect(skipped!.children.find((c) => c.name === 'rect')!.attrs['stroke-dasharray']).toBe('5 3');
    expect(mapped!.attrs['data-map']).toBe('37/100');
    expect(mapped!.children.filter((c) => c.name === 'rect')).toHaveLength(3);
    expect(textOf(mapped!)).toContain('37/100 items');
  });
});
