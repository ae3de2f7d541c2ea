/**
 * Monaco, bundled locally (never from a CDN — ../shared/STACK.md): the split 0.57 entry points,
 * the editor worker and the JSON language worker through Vite's `?worker` (served from 'self',
 * allowed by `worker-src`), the features the workbench uses, the JSON language (validation,
 * completion and hover from the published schemas: schemas.ts), the MIPS language and the two
 * themes.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { registerMips } from './mips-language';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = { getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()) };

registerMips(monaco);

monaco.editor.defineTheme('disco-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '0000c0', fontStyle: 'bold' },
    { token: 'keyword.privileged', foreground: 'b00060', fontStyle: 'bold' },
    { token: 'keyword.pseudo', foreground: '6030b0' },
    { token: 'keyword.directive', foreground: '8a5a00' },
    { token: 'variable.predefined', foreground: '007070' },
    { token: 'type.identifier', foreground: '006000', fontStyle: 'bold' },
    { token: 'identifier.label', foreground: '00794f' },
    { token: 'number', foreground: '098658' },
    { token: 'comment', foreground: '707070', fontStyle: 'italic' },
  ],
  colors: {},
});
monaco.editor.defineTheme('disco-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '7fb2ff', fontStyle: 'bold' },
    { token: 'keyword.privileged', foreground: 'ff7eb6', fontStyle: 'bold' },
    { token: 'keyword.pseudo', foreground: 'c5a3ff' },
    { token: 'keyword.directive', foreground: 'e0b050' },
    { token: 'variable.predefined', foreground: '5fd7d7' },
    { token: 'type.identifier', foreground: '8fdc8f', fontStyle: 'bold' },
    { token: 'identifier.label', foreground: '9ad7a6' },
    { token: 'number', foreground: 'b5cea8' },
    { token: 'comment', foreground: '8a8a8a', fontStyle: 'italic' },
  ],
  colors: {},
});

export { monaco };
