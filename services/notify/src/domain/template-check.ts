import Handlebars from 'handlebars';

/** What a template may use: a value, a list (of values or of records), or a record of fields. */
export type Var = 'value' | { list: Var } | { fields: Readonly<Record<string, Var>> };
export type Scope = Readonly<Record<string, Var>>;

export interface TemplateProblem {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  reason: string;
}

/** Helpers a template may call besides the built-in blocks `if`, `unless`, `each`, `with`. */
export const TEMPLATE_HELPERS: Readonly<Record<string, number>> = { time: 1, join: 1 };
const BLOCKS = new Set(['if', 'unless', 'each', 'with']);

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

/**
 * Parses a template and checks every variable against what its event type offers (`scope`),
 * so a typo fails at save, naming line and column, instead of rendering an empty string at 03:00.
 * Returns the problems (empty: fine).
 */
export function checkTemplate(source: string, scope: Scope): TemplateProblem[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (e) {
    return [parseProblem(e)];
  }
  const problems: TemplateProblem[] = [];
  new ScopeWalker(problems).program(program, [scope]);
  return problems;
}

function parseProblem(e: unknown): TemplateProblem {
  const message = e instanceof Error ? e.message : String(e);
  const ex = e as { lineNumber?: number; column?: number };
  if (typeof ex.lineNumber === 'number') {
    return { line: ex.lineNumber, column: (ex.column ?? 0) + 1, reason: message.replace(/ - \d+:\d+$/, '') };
  }
  // jison's parse errors carry no position; the shared lexer still points at the offending token
  const loc = (Handlebars as unknown as { Parser: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser.lexer
    ?.yylloc;
  const expecting = /Expecting (.+)$/m.exec(message)?.[0] ?? message.split('\n')[0];
  return { line: loc?.first_line ?? 1, column: (loc?.first_column ?? 0) + 1, reason: `syntax error: ${expecting}` };
}

class ScopeWalker {
  constructor(private readonly problems: TemplateProblem[]) {}

  program(p: hbs.AST.Program | undefined, scopes: Scope[]): void {
    for (const s of p?.body ?? []) this.statement(s, scopes);
  }

  private fail(node: Node, reason: string): void {
    this.problems.push({ line: node.loc.start.line, column: node.loc.start.column + 1, reason });
  }

  private statement(s: hbs.AST.Statement, scopes: Scope[]): void {
    switch (s.type) {
      case 'MustacheStatement':
        return this.call(s as hbs.AST.MustacheStatement, scopes);
      case 'BlockStatement':
        return this.block(s as hbs.AST.BlockStatement, scopes);
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        return this.fail(s, 'partials and decorators are not supported');
      default:
        return; // content, comments
    }
  }

  /** `{{name}}`, `{{helper arg}}` */
  private call(m: { path: Expr; params: Expr[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation }, scopes: Scope[]): void {
    const name = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : undefined;
    if (m.params.length === 0 && !m.hash) {
      if (name && name in TEMPLATE_HELPERS) this.fail(m.path, `${name} takes ${TEMPLATE_HELPERS[name]} argument(s)`);
      else this.expr(m.path, scopes);
      return;
    }
    if (!name || !(name in TEMPLATE_HELPERS)) {
      this.fail(m.path, `unknown helper ${JSON.stringify(name ?? '?')}; helpers: ${Object.keys(TEMPLATE_HELPERS).join(', ')}`);
      return;
    }
    if (m.params.length !== TEMPLATE_HELPERS[name]) this.fail(m.path, `${name} takes ${TEMPLATE_HELPERS[name]} argument(s)`);
    for (const p of m.params) this.expr(p, scopes);
  }

  private block(b: hbs.AST.BlockStatement, scopes: Scope[]): void {
    const name = b.path.original;
    if (!BLOCKS.has(name)) {
      this.fail(b.path, `unknown block ${JSON.stringify(name)}; blocks: ${[...BLOCKS].join(', ')}`);
      return;
    }
    const param = b.params[0];
    if (b.params.length !== 1 || !param) {
      this.fail(b.path, `#${name} takes one argument`);
      return;
    }
    const arg = this.expr(param, scopes);
    let inner = scopes;
    if (name === 'each') {
      if (arg && (typeof arg !== 'object' || !('list' in arg))) this.fail(param, `#each needs a list`);
      const item = arg && typeof arg === 'object' && 'list' in arg ? arg.list : 'value';
      inner = [itemScope(item), ...scopes];
    } else if (name === 'with') {
      if (arg && (typeof arg !== 'object' || !('fields' in arg))) this.fail(param, `#with needs a record`);
      inner = [arg && typeof arg === 'object' && 'fields' in arg ? arg.fields : {}, ...scopes];
    }
    this.program(b.program, inner);
    this.program(b.inverse, scopes);
  }

  /** The type of an expression, or undefined after reporting it (or for literals and `@data`). */
  private expr(e: Expr, scopes: Scope[]): Var | undefined {
    if (e.type === 'SubExpression') {
      this.call(e as hbs.AST.SubExpression, scopes);
      return 'value';
    }
    if (e.type !== 'PathExpression') return 'value'; // string, number, boolean literals
    const p = e as hbs.AST.PathExpression;
    if (p.data) return 'value'; // @index, @first, @last
    const scope = scopes[Math.min(p.depth, scopes.length - 1)] ?? {};
    const [head] = p.parts;
    if (head === undefined) return scope[THIS] ?? { fields: scope }; // `this`, `.`
    let current: Var | undefined = scope[head];
    if (current === undefined) {
      this.fail(e, `unknown variable ${JSON.stringify(head)}; this template has: ${Object.keys(scope).filter(visible).sort().join(', ')}`);
      return undefined;
    }
    for (const part of p.parts.slice(1)) {
      if (typeof current === 'object' && 'list' in current && part === 'length') return 'value';
      const fields: Scope | undefined = typeof current === 'object' && 'fields' in current ? current.fields : undefined;
      if (!fields || !(part in fields)) {
        this.fail(e, `unknown variable ${JSON.stringify(p.original)}`);
        return undefined;
      }
      current = fields[part];
    }
    return current;
  }
}

/** `this` inside `#each` over a list of values */
const THIS = '\u0000this';
const visible = (k: string) => k !== THIS;
const itemScope = (item: Var): Scope => (typeof item === 'object' && 'fields' in item ? item.fields : { [THIS]: item });
