/**
 * Templates: text with {placeholder}s, {{ and }} for literal braces. `"/JOIN {channel}"`,
 * `"message{text}"`. Values are inserted verbatim: the dialect decides the wire, not the template.
 */

const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]/g;

/** Placeholder names used by `template`; throws on a stray brace (message fit for a profile error). */
export function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    if (match[1] !== undefined) names.push(match[1]);
    else if (match[0] === '{' || match[0] === '}') {
      throw new Error(`stray "${match[0]}" at position ${match.index} (write {{ or }} for a literal brace)`);
    }
  }
  return names;
}

/** Fill `template`; undefined when a placeholder has no value. */
export function fill(template: string, values: Readonly<Record<string, string | undefined>>): string | undefined {
  let missing = false;
  const text = template.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    const value = name === undefined ? undefined : values[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : text;
}

/** The first alternative whose placeholders all have values, rendered; undefined if none fits. */
export function fillFirst(templates: readonly string[], values: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const template of templates) {
    const text = fill(template, values);
    if (text !== undefined) return text;
  }
  return undefined;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
