/** What went wrong, in words a reader can act on; rendered as HTML or JSON. */
export type Problem = {
  status: 404 | 405 | 500 | 503;
  /** Short machine-readable code, e.g. `unknown-topic`. */
  code: string;
  /** One sentence; may quote user input, which every renderer escapes. */
  message: string;
};

export const STATUS_TITLES: Readonly<Record<Problem['status'], string>> = {
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
