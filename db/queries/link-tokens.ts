import { newId } from "./executor";

/** What a new single-use link is made of, invitation or password reset alike. */
export interface LinkTokenValues {
  tokenHash: string;
  createdBy: string | null;
  expiresAt: Date;
}

/** The columns shared by the invitations and password_resets rows. */
export function linkTokenColumns(values: LinkTokenValues, createdAt: string) {
  return {
    id: newId(),
    token_hash: values.tokenHash,
    created_by: values.createdBy,
    created_at: createdAt,
    expires_at: values.expiresAt.toISOString(),
  };
}
