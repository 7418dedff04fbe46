/** Landsat MTL.txt metadata (ODL "GROUP = ... END_GROUP"), parsed into nested objects. */
export type Mtl = { [key: string]: string | Mtl };

export function parseMtl(text: string): Mtl {
  const root: Mtl = {};
  const stack: Mtl[] = [root];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line === "END") continue;
    const m = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    const top = stack[stack.length - 1]!;
    if (key === "GROUP") {
      const g: Mtl = {};
      top[value] = g;
      stack.push(g);
    } else if (key === "END_GROUP") {
      if (stack.length > 1) stack.pop();
    } else top[key] = value.replace(/^"|"$/g, "");
  }
  return root;
}

/** First value of `key` in the named group (searched at any depth). */
export function mtlValue(mtl: Mtl, group: string, key: string): string | undefined {
  const g = findGroup(mtl, group);
  const v = g?.[key];
  return typeof v === "string" ? v : undefined;
}

function findGroup(m: Mtl, name: string): Mtl | undefined {
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === "string") continue;
    if (k === name) return v;
    const found = findGroup(v, name);
    if (found) return found;
  }
  return undefined;
}
