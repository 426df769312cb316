import type { z } from 'zod';

/**
 * Every error code the engine can throw, each with the sentence a reader sees first.
 * Codes are stable: match on `error.code`, never on the message.
 * @public
 */
export const errorCodes = {
  INVALID_INPUT: 'The input does not match the expected shape.',
  NOT_FOUND: 'No such record.',
  UNKNOWN_AGENT: 'The agent was never registered.',
  INVALID_TRANSITION: 'The conversation state does not allow this action.',
  FORBIDDEN: 'This agent may not act on this conversation.',
  ALREADY_INTERVENED: 'Another agent has already intervened in this conversation.',
  REPLY_WINDOW_CLOSED: 'The 24 h reply window is closed: only a template may be sent.',
  CONFLICT: 'The record kept changing under concurrent writers; the command was not applied.',
  UNKNOWN_TAG: 'The tag is not in the catalog.',
  ALREADY_EXISTS: 'A record with this name already exists.',
  TRANSPORT_CONFIGURATION: 'The channel rejected our credentials or configuration.',
  CHANNEL_ERROR: 'The channel refused the request or could not be reached.',
  STORE_ERROR: 'The store failed.',
} as const;

/**
 * A stable error code from {@link errorCodes}.
 * @public
 */
export type LiveChatErrorCode = keyof typeof errorCodes;

/**
 * Options of a {@link LiveChatError}.
 * @public
 */
export interface LiveChatErrorOptions {
  /** A readable message; defaults to the code's sentence in {@link errorCodes}. */
  message?: string;
  /** The input path of a validation failure, as zod reports it. */
  path?: ReadonlyArray<PropertyKey>;
  /** Structured facts for programs: the owner of a conversation, the state, the id. */
  details?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error class the engine throws. Match on {@link LiveChatError.code}.
 *
 * @example
 * ```ts
 * try { await chat.intervene(id, { agentId: 'bo' }); }
 * catch (e) { if (e instanceof LiveChatError && e.code === 'ALREADY_INTERVENED') show(e.details.owner); }
 * ```
 * @public
 */
export class LiveChatError extends Error {
  /** The stable code. */
  readonly code: LiveChatErrorCode;
  /** The offending input path for `INVALID_INPUT`, empty otherwise. */
  readonly path: ReadonlyArray<PropertyKey>;
  /** Structured facts about the failure. */
  readonly details: Record<string, unknown>;

  constructor(code: LiveChatErrorCode, options: LiveChatErrorOptions = {}) {
    super(options.message ?? errorCodes[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LiveChatError';
    this.code = code;
    this.path = options.path ?? [];
    this.details = options.details ?? {};
  }
}

/** A schema of zod or of zod/mini (the browser entries use the lighter one). */
type SafeParser = z.core.$ZodType & {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: z.core.$ZodIssue[] } };
};

/**
 * Parses `input` with `schema`, or throws `INVALID_INPUT` naming the first offending path.
 * @internal
 */
export function parseInput<S extends SafeParser>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length > 0 ? `${what}.${path.map(String).join('.')}` : what;
  throw new LiveChatError('INVALID_INPUT', {
    message: `Invalid ${where}: ${issue?.message ?? 'invalid value'}`,
    path,
    details: { issues: result.error.issues },
    cause: result.error,
  });
}
