/**
 * The layout around a page whose content was rendered before (`reply.renderAround`): rendered
 * once for each set of values it shows (who is signed in, their menu, the page's title and back
 * link), with marks where each request's own parts go (the content, the form token, the script
 * nonce), and afterwards only joined. A page that keeps its content (the caseload) then costs
 * no template work at all while nothing on it changes.
 *
 * The marks are random for each process, so no text a person typed can be taken for one.
 */
import { randomBytes } from 'node:crypto';

export interface ShellParts {
  content: string;
  csrfToken: string;
  nonce: string;
}

type Hole = keyof ShellParts;

interface Shell {
  /** The text between the holes: one more than `holes`. */
  pieces: string[];
  holes: Hole[];
}

export class PageShells {
  readonly marks: Readonly<ShellParts>;
  private readonly holeOf: Map<string, Hole>;
  private readonly pattern: RegExp;
  private readonly shells = new Map<string, Shell>();
  private readonly maxEntries: number;

  constructor(maxEntries = 1000) {
    const mark = (name: string) => `greenleaf${name}${randomBytes(12).toString('hex')}`;
    this.marks = { content: mark('content'), csrfToken: mark('csrf'), nonce: mark('nonce') };
    this.holeOf = new Map(Object.entries(this.marks).map(([hole, text]) => [text, hole as Hole]));
    this.pattern = new RegExp(`(${Object.values(this.marks).join('|')})`);
    this.maxEntries = maxEntries;
  }

  /**
   * The page for `key`: `render` is called (with `marks` in place of the parts) only the first
   * time a key is seen, and the parts are put in where the marks were.
   */
  fill(key: string, render: (marks: Readonly<ShellParts>) => string, parts: ShellParts): string {
    let shell = this.shells.get(key);
    if (!shell) {
      shell = this.cut(render(this.marks));
      if (this.shells.size >= this.maxEntries) {
        const oldest = this.shells.keys().next();
        if (!oldest.done) this.shells.delete(oldest.value);
      }
      this.shells.set(key, shell);
    }
    let html = shell.pieces[0] ?? '';
    shell.holes.forEach((hole, index) => {
      html += parts[hole] + (shell.pieces[index + 1] ?? '');
    });
    return html;
  }

  private cut(html: string): Shell {
    const split = html.split(this.pattern);
    const pieces: string[] = [];
    const holes: Hole[] = [];
    split.forEach((text, index) => {
      const hole = this.holeOf.get(text);
      if (index % 2 === 0) pieces.push(text);
      else if (hole) holes.push(hole);
    });
    if (!holes.includes('content')) throw new Error('the layout shows no content');
    return { pieces, holes };
  }
}
