/** coerceError: whatever a catch block receives becomes an Error with a message that says what was thrown. */
import { describe, expect, it } from "vitest";
import { coerceError } from "../../src/errors.js";

describe("coerceError", () => {
  it("returns an Error as it is, code and cause kept", () => {
    const err = Object.assign(new Error("open failed", { cause: "disk" }), { code: "ENOENT" });
    expect(coerceError(err)).toBe(err);
    expect(coerceError(err).code).toBe("ENOENT");
  });

  it("turns a thrown string into an Error with that message", () => {
    const err = coerceError("boom");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("boom");
  });

  it("shows a thrown object or number as JSON, keeping the value as the cause", () => {
    const thrown = { status: 500, body: "no" };
    const err = coerceError(thrown);
    expect(err.message).toBe('non-error thrown: {"status":500,"body":"no"}');
    expect(err.cause).toBe(thrown);
    expect(coerceError(42).message).toBe("non-error thrown: 42");
    expect(coerceError(null).message).toBe("non-error thrown: null");
  });

  it("falls back to String() for what JSON cannot show", () => {
    expect(coerceError(undefined).message).toBe("non-error thrown: undefined");
    expect(coerceError(10n).message).toBe("non-error thrown: 10");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(coerceError(circular).message).toBe("non-error thrown: [object Object]");
    expect(coerceError(Symbol("s")).message).toBe("non-error thrown: Symbol(s)");
  });
});
