/**
 * A parameterised SQL fragment. Fragments nest, so a visibility condition built in one
 * place can be embedded in any query without string concatenation of values.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
    /** Set by `prepared()`: the statement is prepared once per connection and reused. */
    readonly label?: string,
  ) {}

  /**
   * The same statement, prepared once per pooled connection and reused (in transactions too).
   * For statements of a fixed shape run on every request, PostgreSQL then stops planning them
   * each time: planning was most of their cost. PostgreSQL plans the first five runs with their
   * values, then keeps a generic plan only if it costs no more, so a statement whose best plan
   * depends on its values keeps being planned. Write limits in the text (a `LIMIT $n` is costed
   * as a tenth of the table in a generic plan). Not for searches: a generic plan cannot know
   * which words are frequent.
   */
  prepared(label: string): Sql {
    return new Sql(this.strings, this.values, label);
  }

  /** Renders to PostgreSQL text with $1..$n placeholders. */
  toQuery(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const render = (fragment: Sql): string => {
      let text = fragment.strings[0] ?? '';
      fragment.values.forEach((value, i) => {
        if (value instanceof Sql) text += render(value);
        else if (value instanceof RawSql) text += value.text;
        else {
          values.push(value);
          text += `$${values.length}`;
        }
        text += fragment.strings[i + 1] ?? '';
      });
      return text;
    };
    return { text: render(this), values };
  }
}

/** Trusted SQL text (identifiers chosen by the code, never by the user). */
export class RawSql {
  constructor(readonly text: string) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

export function raw(text: string): RawSql {
  return new RawSql(text);
}

export function joinSql(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return sql``;
  const strings = ['', ...parts.slice(1).map(() => separator), ''];
  return new Sql(strings, parts);
}

export function and(parts: readonly Sql[]): Sql {
  return parts.length === 0 ? sql`TRUE` : sql`(${joinSql(parts, ' AND ')})`;
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
