/**
 * Inputs for fuzzing the API from its OpenAPI document: values that are invalid by construction
 * for a JSON schema (wrong type, outside an enum, too long, out of range, a required field
 * missing), and plausible valid values to break one field of. Only what the schema says for
 * sure is used, so a value meant to be refused never happens to be valid: a field whose schema
 * accepts anything gets no wrong values at all.
 */
import { randomUUID } from 'node:crypto';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, `{param}` style. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema; required: boolean }[];
  jsonBody: JsonSchema | null;
  csvBody: boolean;
  /** Status codes the operation declares (redirects are allowed answers where declared). */
  statuses: number[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: unknown; required?: boolean }[];
        requestBody?: { content: Record<string, { schema?: JsonSchema }> };
        responses?: Record<string, unknown>;
      }
    >
  >;
}

/** Every operation of the document with what it takes. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []).filter(
        (p): p is { in: string; name: string; schema: JsonSchema; required?: boolean } =>
          typeof p.schema === 'object' && p.schema !== null,
      );
      const content = operation.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        jsonBody: content['application/json']?.schema ?? null,
        csvBody: 'text/csv' in content,
        statuses: Object.keys(operation.responses ?? {}).map(Number),
      });
    }
  }
  return operations;
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

function typeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** The JSON types a schema admits, or null when it admits anything (no type stated). */
function admittedTypes(schema: JsonSchema): Set<JsonType> | null {
  const branches = schema.anyOf ?? schema.oneOf;
  let types: Set<JsonType> | null;
  if (branches) {
    types = new Set();
    for (const branch of branches) {
      const inner = admittedTypes(branch);
      if (inner === null) return null;
      for (const t of inner) types.add(t);
    }
  } else if (schema.allOf && schema.allOf.length > 0) {
    types = admittedTypes(schema.allOf[0]!);
  } else if (schema.enum) {
    types = new Set(schema.enum.map(typeOfValue));
  } else if (schema.const !== undefined) {
    types = new Set([typeOfValue(schema.const)]);
  } else if (schema.type) {
    types = new Set((Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[]);
  } else {
    return null;
  }
  if (types === null) return null;
  if (schema.nullable) types.add('null');
  // An integer is a number too: a schema admitting numbers admits integers.
  if (types.has('number')) types.add('integer');
  return types;
}

/** The schema without its `null` alternative, when it is one schema or null. */
function withoutNull(schema: JsonSchema): JsonSchema | null {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const rest = branches.filter((b) => !(b.type === 'null' || (b.enum && b.enum.length === 1 && b.enum[0] === null)));
  return rest.length === 1 ? rest[0]! : null;
}

const NESTED_JUNK = { a: [null, { b: { c: [1, 'two', { d: true }] } }], '': {} };

/** Values the schema refuses for certain; empty when the schema admits anything. */
export function wrongValues(schema: JsonSchema): unknown[] {
  const types = admittedTypes(schema);
  if (types === null) return [];
  const wrong: unknown[] = [12_345, 1.5, true, 'not what this field takes', [], ['x', 1], NESTED_JUNK, null].filter(
    (value) => !types.has(typeOfValue(value)),
  );
  const single = withoutNull(schema);
  if (single && !single.anyOf && !single.oneOf) {
    const type = Array.isArray(single.type) ? undefined : single.type;
    if (single.enum && single.enum.every((v) => typeof v === 'string')) wrong.push('definitely-not-one-of-the-options');
    if (type === 'string' && !single.enum) {
      if (single.format === 'uuid') wrong.push('not-a-uuid', '123e4567-e89b-12d3-a456-42661417400Z');
      if (single.format === 'date-time') wrong.push('2026-13-45T99:61:00Z');
      if (single.format === 'email') wrong.push('not an email address');
      if (single.format === 'uri') wrong.push('not a url at all');
      if (single.maxLength !== undefined) wrong.push('x'.repeat(Math.min(single.maxLength + 1, 300_000)));
      if (single.minLength !== undefined && single.minLength > 0) wrong.push('');
    }
    if (type === 'integer' || type === 'number') {
      if (single.maximum !== undefined && single.maximum < Number.MAX_SAFE_INTEGER) wrong.push(single.maximum + 1);
      if (single.minimum !== undefined) wrong.push(single.minimum - 1);
      if (type === 'integer') wrong.push(1e300);
    }
    if (type === 'array') {
      if (single.items) for (const item of wrongValues(single.items).slice(0, 2)) wrong.push([item]);
      if (single.maxItems !== undefined && single.maxItems < 100_000)
        wrong.push(Array.from({ length: single.maxItems + 1 }, () => validValue(single.items ?? {}, {})));
    }
    if (type === 'object' && single.properties) {
      for (const variant of brokenObjects(single, {}).slice(0, 3)) wrong.push(variant);
    }
  }
  return wrong;
}

/** A plausible valid value for the schema; ids come from `ids` by the field's name when known. */
export function validValue(schema: JsonSchema, ids: Record<string, string>, name = ''): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const single = withoutNull(schema) ?? (schema.anyOf ?? schema.oneOf)?.[0] ?? schema;
  if (single !== schema) return validValue(single, ids, name);
  if (schema.allOf && schema.allOf.length > 0) return validValue(schema.allOf[0]!, ids, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return ids[name] ?? randomUUID();
      if (schema.format === 'date-time') return '2026-10-01T15:00:00Z';
      if (schema.format === 'email') return 'someone@example.edu';
      if (schema.format === 'uri') return 'https://example.edu/';
      if (schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-10-01';
      if (schema.pattern?.includes('\\d{4}-\\d{2}')) return '2026-10';
      const length = Math.max(schema.minLength ?? 0, Math.min(12, schema.maxLength ?? 12));
      return 'Fuzz value abc'.padEnd(length, 'x').slice(0, Math.max(length, 1));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.maximum !== undefined ? Math.min(1, schema.maximum) : 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(schema.items ?? {}, ids));
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) value[key] = validValue(schema.properties?.[key] ?? {}, ids, key);
      return value;
    }
    case 'null':
      return null;
    default:
      return 'fuzz';
  }
}

/**
 * The object's valid form with one field broken: each required field left out, each field given
 * each value its schema refuses (nested objects broken the same way, one level down).
 */
export function brokenObjects(schema: JsonSchema, ids: Record<string, string>): Record<string, unknown>[] {
  const base = validValue({ ...schema, default: undefined }, ids) as Record<string, unknown>;
  const variants: Record<string, unknown>[] = [];
  for (const key of schema.required ?? []) {
    const { [key]: _left, ...rest } = base;
    variants.push(rest);
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    for (const wrong of wrongValues(property)) variants.push({ ...base, [key]: wrong });
  }
  return variants;
}

/** The value with every string in it carrying a NUL character; null when it holds no string. */
export function withNulStrings(value: unknown): unknown {
  if (typeof value === 'string') return `${value}\u0000`;
  if (Array.isArray(value)) return value.map(withNulStrings);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNulStrings(v)]));
  return value;
}

/** Fills an OpenAPI path's `{params}`, each value URL-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
}

/**
 * Query-string values the parameter's schema refuses for certain. A query value is always text,
 * so only what no text can satisfy counts: outside an enum, not a number, not a uuid, too long.
 */
export function wrongQueryValues(schema: JsonSchema): string[] {
  const single = withoutNull(schema);
  if (!single || single.anyOf || single.oneOf) return [];
  const type = Array.isArray(single.type) ? undefined : single.type;
  if (single.enum) return single.enum.every((v) => typeof v === 'string') ? ['definitely-not-one-of-the-options'] : [];
  switch (type) {
    case 'integer':
    case 'number': {
      const wrong = ['abc', '1e999x', 'NaN'];
      if (type === 'integer') wrong.push('1.5');
      if (single.maximum !== undefined && single.maximum < Number.MAX_SAFE_INTEGER)
        wrong.push(String(single.maximum + 1));
      if (single.minimum !== undefined) wrong.push(String(single.minimum - 1));
      return wrong;
    }
    case 'boolean':
      return ['maybe'];
    case 'string': {
      const wrong: string[] = [];
      if (single.format === 'uuid') wrong.push('not-a-uuid');
      if (single.format === 'date-time') wrong.push('2026-13-45T99:61:00Z');
      if (single.pattern?.includes('\\d{4}-\\d{2}')) wrong.push('20xx-1-1');
      if (single.maxLength !== undefined) wrong.push('q'.repeat(single.maxLength + 1));
      return wrong;
    }
    default:
      return [];
  }
}
