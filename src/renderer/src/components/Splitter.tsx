/**
 * A splitter between two panels (WAI-ARIA window splitter): drag it with the mouse, or focus it
 * (Tab) and use the arrow keys (16 px, Shift: 64 px), Home/End (smallest/largest), Enter (the
 * default size). `value` is the size of the panel it resizes; `direction` says which way the
 * pointer grows it (+1: right/down, −1: left/up).
 */
import { useRef } from 'react';

interface Props {
  /** 'vertical': a vertical bar between columns (resizes a width); 'horizontal': between rows. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  value: number;
  min: number;
  max: number;
  defaultValue: number;
  direction: 1 | -1;
  onChange(v: number): void;
  className?: string;
}

export function Splitter({ orientation, label, value, min, max, defaultValue, direction, onChange, className }: Props) {
  const drag = useRef<{ start: number; value: number }>(undefined);
  const vertical = orientation === 'vertical';
  const clamp = (v: number) => Math.min(max, Math.max(min, Math.round(v)));
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 64 : 16;
    const grow: Record<string, number> = vertical ? { ArrowRight: step, ArrowLeft: -step } : { ArrowDown: step, ArrowUp: -step };
    const d = grow[e.key];
    if (d !== undefined) onChange(clamp(value + d * direction));
    else if (e.key === 'Home') onChange(min);
    else if (e.key === 'End') onChange(max);
    else if (e.key === 'Enter') onChange(defaultValue);
    else return;
    e.preventDefault();
  };
  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={`splitter ${orientation}${className ? ` ${className}` : ''}`}
      title={`${label}: drag, or focus and use the arrow keys (Enter: default size)`}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { start: vertical ? e.clientX : e.clientY, value };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        onChange(clamp(d.value + ((vertical ? e.clientX : e.clientY) - d.start) * direction));
      }}
      onPointerUp={() => (drag.current = undefined)}
      onDoubleClick={() => onChange(defaultValue)}
    />
  );
}
