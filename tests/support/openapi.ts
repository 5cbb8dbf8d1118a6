import { existsSync, readFileSync } from 'node:fs';
import type { EmulatedRequest } from './twilio-emulator/dispatch.ts';

/**
 * A small checker of requests and responses against Twilio's OpenAPI specs (the 2010 API,
 * Serverless v1 and Pricing v1), enough to catch wrong parameter names, invented fields, wrong types and bad enums.
 */

// Beside the repository; SHUKUDEN_OPENAPI_DIR points elsewhere (a git worktree in another folder).
const SPEC_DIR = process.env['SHUKUDEN_OPENAPI_DIR'] ? new URL(`file://${process.env['SHUKUDEN_OPENAPI_DIR'].replace(/\/*$/, '/')}`) : new URL('../../../shared/reference/twilio-openapi/', import.meta.url);
/** The 2010 API writes relative URIs and empty strings in URL fields; the newer APIs absolute URLs. */
const SPEC_FILES = [
  { file: 'twilio_api_v2010.json', absoluteUrls: false },
  { file: 'twilio_serverless_v1.json', absoluteUrls: true },
  // Not in the reference folder yet: read from the copy kept with the emulator.
  { file: 'twilio_pricing_v1.json', absoluteUrls: true },
] as const;

/** Specs the reference folder doesn't carry yet, kept with the emulator (see its README for the source). */
const VENDORED_DIR = new URL('./twilio-emulator/openapi/', import.meta.url);

/** Where a spec file is: the reference folder first, else the copy kept with the emulator. */
function specUrl(file: string): URL {
  const reference = new URL(file, SPEC_DIR);
  return existsSync(reference) ? reference : new URL(file, VENDORED_DIR);
}


interface Schema {
  readonly $ref?: string;
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  /** The type Twilio really sends when it differs from `type` (e.g. prices typed number, sent as strings). */
  readonly 'x-twilio'?: { readonly overrideType?: 'string' | 'integer' | 'number' | 'boolean' };
}
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
}
interface Content {
  readonly [mediaType: string]: { readonly schema: Schema };
}
interface Operation {
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Content };
  readonly responses: Readonly<Record<string, { readonly content?: Content }>>;
}
interface Spec {
  readonly absoluteUrls: boolean;
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}

/** An operation found for a request: the spec's path template, the operation itself, and the spec it is in. */
export interface FoundOperation {
  readonly path: string;
  readonly method: string;
  readonly operation: Operation;
  readonly spec: Spec;
}

let loaded: readonly Spec[] | null = null;
function specs(): readonly Spec[] {
  loaded ??= SPEC_FILES.map(({ file, absoluteUrls }) => ({ ...(JSON.parse(readFileSync(specUrl(file), 'utf8')) as Omit<Spec, 'absoluteUrls'>), absoluteUrls }));
  return loaded;
}

/** The operation serving `method` on `pathname` (a real path, e.g. /2010-04-01/Accounts/AC….json or /v1/Services), or null. */
export function findOperation(method: string, pathname: string): FoundOperation | null {
  for (const spec of specs()) {
    for (const [path, item] of Object.entries(spec.paths)) {
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);
      const operation = item[method.toLowerCase()] as Operation | undefined;
      if (operation && pattern.test(pathname)) return { path, method: method.toUpperCase(), operation, spec };
    }
  }
  return null;
}

/** Problems with the parameter names a request used: any query or form name the operation does not declare. */
export function checkRequest(found: FoundOperation, query: Readonly<Record<string, string>>, form: Readonly<Record<string, string>>): string[] {
  const declaredQuery = new Set((found.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  const formSchema = found.operation.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  const declaredForm = new Set(Object.keys(formSchema?.properties ?? {}));
  return [
    ...Object.keys(query).filter((name) => !declaredQuery.has(name)).map((name) => `query parameter ${name} is not declared by ${found.operation.operationId}`),
    ...Object.keys(form).filter((name) => !declaredForm.has(name)).map((name) => `form parameter ${name} is not declared by ${found.operation.operationId}`),
  ];
}

/** Twilio's REST error body. The spec declares no error responses, but Twilio's errors all look like this. */
const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, more_info: { type: 'string' }, status: { type: 'integer' } },
};

/**
 * Problems with a response: JSON that does not fit the operation's schema for that status
 * (types, nullable, enums, patterns, RFC 2822 dates, undeclared properties). With
 * `complete`, a declared property that is missing is a problem too (Twilio sends them all).
 */
export function checkResponse(found: FoundOperation, status: number, json: unknown, options: { readonly complete?: boolean } = {}): string[] {
  const response = found.operation.responses[String(status)];
  const where = `${found.operation.operationId} ${status}`;
  if (!response) {
    return status >= 400 ? validate(found.spec, ERROR_SCHEMA, json, where, false) : [`${where}: status ${status} is not declared`];
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return json === undefined ? [] : [`${where}: declares no body but got one`];
  return validate(found.spec, schema, json, where, options.complete ?? false);
}

/**
 * Problems with one request the emulator answered, against the spec: its operation must exist, and its request
 * and answer fit it (an answer that succeeded must carry every declared property). The operation's
 * id is added to `seen`, so a test can tell every operation was exercised.
 */
export function exchangeProblems(exchange: EmulatedRequest, seen: Set<string>): string[] {
  const found = findOperation(exchange.method, exchange.path);
  if (!found) return [`${exchange.method} ${exchange.path} is not in the spec`];
  seen.add(found.operation.operationId);
  return [...checkRequest(found, exchange.query, exchange.form), ...checkResponse(found, exchange.status, exchange.json, { complete: exchange.status < 400 })];
}

/** Problems with `json` against a named schema of the spec `found` is in (for answers outside the spec, such as version uploads). */
export function checkSchema(found: FoundOperation, schemaName: string, json: unknown, options: { readonly complete?: boolean } = {}): string[] {
  return validate(found.spec, { $ref: `#/components/schemas/${schemaName}` }, json, schemaName, options.complete ?? false);
}

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
/** ISO 8601 as Twilio's newer APIs write it: whole seconds, UTC. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function resolve(spec: Spec, schema: Schema): Schema {
  let current = schema;
  while (current.$ref) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
    // A property's own `nullable` beside a $ref still applies.
    current = { ...target, nullable: current.nullable ?? target.nullable };
  }
  return current;
}

function validate(spec: Spec, raw: Schema, value: unknown, at: string, complete: boolean): string[] {
  const schema = resolve(spec, raw);
  if (value === null) return schema.nullable ? [] : [`${at}: null but not nullable`];
  if (value === undefined) return [`${at}: missing`];
  const problems: string[] = [];
  const type = schema['x-twilio']?.overrideType ?? schema.type;
  if (type && !hasType(type, value)) return [`${at}: expected ${type}, got ${JSON.stringify(value)}`];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: "${value}" does not match ${schema.pattern}`);
    if (schema.format === 'date-time-rfc-2822' && !RFC_2822.test(value)) problems.push(`${at}: "${value}" is not an RFC 2822 date`);
    if (schema.format === 'date-time' && !ISO_8601.test(value)) problems.push(`${at}: "${value}" is not an ISO 8601 date-time`);
    if (spec.absoluteUrls && schema.format === 'uri' && !URL.canParse(value)) problems.push(`${at}: "${value}" is not an absolute URL`);
  }
  if (spec.absoluteUrls && schema.format === 'uri-map' && typeof value === 'object' && value !== null) {
    for (const [key, url] of Object.entries(value)) if (typeof url !== 'string' || !URL.canParse(url)) problems.push(`${at}.${key}: not an absolute URL`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...validate(spec, schema.items as Schema, item, `${at}[${i}]`, complete)));
  }
  if (schema.type === 'object' && schema.properties && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(object)) {
      const declared = schema.properties[key];
      if (!declared) problems.push(`${at}: property ${key} is not declared`);
      else problems.push(...validate(spec, declared, item, `${at}.${key}`, complete));
    }
    const expected = complete ? Object.keys(schema.properties) : (schema.required ?? []);
    for (const key of expected) if (!(key in object)) problems.push(`${at}: property ${key} is missing`);
  }
  return problems;
}

function hasType(type: NonNullable<Schema['type']>, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return type satisfies never;
  }
}
