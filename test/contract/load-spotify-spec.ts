/**
 * Spotify Web API contract checks against Spotify's published OpenAPI description
 * (sonallux/spotify-web-api `fixed-spotify-open-api.yml`, copied verbatim into
 * `./spotify-openapi/`, see its README for provenance and sha256).
 *
 * Use it to check both sides of the wire:
 *   - `validateSpotifyRequest({ method, url, body })`: the operation exists, query
 *     parameter names are declared (and required ones present, values of the right type),
 *     the JSON body matches the request schema; in development quota mode deprecated
 *     operations are flagged (Spotify refuses them for development-mode apps).
 *   - `validateSpotifyResponse({ method, path, status, body })`: the body matches the
 *     operation's documented response schema for that status (errors without a documented
 *     schema are checked against Spotify's `{ error: ErrorObject }` envelope).
 * Both return a list of human-readable problems (empty = fine).
 *
 * Relaxations and additions applied to the published schemas (each has a reason):
 *   R1 (spec README) development mode: deprecated properties are not `required`
 *      (Spotify removed them for development-mode apps in February 2026).
 *   R2 (spec README) `PUT/DELETE /me/library` accept `spotify:artist:` URIs (the migration
 *      guide says /me/library replaces PUT /me/following) though the list omits them.
 *   R3 fields Spotify documents or sends as `null` but the schema lacks `nullable`:
 *      CursorPagingObject.next ("`null` if none"), CursorPagingObject.cursors and
 *      CursorObject.after/before (null on an empty or last page), PlayHistoryObject.context
 *      (null when played outside a context), PrivateUserObject.display_name
 *      ("`null` if not available").
 *   R4 local files (Spotify's "Local Files" guide): a TrackObject may be a local-file track
 *      with `is_local: true` and null ids.
 *   A1 (spec README: "no required lists … add your own stricter schemas") we add `required`
 *      lists for the fields Backbeat depends on (see STRICTER_REQUIRED).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

export type QuotaMode = "extended" | "development";

export interface SpotifyRequestInput {
  method: string;
  /** Absolute or relative URL; everything up to and including `/v1` is ignored. */
  url: string;
  /** Parsed JSON body, if any. */
  body?: unknown;
}

export interface SpotifyResponseInput {
  method: string;
  /** Path (or URL) of the request; everything up to and including `/v1` is ignored. */
  path: string;
  status: number;
  /** Parsed JSON body, or undefined/null/"" for an empty body. */
  body: unknown;
}

export interface SpotifyContract {
  validateSpotifyRequest(input: SpotifyRequestInput): string[];
  validateSpotifyResponse(input: SpotifyResponseInput): string[];
}

type Obj = Record<string, unknown>;

const SPEC_PATH = join(dirname(fileURLToPath(import.meta.url)), "spotify-openapi", "fixed-spotify-open-api.yml");
const SPEC_ID = "spotify-openapi";
const HTTP_METHODS = ["get", "put", "post", "delete", "patch"];

/** A1: fields Backbeat reads; Spotify always sends them. */
const STRICTER_REQUIRED: Record<string, string[]> = {
  TrackObject: ["id", "name", "artists", "album", "duration_ms", "uri", "type", "href", "external_urls", "is_local"],
  SimplifiedTrackObject: ["id", "name", "artists", "duration_ms", "uri", "type", "track_number", "disc_number"],
  ArtistObject: ["id", "name", "type", "uri", "href", "external_urls", "images", "genres"],
  SimplifiedArtistObject: ["id", "name", "type", "uri", "href", "external_urls"],
  PrivateUserObject: ["id", "type", "uri", "href", "external_urls", "display_name", "account_id"],
  PlayHistoryObject: ["track", "played_at", "context"],
  CursorPagingObject: ["href", "limit", "next", "cursors"],
  DeviceObject: ["id", "is_active", "name", "type"],
  SavedTrackObject: ["added_at", "track"],
  LinkedTrackObject: ["id", "type", "uri", "href"],
};

/** R3: property paths `Schema.property` that may be null. */
const NULLABLE: Array<[string, string]> = [
  ["CursorPagingObject", "next"],
  ["CursorPagingObject", "cursors"],
  ["CursorObject", "after"],
  ["CursorObject", "before"],
  ["PlayHistoryObject", "context"],
  ["PrivateUserObject", "display_name"],
];

const LIBRARY_URI_TYPES = ["track", "album", "episode", "show", "audiobook", "user", "playlist", "artist"]; // R2: + artist

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function refTarget(ref: string): string {
  return ref.replace(/^#\/components\/schemas\//, `${SPEC_ID}#/definitions/`);
}

/** OpenAPI 3.0 schema → JSON Schema for Ajv: `nullable`, refs, and R1. */
function convert(node: unknown, mode: QuotaMode): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, mode));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "example" || k === "examples" || k.startsWith("x-") || k === "nullable" || k === "deprecated" || k === "title" || k === "description") continue;
    if (k === "$ref" && typeof v === "string") out.$ref = refTarget(v);
    else out[k] = convert(v, mode);
  }
  if (mode === "development" && Array.isArray(out.required)) {
    const deprecated = new Set<string>();
    const collect = (props: unknown): void => {
      if (isObj(props)) for (const [name, p] of Object.entries(props)) if (isObj(p) && p.deprecated === true) deprecated.add(name);
    };
    collect(node.properties);
    if (Array.isArray(node.allOf)) for (const part of node.allOf) if (isObj(part)) collect(part.properties);
    out.required = (out.required as string[]).filter((r) => !deprecated.has(r));
  }
  if (node.nullable === true) return makeNullable(out);
  return out;
}

function makeNullable(schema: Obj): Obj {
  if (typeof schema.type === "string") {
    const copy: Obj = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum)) copy.enum = [...(schema.enum as unknown[]), null];
    return copy;
  }
  return { anyOf: [schema, { type: "null" }] };
}

function applyPatches(defs: Obj): void {
  for (const [name, required] of Object.entries(STRICTER_REQUIRED)) {
    const def = defs[name];
    if (isObj(def)) def.required = [...new Set([...((def.required as string[] | undefined) ?? []), ...required])];
  }
  for (const [name, prop] of NULLABLE) {
    const def = defs[name];
    const props = isObj(def) ? def.properties : undefined;
    if (isObj(props) && isObj(props[prop])) props[prop] = makeNullable(props[prop] as Obj);
    if (isObj(def) && Array.isArray(def.allOf)) {
      for (const part of def.allOf) if (isObj(part) && isObj(part.properties) && isObj(part.properties[prop])) part.properties[prop] = makeNullable(part.properties[prop] as Obj);
    }
  }
  // R4: a local-file track is a TrackObject with null ids.
  const track = defs.TrackObject;
  if (isObj(track)) defs.TrackObject = { anyOf: [track, { type: "object", required: ["is_local", "type"], properties: { is_local: { const: true }, type: { const: "track" }, id: { type: "null" } } }] };
}

interface Operation {
  template: string;
  pattern: RegExp;
  paramCount: number;
  method: string;
  op: Obj;
  pathItem: Obj;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const u = new URL(url, "http://spotify.invalid");
  const at = u.pathname.indexOf("/v1/");
  const path = at >= 0 ? u.pathname.slice(at + 3) : u.pathname === "/v1" ? "/" : u.pathname;
  return { path, query: u.searchParams };
}

/** Loads the spec once per quota mode and returns request/response validators. */
export function loadSpotifySpec(options: { quotaMode?: QuotaMode; specPath?: string } = {}): SpotifyContract {
  const mode = options.quotaMode ?? "extended";
  // Core schema: YAML 1.1 would turn examples like 1981-12-15 into Dates (spec README).
  const spec = parse(readFileSync(options.specPath ?? SPEC_PATH, "utf8"), { schema: "core" }) as Obj;
  const components = (spec.components ?? {}) as Obj;
  const rawSchemas = (components.schemas ?? {}) as Obj;
  const definitions = convert(rawSchemas, mode) as Obj;
  applyPatches(definitions);

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, definitions });
  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown): ValidateFunction => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(convert(schema, mode) as Obj);
      cache.set(key, fn);
    }
    return fn;
  };
  const errorsOf = (fn: ValidateFunction, where: string): string[] =>
    (fn.errors ?? []).map((e) => `${where}: ${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);

  const resolve = (node: unknown, section: "responses" | "parameters" | "requestBodies"): Obj | undefined => {
    if (!isObj(node)) return undefined;
    if (typeof node.$ref === "string") {
      const name = node.$ref.replace(`#/components/${section}/`, "");
      const target = (components[section] as Obj | undefined)?.[name];
      return isObj(target) ? target : undefined;
    }
    return node;
  };

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries((spec.paths ?? {}) as Obj)) {
    if (!isObj(item)) continue;
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, "([^/]+)")}$`);
    const paramCount = (template.match(/\{/g) ?? []).length;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (isObj(op)) operations.push({ template, pattern, paramCount, method, op, pathItem: item });
    }
  }
  operations.sort((a, b) => a.paramCount - b.paramCount);

  const find = (method: string, path: string): Operation | string => {
    const m = method.toLowerCase();
    const candidates = operations.filter((o) => o.pattern.test(path));
    if (candidates.length === 0) return `no path in the spec matches ${path}`;
    return candidates.find((o) => o.method === m) ?? `${method.toUpperCase()} is not documented for ${candidates[0]!.template}`;
  };

  const paramsOf = (o: Operation): Obj[] =>
    [...((o.pathItem.parameters as unknown[] | undefined) ?? []), ...((o.op.parameters as unknown[] | undefined) ?? [])]
      .map((p) => resolve(p, "parameters"))
      .filter((p): p is Obj => p !== undefined);

  function validateSpotifyRequest(input: SpotifyRequestInput): string[] {
    const { path, query } = splitUrl(input.url);
    const o = find(input.method, path);
    if (typeof o === "string") return [o];
    const where = `${input.method.toUpperCase()} ${o.template}`;
    const problems: string[] = [];
    if (mode === "development" && o.op.deprecated === true) problems.push(`${where}: deprecated operation, refused for development-mode apps`);

    const params = paramsOf(o);
    const queryParams = params.filter((p) => p.in === "query");
    for (const name of new Set(query.keys())) {
      if (!queryParams.some((p) => p.name === name)) problems.push(`${where}: undocumented query parameter "${name}"`);
    }
    for (const p of queryParams) {
      const name = String(p.name);
      const value = query.get(name);
      if (value === null) {
        if (p.required === true) problems.push(`${where}: missing required query parameter "${name}"`);
        continue;
      }
      const schema = isObj(p.schema) ? p.schema : {};
      const typed = schema.type === "integer" || schema.type === "number" ? Number(value) : schema.type === "boolean" ? value === "true" : value;
      const fn = compile(`param:${where}:${name}`, schema);
      if (!fn(typed)) problems.push(...errorsOf(fn, `${where} ?${name}`));
    }
    const match = o.pattern.exec(path);
    params
      .filter((p) => p.in === "path")
      .forEach((p, i) => {
        const value = match?.[i + 1];
        if (!value) problems.push(`${where}: missing path parameter "${String(p.name)}"`);
      });
    if (o.template.startsWith("/me/library")) {
      const uris = (query.get("uris") ?? "").split(",").filter(Boolean);
      if (uris.length > 40) problems.push(`${where}: more than 40 URIs`);
      for (const uri of uris) {
        const m = /^spotify:([a-z]+):[0-9A-Za-z]+$/.exec(uri);
        if (!m || !LIBRARY_URI_TYPES.includes(m[1] ?? "")) problems.push(`${where}: unsupported URI ${uri}`);
      }
    }

    const requestBody = resolve(o.op.requestBody, "requestBodies");
    const hasBody = input.body !== undefined && input.body !== null && input.body !== "";
    if (!requestBody) {
      if (hasBody) problems.push(`${where}: the operation takes no request body`);
    } else if (!hasBody) {
      if (requestBody.required === true) problems.push(`${where}: missing required request body`);
    } else {
      const schema = (((requestBody.content as Obj | undefined)?.["application/json"] as Obj | undefined)?.schema ?? {}) as Obj;
      const fn = compile(`body:${where}`, schema);
      if (!fn(input.body)) problems.push(...errorsOf(fn, `${where} body`));
    }
    return problems;
  }

  const errorEnvelope = { type: "object", required: ["error"], properties: { error: { $ref: "#/components/schemas/ErrorObject" } } };

  function validateSpotifyResponse(input: SpotifyResponseInput): string[] {
    const { path } = splitUrl(input.path);
    const o = find(input.method, path);
    if (typeof o === "string") return [o];
    const where = `${input.method.toUpperCase()} ${o.template} → ${input.status}`;
    const responses = (o.op.responses ?? {}) as Obj;
    const documented = resolve(responses[String(input.status)], "responses");
    const isEmpty = input.body === undefined || input.body === null || input.body === "";
    let schema: unknown;
    if (documented) {
      schema = ((documented.content as Obj | undefined)?.["application/json"] as Obj | undefined)?.schema;
    } else if (input.status >= 400) {
      schema = errorEnvelope;
    } else {
      return [`${where}: status not documented (documented: ${Object.keys(responses).join(", ")})`];
    }
    if (schema === undefined) return isEmpty ? [] : [`${where}: documented without a body, got one`];
    if (isEmpty) return [`${where}: documented with a JSON body, got none`];
    const fn = compile(`response:${where}`, schema);
    const problems = fn(input.body) ? [] : errorsOf(fn, where);
    if (input.status >= 400 && isObj(input.body) && isObj(input.body.error) && input.body.error.status !== input.status) {
      problems.push(`${where}: error.status ${String(input.body.error.status)} differs from the HTTP status`);
    }
    return problems;
  }

  return { validateSpotifyRequest, validateSpotifyResponse };
}

const loaded = new Map<QuotaMode, SpotifyContract>();
function contract(mode: QuotaMode): SpotifyContract {
  let c = loaded.get(mode);
  if (!c) {
    c = loadSpotifySpec({ quotaMode: mode });
    loaded.set(mode, c);
  }
  return c;
}

/** Checks a client request against the spec (extended quota mode unless told). */
export function validateSpotifyRequest(input: SpotifyRequestInput & { quotaMode?: QuotaMode }): string[] {
  return contract(input.quotaMode ?? "extended").validateSpotifyRequest(input);
}

/** Checks a response body against the operation's documented schema (extended unless told). */
export function validateSpotifyResponse(input: SpotifyResponseInput & { quotaMode?: QuotaMode }): string[] {
  return contract(input.quotaMode ?? "extended").validateSpotifyResponse(input);
}
