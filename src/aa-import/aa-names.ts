/** Hands out names that fit a pattern, unique within one kind, reporting each change. */
export class NameAllocator {
  private readonly used = new Set<string>();
  private readonly allowed: RegExp;
  private readonly max: number;

  constructor(allowed: RegExp = /[^A-Za-z0-9_.-]/g, max = 64) {
    this.allowed = allowed;
    this.max = max;
  }

  /** The name to use for `original`, and whether it had to change. */
  take(original: string): { name: string; renamed: boolean } {
    let base = original
      .trim()
      .replace(this.allowed, '_')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, this.max);
    if (!base) base = 'unnamed';
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base.slice(0, this.max - String(n).length - 1)}_${n}`;
    this.used.add(name);
    return { name, renamed: name !== original };
  }
}

export const newObjectNames = () => new NameAllocator();
export const newAliasNames = () => new NameAllocator(/[^A-Za-z0-9_]/g);
