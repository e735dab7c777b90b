// A scenario step as the plan writes it and the runner sends it.

export const VERSION = '2024-10-15';
export type Scope = 'org' | 'group';

export type Auth = 'user' | 'none' | 'bad' | 'malformed' | { scheme: 'token' | 'bearer'; value: string };

export interface Step {
  label: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** the query (on /rest, `version` is added unless given here; null leaves it out) */
  query?: Record<string, string | null>;
  auth?: Auth;
  /** a JSON:API body (sent as application/vnd.api+json unless contentType says otherwise) */
  json?: unknown;
  /** an OAuth form */
  form?: Record<string, string>;
  /** a body sent as it is */
  raw?: string;
  contentType?: string;
  /** values saved from the response: name → dotted path into the JSON body (`links.next` keeps its cursor) */
  save?: Record<string, string>;
  /** an account this step creates: saved as {as}, deleted at the end if no step deleted it */
  creates?: { scope: Scope; as: string };
  /** the account (a saved name) this step deletes */
  deletes?: string;
  /** a value the step needs; without it (an earlier step failed, a flag not given) it is skipped */
  needs?: string[];
}

export interface PlanOptions {
  jwksUrl?: string;
  /** a signer of client assertions (private_key_jwt token requests need one) */
  canSign?: boolean;
  prefix: string;
  now: Date;
}
