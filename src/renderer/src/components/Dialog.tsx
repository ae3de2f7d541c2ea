/**
 * A small modal: a question with an optional text field (Electron has no window.prompt).
 * Enter confirms, Escape cancels; focus goes to the field (or the confirm button).
 */
import { useEffect, useRef, useState } from 'react';

export interface DialogRequest {
  title: string;
  message?: string;
  /** Present: show a text field with this initial value. */
  value?: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: (value: string) => void;
}

export function Dialog({ request, onClose }: { request: DialogRequest; onClose: () => void }) {
  const [value, setValue] = useState(request.value ?? '');
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (input.current) {
      input.current.focus();
      const dot = input.current.value.lastIndexOf('.');
      input.current.setSelectionRange(0, dot > 0 ? dot : input.current.value.length);
    } else button.current?.focus();
  }, []);
  const confirm = () => {
    if (request.value !== undefined && !value.trim()) return;
    onClose();
    request.onConfirm(value.trim());
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') { e.preventDefault(); onClose(); }
          if (e.key === 'Enter') { e.preventDefault(); confirm(); }
        }}
      >
        <h2 id="dialog-title">{request.title}</h2>
        {request.message && <p>{request.message}</p>}
        {request.value !== undefined && (
          <input ref={input} className="text-input" value={value} onChange={(e) => setValue(e.target.value)} aria-label={request.title} spellCheck={false} />
        )}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="button" ref={button} className={request.danger ? 'danger primary' : 'primary'} onClick={confirm}>
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
