/**
 * Exports from the results and compare views: a chart as SVG or PNG, data as CSV or JSON. Files
 * are offered as downloads (browser: the download folder; Electron: a save dialog).
 *
 * The chart is exported whole, at the size it is displayed: the Recharts plot (the chart's own
 * `<svg>`, not the legend's swatch icons, which are small `<svg>`s of the same class), with the
 * HTML legend drawn into it where it appears on screen, a background, and every CSS variable
 * and inherited font resolved — so the file looks the same outside the app. PNG is rendered at
 * the displayed size (1×) or at twice it (2×, for print).
 */

export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The chart's own SVG inside `container` (a direct child of the Recharts wrapper). */
export function chartSurface(container: HTMLElement): SVGSVGElement | null {
  return container.querySelector<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface');
}

/** Replaces `var(--x)` in a value by the variable's value in `style`. */
function resolveVars(value: string, style: CSSStyleDeclaration): string {
  return value.replace(/var\((--[\w-]+)(?:,\s*([^)]+))?\)/g, (_, name: string, fallback?: string) => style.getPropertyValue(name).trim() || fallback || '#000');
}

export interface ChartImage {
  svg: string;
  width: number;
  height: number;
}

/** A standalone SVG document of the chart inside `container`, at its displayed size. */
export function chartSvg(container: HTMLElement): ChartImage | undefined {
  const svg = chartSurface(container);
  if (!svg) return undefined;
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width), height = Math.round(box.height);
  const cs = getComputedStyle(container);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('font-family', cs.fontFamily || 'sans-serif');
  clone.setAttribute('font-size', cs.fontSize || '12px');
  clone.removeAttribute('style');
  // CSS variables mean nothing outside the page: resolve them in every attribute.
  for (const el of [clone, ...clone.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) if (a.value.includes('var(')) el.setAttribute(a.name, resolveVars(a.value, cs));
  }
  const bg = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: 0, y: 0, width, height, fill: cs.getPropertyValue('--panel').trim() || '#ffffff' })) bg.setAttribute(k, String(v));
  clone.insertBefore(bg, clone.firstChild);
  // The legend is HTML in Recharts: draw each item where it is on screen.
  const text = cs.color || '#000';
  for (const li of container.querySelectorAll<HTMLElement>('.recharts-legend-item')) {
    const icon = li.querySelector('svg');
    // The innermost element of the label carries the colour the reader sees.
    const label = li.querySelector<HTMLElement>('.recharts-legend-item-text span') ?? li.querySelector<HTMLElement>('.recharts-legend-item-text') ?? li;
    const swatch = li.querySelector('path, rect');
    const ib = (icon ?? li).getBoundingClientRect(), lb = label.getBoundingClientRect();
    const r = document.createElementNS(SVG_NS, 'rect');
    const r1 = (n: number) => String(Math.round(n * 10) / 10);
    for (const [k, v] of Object.entries({ x: r1(ib.left - box.left), y: r1(ib.top - box.top), width: r1(ib.width || 10), height: r1(ib.height || 10), fill: swatch?.getAttribute('fill') ?? '#888' })) r.setAttribute(k, v);
    r.setAttribute('class', 'legend-swatch');
    const t = document.createElementNS(SVG_NS, 'text');
    for (const [k, v] of Object.entries({ x: lb.left - box.left, y: lb.top - box.top + lb.height * 0.78, fill: resolveVars(getComputedStyle(label).color || text, cs), 'font-size': getComputedStyle(label).fontSize || '12px' })) t.setAttribute(k, String(v));
    t.textContent = li.textContent ?? '';
    clone.appendChild(r);
    clone.appendChild(t);
  }
  return { svg: new XMLSerializer().serializeToString(clone), width, height };
}

/** PNG bytes of a chart image, at `scale` × its size (1: as displayed; 2: twice as sharp). */
export function svgToPng(img: ChartImage, scale = 1): Promise<Blob> {
  return new Promise((ok, fail) => {
    const el = new Image();
    el.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      const ctx = canvas.getContext('2d')!;
      ctx.scale(scale, scale);
      ctx.drawImage(el, 0, 0, img.width, img.height);
      canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png');
    };
    el.onerror = () => fail(new Error('could not render the chart'));
    // data: URLs are allowed by the CSP's img-src; blob: is not.
    el.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(img.svg);
  });
}

/** Exports the chart inside `container` as `<stem>-chart.svg` / `.png` / `@2x.png`. */
export async function exportChart(container: HTMLElement | null, stem: string, kind: 'svg' | 'png' | 'png2x'): Promise<void> {
  const img = container && chartSvg(container);
  if (!img) throw new Error('the chart is not shown');
  if (kind === 'svg') return download(`${stem}-chart.svg`, new Blob([img.svg], { type: 'image/svg+xml' }));
  download(kind === 'png' ? `${stem}-chart.png` : `${stem}-chart@2x.png`, await svgToPng(img, kind === 'png' ? 1 : 2));
}
