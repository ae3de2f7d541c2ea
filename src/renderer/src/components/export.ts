/**
 * Exports from the results views: chart as SVG or PNG (the Recharts SVG, serialised with a
 * background so it reads outside the app), data as CSV or JSON. Files are offered as downloads
 * (browser: the download folder; Electron: a save dialog).
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

/** A standalone SVG document of the chart inside `container`. */
export function chartSvg(container: HTMLElement): string | undefined {
  const svg = container.querySelector('svg.recharts-surface');
  if (!svg) return undefined;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  const cs = getComputedStyle(container);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', cs.getPropertyValue('--panel').trim() || '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  // The legend is HTML in Recharts; draw a simple one into the SVG.
  const legend = [...container.querySelectorAll('.recharts-legend-item')].map((li) => ({
    text: li.textContent ?? '',
    color: (li.querySelector('path, rect') as SVGElement | null)?.getAttribute('fill') ?? '#888',
  }));
  let x = 10;
  for (const l of legend) {
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    Object.entries({ x, y: 4, width: 10, height: 10, fill: l.color }).forEach(([k, v]) => r.setAttribute(k, String(v)));
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    Object.entries({ x: x + 14, y: 13, 'font-size': 11, 'font-family': 'sans-serif', fill: cs.color || '#000' }).forEach(([k, v]) => t.setAttribute(k, String(v)));
    t.textContent = l.text;
    clone.appendChild(r);
    clone.appendChild(t);
    x += 24 + l.text.length * 7;
  }
  return new XMLSerializer().serializeToString(clone);
}

/** PNG bytes of an SVG document (rendered at 2× for sharpness). */
export function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  return new Promise((ok, fail) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * 2;
      canvas.height = height * 2;
      const ctx = canvas.getContext('2d')!;
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => fail(new Error('could not render the chart'));
    // data: URLs are allowed by the CSP's img-src; blob: is not.
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText);
  });
}
