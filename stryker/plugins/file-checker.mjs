// A Stryker checker that type-checks only the mutated file (the `typescript` checker rebuilds the whole
// program's affected files for every mutant: 1-1.5 s a mutant here, four times the cost of running its
// tests). One TypeScript language service over the scope's tsconfig; a mutant is applied to its file in
// memory and that file's syntactic and semantic diagnostics are compared with the unmutated file's.
// What it cannot see: a mutant that type-checks in its own file but breaks a caller elsewhere (an
// inferred return type that changes, say). Such a mutant is run against the tests instead of being
// set aside as a compile error. TESTING.md has how often that happened against the full checker.
// The scope's files are read once, at the start: mutants are placed in the text Stryker read then,
// and a file edited while a run goes on would put them elsewhere.
import { dirname, resolve } from 'node:path';
import { CheckStatus } from '@stryker-mutator/api/check';
import { commonTokens, declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import ts from 'typescript';

export class FileChecker {
  static inject = [commonTokens.logger, commonTokens.options];

  constructor(logger, options) {
    this.log = logger;
    this.tsconfigFile = resolve(options.tsconfigFile);
    this.overrides = new Map();
    this.versions = new Map();
    this.baseline = new Map();
  }

  async init() {
    const read = ts.readConfigFile(this.tsconfigFile, ts.sys.readFile);
    if (read.error) throw new Error(this.format([read.error]));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(this.tsconfigFile));
    if (parsed.errors.length > 0) throw new Error(this.format(parsed.errors));
    this.fileNames = new Set(parsed.fileNames.map((f) => resolve(f)));
    this.originals = new Map([...this.fileNames].map((f) => [f, ts.sys.readFile(f)]));
    const host = {
      getScriptFileNames: () => [...this.fileNames],
      getScriptVersion: (f) => String(this.versions.get(resolve(f)) ?? 0),
      getScriptSnapshot: (f) => {
        const text = this.overrides.get(resolve(f)) ?? this.originals.get(resolve(f)) ?? ts.sys.readFile(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCompilationSettings: () => ({ ...parsed.options, noEmit: true }),
      getCurrentDirectory: () => process.cwd(),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
    this.log.info(`file-typescript checker over ${this.fileNames.size} files of ${this.tsconfigFile}`);
  }

  // One mutant a group: each one is checked against its own file's original text.
  async check(mutants) {
    const result = {};
    for (const mutant of mutants) result[mutant.id] = this.checkOne(mutant);
    return result;
  }

  checkOne(mutant) {
    const file = resolve(mutant.fileName);
    // A file outside the scope's tsconfig (a test helper, say) is not the checker's to judge.
    if (!this.fileNames.has(file)) return { status: CheckStatus.Passed };
    if (!this.baseline.has(file)) this.baseline.set(file, this.diagnostics(file).length);
    const original = this.originals.get(file);
    const source = ts.createSourceFile(file, original, ts.ScriptTarget.Latest, false);
    const at = ({ line, column }) => source.getPositionOfLineAndCharacter(line, column);
    const start = at(mutant.location.start);
    const end = at(mutant.location.end);
    this.setText(file, `${original.slice(0, start)}${mutant.replacement}${original.slice(end)}`);
    try {
      const found = this.diagnostics(file);
      if (found.length > this.baseline.get(file)) {
        return { status: CheckStatus.CompileError, reason: this.format(found) };
      }
      return { status: CheckStatus.Passed };
    } finally {
      this.setText(file, undefined);
    }
  }

  diagnostics(file) {
    return [...this.service.getSyntacticDiagnostics(file), ...this.service.getSemanticDiagnostics(file)];
  }

  setText(file, text) {
    if (text === undefined) this.overrides.delete(file);
    else this.overrides.set(file, text);
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
  }

  format(diagnostics) {
    return ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    });
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, 'file-typescript', FileChecker)];
