/** A problem with the database set-up that the operator can fix; printed as one line, never a stack. */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  /** The single line shown to an operator. */
  get line(): string {
    return `${this.message}. ${this.hint}`;
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}
