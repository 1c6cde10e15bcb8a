import { z } from "zod";
import { account } from "../i18n/account";

// Form schemas of the account pages. Not a .server module: routes build their schemas at module
// level, and that code also runs in the browser bundle.

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;

export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, account.password.tooShort(PASSWORD_MIN_LENGTH))
  .max(PASSWORD_MAX_LENGTH, account.password.tooLong(PASSWORD_MAX_LENGTH));

type PasswordPair = { password: string; confirmation: string };

/** A new password typed twice; the mismatch is reported on the confirmation field. */
export function withConfirmation<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: newPassword, confirmation: z.string() })
    .refine((d) => (d as PasswordPair).password === (d as PasswordPair).confirmation, {
      message: account.password.mismatch,
      path: ["confirmation"],
    });
}
