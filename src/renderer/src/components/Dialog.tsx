/**
 * A small modal: a question with an optional text field (Electron has no window.prompt), or a
 * choice between several answers. Enter confirms (the primary answer), Escape cancels; focus goes
 * to the field (or the primary button). Keyboard focus stays inside while it is open.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface DialogChoice {
  label: string;
  /** Passed to `onConfirm`. */
  value: string;
  danger?: boolean;
}

export interface DialogRequest {
  title: string;
  message?: ReactNode;
  /** Present: show a text field with this initial value. */
  value?: string;
  confirmLabel: string;
  danger?: boolean;
  /** Extra answers besides Cancel and the confirm button (which answers with the field's value, or ''). */
  choices?: DialogChoice[];
  onConfirm: (value: string) => void;
  /** Called when the dialog is dismissed without an answer. */
  onCancel?: () => void;
}

/** Keeps Tab inside `root`. */
export function trapTab(e: React.KeyboardEvent, root: HTMLElement | null): void {
  if (e.key !== 'Tab' || !root) return;
  const items = [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((x) => !x.hasAttribute('disabled') && x.offsetParent !== null);
  if (!items.length) return;
  const first = items[0], last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}

export function Dialog({ request, onClose }: { request: DialogRequest; onClose: () => void }) {
  const [value, setValue] = useState(request.value ?? '');
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (input.current) {
      input.current.focus();
      const dot = input.current.value.lastIndexOf('.');
      input.current.setSelectionRange(0, dot > 0 ? dot : input.current.value.length);
    } else button.current?.focus();
  }, []);
  const cancel = () => { onClose(); request.onCancel?.(); };
  const answer = (v: string) => { onClose(); request.onConfirm(v); };
  const confirm = () => {
    if (request.value !== undefined && !value.trim()) return;
    answer(value.trim());
  };
  return (
    <div className="modal-backdrop" onMouseDown={cancel}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        ref={root}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          trapTab(e, root.current);
          if (e.key === 'Escape') { e.preventDefault(); cancel(); }
          if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) { e.preventDefault(); confirm(); }
        }}
      >
        <h2 id="dialog-title">{request.title}</h2>
        {request.message && <div className="modal-message">{request.message}</div>}
        {request.value !== undefined && (
          <input ref={input} className="text-input" value={value} onChange={(e) => setValue(e.target.value)} aria-label={request.title} spellCheck={false} />
        )}
        <div className="modal-buttons">
          <button type="button" onClick={cancel}>Cancel</button>
          {(request.choices ?? []).map((c) => (
            <button key={c.value} type="button" className={c.danger ? 'danger' : ''} onClick={() => answer(c.value)}>{c.label}</button>
          ))}
          <button type="button" ref={button} className={request.danger ? 'danger primary' : 'primary'} onClick={confirm}>
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
