import type { Db } from "../../src/db/client";
import { users } from "../../src/db/schema/index";

let n = 0;

/** A Platform user row inserted directly (verb-level tests; HTTP tests sign up instead). */
export async function insertUser(db: Db, name: string): Promise<{ id: string; email: string; name: string }> {
  n += 1;
  const id = `usr_test${String(n).padStart(4, "0")}${name.toLowerCase().replace(/[^a-z]/g, "")}`;
  const email = `${name.toLowerCase().replace(/[^a-z]/g, "")}${n}@example.test`;
  await db.insert(users).values({ id, name, email, emailVerified: true });
  return { id, email, name };
}
