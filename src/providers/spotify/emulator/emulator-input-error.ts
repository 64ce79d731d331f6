/** Raised for control input the emulator refuses; control routes answer with `status`. */
export class EmulatorInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "EmulatorInputError";
  }
}
