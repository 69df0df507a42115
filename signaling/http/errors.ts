// Every error leaves as `{ error: { code, message } }` with a proper status, and never
// with a stack trace: unknown failures become a plain 500 and are logged here instead.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger';

export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(
  res: Parameters<RequestHandler>[1],
  status: number,
  code: string,
  message: string,
): void {
  res.status(status).json({ error: { code, message } });
}

/** body-parser and Express raise errors with a `type` or a 4xx `status`; map them. */
const PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'body_too_large', 'The request body is too large.'],
  'entity.parse.failed': [400, 'malformed_json', 'The request body is not valid JSON.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'That content encoding is not supported.'],
  'charset.unsupported': [415, 'unsupported_charset', 'Send the body as UTF-8 JSON.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted.'],
  'request.size.invalid': [400, 'bad_request', 'The request size does not match its header.'],
};

export function notFound(): RequestHandler {
  return (_req, res) => sendError(res, 404, 'not_found', 'There is nothing at this address.');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // Too late for a clean answer; never fall through to Express's HTML error page.
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      res.set(error.headers);
      sendError(res, error.status, error.code, error.message);
      return;
    }
    const known = PARSER_ERRORS[(error as { type?: string }).type ?? ''];
    if (known) {
      sendError(res, known[0], known[1], known[2]);
      return;
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, status, 'bad_request', 'The request could not be understood.');
      return;
    }
    logger.error(
      {
        err: { name: (error as Error)?.name, message: (error as Error)?.message },
        route: req.path,
      },
      'unhandled error in a request',
    );
    sendError(res, 500, 'internal', 'Something went wrong on the server. Try again later.');
  };
}
