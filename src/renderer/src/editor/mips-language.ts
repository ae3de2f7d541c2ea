/**
 * The MIPS assembly language for Monaco: a Monarch grammar built from the instruction table
 * (privileged instructions get their own token), registers and directives; completion of
 * mnemonics (with operand signatures), registers, directives and labels; hovers from the table
 * (including whether an instruction traps to the monitor under Disco); go to definition and
 * find references for labels. Diagnostics come from the real assembler (CodeEditor.tsx).
 */
import type * as Monaco from 'monaco-editor/editor';
import { definitions, occurrences, codeOf, operandContext } from './labels';
import { CP0_REGISTERS, DIRECTIVES, INSTRUCTIONS, MNEMONICS, PSEUDOS, REGISTERS, cp0DocFor, docFor, isCp0Operand, signature } from './mips-docs';

export const MIPS_LANGUAGE = 'mips';

/** Words of the dialect: `$t0`, `.text`, `loop`, `main.1`. */
const WORD = /(\$?[A-Za-z_.][\w.$]*)|(\$\d+)/g;

export function registerMips(monaco: typeof Monaco): void {
  monaco.languages.register({ id: MIPS_LANGUAGE, extensions: ['.s', '.S', '.asm'], aliases: ['MIPS assembly', 'mips'] });
  monaco.languages.setLanguageConfiguration(MIPS_LANGUAGE, {
    comments: { lineComment: '#' },
    brackets: [['(', ')']],
    autoClosingPairs: [{ open: '"', close: '"' }, { open: '(', close: ')' }],
    wordPattern: WORD,
  });
  const privileged = INSTRUCTIONS.filter((s) => s.privileged).map((s) => s.mnemonic);
  const plain = INSTRUCTIONS.filter((s) => !s.privileged).map((s) => s.mnemonic);
  monaco.languages.setMonarchTokensProvider(MIPS_LANGUAGE, {
    ignoreCase: true,
    instructions: plain,
    privileged,
    pseudos: PSEUDOS.map((p) => p.mnemonic),
    directives: DIRECTIVES.map((d) => d.name),
    registers: REGISTERS.map((r) => r.name),
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/"/, { token: 'string.quote', next: '@string' }],
        [/[A-Za-z_.$][\w.$]*(?=\s*:)/, 'type.identifier'],
        [/\.[A-Za-z_]\w*/, { cases: { '@directives': 'keyword.directive', '@default': 'identifier' } }],
        [/\$[\w]+/, { cases: { '@registers': 'variable.predefined', '@default': 'invalid' } }],
        // Any other word is a symbol: a label or constant used as an operand (or `name = value`).
        [/[A-Za-z_][\w.]*/, { cases: { '@instructions': 'keyword', '@privileged': 'keyword.privileged', '@pseudos': 'keyword.pseudo', '@default': 'identifier.label' } }],
        [/-?0[xX][0-9a-fA-F]+/, 'number.hex'],
        [/-?\d+/, 'number'],
        [/'(?:\\.|[^'\\])'/, 'string'],
        [/[,()]/, 'delimiter'],
        [/[:=+\-*/%<>&|^~]/, 'operator'],
      ],
      string: [
        [/[^\\"]+/, 'string'],
        [/\\./, 'string.escape'],
        [/"/, { token: 'string.quote', next: '@pop' }],
      ],
    },
  } as Monaco.languages.IMonarchLanguage);

  const wordAt = (model: Monaco.editor.ITextModel, pos: Monaco.Position) => {
    const code = codeOf(model.getLineContent(pos.lineNumber));
    if (pos.column - 1 > code.length) return undefined; // in a comment
    return model.getWordAtPosition(pos) ?? undefined;
  };

  monaco.languages.registerHoverProvider(MIPS_LANGUAGE, {
    provideHover(model, pos) {
      const w = wordAt(model, pos);
      if (!w) return null;
      const range = new monaco.Range(pos.lineNumber, w.startColumn, pos.lineNumber, w.endColumn);
      // A register in a CP0 operand (`mtc0 $t0, $12`) is a CP0 register: name that one.
      const ctx = w.word.startsWith('$') ? operandContext(model.getLineContent(pos.lineNumber), w.startColumn) : undefined;
      const cp0 = ctx && isCp0Operand(ctx.mnemonic, ctx.index) ? cp0DocFor(w.word) : undefined;
      if (cp0) return { range, contents: [{ value: cp0 }] };
      const doc = docFor(w.word);
      if (doc) return { range, contents: [{ value: doc }] };
      const def = definitions(model.getValue()).find((d) => d.name === w.word);
      if (def) {
        const n = occurrences(model.getValue(), w.word).length - 1;
        return { range, contents: [{ value: `**${def.name}** — ${def.kind === 'equ' ? 'constant' : 'label'} defined on line ${def.line} · ${n} reference${n === 1 ? '' : 's'} (F12 goes to it, Shift+F12 lists them)` }] };
      }
      return null;
    },
  });

  monaco.languages.registerCompletionItemProvider(MIPS_LANGUAGE, {
    triggerCharacters: ['$', '.'],
    provideCompletionItems(model, pos) {
      const line = model.getLineContent(pos.lineNumber);
      const before = codeOf(line.slice(0, pos.column - 1));
      if (before.length < pos.column - 1) return { suggestions: [] }; // inside a comment
      const w = model.getWordUntilPosition(pos);
      // A lone `$` (just typed) is not a word yet: replace it with the register chosen.
      const lone = w.word === '' && before.endsWith('$');
      const range = new monaco.Range(pos.lineNumber, lone ? w.startColumn - 1 : w.startColumn, pos.lineNumber, w.endColumn);
      const K = monaco.languages.CompletionItemKind;
      // Statement position: nothing but labels before the word → mnemonics and directives.
      const head = before.slice(0, w.startColumn - 1).replace(/^(\s*[A-Za-z_.$][\w.$]*:)*\s*/, '');
      const atStatement = head === '' && !/^\$/.test(w.word);
      const out: Monaco.languages.CompletionItem[] = [];
      if (atStatement) {
        for (const s of INSTRUCTIONS) {
          out.push({ label: { label: s.mnemonic, detail: ' ' + signature(s).slice(s.mnemonic.length).trim(), description: s.privileged ? 'privileged' : s.category }, kind: K.Keyword, insertText: s.mnemonic, range, documentation: { value: docFor(s.mnemonic)! }, sortText: '1' + s.mnemonic });
        }
        for (const p of PSEUDOS) out.push({ label: { label: p.mnemonic, detail: ' ' + p.syntax.slice(p.mnemonic.length).trim(), description: 'pseudo' }, kind: K.Function, insertText: p.mnemonic, range, documentation: { value: docFor(p.mnemonic)! }, sortText: '1' + p.mnemonic });
        for (const d of DIRECTIVES) out.push({ label: { label: d.name, detail: ' ' + d.syntax.slice(d.name.length).trim(), description: 'directive' }, kind: K.Property, insertText: d.name, range, documentation: { value: docFor(d.name)! }, sortText: '2' + d.name });
      } else {
        // Operands: after `$` registers come first (labels never start with `$`); elsewhere the
        // file's labels and constants, then registers. In a CP0 operand, the CP0 registers.
        const ctx = operandContext(line, w.startColumn);
        const cp0 = ctx !== undefined && isCp0Operand(ctx.mnemonic, ctx.index);
        const dollar = w.word.startsWith('$') || before.endsWith('$');
        const regRank = dollar ? '1' : '3', labelRank = dollar ? '5' : '2';
        if (cp0) {
          for (const [n, [name, what]] of Object.entries(CP0_REGISTERS)) {
            out.push({ label: { label: `$${n}`, description: `CP0 ${name}` }, kind: K.Variable, insertText: `$${n}`, range, sortText: `0${String(n).padStart(2, '0')}`, documentation: { value: `**${name}** — ${what}` }, filterText: `$${n} ${name}` });
          }
        }
        for (const r of REGISTERS) out.push({ label: { label: r.name, description: `GPR ${r.number}` }, kind: K.Variable, insertText: r.name, range, sortText: regRank + (/^\$\d/.test(r.name) ? '4' : '3') + r.name });
        const seen = new Set<string>();
        for (const d of definitions(model.getValue())) {
          if (seen.has(d.name)) continue;
          seen.add(d.name);
          out.push({ label: { label: d.name, description: `${d.kind === 'equ' ? 'constant' : 'label'}, line ${d.line}` }, kind: d.kind === 'equ' ? K.Constant : K.Reference, insertText: d.name, range, sortText: labelRank + d.name });
        }
      }
      return { suggestions: out };
    },
  });

  monaco.languages.registerDefinitionProvider(MIPS_LANGUAGE, {
    provideDefinition(model, pos) {
      const w = wordAt(model, pos);
      if (!w) return null;
      return definitions(model.getValue())
        .filter((d) => d.name === w.word)
        .map((d) => ({ uri: model.uri, range: new monaco.Range(d.line, d.col, d.line, d.endCol) }));
    },
  });

  monaco.languages.registerReferenceProvider(MIPS_LANGUAGE, {
    provideReferences(model, pos, ctx) {
      const w = wordAt(model, pos);
      if (!w || MNEMONICS.includes(w.word.toLowerCase())) return null;
      const defs = definitions(model.getValue()).filter((d) => d.name === w.word);
      if (!defs.length) return null;
      const isDef = (o: { line: number; col: number }) => defs.some((d) => d.line === o.line && d.col === o.col);
      return occurrences(model.getValue(), w.word)
        .filter((o) => ctx.includeDeclaration || !isDef(o))
        .map((o) => ({ uri: model.uri, range: new monaco.Range(o.line, o.col, o.line, o.endCol) }));
    },
  });
}
