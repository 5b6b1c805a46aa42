/** Errors services throw; the HTTP layer turns each into one status and one page. */

export class NotFoundError extends Error {
  constructor(what = 'record') {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The actor may not do this. Record-level refusals use NotFoundError so ids reveal nothing. */
export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to do this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export type FieldErrors = Partial<Record<string, string>>;

/** Input a person can correct: shown in the error summary and beside each field. */
export class ValidationError extends Error {
  readonly fieldErrors: FieldErrors;
  constructor(fieldErrors: FieldErrors) {
    super('The form has errors');
    this.fieldErrors = fieldErrors;
    this.name = 'ValidationError';
  }
}

/** Someone else changed the record since this person loaded it. */
export class ConflictError extends Error {
  constructor(message = 'Someone else changed this record while you were editing it') {
    super(message);
    this.name = 'ConflictError';
  }
}
